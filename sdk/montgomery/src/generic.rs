//! The plain-Rust kernel: products by finely integrated product scanning (a three-word column
//! accumulator, so the multiplications of a column are independent), squares by computing each
//! cross product once, doubling, then reducing word by word. Both return the result below 2n as
//! N words and a carry word; the caller subtracts n once under a mask.

use crate::Modulus;

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

/// a·b·R⁻¹, below 2n, as (words, carry).
pub(crate) fn mul<const N: usize>(a: &[u64; N], b: &[u64; N], f: &Modulus<N>) -> ([u64; N], u64) {
    let n = &f.n;
    let mut m = [0u64; N];
    let mut r = [0u64; N];
    let (mut lo, mut hi) = (0u128, 0u64);
    for i in 0..N {
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
    for i in N..2 * N {
        let k = i - N + 1;
        let pairs = a[k..]
            .iter()
            .zip(b[k..].iter().rev())
            .zip(m[k..].iter().zip(n[k..].iter().rev()));
        for ((aj, bij), (mj, nij)) in pairs {
            mac(&mut lo, &mut hi, *aj, *bij);
            mac(&mut lo, &mut hi, *mj, *nij);
        }
        r[i - N] = lo as u64;
        shift(&mut lo, &mut hi);
    }
    (r, lo as u64)
}

/// The most limbs a square handles: its 2N-word intermediate lives on the stack in an array of
/// twice this (arrays cannot be sized 2N for a generic N in stable Rust).
pub(crate) const MAX_LIMBS: usize = 64;

/// a²·R⁻¹, below 2n, as (words, carry).
pub(crate) fn sqr<const N: usize>(a: &[u64; N], f: &Modulus<N>) -> ([u64; N], u64) {
    const {
        assert!(
            N <= MAX_LIMBS,
            "the generic square handles at most 64 limbs"
        )
    };
    let n = &f.n;
    let mut buffer = [0u64; 2 * MAX_LIMBS];
    let t = &mut buffer[..2 * N];
    for i in 0..N {
        let ai = a[i];
        let mut carry = 0u64;
        for (slot, aj) in t[2 * i + 1..i + N].iter_mut().zip(a[i + 1..].iter()) {
            let s = u128::from(*slot) + u128::from(ai) * u128::from(*aj) + u128::from(carry);
            *slot = s as u64;
            carry = (s >> 64) as u64;
        }
        t[i + N] = carry;
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
    for i in 0..N {
        let m = t[i].wrapping_mul(f.n0);
        let mut c = 0u64;
        for (slot, nj) in t[i..i + N].iter_mut().zip(n.iter()) {
            let s = u128::from(*slot) + u128::from(m) * u128::from(*nj) + u128::from(c);
            *slot = s as u64;
            c = (s >> 64) as u64;
        }
        let s = u128::from(t[i + N]) + u128::from(c) + u128::from(top);
        t[i + N] = s as u64;
        top = (s >> 64) as u64;
    }
    let mut r = [0u64; N];
    r.copy_from_slice(&t[N..]);
    (r, top)
}
