//! Both kernels against num-bigint: moduli of every size the workspace uses and some it does
//! not, at the edges (0, 1, n − 1; moduli just below R and just above R/2; all-ones limbs).

use num_bigint::BigUint;
use sha2::{Digest, Sha256};

use super::*;

/// Deterministic pseudo-random numbers of `bits` bits (SHA-256 in counter mode).
fn number(seed: &str, bits: usize) -> BigUint {
    let mut bytes = Vec::new();
    let mut counter = 0u32;
    while bytes.len() * 8 < bits {
        bytes.extend_from_slice(&Sha256::digest(format!("{seed}/{counter}")));
        counter += 1;
    }
    BigUint::from_bytes_be(&bytes) >> (bytes.len() * 8 - bits)
}

fn limbs<const N: usize>(x: &BigUint) -> [u64; N] {
    let mut out = [0u64; N];
    for (slot, digit) in out.iter_mut().zip(x.iter_u64_digits()) {
        *slot = digit;
    }
    out
}

fn big<const N: usize>(x: &[u64; N]) -> BigUint {
    let mut words = Vec::with_capacity(2 * N);
    for d in x {
        words.push(*d as u32);
        words.push((*d >> 32) as u32);
    }
    BigUint::new(words)
}

fn multipliers() -> Vec<Multiplier> {
    let mut all = vec![Multiplier::generic()];
    match Multiplier::mulx_adx() {
        Some(adx) => all.push(adx),
        None => eprintln!("this CPU has no BMI2/ADX: only the generic kernel is checked"),
    }
    all
}

/// Products and squares of edge values and random ones modulo `n`, every kernel, against
/// a·b·R⁻¹ mod n computed by num-bigint.
fn check<const N: usize>(n: &BigUint, label: &str) {
    let modulus = Modulus::<N>::new(limbs(n)).expect("odd modulus");
    let r = BigUint::from(1u8) << (64 * N);
    let r_inv = r.modinv(n).expect("R is invertible modulo an odd n");
    let one = BigUint::from(1u8);
    let mut values = vec![BigUint::ZERO, one.clone(), n - 1u8, n - 2u8, n >> 1];
    for i in 0..12 {
        values.push(number(&format!("{label}/{i}"), 64 * N) % n);
    }
    for multiplier in multipliers() {
        for (i, x) in values.iter().enumerate() {
            let xl = limbs::<N>(x);
            let square = multiplier.sqr(&xl, &modulus);
            assert_eq!(
                big(&square),
                (x * x * &r_inv) % n,
                "{label}: {} sqr #{i}",
                multiplier.name()
            );
            for (j, y) in values.iter().enumerate().skip(i) {
                let product = multiplier.mul(&xl, &limbs(y), &modulus);
                assert_eq!(
                    big(&product),
                    (x * y * &r_inv) % n,
                    "{label}: {} mul #{i} #{j}",
                    multiplier.name()
                );
            }
        }
    }
}

/// Moduli of `N` limbs: random odd ones with the top bit set, the largest (R − 1), the smallest
/// with the top bit set (R/2 + 1), and limbs of all ones under a low limb of 1.
fn moduli<const N: usize>() {
    let bits = 64 * N;
    let r = BigUint::from(1u8) << bits;
    let mut all = vec![&r - 1u8, (&r >> 1) + 1u8];
    if N > 1 {
        all.push((&r - 1u8) - BigUint::from(u64::MAX - 1));
    }
    for i in 0..4 {
        all.push(
            number(&format!("modulus {N}/{i}"), bits)
                | (BigUint::from(1u8) << (bits - 1))
                | BigUint::from(1u8),
        );
    }
    // A modulus well below R, as RS256's primes may be (at most 512 bits in 8 limbs).
    all.push(number(&format!("short {N}"), bits - 3) | BigUint::from(1u8));
    for (i, n) in all.iter().enumerate() {
        check::<N>(n, &format!("{N} limbs, modulus #{i}"));
    }
}

#[test]
fn products_and_squares_match_num_bigint_for_every_size_used() {
    moduli::<8>();
    moduli::<48>();
}

#[test]
fn products_and_squares_match_num_bigint_for_small_and_odd_sizes() {
    moduli::<1>();
    moduli::<2>();
    moduli::<3>();
    moduli::<4>();
    moduli::<6>();
    moduli::<12>();
    moduli::<16>();
    moduli::<20>();
    moduli::<24>();
    moduli::<32>();
}

#[test]
fn even_moduli_are_refused() {
    assert!(Modulus::new([2u64, 1]).is_none());
    assert!(Modulus::<0>::new([]).is_none());
    assert!(Modulus::new([3u64]).is_some());
}

#[test]
fn reduce_once_and_add_stay_below_n() {
    let n = Modulus::new([u64::MAX - 158, u64::MAX]).expect("odd");
    let top = [u64::MAX - 159, u64::MAX];
    assert_eq!(n.add(&top, &[1, 0]), [0, 0]);
    assert_eq!(n.add(&top, &top), [u64::MAX - 160, u64::MAX]);
    let mut x = [5, 0];
    n.reduce_once(&mut x, 1);
    assert_eq!(x, [164, 0]);
}

/// `Work8` squares and multiplies in place as num-bigint says, step after step of a chain (each
/// step starts from the block the one before left), on every kernel and at the edges.
#[test]
fn work8_chains_match_num_bigint() {
    let r: BigUint = BigUint::from(1u8) << 512;
    let r_inv_of = |n: &BigUint| r.modinv(n).expect("R is invertible modulo an odd n");
    let moduli = [
        &r - 1u8,
        (&r >> 1) + 1u8,
        number("work8 modulus", 512) | (BigUint::from(1u8) << 511) | BigUint::from(1u8),
        number("work8 short", 509) | BigUint::from(1u8),
    ];
    for n in &moduli {
        let modulus = Modulus::<8>::new(limbs(n)).expect("odd modulus");
        let r_inv = r_inv_of(n);
        for multiplier in multipliers() {
            let mut expected = n - 1u8;
            let mut w = Work8::new(&modulus, &limbs(&expected));
            for step in 0..40 {
                if step % 3 == 2 {
                    let b = if step == 5 {
                        n - 1u8
                    } else {
                        number(&format!("work8 b{step}"), 512) % n
                    };
                    *w.operand() = limbs(&b);
                    w.multiply(multiplier);
                    expected = (&expected * &b * &r_inv) % n;
                } else {
                    w.square(multiplier);
                    expected = (&expected * &expected * &r_inv) % n;
                }
                assert_eq!(
                    big(w.value()),
                    expected,
                    "{} step {step} modulo {n:x}",
                    multiplier.name()
                );
            }
        }
    }
}
