//! The multipliers against num-bigint at every boundary, masked reads, and the step counts of
//! secret powers.

use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::*;

/// Deterministic pseudo-random numbers of a given bit length (SHA-256 in counter mode).
pub(crate) fn number(seed: &str, bits: usize) -> BigUint {
    let mut bytes = Vec::new();
    let mut counter = 0u32;
    while bytes.len() * 8 < bits {
        bytes.extend_from_slice(&Sha256::digest(format!("{seed}/{counter}")));
        counter += 1;
    }
    let x = BigUint::from_bytes_be(&bytes);
    let excess = bytes.len() * 8 - bits;
    (x >> excess) | (BigUint::from(1u8) << (bits - 1))
}

fn reference(base: &BigUint, e: &BigUint) -> BigUint {
    base.modpow(e, &group().n)
}

/// Every multiplier this CPU runs (the generic one everywhere).
fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::generic()];
    if Backend::portable() != Backend::generic() {
        all.push(Backend::portable());
    } else {
        eprintln!("this CPU has no BMI2/ADX: the portable path is the generic one");
    }
    match Backend::avx512_ifma() {
        Some(ifma) => all.push(ifma),
        None => eprintln!("this CPU has no AVX-512 IFMA: only the portable path is checked"),
    }
    all
}

/// g^e by the windowed path, the one taken until a comb is built.
fn windowed_g(backend: Backend, e: &BigUint) -> BigUint {
    let g = &group().g;
    let bits = Bits::of(e);
    match backend.0 {
        Kind::Portable(p) => p.leave(&window_pow(p, &p.enter(g), &bits)),
        #[cfg(target_arch = "x86_64")]
        Kind::Ifma(token) => token.leave(&window_pow(token, &token.enter(g), &bits)),
    }
}

#[test]
fn the_active_backend_is_the_one_asked_for_or_the_fastest() {
    let expected = match std::env::var(MULTIPLIER_ENV).as_deref() {
        Ok("portable") => Backend::portable(),
        Ok("generic") => Backend::generic(),
        _ => Backend::avx512_ifma().unwrap_or_else(Backend::portable),
    };
    assert_eq!(Backend::active(), expected);
    eprintln!("active multiplier: {}", Backend::active().name());
    assert!(["generic", "mulx-adx", "avx512-ifma"].contains(&Backend::active().name()));
}

#[test]
fn powers_of_g_match_num_bigint_at_every_comb_boundary() {
    let g = &group().g;
    for backend in backends() {
        let name = backend.name();
        for bits in [1, 200, 256, 257, 1024, 1032] {
            let e = number(&format!("w{bits}"), bits);
            let windowed = windowed_g(backend, &e);
            assert_eq!(windowed, reference(g, &e), "{name}, windowed, {bits} bits");
        }
        backend.precompute();
        for bits in [
            1, 2, 63, 64, 65, 255, 256, 257, 264, 265, 1000, 1024, 1032, 1033, 2048, 3072, 4000,
        ] {
            let e = number(&format!("e{bits}"), bits);
            assert_eq!(backend.pow_g(&e), reference(g, &e), "{name}, {bits} bits");
        }
        assert_eq!(backend.pow_g(&BigUint::default()), BigUint::from(1u8));
    }
}

#[test]
fn variable_base_powers_match_num_bigint() {
    let n = &group().n;
    let bases = [
        BigUint::default(),
        BigUint::from(1u8),
        BigUint::from(2u8),
        n - 1u8,
        n.clone(),
        n + 5u8,
        number("b", 3072),
        number("c", 4096),
    ];
    for backend in backends() {
        let name = backend.name();
        for (i, base) in bases.iter().enumerate() {
            for bits in [1, 5, 6, 256, 1300, 3072] {
                let e = number(&format!("f{i}/{bits}"), bits);
                assert_eq!(
                    backend.pow(base, &e),
                    reference(base, &e),
                    "{name}, base {i}, {bits} bits"
                );
            }
            assert_eq!(backend.pow(base, &BigUint::default()), BigUint::from(1u8));
        }
    }
}

#[test]
fn secret_powers_match_num_bigint_however_short_the_exponent() {
    let g = &group().g;
    let base = number("base", 3072) % &group().n;
    for backend in backends() {
        let name = backend.name();
        for (declared, bits) in [
            (256, 1),
            (256, 200),
            (258, 258),
            (264, 264),
            (1032, 1032),
            (1024, 3),
            (1024, 1000),
            (1537, 1537),
            (3072, 64),
        ] {
            let e = number(&format!("s{declared}/{bits}"), bits);
            assert_eq!(
                backend.pow_g_secret(&e, declared),
                reference(g, &e),
                "{name} g^e {bits}/{declared}"
            );
            assert_eq!(
                backend.pow_secret(&base, &e, declared),
                reference(&base, &e),
                "{name} b^e {bits}/{declared}"
            );
        }
        assert_eq!(
            backend.pow_secret(&base, &BigUint::default(), 256),
            BigUint::from(1u8)
        );
    }
}

#[test]
fn masked_reads_find_every_entry() {
    let table: Vec<[u64; 3]> = (0..37u64).map(|i| [i, i * 7, !i]).collect();
    for (i, entry) in table.iter().enumerate() {
        assert_eq!(select(&table, i), *entry);
    }
}

static PRODUCTS: AtomicUsize = AtomicUsize::new(0);

/// The portable arithmetic (fastest kernel), counting products and squares.
#[derive(Clone, Copy)]
struct Counting;

impl Arith for Counting {
    type Elem = <portable::Portable as Arith>::Elem;
    fn one(self) -> Self::Elem {
        portable::Portable(cognito_montgomery::Multiplier::fastest()).one()
    }
    fn enter(self, x: &BigUint) -> Self::Elem {
        portable::Portable(cognito_montgomery::Multiplier::fastest()).enter(x)
    }
    fn leave(self, x: &Self::Elem) -> BigUint {
        portable::Portable(cognito_montgomery::Multiplier::fastest()).leave(x)
    }
    fn mul(self, a: &Self::Elem, b: &Self::Elem) -> Self::Elem {
        PRODUCTS.fetch_add(1, Ordering::Relaxed);
        portable::Portable(cognito_montgomery::Multiplier::fastest()).mul(a, b)
    }
    fn sqr(self, a: &Self::Elem) -> Self::Elem {
        PRODUCTS.fetch_add(1, Ordering::Relaxed);
        portable::Portable(cognito_montgomery::Multiplier::fastest()).sqr(a)
    }
}

fn products(f: impl FnOnce()) -> usize {
    let before = PRODUCTS.load(Ordering::Relaxed);
    f();
    PRODUCTS.load(Ordering::Relaxed) - before
}

/// The step count of a secret power depends on the declared length only: an exponent of
/// one, a full-length one and a random one take the same number of products and squares,
/// by comb and by window.
#[test]
fn secret_exponents_take_the_same_steps_whatever_their_value() {
    let (small, large) = (Comb::build(Counting, SMALL), Comb::build(Counting, LARGE));
    let base = Counting.enter(&number("base", 3000));
    for declared in [256, 1024, 1537] {
        let exponents = [
            BigUint::from(1u8),
            BigUint::from(1u8) << (declared - 1),
            number(&format!("r{declared}"), declared - 9),
        ];
        let windowed: Vec<usize> = exponents
            .iter()
            .map(|e| {
                products(|| {
                    let _ = window_pow(Counting, &base, &Bits::fixed(e, declared));
                })
            })
            .collect();
        assert!(
            windowed.iter().all(|&n| n == windowed[0]),
            "{declared}: {windowed:?}"
        );
        assert_eq!(
            windowed[0],
            30 + (declared.div_ceil(WINDOW) - 1) * (WINDOW + 1)
        );
        let comb = if declared <= SMALL.max_bits() {
            &small
        } else {
            &large
        };
        if declared <= LARGE.max_bits() {
            let combed: Vec<usize> = exponents
                .iter()
                .map(|e| {
                    products(|| {
                        let _ = comb.pow(Counting, &Bits::fixed(e, declared));
                    })
                })
                .collect();
            let steps = comb.cols - 1 + comb.tables.len() * comb.cols - 1;
            assert!(combed.iter().all(|&n| n == steps), "{declared}: {combed:?}");
        }
    }
}

/// `Backend::run` puts its multiplier behind the free functions on this thread only, and puts
/// the previous one back afterwards, also when the closure panics.
#[test]
fn run_chooses_the_multiplier_for_this_thread_and_restores_it() {
    let active = Backend::active();
    assert_eq!(current(), active);
    Backend::generic().run(|| {
        assert_eq!(current(), Backend::generic());
        Backend::portable().run(|| assert_eq!(current(), Backend::portable()));
        assert_eq!(current(), Backend::generic());
        let elsewhere = std::thread::spawn(current).join().expect("no panic");
        assert_eq!(elsewhere, active);
    });
    assert_eq!(current(), active);
    let panicked = std::panic::catch_unwind(|| Backend::generic().run(|| panic!("inside")));
    assert!(panicked.is_err());
    assert_eq!(current(), active);
    let e = number("run", 300);
    let expected = reference(&group().g, &e);
    assert_eq!(Backend::generic().run(|| pow_g(&e)), expected);
}
