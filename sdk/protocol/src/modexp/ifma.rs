//! The AVX-512 IFMA multiplier, for x86-64 CPUs that have it (Intel since Ice Lake, AMD since
//! Zen 4). Numbers are 60 limbs of 52 bits, held in 64 lanes (eight 512-bit registers), in
//! Montgomery form with R = 2^3120. One product is 60 steps of word-by-word Montgomery
//! multiplication ("almost Montgomery multiplication"): each step adds a·b_i and y·N, where
//! y = −acc₀·N⁻¹ mod 2^52, into lanes that are allowed to grow past 52 bits, then shifts every
//! lane down by one. Carries are propagated once, at the end. Inputs and outputs are below 2N
//! (R > 4N keeps them there), so there is no conditional subtraction between products; leaving
//! Montgomery form subtracts N once, with a mask.
//!
//! The `#[target_feature]` functions here may only run on a CPU with AVX-512F and AVX-512 IFMA.
//! The only way to reach them is through an [`Ifma`] value, and the only way to get one is
//! [`Ifma::detect`], which asks the CPU. That is the whole of the crate's `unsafe`.
#![allow(unsafe_code)]

use std::arch::x86_64::{
    __m512i, _mm256_extract_epi64, _mm512_add_epi64, _mm512_alignr_epi64, _mm512_castsi512_si128,
    _mm512_extracti64x4_epi64, _mm512_madd52hi_epu64, _mm512_madd52lo_epu64,
    _mm512_maskz_set1_epi64, _mm512_set1_epi64, _mm512_set_epi64, _mm512_setzero_si512,
    _mm_cvtsi128_si64,
};
use std::sync::OnceLock;

use num_bigint::BigUint;

use cognito_montgomery::neg_inverse;

use super::{montgomery_constants, Arith};
use crate::group::group;

/// Limbs that carry the number (52 · 60 = 3120 bits ≥ 3072 + 2, so R > 4N).
const USED: usize = 60;
/// Lanes: eight registers of eight.
const LANES: usize = 64;
const MASK: u64 = (1 << 52) - 1;

/// A number in 52-bit limbs, low limb first; lanes past [`USED`] are zero.
pub(super) type Limbs = [u64; LANES];

/// The modulus and the constants of Montgomery arithmetic modulo it, in 52-bit limbs.
struct Field {
    n: Limbs,
    /// −N⁻¹ mod 2^52.
    k0: u64,
    /// R² mod N, to enter Montgomery form.
    r2: Limbs,
    /// R mod N: one in Montgomery form.
    one: Limbs,
    /// The number 1, to leave Montgomery form.
    unit: Limbs,
}

fn field() -> &'static Field {
    static FIELD: OnceLock<Field> = OnceLock::new();
    FIELD.get_or_init(|| {
        let n = to_limbs(&group().n);
        let (r, r2) = montgomery_constants(52 * USED);
        let mut unit = [0u64; LANES];
        unit[0] = 1;
        Field {
            n,
            k0: neg_inverse(n[0]) & MASK,
            r2: to_limbs(&r2),
            one: to_limbs(&r),
            unit,
        }
    })
}

/// The low 3120 bits of `x` as 52-bit limbs (callers reduce mod N first).
fn to_limbs(x: &BigUint) -> Limbs {
    let words: Vec<u64> = x.iter_u64_digits().collect();
    let word = |i: usize| words.get(i).copied().unwrap_or(0);
    let mut out = [0u64; LANES];
    for (j, limb) in out.iter_mut().enumerate().take(USED) {
        let (w, s) = (52 * j / 64, 52 * j % 64);
        let mut v = word(w) >> s;
        if s > 12 {
            v |= word(w + 1) << (64 - s);
        }
        *limb = v & MASK;
    }
    out
}

fn from_limbs(x: &Limbs) -> BigUint {
    let mut words = [0u64; 52 * USED / 64 + 1];
    for (j, limb) in x.iter().enumerate().take(USED) {
        let (w, s) = (52 * j / 64, 52 * j % 64);
        words[w] |= limb << s;
        if s > 12 {
            words[w + 1] |= limb >> (64 - s);
        }
    }
    let mut digits = Vec::with_capacity(2 * words.len());
    for w in words {
        digits.push(w as u32);
        digits.push((w >> 32) as u32);
    }
    BigUint::new(digits)
}

/// x − N when x ≥ N, without a data-dependent branch (x normalized, below 2N).
fn reduce_once(x: &mut Limbs, n: &Limbs) {
    let mut diff = [0u64; LANES];
    let mut borrow = 0u64;
    for ((d, a), b) in diff.iter_mut().zip(x.iter()).zip(n.iter()) {
        let v = a.wrapping_sub(*b).wrapping_sub(borrow);
        *d = v & MASK;
        borrow = v >> 63;
    }
    let mask = (borrow ^ 1).wrapping_neg();
    for (a, d) in x.iter_mut().zip(diff.iter()) {
        *a = (*d & mask) | (*a & !mask);
    }
}

/// The right to run AVX-512 IFMA code: a value exists only on a CPU that has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ifma {
    _checked: (),
}

impl Ifma {
    /// `Some` when this CPU has AVX-512F and AVX-512 IFMA.
    pub(super) fn detect() -> Option<Self> {
        let present = std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512ifma");
        present.then_some(Self { _checked: () })
    }

    fn product(self, a: &Limbs, b: &Limbs) -> Limbs {
        let f = field();
        // SAFETY: `amm` needs AVX-512F and AVX-512 IFMA, and `self` exists only when `detect`
        // found both on this CPU. Its arguments are normalized and below 2N (every `Limbs`
        // this module hands out is), as its contract asks.
        unsafe { amm(a, b, &f.n, f.k0) }
    }
}

impl Arith for Ifma {
    type Elem = Limbs;

    fn one(self) -> Limbs {
        field().one
    }

    fn enter(self, x: &BigUint) -> Limbs {
        let reduced = x % &group().n;
        self.product(&to_limbs(&reduced), &field().r2)
    }

    fn leave(self, x: &Limbs) -> BigUint {
        let f = field();
        // x·R⁻¹ < (2N + N·R)/R ≤ N + 1: one masked subtraction makes it canonical.
        let mut r = self.product(x, &f.unit);
        reduce_once(&mut r, &f.n);
        from_limbs(&r)
    }

    fn mul(self, a: &Limbs, b: &Limbs) -> Limbs {
        self.product(a, b)
    }

    fn sqr(self, a: &Limbs) -> Limbs {
        self.product(a, a)
    }
}

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn load(x: &Limbs) -> [__m512i; 8] {
    std::array::from_fn(|k| {
        let s = &x[8 * k..8 * k + 8];
        _mm512_set_epi64(
            s[7] as i64,
            s[6] as i64,
            s[5] as i64,
            s[4] as i64,
            s[3] as i64,
            s[2] as i64,
            s[1] as i64,
            s[0] as i64,
        )
    })
}

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn store(v: &[__m512i; 8]) -> Limbs {
    let mut out = [0u64; LANES];
    for (chunk, reg) in out.chunks_exact_mut(8).zip(v.iter()) {
        let lo = _mm512_extracti64x4_epi64::<0>(*reg);
        let hi = _mm512_extracti64x4_epi64::<1>(*reg);
        chunk[0] = _mm256_extract_epi64::<0>(lo) as u64;
        chunk[1] = _mm256_extract_epi64::<1>(lo) as u64;
        chunk[2] = _mm256_extract_epi64::<2>(lo) as u64;
        chunk[3] = _mm256_extract_epi64::<3>(lo) as u64;
        chunk[4] = _mm256_extract_epi64::<0>(hi) as u64;
        chunk[5] = _mm256_extract_epi64::<1>(hi) as u64;
        chunk[6] = _mm256_extract_epi64::<2>(hi) as u64;
        chunk[7] = _mm256_extract_epi64::<3>(hi) as u64;
    }
    out
}

/// a·b·R⁻¹ mod N, below 2N, in normalized limbs, for normalized `a` and `b` below 2N.
///
/// Each lane takes at most four 52-bit halves of products per step and a carry below 2^12, so
/// after 60 steps it holds less than 2^60: no lane overflows its 64 bits.
#[target_feature(enable = "avx512f,avx512ifma")]
fn amm(a: &Limbs, b: &Limbs, n: &Limbs, k0: u64) -> Limbs {
    let av = load(a);
    let nv = load(n);
    let zero = _mm512_setzero_si512();
    let mut acc = [zero; 8];
    for bi in b.iter().take(USED) {
        let bv = _mm512_set1_epi64(*bi as i64);
        for (reg, x) in acc.iter_mut().zip(av.iter()) {
            *reg = _mm512_madd52lo_epu64(*reg, *x, bv);
        }
        // The lowest lane decides y, so that adding y·N clears its low 52 bits.
        let x0 = _mm_cvtsi128_si64(_mm512_castsi512_si128(acc[0])) as u64;
        let y = x0.wrapping_mul(k0) & MASK;
        let yv = _mm512_set1_epi64(y as i64);
        for (reg, x) in acc.iter_mut().zip(nv.iter()) {
            *reg = _mm512_madd52lo_epu64(*reg, *x, yv);
        }
        let carry = (x0 + ((u128::from(y) * u128::from(n[0])) as u64 & MASK)) >> 52;
        // Divide by 2^52: every lane moves down one; the cleared lowest lane leaves its carry.
        for k in 0..7 {
            acc[k] = _mm512_alignr_epi64::<1>(acc[k + 1], acc[k]);
        }
        acc[7] = _mm512_alignr_epi64::<1>(zero, acc[7]);
        acc[0] = _mm512_add_epi64(acc[0], _mm512_maskz_set1_epi64(1, carry as i64));
        // The high halves belong one lane up, which after the shift is the same index.
        for ((reg, x), m) in acc.iter_mut().zip(av.iter()).zip(nv.iter()) {
            *reg = _mm512_madd52hi_epu64(*reg, *x, bv);
            *reg = _mm512_madd52hi_epu64(*reg, *m, yv);
        }
    }
    let mut out = store(&acc);
    let mut carry = 0u64;
    for limb in out.iter_mut() {
        let v = *limb + carry;
        *limb = v & MASK;
        carry = v >> 52;
    }
    // The result is below 2N < 2^3074: nothing carries out of the 64 lanes.
    debug_assert_eq!(carry, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modexp::tests::number;

    #[test]
    fn limbs_round_trip() {
        let n = &group().n;
        for bits in [1, 52, 53, 64, 104, 3071, 3072] {
            let x = number(&format!("l{bits}"), bits) % n;
            assert_eq!(from_limbs(&to_limbs(&x)), x, "{bits} bits");
        }
    }

    #[test]
    fn products_and_squares_match_num_bigint() {
        let Some(ifma) = Ifma::detect() else {
            eprintln!("this CPU has no AVX-512 IFMA: nothing to check here");
            return;
        };
        let n = &group().n;
        let mut cases: Vec<(BigUint, BigUint)> = (0..40)
            .map(|i| {
                let x = number(&format!("x{i}"), 3072) % n;
                let y = number(&format!("y{i}"), 3000 + i) % n;
                (x, y)
            })
            .collect();
        let top = n - 1u8;
        cases.push((top.clone(), top.clone()));
        cases.push((BigUint::default(), top.clone()));
        cases.push((BigUint::from(1u8), top));
        for (x, y) in &cases {
            let (xm, ym) = (ifma.enter(x), ifma.enter(y));
            assert_eq!(ifma.leave(&ifma.mul(&xm, &ym)), (x * y) % n);
            assert_eq!(ifma.leave(&ifma.sqr(&xm)), (x * x) % n);
        }
        // Chains stay below 2N without a subtraction between products.
        let bound = to_limbs(&(n * 2u8));
        let mut r = ifma.enter(&(n - 1u8));
        let mut expect = n - 1u8;
        for _ in 0..200 {
            r = ifma.sqr(&r);
            expect = (&expect * &expect) % n;
            assert!(from_limbs(&r) < from_limbs(&bound));
            assert!(
                r[USED..].iter().all(|&limb| limb == 0),
                "lanes past the number"
            );
            assert!(r.iter().all(|&limb| limb <= MASK), "normalized limbs");
        }
        assert_eq!(ifma.leave(&r), expect);
    }
}
