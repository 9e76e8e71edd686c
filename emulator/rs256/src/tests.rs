use num_bigint_dig::BigUint;
use rand::{Rng, SeedableRng};
use rsa::traits::PublicKeyParts;

use super::*;

fn rng() -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(7)
}

fn key() -> &'static FourPrimeKey {
    static KEY: std::sync::OnceLock<FourPrimeKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| FourPrimeKey::generate(&mut rng()))
}

fn messages() -> Vec<Vec<u8>> {
    let mut rng = rng();
    let mut out: Vec<Vec<u8>> = vec![Vec::new(), b"eyJhbGciOiJSUzI1NiJ9.e30".to_vec()];
    out.extend((0..7).map(|i| (0..i * 97).map(|_| rng.gen()).collect()));
    out
}

#[test]
fn generated_keys_are_four_distinct_primes_making_2048_bits() {
    let key = key();
    assert_eq!(key.n.bits(), 2048);
    assert_eq!(key.e, BigUint::from(65_537u32));
    for (i, p) in key.primes.iter().enumerate() {
        assert_eq!(p.bits(), 512);
        assert!(num_bigint_dig::prime::probably_prime(p, 20));
        assert!(key.primes[..i].iter().all(|q| q != p));
    }
    assert_eq!(key.primes.iter().product::<BigUint>(), key.n);
}

#[test]
fn signatures_are_the_rsa_crates_byte_for_byte_and_verify_with_aws_lc() {
    let key = key();
    let reference = rsa::RsaPrivateKey::from_components(
        key.n.clone(),
        key.e.clone(),
        key.d.clone(),
        key.primes.to_vec(),
    )
    .unwrap();
    let public_der = {
        use rsa::pkcs1::EncodeRsaPublicKey;
        reference.to_public_key().to_pkcs1_der().unwrap()
    };
    let verifier = aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        public_der.as_bytes(),
    );
    let messages = messages();
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    // Odd and even batch sizes: pairs share the lanes, a lone message fills them twice.
    for batch in [&refs[..1], &refs[..2], &refs[..], &refs[3..6]] {
        let signatures = key.sign(batch).unwrap();
        assert_eq!(signatures.len(), batch.len());
        for (message, signature) in batch.iter().zip(&signatures) {
            let expected = reference
                .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message))
                .unwrap();
            assert_eq!(*signature, expected);
            assert_eq!(signature.len(), MODULUS_BYTES);
            verifier.verify(message, signature).unwrap();
        }
    }
    assert_eq!(key.public_key().unwrap().n(), reference.n());
}

/// The key with its exponentiations on one of the portable multiplier's kernels.
fn portable(key: &FourPrimeKey, kernel: Multiplier) -> FourPrimeKey {
    key.on_portable(kernel).unwrap()
}

/// Both portable kernels (MULX/ADX where this CPU has it, plain Rust) sign exactly as the
/// production engine does, which the test above holds to the `rsa` crate's signatures.
#[test]
fn the_portable_signer_gives_the_same_signatures_with_every_kernel() {
    let key = key();
    let messages = messages();
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let expected = key.sign(&refs).unwrap();
    let kernels = [Some(Multiplier::generic()), Multiplier::mulx_adx()];
    for kernel in kernels.into_iter().flatten() {
        let signer = portable(key, kernel);
        assert!(!signer.is_accelerated());
        assert_eq!(signer.multiplier(), kernel.name());
        assert_eq!(signer.sign(&refs).unwrap(), expected, "{}", kernel.name());
    }
}

/// The portable signer's own check catches a fault in one CRT part, and a signature of another
/// message.
#[test]
fn the_portable_check_catches_a_wrong_signature() {
    let key = key();
    let Engine::Portable(kernel, engine) = &portable(key, Multiplier::fastest()).engine else {
        unreachable!("built portable")
    };
    let encoded = encode(b"message");
    let good = engine.sign(*kernel, &encoded);
    assert!(engine.verifies(*kernel, &good, &encoded));
    let faulty = (BigUint::from_bytes_be(&good) + &key.n / &key.primes[2]) % &key.n;
    let mut faulty_bytes = [0u8; MODULUS_BYTES];
    let be = faulty.to_bytes_be();
    faulty_bytes[MODULUS_BYTES - be.len()..].copy_from_slice(&be);
    assert!(!engine.verifies(*kernel, &faulty_bytes, &encoded));
    assert!(!engine.verifies(*kernel, &good, &encode(b"other")));
}

#[test]
fn pem_round_trips_and_refuses_inconsistent_or_other_keys() {
    let key = key();
    let pem = key.to_pkcs1_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let again = FourPrimeKey::from_pkcs1_pem(&pem).unwrap();
    assert_eq!(again.n, key.n);
    assert_eq!(again.d, key.d);
    assert_eq!(again.sign(&[b"x"]).unwrap(), key.sign(&[b"x"]).unwrap());

    // A file whose coefficient does not belong to its primes.
    let (_, der) = rsa::pkcs1::der::pem::decode_vec(pem.as_bytes()).unwrap();
    let mut document =
        <rsa::pkcs1::RsaPrivateKey as rsa::pkcs1::der::Decode>::from_der(&der).unwrap();
    let wrong = (&key.coefficients[0] + 2u8).to_bytes_be();
    document.coefficient = rsa::pkcs1::der::asn1::UintRef::new(&wrong).unwrap();
    let der = rsa::pkcs1::der::Encode::to_der(&document).unwrap();
    let tampered = rsa::pkcs1::der::pem::encode_string(
        "RSA PRIVATE KEY",
        rsa::pkcs1::der::pem::LineEnding::LF,
        &der,
    )
    .unwrap();
    assert!(matches!(
        FourPrimeKey::from_pkcs1_pem(&tampered),
        Err(Error::Inconsistent(_))
    ));

    // An ordinary two-prime key is somebody else's business.
    let two = {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        rsa::RsaPrivateKey::from_components(
            &key.primes[0] * &key.primes[1],
            key.e.clone(),
            (&key.e)
                .mod_inverse(&((&key.primes[0] - 1u8) * (&key.primes[1] - 1u8)))
                .and_then(|d| d.to_biguint())
                .unwrap(),
            key.primes[..2].to_vec(),
        )
        .unwrap()
        .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
        .unwrap()
    };
    assert!(matches!(
        FourPrimeKey::from_pkcs1_pem(&two),
        Err(Error::Format(_))
    ));
    assert!(matches!(
        FourPrimeKey::from_pkcs1_pem("not a key"),
        Err(Error::Format(_))
    ));
}

#[test]
fn from_primes_refuses_what_is_not_a_four_prime_2048_bit_key() {
    let key = key();
    let e = BigUint::from(65_537u32);
    assert!(FourPrimeKey::from_primes(key.primes[..3].to_vec(), e.clone()).is_err());
    let mut repeated = key.primes.to_vec();
    repeated[3] = repeated[2].clone();
    assert!(FourPrimeKey::from_primes(repeated, e.clone()).is_err());
    assert!(FourPrimeKey::from_primes(key.primes.to_vec(), BigUint::from(4u8)).is_err());
    // Four odd 512-bit numbers whose product has 2048 bits, one of them not prime.
    let mut composite = key.primes.to_vec();
    composite[1] = &composite[1] + 2u8;
    while num_bigint_dig::prime::probably_prime(&composite[1], 20) {
        composite[1] += 2u8;
    }
    assert!(matches!(
        FourPrimeKey::from_primes(composite, e.clone()),
        Err(Error::Inconsistent("a factor is not prime"))
    ));
    let mut small = key.primes.to_vec();
    small[0] = BigUint::from(65_537u32);
    assert!(FourPrimeKey::from_primes(small, e).is_err());
}

#[cfg(target_arch = "x86_64")]
mod on_lanes {
    use num_bigint_dig::RandBigInt;
    use num_traits::Zero;

    use super::*;

    fn ifma() -> Option<lanes::Ifma> {
        let found = lanes::Ifma::detect();
        if found.is_none() {
            eprintln!("this CPU has no AVX-512 IFMA: nothing to check here");
        }
        found
    }

    /// x below 2^2048 as 256 big-endian bytes.
    fn bytes(x: &BigUint) -> [u8; MODULUS_BYTES] {
        let be = x.to_bytes_be();
        let mut out = [0u8; MODULUS_BYTES];
        out[MODULUS_BYTES - be.len()..].copy_from_slice(&be);
        out
    }

    fn from_lane(x: &lanes::Lanes, lane: usize) -> BigUint {
        x.iter().rev().fold(BigUint::zero(), |acc, row| {
            (acc << 52) + BigUint::from(row[lane])
        })
    }

    /// The join against num-bigint-dig, for the largest parts and random ones.
    #[test]
    fn the_join_is_the_chinese_remainder_sum() {
        let mut rng = rng();
        let key = key();
        let cofactors = key.primes.clone().map(|p| &key.n / p);
        let join = join::Join::new(&key.n, &cofactors);
        for round in 0..50 {
            let parts: [BigUint; PRIMES] = std::array::from_fn(|i| match round {
                0 => &key.primes[i] - 1u8,
                1 => BigUint::zero(),
                _ => rng.gen_biguint(512) % &key.primes[i],
            });
            let expected = parts
                .iter()
                .zip(&cofactors)
                .fold(BigUint::zero(), |acc, (h, m)| acc + h * m)
                % &key.n;
            let lanes_of = to_lanes(|lane| parts[lane % PRIMES].clone());
            let words = std::array::from_fn(|i| join::lane_words(&lanes_of, i));
            assert_eq!(join.join(&words), bytes(&expected), "round {round}");
        }
    }

    /// Eight odd 512-bit moduli (the key's primes, then random ones) with 2048-bit bases and
    /// exponents at the edges, against num-bigint-dig's `modpow`.
    #[test]
    fn powers_match_num_bigint_dig_lane_by_lane() {
        let Some(ifma) = ifma() else { return };
        let mut rng = rng();
        let key = key();
        let top = (BigUint::one() << 2048) - 1u8;
        for round in 0..6 {
            let moduli: [BigUint; lanes::LANES] = std::array::from_fn(|lane| {
                if round == 0 {
                    key.primes[lane % PRIMES].clone()
                } else {
                    // The smallest and largest 512-bit odd numbers, then random ones.
                    match (round, lane) {
                        (1, 0) => (BigUint::one() << 511) + 1u8,
                        (1, 1) => (BigUint::one() << 512) - 1u8,
                        _ => rng.gen_biguint(512) | BigUint::one() | (BigUint::one() << 511),
                    }
                }
            });
            let bases: [BigUint; lanes::LANES] =
                std::array::from_fn(|lane| match (round + lane) % 5 {
                    0 => BigUint::zero(),
                    1 => &moduli[lane] - 1u8,
                    2 => BigUint::one(),
                    3 => top.clone(),
                    _ => rng.gen_biguint(2048),
                });
            let exponents: [BigUint; lanes::LANES] = std::array::from_fn(|lane| match lane {
                0 => BigUint::zero(),
                1 => BigUint::one(),
                2 => (BigUint::one() << 520) - 1u8,
                _ => rng.gen_biguint(520 - lane * 30),
            });
            let posts: [BigUint; lanes::LANES] =
                std::array::from_fn(|lane| rng.gen_biguint(600) % &moduli[lane]);
            let m = lanes::Moduli::new(|l| moduli[l].clone(), |l| posts[l].clone());
            let windows = exponent_windows(|l| &exponents[l]);
            // Lanes 0–3 read the first number, 4–7 the second: check with two rounds of
            // numbers, each put where the lane reads it.
            for half in 0..2 {
                let numbers: Vec<[u8; MODULUS_BYTES]> = (0..2)
                    .map(|s| bytes(&bases[(4 * s + half * 2) % lanes::LANES]))
                    .collect();
                let got = ifma.pow(&m, &wide(&numbers), &windows);
                for lane in 0..lanes::LANES {
                    let n = &moduli[lane];
                    let base = BigUint::from_bytes_be(&numbers[lane / PRIMES]);
                    let expected = (base.modpow(&exponents[lane], n) * &posts[lane]) % n;
                    assert_eq!(from_lane(&got, lane), expected, "round {round} lane {lane}");
                }
                let e = BigUint::from(65_537u32);
                let powers: Vec<[u8; MODULUS_BYTES]> = (0..2)
                    .map(|s| {
                        let base = BigUint::from_bytes_be(&numbers[s]);
                        // Congruent to base^e modulo every lane's modulus of that half.
                        let n: BigUint = moduli[4 * s..4 * s + 4].iter().product();
                        bytes(&(base.modpow(&e, &n)))
                    })
                    .collect();
                assert!(ifma.pow_matches(&m, &wide(&numbers), 65_537, &wide(&powers)));
                let off = BigUint::from_bytes_be(&powers[1]) + 1u8;
                let wrong = [powers[0], bytes(&off)];
                assert!(!ifma.pow_matches(&m, &wide(&numbers), 65_537, &wide(&wrong)));
            }
        }
    }

    #[test]
    fn a_wrong_signature_is_caught_by_the_check() {
        let Some(ifma) = ifma() else { return };
        let key = key();
        let Engine::Lanes(_, lane_key) = &key.engine else {
            assert!(!accelerated(), "IFMA signs, but the key does not use it");
            eprintln!("{MULTIPLIER_ENV} forces the portable path: keys do not use the lanes");
            return;
        };
        let messages = wide(&[encode(b"message")]);
        let good = key.sign(&[b"message"]).unwrap().remove(0);
        let good: [u8; MODULUS_BYTES] = good.try_into().unwrap();
        assert!(key.check(ifma, lane_key, &messages, &[good]).is_ok());
        // A fault in one CRT part: right modulo three primes, wrong modulo the third.
        let faulty = (BigUint::from_bytes_be(&good) + &key.n / &key.primes[2]) % &key.n;
        assert!(matches!(
            key.check(ifma, lane_key, &messages, &[bytes(&faulty)]),
            Err(Error::Fault)
        ));
    }
}

mod pair {
    use crate::{FourPrimeKey, FourPrimePair};
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    use sha2::Sha256;

    /// Two keys signing together give each key's own signatures, which another implementation
    /// (RustCrypto's `rsa`) verifies with only the public keys; swapped keys are caught.
    #[test]
    fn a_pair_signs_as_each_key_alone() {
        let mut rng = rand::thread_rng();
        let (a, b) = (
            FourPrimeKey::generate(&mut rng),
            FourPrimeKey::generate(&mut rng),
        );
        let pair = FourPrimePair::new(&a, &b);
        for (m1, m2) in [(&b"id.payload"[..], &b"access.payload"[..]), (b"", b"x")] {
            let [sa, sb] = pair.sign(&a, &b, m1, m2).unwrap();
            assert_eq!(sa, a.sign(&[m1]).unwrap()[0]);
            assert_eq!(sb, b.sign(&[m2]).unwrap()[0]);
            let verify = |key: &FourPrimeKey, m: &[u8], s: &[u8]| {
                let public = VerifyingKey::<Sha256>::new(key.public_key().unwrap());
                public.verify(m, &Signature::try_from(s).unwrap()).is_ok()
            };
            assert!(verify(&a, m1, &sa) && verify(&b, m2, &sb));
            assert!(!verify(&b, m1, &sa));
        }
        if a.is_accelerated() {
            assert!(
                pair.sign(&b, &a, b"m1", b"m2").is_err(),
                "keys other than the pair's"
            );
        }
    }
}
