//! Four-prime keys as multi-prime PKCS#1 (RFC 8017 appendix A.1.2: version 1, the third and
//! fourth primes in `otherPrimeInfos`), PEM-armoured as `RSA PRIVATE KEY`, which is what
//! OpenSSL writes and reads for such keys. Reading also takes the same key wrapped in
//! unencrypted PKCS#8 (`PRIVATE KEY`). Reading rebuilds the key from its primes and e and
//! refuses a file whose other numbers disagree with them.

use num_bigint_dig::BigUint;
use num_traits::One;
use rsa::pkcs1::der::{self, pem::LineEnding, Decode, Encode};
use rsa::pkcs1::{OtherPrimeInfo, RsaPrivateKey};
use rsa::pkcs8;

use crate::{Error, FourPrimeKey, PRIMES};

const LABEL: &str = "RSA PRIVATE KEY";
const PKCS8_LABEL: &str = "PRIVATE KEY";

fn uint(bytes: &[u8]) -> Result<der::asn1::UintRef<'_>, Error> {
    der::asn1::UintRef::new(bytes).map_err(|e| Error::Format(e.to_string()))
}

pub(crate) fn encode(key: &FourPrimeKey) -> Result<String, Error> {
    let be = |x: &BigUint| x.to_bytes_be();
    let n = be(&key.n);
    let e = be(&key.e);
    let d = be(&key.d);
    let primes = key.primes.clone().map(|p| be(&p));
    let exponents = key.exponents.clone().map(|x| be(&x));
    let coefficients = key.coefficients.clone().map(|x| be(&x));
    let other = (2..PRIMES)
        .map(|i| {
            Ok(OtherPrimeInfo {
                prime: uint(&primes[i])?,
                exponent: uint(&exponents[i])?,
                coefficient: uint(&coefficients[i])?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let document = RsaPrivateKey {
        modulus: uint(&n)?,
        public_exponent: uint(&e)?,
        private_exponent: uint(&d)?,
        prime1: uint(&primes[0])?,
        prime2: uint(&primes[1])?,
        exponent1: uint(&exponents[0])?,
        exponent2: uint(&exponents[1])?,
        coefficient: uint(&coefficients[0])?,
        other_prime_infos: Some(other),
    };
    let der = document
        .to_der()
        .map_err(|e| Error::Format(e.to_string()))?;
    der::pem::encode_string(LABEL, LineEnding::LF, &der).map_err(|e| Error::Format(e.to_string()))
}

pub(crate) fn decode(pem: &str) -> Result<FourPrimeKey, Error> {
    let format = |e: &dyn std::fmt::Display| Error::Format(e.to_string());
    let (label, der) = der::pem::decode_vec(pem.trim().as_bytes()).map_err(|e| format(&e))?;
    let pkcs1 = match label {
        LABEL => der.as_slice(),
        // PKCS#8 wraps the same PKCS#1 structure (`openssl pkcs8 -topk8 -nocrypt` writes it).
        PKCS8_LABEL => {
            let info = pkcs8::PrivateKeyInfo::try_from(der.as_slice()).map_err(|e| format(&e))?;
            if info.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
                return Err(Error::Format(format!(
                    "a {} key, not RSA",
                    info.algorithm.oid
                )));
            }
            info.private_key
        }
        other => {
            return Err(Error::Format(format!(
                "a PEM labelled {other:?}, not {LABEL:?} or {PKCS8_LABEL:?}"
            )))
        }
    };
    let document = RsaPrivateKey::from_der(pkcs1).map_err(|e| format(&e))?;
    let other = document.other_prime_infos.as_deref().unwrap_or_default();
    if other.len() != PRIMES - 2 {
        return Err(Error::Format(format!(
            "{} primes, not {PRIMES}",
            2 + other.len()
        )));
    }
    let num = |x: der::asn1::UintRef<'_>| BigUint::from_bytes_be(x.as_bytes());
    let mut primes = vec![num(document.prime1), num(document.prime2)];
    primes.extend(other.iter().map(|info| num(info.prime)));
    let key = FourPrimeKey::from_primes(primes, num(document.public_exponent))?;

    let mut exponents = vec![num(document.exponent1), num(document.exponent2)];
    exponents.extend(other.iter().map(|info| num(info.exponent)));
    let mut coefficients = vec![num(document.coefficient), key.coefficients[1].clone()];
    coefficients.extend(other.iter().map(|info| num(info.coefficient)));
    let d = num(document.private_exponent);
    let d_fits = key
        .primes
        .iter()
        .all(|p| ((&key.e * &d) % (p - 1u8)).is_one());
    if num(document.modulus) != key.n
        || !d_fits
        || exponents != key.exponents
        || coefficients != key.coefficients
    {
        return Err(Error::Inconsistent(
            "the stored modulus, exponents or coefficients do not match the primes",
        ));
    }
    Ok(key)
}
