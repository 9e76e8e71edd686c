//! Eight Montgomery exponentiations at once on AVX-512 IFMA, one per 64-bit lane, for moduli
//! below 2^512 (the primes of a four-prime RSA-2048 key).
//!
//! A number is 10 limbs of 52 bits. Eight numbers sit side by side, limb-major: register `j`
//! holds limb `j` of every lane, so one `vpmadd52luq` does one limb product for eight
//! independent multiplications and no lane ever talks to another. A product is 10 steps of
//! word-by-word ("almost") Montgomery multiplication with R = 2^520: each step adds a·bᵢ and
//! y·n into the accumulator, which clears one more low limb. For a product of inputs below kn,
//! the result is below k²n²/R + n, and R > 256n for a 512-bit n, so inputs below 16n give
//! results below 2n: there is no subtraction between products. Leaving Montgomery form
//! subtracts n once, with a mask.
//!
//! A 2048-bit message enters as its four 512-bit chunks: each chunk (below 2^512 ≤ 2n) times
//! 2^(512k)·R² mod n, summed, is the message in Montgomery form below 8n, with no division.
//!
//! Timing: a product is a fixed sequence of vector instructions with no branch or memory index
//! that depends on the numbers. Exponentiation uses a fixed 5-bit window over 104 windows (every
//! exponent below 2^520 takes the same path), and each window's table entry is picked by reading
//! all 32 entries under a mask, so neither the exponent's bits nor its length show in the
//! sequence of instructions or in the addresses read.
//!
//! The `#[target_feature]` functions here run only on a CPU with AVX-512F and AVX-512 IFMA. The
//! only way to reach them is through an [`Ifma`] value, and the only way to get one is
//! [`Ifma::detect`], which asks the CPU. That is the whole of the crate's `unsafe`.
#![allow(unsafe_code)]

use std::arch::x86_64::{
    __m512i, _mm512_add_epi64, _mm512_and_si512, _mm512_cmpeq_epi64_mask, _mm512_loadu_si512,
    _mm512_madd52hi_epu64, _mm512_madd52lo_epu64, _mm512_mask_mov_epi64, _mm512_set1_epi64,
    _mm512_setzero_si512, _mm512_srli_epi64, _mm512_storeu_si512, _mm512_sub_epi64,
};

/// Limbs per number: 52 · 10 = 520 bits ≥ 512 + 2, so R = 2^520 > 4p.
pub(crate) const LIMBS: usize = 10;
/// Independent numbers per register.
pub(crate) const LANES: usize = 8;
/// Bits per exponent window.
pub(crate) const WINDOW: usize = 5;
/// Windows per exponent: 104 · 5 = 520 bits, enough for any exponent below a 512-bit modulus.
pub(crate) const WINDOWS: usize = 104;
pub(crate) const MASK: u64 = (1 << 52) - 1;

/// Eight numbers, limb-major: `x[j][l]` is limb `j` (of 52 bits) of lane `l`.
pub(crate) type Lanes = [[u64; LANES]; LIMBS];

/// 512-bit chunks in a 2048-bit number.
pub(crate) const CHUNKS: usize = 4;

/// Eight numbers below 2^2048 as their 512-bit chunks, low chunk first.
pub(crate) type Wide = [Lanes; CHUNKS];

/// Eight moduli of exactly 512 bits and the constants of Montgomery arithmetic modulo each,
/// lane by lane.
#[derive(Clone, Debug)]
pub(crate) struct Moduli {
    /// The moduli (odd, in [2^511, 2^512)).
    pub n: Lanes,
    /// −n⁻¹ mod 2^52, per lane.
    pub k0: [u64; LANES],
    /// R mod n: one in Montgomery form.
    pub one: Lanes,
    /// 2^(512k)·R² mod n for chunk k: a Montgomery product with chunk k puts it in place and
    /// in Montgomery form.
    pub chunks: Wide,
    /// A constant to multiply every result by, in Montgomery form (c·R mod n).
    pub post: Lanes,
}

impl Moduli {
    /// Overwrites the primes and everything derived from them with zeros.
    pub(crate) fn wipe(&mut self) {
        use zeroize::Zeroize as _;
        self.n.zeroize();
        self.k0.zeroize();
        self.one.zeroize();
        self.chunks.zeroize();
        self.post.zeroize();
    }
}

/// The right to run AVX-512 IFMA code: a value exists only on a CPU that has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ifma {
    _checked: (),
}

impl Ifma {
    /// `Some` when this CPU has AVX-512F and AVX-512 IFMA.
    pub(crate) fn detect() -> Option<Self> {
        let present = std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512ifma");
        present.then_some(Self { _checked: () })
    }

    /// `x[l]^e[l]·c[l] mod n[l]` for every lane, canonical, where c is [`Moduli::post`] and
    /// `windows[w][l]` is bits `5w..5w+5` of lane `l`'s exponent.
    pub(crate) fn pow(self, m: &Moduli, x: &Wide, windows: &[[u64; LANES]; WINDOWS]) -> Lanes {
        // SAFETY: `pow_secret` needs AVX-512F and AVX-512 IFMA, and `self` exists only when
        // `detect` found both on this CPU. Its inputs are normalized 52-bit limbs, as `Lanes`
        // and `Moduli` promise.
        unsafe { pow_secret(m, x, windows) }
    }

    /// Whether `x[l]^e ≡ y[l] (mod n[l])` in every lane, for a public exponent `e` (square and
    /// multiply over its bits).
    pub(crate) fn pow_matches(self, m: &Moduli, x: &Wide, e: u64, y: &Wide) -> bool {
        // SAFETY: as in `pow`.
        unsafe { pow_public_matches(m, x, e, y) }
    }
}

type V = [__m512i; LIMBS];

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn load(x: &Lanes) -> V {
    // SAFETY: each row is eight u64s, 64 bytes; the load is unaligned.
    std::array::from_fn(|j| unsafe { _mm512_loadu_si512(x[j].as_ptr().cast()) })
}

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn load_row(x: &[u64; LANES]) -> __m512i {
    // SAFETY: eight u64s, 64 bytes; the load is unaligned.
    unsafe { _mm512_loadu_si512(x.as_ptr().cast()) }
}

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn store(v: &V) -> Lanes {
    let mut out = [[0u64; LANES]; LIMBS];
    for (row, reg) in out.iter_mut().zip(v.iter()) {
        // SAFETY: each row is eight u64s, 64 bytes; the store is unaligned.
        unsafe { _mm512_storeu_si512(row.as_mut_ptr().cast(), *reg) };
    }
    out
}

/// a·b·R⁻¹ mod n in every lane, below 2n, in normalized limbs, for normalized a and b below
/// 16n (see the module's notes).
///
/// Each accumulator limb takes at most four 52-bit halves of products per step, over at most
/// 11 steps, and one carry below 2^12: below 2^58, so nothing overflows 64 bits.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn amm(out: &mut V, a: &V, b: &V, n: &V, k0: __m512i) {
    let zero = _mm512_setzero_si512();
    // Step i works on limbs i.. of the accumulator and leaves limb i with its low 52 bits
    // zero, so nothing moves: the result is limbs LIMBS.. once every step is done.
    let mut acc = [zero; 2 * LIMBS];
    for (i, bi) in b.iter().enumerate() {
        for (j, x) in a.iter().enumerate() {
            acc[i + j] = _mm512_madd52lo_epu64(acc[i + j], *x, *bi);
        }
        // y = −accᵢ·n⁻¹ mod 2^52 (the instruction reads only the low 52 bits of accᵢ).
        let y = _mm512_madd52lo_epu64(zero, acc[i], k0);
        for (j, x) in n.iter().enumerate() {
            acc[i + j] = _mm512_madd52lo_epu64(acc[i + j], *x, y);
        }
        // High halves belong one limb up.
        for (j, x) in a.iter().enumerate() {
            acc[i + j + 1] = _mm512_madd52hi_epu64(acc[i + j + 1], *x, *bi);
        }
        for (j, x) in n.iter().enumerate() {
            acc[i + j + 1] = _mm512_madd52hi_epu64(acc[i + j + 1], *x, y);
        }
        // accᵢ's low 52 bits are now zero: its carry moves up.
        acc[i + 1] = _mm512_add_epi64(acc[i + 1], _mm512_srli_epi64::<52>(acc[i]));
    }
    out.copy_from_slice(&acc[LIMBS..]);
    // The result is below 2n < 2^513: nothing carries out of the top limb.
    normalize(out);
}

/// x − n in the lanes where x ≥ n, x elsewhere, without a data-dependent branch (x normalized).
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn reduce_once(x: &V, n: &V) -> Lanes {
    let zero = _mm512_setzero_si512();
    let mask = _mm512_set1_epi64(MASK as i64);
    let mut borrow = zero;
    let mut diff = [zero; LIMBS];
    for ((d, a), b) in diff.iter_mut().zip(x.iter()).zip(n.iter()) {
        let v = _mm512_sub_epi64(_mm512_sub_epi64(*a, *b), borrow);
        *d = _mm512_and_si512(v, mask);
        borrow = _mm512_srli_epi64::<63>(v);
    }
    let no_borrow = _mm512_cmpeq_epi64_mask(borrow, zero);
    store(&std::array::from_fn(|j| {
        _mm512_mask_mov_epi64(x[j], no_borrow, diff[j])
    }))
}

/// Out of Montgomery form: x·R⁻¹ < (2n + n·R)/R ≤ n + 1, then one masked subtraction.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn leave(x: &V, n: &V, k0: __m512i) -> Lanes {
    let zero = _mm512_setzero_si512();
    let mut unit = [zero; LIMBS];
    unit[0] = _mm512_set1_epi64(1);
    let mut out = [zero; LIMBS];
    amm(&mut out, x, &unit, n, k0);
    reduce_once(&out, n)
}

/// Into `out`, the table entry each lane's window names, read from all 32 entries under masks.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn select(out: &mut V, table: &[V; 1 << WINDOW], index: __m512i) {
    *out = [_mm512_setzero_si512(); LIMBS];
    for (t, entry) in table.iter().enumerate() {
        let hit = _mm512_cmpeq_epi64_mask(index, _mm512_set1_epi64(t as i64));
        for (o, limb) in out.iter_mut().zip(entry.iter()) {
            *o = _mm512_mask_mov_epi64(*o, hit, *limb);
        }
    }
}

/// Limbs with carries pushed up, so each is below 2^52 (the value must fit the limbs).
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn normalize(x: &mut V) {
    let mask = _mm512_set1_epi64(MASK as i64);
    let mut carry = _mm512_setzero_si512();
    for limb in x.iter_mut() {
        let v = _mm512_add_epi64(*limb, carry);
        *limb = _mm512_and_si512(v, mask);
        carry = _mm512_srli_epi64::<52>(v);
    }
}

/// Into Montgomery form, below 8n: Σₖ chunkₖ·2^(512k)·R mod n. Each chunk is below
/// 2^512 ≤ 2n, so each product is below 2n.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn enter(out: &mut V, x: &Wide, m: &Moduli, n: &V, k0: __m512i) {
    let mut part = [_mm512_setzero_si512(); LIMBS];
    *out = [_mm512_setzero_si512(); LIMBS];
    for (chunk, factor) in x.iter().zip(m.chunks.iter()) {
        amm(&mut part, &load(chunk), &load(factor), n, k0);
        for (o, p) in out.iter_mut().zip(part.iter()) {
            *o = _mm512_add_epi64(*o, *p);
        }
    }
    normalize(out);
}

#[target_feature(enable = "avx512f,avx512ifma")]
fn pow_secret(m: &Moduli, x: &Wide, windows: &[[u64; LANES]; WINDOWS]) -> Lanes {
    let n = load(&m.n);
    let k0 = load_row(&m.k0);
    let mut table = [load(&m.one); 1 << WINDOW];
    let (first, rest) = table.split_at_mut(2);
    enter(&mut first[1], x, m, &n, k0);
    let b = first[1];
    let mut previous = &first[1];
    for entry in rest.iter_mut() {
        amm(entry, previous, &b, &n, k0);
        previous = entry;
    }
    // Two buffers in turn: five squarings and a product per window is an even count, so the
    // running value ends each window where it began.
    let (mut r, mut s) = (n, n);
    let mut entry = n;
    select(&mut r, &table, load_row(&windows[WINDOWS - 1]));
    for w in windows[..WINDOWS - 1].iter().rev() {
        amm(&mut s, &r, &r, &n, k0);
        amm(&mut r, &s, &s, &n, k0);
        amm(&mut s, &r, &r, &n, k0);
        amm(&mut r, &s, &s, &n, k0);
        amm(&mut s, &r, &r, &n, k0);
        select(&mut entry, &table, load_row(w));
        amm(&mut r, &s, &entry, &n, k0);
    }
    amm(&mut s, &r, &load(&m.post), &n, k0);
    leave(&s, &n, k0)
}

#[target_feature(enable = "avx512f,avx512ifma")]
fn pow_public_matches(m: &Moduli, x: &Wide, e: u64, y: &Wide) -> bool {
    let n = load(&m.n);
    let k0 = load_row(&m.k0);
    let mut b = n;
    enter(&mut b, x, m, &n, k0);
    let mut r = load(&m.one);
    let mut s = n;
    for bit in (0..u64::BITS - e.leading_zeros()).rev() {
        amm(&mut s, &r, &r, &n, k0);
        if (e >> bit) & 1 == 1 {
            amm(&mut r, &s, &b, &n, k0);
        } else {
            std::mem::swap(&mut r, &mut s);
        }
    }
    let mut expected = n;
    enter(&mut expected, y, m, &n, k0);
    leave(&r, &n, k0) == leave(&expected, &n, k0)
}
