//! RS256 signing (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017) with four-prime RSA-2048 keys, for
//! an emulator that signs two JWTs on every sign-in.
//!
//! A verifier sees an ordinary RSA-2048 public key (n, e = 65537); how many primes make up n is
//! the signer's business (RFC 8017 §3.2 allows more than two). Four primes of 512 bits make the
//! private-key operation four exponentiations with 512-bit exponents modulo 512-bit primes
//! instead of two of 1024 bits: about a quarter of the arithmetic. On x86-64 CPUs with
//! AVX-512 IFMA, [`FourPrimeKey::sign`] runs the four exponentiations of two messages at once,
//! one per 64-bit lane (`lanes`). Elsewhere it runs them one after another on
//! `cognito-montgomery`'s 8-limb products (`portable`: MULX/ADCX/ADOX on x86-64 CPUs with BMI2
//! and ADX, plain Rust elsewhere). Either way each message's four results are joined with the
//! Chinese remainder theorem (`join`).
//!
//! Every signature is checked before it is returned: s^e must equal the encoded message modulo
//! each prime, so a fault in the computation cannot hand out a signature that gives a prime
//! away.
//!
//! Timing: on both paths, signing is constant-time from the encoded message to the signature:
//! reducing the message modulo each prime and the exponentiations (fixed windows, masked table
//! reads; see `lanes` and `portable`), and the join (fixed-width words, masked subtractions; see
//! `join`). There is no blinding, as there need not be when nothing depends on the secret. The
//! key's setup (parsing, CRT values) uses num-bigint-dig and is not constant-time; it runs once
//! per key.
//!
//! ```
//! use cognito_rs256::FourPrimeKey;
//!
//! let key = FourPrimeKey::generate(&mut rand::thread_rng());
//! let signatures = key.sign(&[b"header.payload", b"other.payload"])?;
//! assert_eq!(signatures.len(), 2);
//! assert_eq!(signatures[0].len(), 256);
//! let again = FourPrimeKey::from_pkcs1_pem(&key.to_pkcs1_pem()?)?;
//! assert_eq!(again.sign(&[b"header.payload"])?[0], signatures[0]);
//! # Ok::<(), cognito_rs256::Error>(())
//! ```

mod join;
#[cfg(target_arch = "x86_64")]
mod lanes;
mod pem;
mod portable;

/// The portable multiplier's kernels (`cognito-montgomery`), for [`FourPrimeKey::on_portable`].
pub use cognito_montgomery::Multiplier;

use num_bigint_dig::prime::probably_prime;
use num_bigint_dig::{BigUint, ModInverse, RandPrime};
use num_integer::Integer;
use num_traits::One;
use sha2::{Digest, Sha256};

/// The modulus size: 2048 bits, 256 bytes.
pub const MODULUS_BYTES: usize = 256;
/// The number of primes.
pub const PRIMES: usize = 4;
const PRIME_BITS: usize = 512;
const PUBLIC_EXPONENT: u64 = 65_537;
/// DER of DigestInfo for SHA-256 up to the digest (RFC 8017 §9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Why a key could not be used or made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The PEM or DER could not be read, or holds another kind of key.
    #[error("not a four-prime RSA-2048 private key: {0}")]
    Format(String),
    /// The numbers do not make a consistent four-prime RSA-2048 key.
    #[error("inconsistent RSA key: {0}")]
    Inconsistent(&'static str),
    /// A signature failed its check against the public key and was not returned.
    #[error(
        "an RSA signature failed its own check (a fault in the computation); none was returned"
    )]
    Fault,
    /// The `rsa` crate, which holds the public key ([`FourPrimeKey::public_key`]), refused
    /// it.
    #[error("the rsa crate failed: {0}")]
    Rsa(#[from] rsa::Error),
}

/// Whether this CPU signs on AVX-512 IFMA lanes (otherwise the portable multiplier signs).
///
/// ```
/// println!("four-prime signing accelerated: {}", cognito_rs256::accelerated());
/// ```
pub fn accelerated() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        production_lanes().is_some()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = wanted();
        false
    }
}

/// The environment variable that picks the multiplier, shared with the SRP code
/// (`cognito_protocol::modexp::MULTIPLIER_ENV`): `auto` (default), `portable` (sign on the
/// portable multiplier even on IFMA CPUs: MULX/ADX where the CPU has it), `generic` (the
/// portable multiplier's plain-Rust kernel) or `ifma` (panic where the CPU lacks it).
pub const MULTIPLIER_ENV: &str = "COGNITO_MULTIPLIER";

/// What the environment asks for. Read once per process; any other value panics, as in
/// `cognito_protocol::modexp::Backend::active` (a run must not pass on a path it did not ask for).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wanted {
    Fastest,
    Portable,
    Generic,
    Ifma,
}

#[allow(clippy::panic)]
fn wanted() -> Wanted {
    static WANTED: std::sync::OnceLock<Wanted> = std::sync::OnceLock::new();
    *WANTED.get_or_init(
        || match std::env::var(MULTIPLIER_ENV).unwrap_or_default().trim() {
            "" | "auto" => Wanted::Fastest,
            "portable" => Wanted::Portable,
            "generic" => Wanted::Generic,
            "ifma" => Wanted::Ifma,
            other => panic!("{MULTIPLIER_ENV}={other:?}: expected auto, portable, generic or ifma"),
        },
    )
}

/// The kernel the portable path signs with: plain Rust when the environment asks for
/// `generic`, the fastest this CPU runs otherwise.
fn portable_multiplier() -> Multiplier {
    match wanted() {
        Wanted::Generic => Multiplier::generic(),
        _ => Multiplier::fastest(),
    }
}

/// The IFMA lanes production signing uses: none when the environment forces the portable
/// path; a panic when it demands IFMA on a CPU without it.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::panic)]
fn production_lanes() -> Option<lanes::Ifma> {
    match wanted() {
        Wanted::Portable | Wanted::Generic => None,
        Wanted::Ifma => {
            Some(lanes::Ifma::detect().unwrap_or_else(|| {
                panic!("{MULTIPLIER_ENV}=ifma, but this CPU lacks AVX-512 IFMA")
            }))
        }
        Wanted::Fastest => lanes::Ifma::detect(),
    }
}

/// A four-prime RSA-2048 private key (e = 65537 when generated here), ready to sign.
pub struct FourPrimeKey {
    n: BigUint,
    e: BigUint,
    d: BigUint,
    /// r₁..r₄ in PKCS#1 order (r₁ = p, r₂ = q).
    primes: [BigUint; PRIMES],
    /// dᵢ = d mod (rᵢ − 1).
    exponents: [BigUint; PRIMES],
    /// The CRT coefficients PKCS#1 stores: [0] is qInv = r₂⁻¹ mod r₁; [i] for i ≥ 2 is
    /// (r₁…rᵢ)⁻¹ mod rᵢ₊₁; [1] is unused (zero).
    coefficients: [BigUint; PRIMES],
    engine: Engine,
}

impl std::fmt::Debug for FourPrimeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FourPrimeKey")
            .field("n_bits", &self.n.bits())
            .field("accelerated", &self.is_accelerated())
            .finish_non_exhaustive()
    }
}

enum Engine {
    #[cfg(target_arch = "x86_64")]
    Lanes(lanes::Ifma, Box<LaneKey>),
    Portable(Multiplier, Box<portable::PortableKey>),
}

/// The key laid out for the lanes: lane 4s + i works on message s modulo prime i.
#[cfg(target_arch = "x86_64")]
struct LaneKey {
    /// The primes, with Mᵢ⁻¹ mod rᵢ (Mᵢ = n / rᵢ) as the factor every result is multiplied by.
    moduli: lanes::Moduli,
    windows: [[u64; lanes::LANES]; lanes::WINDOWS],
    /// n and Mᵢ = n / rᵢ, for the last step.
    join: join::Join,
    /// The public exponent, for the check (below 2^64, as `from_primes` requires).
    e: u64,
}

/// The private parts are overwritten with zeros when the key is dropped (the engines' tables
/// hold the primes too: the lanes' are cleared here, the portable key clears its own).
impl Drop for FourPrimeKey {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        self.d.zeroize();
        for x in self
            .primes
            .iter_mut()
            .chain(self.exponents.iter_mut())
            .chain(self.coefficients.iter_mut())
        {
            x.zeroize();
        }
        #[cfg(target_arch = "x86_64")]
        if let Engine::Lanes(_, key) = &mut self.engine {
            key.windows.zeroize();
            key.moduli.wipe();
        }
    }
}

impl FourPrimeKey {
    /// A new key: four random 512-bit primes whose product has exactly 2048 bits, e = 65537.
    pub fn generate<R: rand::Rng + ?Sized>(rng: &mut R) -> FourPrimeKey {
        let e = BigUint::from(PUBLIC_EXPONENT);
        loop {
            let mut primes: Vec<BigUint> = Vec::with_capacity(PRIMES);
            while primes.len() < PRIMES {
                let p: BigUint = rng.gen_prime(PRIME_BITS);
                let coprime = (&p - 1u8).gcd(&e).is_one();
                if coprime && !primes.contains(&p) {
                    primes.push(p);
                }
            }
            let n: BigUint = primes.iter().product();
            if n.bits() != 8 * MODULUS_BYTES {
                continue;
            }
            // Only an inconsistent set of primes fails, and these are distinct primes coprime
            // to e: a failure here means a bug, so try again rather than give up.
            if let Ok(key) = Self::from_tested_primes(primes, e.clone()) {
                return key;
            }
        }
    }

    /// The key made of these four primes (any order is kept as given) and public exponent.
    pub fn from_primes(primes: Vec<BigUint>, e: BigUint) -> Result<FourPrimeKey, Error> {
        if !primes.iter().all(|p| probably_prime(p, 20)) {
            return Err(Error::Inconsistent("a factor is not prime"));
        }
        Self::from_tested_primes(primes, e)
    }

    /// [`FourPrimeKey::from_primes`] for numbers already found prime (as `generate`'s are).
    fn from_tested_primes(primes: Vec<BigUint>, e: BigUint) -> Result<FourPrimeKey, Error> {
        let primes: [BigUint; PRIMES] = primes
            .try_into()
            .map_err(|_| Error::Inconsistent("a four-prime key needs exactly four primes"))?;
        if primes
            .iter()
            .any(|p| p.bits() > PRIME_BITS || p.is_even() || *p <= BigUint::from(3u8))
        {
            return Err(Error::Inconsistent(
                "each prime must be odd and at most 512 bits",
            ));
        }
        let n: BigUint = primes.iter().product();
        if n.bits() != 8 * MODULUS_BYTES {
            return Err(Error::Inconsistent(
                "the modulus must have exactly 2048 bits",
            ));
        }
        if e < BigUint::from(3u8) || e.is_even() || e.bits() > 64 {
            return Err(Error::Inconsistent(
                "the public exponent must be odd, at least 3, below 2^64",
            ));
        }
        let lambda = primes
            .iter()
            .fold(BigUint::one(), |acc, p| acc.lcm(&(p - 1u8)));
        let d = (&e)
            .mod_inverse(&lambda)
            .and_then(|d| d.to_biguint())
            .ok_or(Error::Inconsistent("e is not invertible modulo λ(n)"))?;
        let exponents = primes.clone().map(|p| &d % (p - 1u8));
        let mut coefficients: [BigUint; PRIMES] = Default::default();
        coefficients[0] = inverse(&primes[1], &primes[0])?;
        let mut product = &primes[0] * &primes[1];
        for i in 2..PRIMES {
            coefficients[i] = inverse(&product, &primes[i])?;
            product *= &primes[i];
        }
        let engine = Engine::new(&n, &e, &primes, &exponents)?;
        Ok(FourPrimeKey {
            n,
            e,
            d,
            primes,
            exponents,
            coefficients,
            engine,
        })
    }

    /// Reads a multi-prime PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`, version 1 with
    /// `otherPrimeInfos`) of four primes, or the same wrapped in unencrypted PKCS#8
    /// (`BEGIN PRIVATE KEY`). The key is rebuilt from its primes and e, and the stored modulus,
    /// d and CRT values must agree with them.
    pub fn from_pkcs1_pem(pem: &str) -> Result<FourPrimeKey, Error> {
        pem::decode(pem)
    }

    /// The key as a multi-prime PKCS#1 PEM, which OpenSSL reads (`openssl rsa -text`).
    pub fn to_pkcs1_pem(&self) -> Result<String, Error> {
        pem::encode(self)
    }

    /// The modulus n, big-endian, 256 bytes.
    pub fn modulus_be(&self) -> Vec<u8> {
        self.n.to_bytes_be()
    }

    /// The public exponent e, big-endian.
    pub fn public_exponent_be(&self) -> Vec<u8> {
        self.e.to_bytes_be()
    }

    /// The public key as the `rsa` crate's type.
    pub fn public_key(&self) -> Result<rsa::RsaPublicKey, Error> {
        Ok(rsa::RsaPublicKey::new(self.n.clone(), self.e.clone())?)
    }

    /// This key, signing on the portable multiplier with `kernel` whatever the CPU has (for
    /// benchmarks and tests that compare the paths in one process).
    ///
    /// ```
    /// use cognito_rs256::{FourPrimeKey, Multiplier};
    ///
    /// let key = FourPrimeKey::generate(&mut rand::thread_rng());
    /// let generic = key.on_portable(Multiplier::generic())?;
    /// assert_eq!(generic.multiplier(), "generic");
    /// assert_eq!(generic.sign(&[b"m"])?, key.sign(&[b"m"])?);
    /// # Ok::<(), cognito_rs256::Error>(())
    /// ```
    pub fn on_portable(&self, kernel: Multiplier) -> Result<FourPrimeKey, Error> {
        let engine = portable::PortableKey::new(&self.n, &self.e, &self.primes, &self.exponents)?;
        Ok(FourPrimeKey {
            n: self.n.clone(),
            e: self.e.clone(),
            d: self.d.clone(),
            primes: self.primes.clone(),
            exponents: self.exponents.clone(),
            coefficients: self.coefficients.clone(),
            engine: Engine::Portable(kernel, Box::new(engine)),
        })
    }

    /// Whether this key signs on AVX-512 IFMA lanes.
    pub fn is_accelerated(&self) -> bool {
        !matches!(self.engine, Engine::Portable(..))
    }

    /// The multiplier this key signs with: `avx512-ifma`, or the portable kernel's name
    /// (`mulx-adx`, `generic`).
    pub fn multiplier(&self) -> &'static str {
        match &self.engine {
            #[cfg(target_arch = "x86_64")]
            Engine::Lanes(..) => "avx512-ifma",
            Engine::Portable(k, _) => k.name(),
        }
    }

    /// RS256 signatures (256 bytes each) of `messages`, in order. Two messages cost the same
    /// as one on IFMA lanes, so sign together what is signed together.
    pub fn sign(&self, messages: &[&[u8]]) -> Result<Vec<Vec<u8>>, Error> {
        let mut out = Vec::with_capacity(messages.len());
        match &self.engine {
            #[cfg(target_arch = "x86_64")]
            Engine::Lanes(ifma, key) => {
                let encoded: Vec<[u8; MODULUS_BYTES]> =
                    messages.iter().map(|m| encode(m)).collect();
                for pair in encoded.chunks(2) {
                    out.extend(self.sign_lanes(*ifma, key, pair)?);
                }
            }
            Engine::Portable(k, key) => {
                for message in messages {
                    let encoded = encode(message);
                    let signature = key.sign(*k, &encoded);
                    if !key.verifies(*k, &signature, &encoded) {
                        return Err(Error::Fault);
                    }
                    out.push(Vec::from(signature));
                }
            }
        }
        Ok(out)
    }

    /// One or two encoded messages: lanes 0–3 take the first modulo r₁..r₄, lanes 4–7 the
    /// second (or the first again). Each lane returns hᵢ = m^dᵢ·Mᵢ⁻¹ mod rᵢ, and the signature
    /// is Σ hᵢ·Mᵢ mod n (the Chinese remainder theorem; the sum is below 4n).
    #[cfg(target_arch = "x86_64")]
    fn sign_lanes(
        &self,
        ifma: lanes::Ifma,
        key: &LaneKey,
        encoded: &[[u8; MODULUS_BYTES]],
    ) -> Result<Vec<Vec<u8>>, Error> {
        let messages = wide(encoded);
        let parts = ifma.pow(&key.moduli, &messages, &key.windows);
        let signatures: Vec<[u8; MODULUS_BYTES]> = (0..encoded.len())
            .map(|s| {
                key.join.join(&std::array::from_fn(|i| {
                    join::lane_words(&parts, PRIMES * s + i)
                }))
            })
            .collect();
        self.check(ifma, key, &messages, &signatures)?;
        Ok(signatures.into_iter().map(Vec::from).collect())
    }

    /// s^e ≡ m modulo every prime, for every signature (the messages laid out as
    /// [`FourPrimeKey::sign_lanes`] does).
    #[cfg(target_arch = "x86_64")]
    fn check(
        &self,
        ifma: lanes::Ifma,
        key: &LaneKey,
        messages: &lanes::Wide,
        signatures: &[[u8; MODULUS_BYTES]],
    ) -> Result<(), Error> {
        if ifma.pow_matches(&key.moduli, &wide(signatures), key.e, messages) {
            Ok(())
        } else {
            Err(Error::Fault)
        }
    }
}

/// Two four-prime keys that sign together: one message each, both signatures for the price of
/// one on AVX-512 IFMA lanes (lanes 0–3 work modulo the first key's primes, lanes 4–7 modulo the
/// second's). For an issuer whose id and access tokens have keys of their own. Elsewhere, or
/// for keys that do not sign on the lanes, each key signs its message alone.
///
/// ```
/// use cognito_rs256::{FourPrimeKey, FourPrimePair};
///
/// let (a, b) = (FourPrimeKey::generate(&mut rand::thread_rng()), FourPrimeKey::generate(&mut rand::thread_rng()));
/// let pair = FourPrimePair::new(&a, &b);
/// let [sa, sb] = pair.sign(&a, &b, b"id.token", b"access.token")?;
/// assert_eq!(sa, a.sign(&[b"id.token"])?[0]);
/// assert_eq!(sb, b.sign(&[b"access.token"])?[0]);
/// # Ok::<(), cognito_rs256::Error>(())
/// ```
pub struct FourPrimePair {
    #[cfg(target_arch = "x86_64")]
    lanes: Option<(lanes::Ifma, Box<PairLanes>)>,
}

/// The two keys' lane material spliced: lanes 0–3 the first key's, 4–7 the second's.
#[cfg(target_arch = "x86_64")]
struct PairLanes {
    moduli: lanes::Moduli,
    windows: [[u64; lanes::LANES]; lanes::WINDOWS],
    e: u64,
}

impl std::fmt::Debug for FourPrimePair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(target_arch = "x86_64")]
        let lanes = self.lanes.is_some();
        #[cfg(not(target_arch = "x86_64"))]
        let lanes = false;
        f.debug_struct("FourPrimePair")
            .field("lanes", &lanes)
            .finish()
    }
}

impl FourPrimePair {
    /// The pair of `first` and `second` (which must be the keys later passed to `sign`).
    pub fn new(first: &FourPrimeKey, second: &FourPrimeKey) -> FourPrimePair {
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (first, second);
        #[cfg(target_arch = "x86_64")]
        if let (Engine::Lanes(ifma, a), Engine::Lanes(_, b)) = (&first.engine, &second.engine) {
            if a.e == b.e {
                let half = lanes::LANES / 2;
                let pick =
                    |x: &[u64; lanes::LANES], y: &[u64; lanes::LANES]| -> [u64; lanes::LANES] {
                        std::array::from_fn(|l| if l < half { x[l] } else { y[l - half] })
                    };
                let rows = |x: &lanes::Lanes, y: &lanes::Lanes| -> lanes::Lanes {
                    std::array::from_fn(|j| pick(&x[j], &y[j]))
                };
                let moduli = lanes::Moduli {
                    n: rows(&a.moduli.n, &b.moduli.n),
                    k0: pick(&a.moduli.k0, &b.moduli.k0),
                    one: rows(&a.moduli.one, &b.moduli.one),
                    chunks: std::array::from_fn(|k| rows(&a.moduli.chunks[k], &b.moduli.chunks[k])),
                    post: rows(&a.moduli.post, &b.moduli.post),
                };
                let windows = std::array::from_fn(|w| pick(&a.windows[w], &b.windows[w]));
                let spliced = PairLanes {
                    moduli,
                    windows,
                    e: a.e,
                };
                return FourPrimePair {
                    lanes: Some((*ifma, Box::new(spliced))),
                };
            }
        }
        FourPrimePair {
            #[cfg(target_arch = "x86_64")]
            lanes: None,
        }
    }

    /// `first`'s signature of `m1` and `second`'s of `m2`, checked as [`FourPrimeKey::sign`]
    /// checks its own (keys other than the pair's make the check fail: [`Error::Fault`]).
    pub fn sign(
        &self,
        first: &FourPrimeKey,
        second: &FourPrimeKey,
        m1: &[u8],
        m2: &[u8],
    ) -> Result<[Vec<u8>; 2], Error> {
        #[cfg(target_arch = "x86_64")]
        if let (Some((ifma, pair)), Engine::Lanes(_, a), Engine::Lanes(_, b)) =
            (&self.lanes, &first.engine, &second.engine)
        {
            let messages = wide(&[encode(m1), encode(m2)]);
            let parts = ifma.pow(&pair.moduli, &messages, &pair.windows);
            let joins = [&a.join, &b.join];
            let signatures: [[u8; MODULUS_BYTES]; 2] = std::array::from_fn(|s| {
                joins[s].join(&std::array::from_fn(|i| {
                    join::lane_words(&parts, PRIMES * s + i)
                }))
            });
            if !ifma.pow_matches(&pair.moduli, &wide(&signatures), pair.e, &messages) {
                return Err(Error::Fault);
            }
            return Ok(signatures.map(Vec::from));
        }
        let one = |key: &FourPrimeKey, m: &[u8]| -> Result<Vec<u8>, Error> {
            key.sign(&[m])?.pop().ok_or(Error::Fault)
        };
        Ok([one(first, m1)?, one(second, m2)?])
    }
}

/// The spliced primes and exponents are overwritten with zeros when the pair is dropped.
impl Drop for FourPrimePair {
    fn drop(&mut self) {
        #[cfg(target_arch = "x86_64")]
        if let Some((_, pair)) = &mut self.lanes {
            use zeroize::Zeroize as _;
            pair.windows.zeroize();
            pair.moduli.wipe();
        }
    }
}

impl Engine {
    fn new(
        n: &BigUint,
        e: &BigUint,
        primes: &[BigUint; PRIMES],
        exponents: &[BigUint; PRIMES],
    ) -> Result<Engine, Error> {
        #[cfg(target_arch = "x86_64")]
        if let Some(ifma) = production_lanes() {
            let key = LaneKey::new(n, e, primes, exponents)?;
            return Ok(Engine::Lanes(ifma, Box::new(key)));
        }
        let key = portable::PortableKey::new(n, e, primes, exponents)?;
        Ok(Engine::Portable(portable_multiplier(), Box::new(key)))
    }
}

#[cfg(target_arch = "x86_64")]
impl LaneKey {
    fn new(
        n: &BigUint,
        e: &BigUint,
        primes: &[BigUint; PRIMES],
        exponents: &[BigUint; PRIMES],
    ) -> Result<LaneKey, Error> {
        let e = words(e).first().copied().unwrap_or(0);
        let cofactors = primes.clone().map(|p| n / p);
        let mut post = Vec::with_capacity(PRIMES);
        for (p, m) in primes.iter().zip(&cofactors) {
            post.push(inverse(&(m % p), p)?);
        }
        let prime = |lane: usize| &primes[lane % PRIMES];
        let moduli = lanes::Moduli::new(
            |lane| prime(lane).clone(),
            |lane| post[lane % PRIMES].clone(),
        );
        let windows = exponent_windows(|lane| &exponents[lane % PRIMES]);
        Ok(LaneKey {
            moduli,
            windows,
            join: join::Join::new(n, &cofactors),
            e,
        })
    }
}

#[cfg(target_arch = "x86_64")]
impl lanes::Moduli {
    /// The Montgomery constants for moduli `n(lane)` (odd, 512 bits) and the factor `post(lane)`
    /// every result is multiplied by.
    fn new(n: impl Fn(usize) -> BigUint, post: impl Fn(usize) -> BigUint) -> lanes::Moduli {
        let r = BigUint::one() << (52 * lanes::LIMBS);
        let k0 = std::array::from_fn(|lane| {
            let low = words(&n(lane)).first().copied().unwrap_or(1);
            cognito_montgomery::neg_inverse(low) & lanes::MASK
        });
        lanes::Moduli {
            n: to_lanes(&n),
            k0,
            one: to_lanes(|lane| &r % n(lane)),
            chunks: std::array::from_fn(|k| {
                to_lanes(|lane| ((BigUint::one() << (512 * k)) * &r * &r) % n(lane))
            }),
            post: to_lanes(|lane| (post(lane) * &r) % n(lane)),
        }
    }
}

/// The 5-bit windows of eight exponents below 2^520, lowest window first.
#[cfg(target_arch = "x86_64")]
fn exponent_windows<'a>(
    exponent: impl Fn(usize) -> &'a BigUint,
) -> [[u64; lanes::LANES]; lanes::WINDOWS] {
    let bits: Vec<Vec<u64>> = (0..lanes::LANES)
        .map(|lane| words(exponent(lane)))
        .collect();
    std::array::from_fn(|w| {
        std::array::from_fn(|lane| {
            let mut v = 0u64;
            for k in 0..lanes::WINDOW {
                let i = w * lanes::WINDOW + k;
                let bit = bits[lane]
                    .get(i / 64)
                    .map_or(0, |word| (word >> (i % 64)) & 1);
                v |= bit << k;
            }
            v
        })
    })
}

/// One or two 2048-bit big-endian numbers as chunks: lanes 0–3 the first, 4–7 the last.
#[cfg(target_arch = "x86_64")]
fn wide(numbers: &[[u8; MODULUS_BYTES]]) -> lanes::Wide {
    let mut out = [[[0u64; lanes::LANES]; lanes::LIMBS]; lanes::CHUNKS];
    for lane in 0..lanes::LANES {
        let number = &numbers[(lane / PRIMES).min(numbers.len() - 1)];
        for (k, chunk) in out.iter_mut().enumerate() {
            // Chunk k is bytes [256 − 64(k+1), 256 − 64k) of the big-endian number.
            let end = MODULUS_BYTES - 64 * k;
            let limbs = limbs_of_be(&number[end - 64..end]);
            for (row, limb) in chunk.iter_mut().zip(limbs) {
                row[lane] = limb;
            }
        }
    }
    out
}

/// A 512-bit big-endian number as 10 limbs of 52 bits, low first.
#[cfg(target_arch = "x86_64")]
fn limbs_of_be(bytes: &[u8]) -> [u64; lanes::LIMBS] {
    let mut out = [0u64; lanes::LIMBS];
    for (i, byte) in bytes.iter().rev().enumerate() {
        let bit = 8 * i;
        let (limb, shift) = (bit / 52, bit % 52);
        out[limb] |= (u64::from(*byte) << shift) & lanes::MASK;
        if shift > 44 {
            out[limb + 1] |= u64::from(*byte) >> (52 - shift);
        }
    }
    out
}

/// Eight numbers below 2^512 in limb-major 52-bit limbs.
#[cfg(target_arch = "x86_64")]
fn to_lanes(value: impl Fn(usize) -> BigUint) -> lanes::Lanes {
    let mut out = [[0u64; lanes::LANES]; lanes::LIMBS];
    for lane in 0..lanes::LANES {
        let be = value(lane).to_bytes_be();
        let mut bytes = [0u8; 64];
        bytes[64 - be.len()..].copy_from_slice(&be);
        for (row, limb) in out.iter_mut().zip(limbs_of_be(&bytes)) {
            row[lane] = limb;
        }
    }
    out
}

/// x⁻¹ mod m.
fn inverse(x: &BigUint, m: &BigUint) -> Result<BigUint, Error> {
    x.mod_inverse(m)
        .and_then(|v| v.to_biguint())
        .ok_or(Error::Inconsistent("the primes are not pairwise coprime"))
}

/// EMSA-PKCS1-v1_5 of SHA-256(message) for a 2048-bit modulus.
fn encode(message: &[u8]) -> [u8; MODULUS_BYTES] {
    let mut em = [0xffu8; MODULUS_BYTES];
    em[0] = 0x00;
    em[1] = 0x01;
    let tail = MODULUS_BYTES - SHA256_DIGEST_INFO.len() - 32;
    em[tail - 1] = 0x00;
    em[tail..tail + SHA256_DIGEST_INFO.len()].copy_from_slice(&SHA256_DIGEST_INFO);
    em[MODULUS_BYTES - 32..].copy_from_slice(&Sha256::digest(message));
    em
}

/// x's 64-bit words, low first (none for zero).
fn words(x: &BigUint) -> Vec<u64> {
    x.to_bytes_le()
        .chunks(8)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from_le_bytes(word)
        })
        .collect()
}

#[cfg(test)]
mod tests;
