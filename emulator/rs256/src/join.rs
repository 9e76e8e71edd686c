//! The last step of a signature: the four per-prime results joined into one number modulo n by
//! the Chinese remainder theorem, Σ hᵢ·Mᵢ mod n (Mᵢ = n / rᵢ, hᵢ < rᵢ, so the sum is below 4n).
//!
//! Fixed-width 64-bit words and fixed loops: the products run over every word whatever the
//! values, and the three subtractions of n are always computed and kept or dropped under a
//! mask. Nothing branches on, or indexes memory by, the secret per-prime results.

use num_bigint_dig::BigUint;

#[cfg(target_arch = "x86_64")]
use crate::lanes;
use crate::{MODULUS_BYTES, PRIMES};

/// Words of n.
const N_WORDS: usize = MODULUS_BYTES / 8;
/// Words of a per-prime result (below a 512-bit prime).
pub(crate) const PART_WORDS: usize = 8;
/// Words of a cofactor Mᵢ = n / rᵢ (below 2^2048 / 2^511 = 2^1537).
const COFACTOR_WORDS: usize = 25;
/// Words of the sum, below 4n < 2^2050, with room for the carries.
const SUM_WORDS: usize = N_WORDS + 2;

/// n and the cofactors in words, low word first.
pub(crate) struct Join {
    n: [u64; SUM_WORDS],
    cofactors: [[u64; COFACTOR_WORDS]; PRIMES],
}

impl Join {
    pub(crate) fn new(n: &BigUint, cofactors: &[BigUint; PRIMES]) -> Join {
        Join {
            n: fixed(n),
            cofactors: std::array::from_fn(|i| fixed(&cofactors[i])),
        }
    }

    /// Σ parts[i]·Mᵢ mod n as 256 big-endian bytes, for parts[i] below rᵢ.
    pub(crate) fn join(&self, parts: &[[u64; PART_WORDS]; PRIMES]) -> [u8; MODULUS_BYTES] {
        let mut sum = [0u64; SUM_WORDS];
        for (part, cofactor) in parts.iter().zip(&self.cofactors) {
            for (a, x) in part.iter().enumerate() {
                let mut carry = 0u128;
                for (b, y) in cofactor.iter().enumerate() {
                    let t = u128::from(*x) * u128::from(*y) + u128::from(sum[a + b]) + carry;
                    sum[a + b] = t as u64;
                    carry = t >> 64;
                }
                for word in &mut sum[a + COFACTOR_WORDS..] {
                    let t = u128::from(*word) + carry;
                    *word = t as u64;
                    carry = t >> 64;
                }
            }
        }
        // Below 4n: three masked subtractions leave it below n.
        for _ in 1..PRIMES {
            let mut diff = [0u64; SUM_WORDS];
            let mut borrow = 0u64;
            for ((d, a), b) in diff.iter_mut().zip(&sum).zip(&self.n) {
                let (v, under) = a.overflowing_sub(*b);
                let (v, under_again) = v.overflowing_sub(borrow);
                *d = v;
                borrow = u64::from(under | under_again);
            }
            let keep = borrow.wrapping_sub(1);
            for (s, d) in sum.iter_mut().zip(&diff) {
                *s = (d & keep) | (*s & !keep);
            }
        }
        let mut out = [0u8; MODULUS_BYTES];
        for (k, word) in sum[..N_WORDS].iter().enumerate() {
            let end = MODULUS_BYTES - 8 * k;
            out[end - 8..end].copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// A lane's canonical result (below 2^512) as 64-bit words, low first.
#[cfg(target_arch = "x86_64")]
pub(crate) fn lane_words(x: &lanes::Lanes, lane: usize) -> [u64; PART_WORDS] {
    let mut out = [0u64; PART_WORDS];
    for (j, row) in x.iter().enumerate() {
        let (w, s) = (52 * j / 64, 52 * j % 64);
        out[w] |= row[lane] << s;
        if s > 12 && w + 1 < PART_WORDS {
            out[w + 1] |= row[lane] >> (64 - s);
        }
    }
    out
}

/// x in `K` words, low first (x fits; set up once per key).
fn fixed<const K: usize>(x: &BigUint) -> [u64; K] {
    let mut out = [0u64; K];
    for (o, w) in out.iter_mut().zip(crate::words(x)) {
        *o = w;
    }
    out
}
