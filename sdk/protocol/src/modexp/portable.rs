//! The portable multiplier: 48 little-endian 64-bit limbs in Montgomery form (R = 2^3072), in
//! plain Rust for every CPU. Products use product scanning (a three-word column accumulator, so
//! the multiplications of a column are independent) with the reduction interleaved; squares
//! compute each cross product once and double it, then reduce. The final conditional
//! subtraction is a mask, not a branch.

use std::sync::OnceLock;

use num_bigint::BigUint;

use super::{montgomery_constants, neg_inverse, Arith};
use crate::group::group;

const LIMBS: usize = 48;
pub(super) type Limbs = [u64; LIMBS];

/// The modulus and the constants of Montgomery arithmetic modulo it.
struct Field {
    n: Limbs,
    /// −N⁻¹ mod 2^64.
    n0: u64,
    /// R² mod N, to enter Montgomery form.
    r2: Limbs,
    /// R mod N: one in Montgomery form.
    one: Limbs,
}

fn field() -> &'static Field {
    static FIELD: OnceLock<Field> = OnceLock::new();
    FIELD.get_or_init(|| {
        let n = to_limbs(&group().n);
        let (r, r2) = montgomery_constants(64 * LIMBS);
        Field {
            n,
            n0: neg_inverse(n[0]),
            r2: to_limbs(&r2),
            one: to_limbs(&r),
        }
    })
}

/// The low 3072 bits of `x` as limbs (callers reduce mod N first).
fn to_limbs(x: &BigUint) -> Limbs {
    let mut out = [0u64; LIMBS];
    for (slot, digit) in out.iter_mut().zip(x.iter_u64_digits()) {
        *slot = digit;
    }
    out
}

fn from_limbs(x: &Limbs) -> BigUint {
    let mut words = Vec::with_capacity(2 * LIMBS);
    for d in x {
        words.push(*d as u32);
        words.push((*d >> 32) as u32);
    }
    BigUint::new(words)
}

/// Adds x·y to the three-word accumulator (`lo` is the low 128 bits, `hi` the top word).
#[inline(always)]
fn mac(lo: &mut u128, hi: &mut u64, x: u64, y: u64) {
    let (sum, carry) = lo.overflowing_add(u128::from(x) * u128::from(y));
    *lo = sum;
    *hi += u64::from(carry);
}

/// Shifts the accumulator one word down.
#[inline(always)]
fn shift(lo: &mut u128, hi: &mut u64) {
    *lo = (*lo >> 64) | (u128::from(*hi) << 64);
    *hi = 0;
}

/// r − N when r (with its carry word `top`) is at least N, without a data-dependent branch.
#[inline(always)]
fn reduce_once(r: &mut Limbs, top: u64, n: &Limbs) {
    let mut diff = [0u64; LIMBS];
    let mut borrow = 0u64;
    for ((d, x), y) in diff.iter_mut().zip(r.iter()).zip(n.iter()) {
        let (s1, b1) = x.overflowing_sub(*y);
        let (s2, b2) = s1.overflowing_sub(borrow);
        *d = s2;
        borrow = u64::from(b1 | b2);
    }
    // Keep the difference when there was a carry word or no borrow.
    let keep = (top | (borrow ^ 1)) & 1;
    let mask = keep.wrapping_neg();
    for (x, d) in r.iter_mut().zip(diff.iter()) {
        *x = (*d & mask) | (*x & !mask);
    }
}

/// a·b·R⁻¹ mod N (finely integrated product scanning).
fn mul(a: &Limbs, b: &Limbs, f: &Field) -> Limbs {
    let n = &f.n;
    let mut m = [0u64; LIMBS];
    let mut r = [0u64; LIMBS];
    let (mut lo, mut hi) = (0u128, 0u64);
    for i in 0..LIMBS {
        let pairs = a[..i]
            .iter()
            .zip(b[1..=i].iter().rev())
            .zip(m[..i].iter().zip(n[1..=i].iter().rev()));
        for ((aj, bij), (mj, nij)) in pairs {
            mac(&mut lo, &mut hi, *aj, *bij);
            mac(&mut lo, &mut hi, *mj, *nij);
        }
        mac(&mut lo, &mut hi, a[i], b[0]);
        let mi = (lo as u64).wrapping_mul(f.n0);
        m[i] = mi;
        mac(&mut lo, &mut hi, mi, n[0]);
        shift(&mut lo, &mut hi);
    }
    for i in LIMBS..2 * LIMBS {
        let k = i - LIMBS + 1;
        let pairs = a[k..]
            .iter()
            .zip(b[k..].iter().rev())
            .zip(m[k..].iter().zip(n[k..].iter().rev()));
        for ((aj, bij), (mj, nij)) in pairs {
            mac(&mut lo, &mut hi, *aj, *bij);
            mac(&mut lo, &mut hi, *mj, *nij);
        }
        r[i - LIMBS] = lo as u64;
        shift(&mut lo, &mut hi);
    }
    reduce_once(&mut r, lo as u64, n);
    r
}

/// a²·R⁻¹ mod N: the full square (cross products once, doubled) then the reduction.
fn sqr(a: &Limbs, f: &Field) -> Limbs {
    let n = &f.n;
    let mut t = [0u64; 2 * LIMBS];
    for i in 0..LIMBS {
        let ai = a[i];
        let mut carry = 0u64;
        for (slot, aj) in t[2 * i + 1..i + LIMBS].iter_mut().zip(a[i + 1..].iter()) {
            let s = u128::from(*slot) + u128::from(ai) * u128::from(*aj) + u128::from(carry);
            *slot = s as u64;
            carry = (s >> 64) as u64;
        }
        t[i + LIMBS] = carry;
    }
    let mut top_bit = 0u64;
    for word in t.iter_mut() {
        let v = *word;
        *word = (v << 1) | top_bit;
        top_bit = v >> 63;
    }
    let mut carry = 0u64;
    for (i, ai) in a.iter().enumerate() {
        let s = u128::from(t[2 * i]) + u128::from(*ai) * u128::from(*ai) + u128::from(carry);
        t[2 * i] = s as u64;
        let s = u128::from(t[2 * i + 1]) + (s >> 64);
        t[2 * i + 1] = s as u64;
        carry = (s >> 64) as u64;
    }
    let mut top = 0u64;
    for i in 0..LIMBS {
        let m = t[i].wrapping_mul(f.n0);
        let mut c = 0u64;
        for (slot, nj) in t[i..i + LIMBS].iter_mut().zip(n.iter()) {
            let s = u128::from(*slot) + u128::from(m) * u128::from(*nj) + u128::from(c);
            *slot = s as u64;
            c = (s >> 64) as u64;
        }
        let s = u128::from(t[i + LIMBS]) + u128::from(c) + u128::from(top);
        t[i + LIMBS] = s as u64;
        top = (s >> 64) as u64;
    }
    let mut r = [0u64; LIMBS];
    r.copy_from_slice(&t[LIMBS..]);
    reduce_once(&mut r, top, n);
    r
}

fn to_mont(x: &BigUint, f: &Field) -> Limbs {
    let reduced = x % &group().n;
    mul(&to_limbs(&reduced), &f.r2, f)
}

fn from_mont(x: &Limbs, f: &Field) -> BigUint {
    let mut unit = [0u64; LIMBS];
    unit[0] = 1;
    from_limbs(&mul(x, &unit, f))
}

/// The portable arithmetic (a unit value: its constants live in a process-wide cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Portable;

impl Arith for Portable {
    type Elem = Limbs;

    fn one(self) -> Limbs {
        field().one
    }

    fn enter(self, x: &BigUint) -> Limbs {
        to_mont(x, field())
    }

    fn leave(self, x: &Limbs) -> BigUint {
        from_mont(x, field())
    }

    fn mul(self, a: &Limbs, b: &Limbs) -> Limbs {
        mul(a, b, field())
    }

    fn sqr(self, a: &Limbs) -> Limbs {
        sqr(a, field())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modexp::tests::number;

    #[test]
    fn montgomery_products_and_squares_match_num_bigint() {
        let f = field();
        let n = &group().n;
        for i in 0..20 {
            let x = number(&format!("x{i}"), 3072) % n;
            let y = number(&format!("y{i}"), 3000 + i) % n;
            let (xm, ym) = (to_mont(&x, f), to_mont(&y, f));
            assert_eq!(from_mont(&mul(&xm, &ym, f), f), (&x * &y) % n);
            assert_eq!(from_mont(&sqr(&xm, f), f), (&x * &x) % n);
        }
        let top = n - 1u8;
        let t = to_mont(&top, f);
        assert_eq!(from_mont(&sqr(&t, f), f), BigUint::from(1u8));
        assert_eq!(from_mont(&mul(&t, &t, f), f), BigUint::from(1u8));
    }
}
