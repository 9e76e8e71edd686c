//! The four-prime signer on CPUs without AVX-512 IFMA: each prime's exponentiation on
//! `cognito-montgomery`'s 8-limb Montgomery products (its MULX/ADCX/ADOX kernel on x86-64 CPUs
//! with BMI2 and ADX, plain Rust elsewhere), one prime after another, with the same shape as the
//! lanes: the message enters as its four 512-bit chunks times precomputed constants (no
//! division), a fixed 5-bit window runs over 103 windows for every exponent, and each window's
//! table entry is read from all 32 under a mask. Each prime's running power lives in a
//! `Work8` block that the kernel squares in place (no copies in or out of the assembly per
//! square). The four results are joined by `join`.
//!
//! Every prime of a key lies in (2^511, 2^512): n has 2048 bits and no prime more than 512, so
//! each is above 2^2047 / 2^1536. A 512-bit chunk of the message is therefore below 2p, and one
//! masked subtraction brings it below p.

use cognito_montgomery::{Modulus, Multiplier, Work8};
use num_bigint_dig::BigUint;
use num_traits::One as _;
use zeroize::Zeroize as _;

use crate::join::{Join, PART_WORDS};
use crate::{words, Error, MODULUS_BYTES, PRIMES};

const LIMBS: usize = PART_WORDS;
type Limbs = [u64; LIMBS];
/// 512-bit chunks in a 2048-bit number.
const CHUNKS: usize = 4;
const WINDOW: usize = 5;
/// 103 · 5 = 515 bits: every exponent below a 512-bit prime.
const WINDOWS: usize = 103;

/// One prime and the constants of Montgomery arithmetic modulo it (R = 2^512).
struct Prime {
    p: Modulus<LIMBS>,
    /// R mod p: one in Montgomery form.
    one: Limbs,
    /// 2^(512k)·R² mod p: a product with chunk k puts it in place and in Montgomery form.
    chunks: [Limbs; CHUNKS],
    /// Mᵢ⁻¹ mod p (Mᵢ = n / p), not in Montgomery form: a product with it leaves Montgomery
    /// form and multiplies by Mᵢ⁻¹ at once.
    post: Limbs,
    /// dᵢ's 5-bit windows, lowest first.
    windows: [u8; WINDOWS],
}

impl Drop for Prime {
    fn drop(&mut self) {
        self.one.zeroize();
        self.chunks.zeroize();
        self.post.zeroize();
        self.windows.zeroize();
    }
}

/// A four-prime key laid out for the portable multiplier.
pub(crate) struct PortableKey {
    primes: [Prime; PRIMES],
    join: Join,
    /// The public exponent, for the check (below 2^64, as `from_primes` requires).
    e: u64,
}

impl std::fmt::Debug for PortableKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortableKey").finish_non_exhaustive()
    }
}

impl PortableKey {
    pub(crate) fn new(
        n: &BigUint,
        e: &BigUint,
        primes: &[BigUint; PRIMES],
        exponents: &[BigUint; PRIMES],
    ) -> Result<PortableKey, Error> {
        let cofactors = primes.clone().map(|p| n / p);
        let r = BigUint::one() << (64 * LIMBS);
        let mut built = Vec::with_capacity(PRIMES);
        for ((p, d), m) in primes.iter().zip(exponents).zip(&cofactors) {
            let modulus = Modulus::new(limbs(p)).ok_or(Error::Inconsistent(
                "each prime must be odd and at most 512 bits",
            ))?;
            let d = words(d);
            let bit = |i: usize| d.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1);
            built.push(Prime {
                p: modulus,
                one: limbs(&(&r % p)),
                chunks: std::array::from_fn(|k| {
                    limbs(&(((BigUint::one() << (512 * k)) * &r * &r) % p))
                }),
                post: limbs(&crate::inverse(&(m % p), p)?),
                windows: std::array::from_fn(|w| {
                    (0..WINDOW).fold(0u8, |v, k| v | ((bit(WINDOW * w + k) as u8) << k))
                }),
            });
        }
        let primes: [Prime; PRIMES] = built
            .try_into()
            .map_err(|_| Error::Inconsistent("a four-prime key needs exactly four primes"))?;
        Ok(PortableKey {
            primes,
            join: Join::new(n, &cofactors),
            e: words(e).first().copied().unwrap_or(0),
        })
    }

    /// The signature of an encoded message: m^dᵢ·Mᵢ⁻¹ mod rᵢ for each prime, joined.
    pub(crate) fn sign(&self, k: Multiplier, encoded: &[u8; MODULUS_BYTES]) -> [u8; MODULUS_BYTES] {
        let bases = self.primes.each_ref().map(|prime| enter(k, prime, encoded));
        let powered = pow_secret(k, &self.primes, &bases);
        let parts = std::array::from_fn(|i| {
            let prime = &self.primes[i];
            k.mul(&powered[i], &prime.post, &prime.p)
        });
        self.join.join(&parts)
    }

    /// Whether s^e ≡ m modulo every prime.
    pub(crate) fn verifies(
        &self,
        k: Multiplier,
        signature: &[u8; MODULUS_BYTES],
        encoded: &[u8; MODULUS_BYTES],
    ) -> bool {
        self.primes.iter().all(|prime| {
            let s = enter(k, prime, signature);
            let mut x = s;
            for i in (0..63 - self.e.leading_zeros() as usize).rev() {
                x = k.sqr(&x, &prime.p);
                if (self.e >> i) & 1 == 1 {
                    x = k.mul(&x, &s, &prime.p);
                }
            }
            x == enter(k, prime, encoded)
        })
    }
}

/// A 2048-bit big-endian number modulo the prime, in Montgomery form: Σ chunkₖ·2^(512k)·R.
fn enter(k: Multiplier, prime: &Prime, x: &[u8; MODULUS_BYTES]) -> Limbs {
    let mut sum = [0u64; LIMBS];
    for (c, constant) in prime.chunks.iter().enumerate() {
        // Chunk c is bytes [256 − 64(c+1), 256 − 64c) of the big-endian number.
        let end = MODULUS_BYTES - 64 * c;
        let mut chunk: Limbs = std::array::from_fn(|j| {
            let at = end - 8 * (j + 1);
            let mut word = [0u8; 8];
            word.copy_from_slice(&x[at..at + 8]);
            u64::from_be_bytes(word)
        });
        prime.p.reduce_once(&mut chunk, 0);
        sum = prime.p.add(&sum, &k.mul(&chunk, constant, &prime.p));
    }
    sum
}

/// baseᵢ^dᵢ for the four primes (Montgomery form in and out) by a fixed 5-bit window over all
/// 103 windows (the top one's entry is the start), each table entry read from all 32 under a
/// mask; the table's even entries are squares. The four exponentiations run in
/// step, one operation of each in turn: they are independent, so the processor overlaps one's
/// product with the next one's (about a tenth faster than one prime after another; two
/// messages' eight in step were no faster than four).
fn pow_secret(k: Multiplier, primes: &[Prime; PRIMES], bases: &[Limbs; PRIMES]) -> [Limbs; PRIMES] {
    let mut tables = primes.each_ref().map(|prime| [prime.one; 1 << WINDOW]);
    for (table, base) in tables.iter_mut().zip(bases) {
        table[1] = *base;
    }
    for i in 2..1 << WINDOW {
        for ((table, base), prime) in tables.iter_mut().zip(bases).zip(primes) {
            // Even powers by squaring, the cheaper product.
            table[i] = if i % 2 == 0 {
                k.sqr(&table[i / 2], &prime.p)
            } else {
                k.mul(&table[i - 1], base, &prime.p)
            };
        }
    }
    // The top window's entry is the start (squaring one is wasted work). Each prime's number
    // stays in a `Work8` block, which the kernel squares in place.
    let mut work: [Work8; PRIMES] = std::array::from_fn(|i| {
        Work8::new(
            &primes[i].p,
            &select(&tables[i], primes[i].windows[WINDOWS - 1]),
        )
    });
    for w in (0..WINDOWS - 1).rev() {
        for _ in 0..WINDOW {
            for x in work.iter_mut() {
                x.square(k);
            }
        }
        for ((x, prime), table) in work.iter_mut().zip(primes).zip(&tables) {
            *x.operand() = select(table, prime.windows[w]);
            x.multiply(k);
        }
    }
    let r = work.each_ref().map(|x| *x.value());
    tables.zeroize();
    r
}

/// `table[index]` in constant time (`cognito_montgomery::select`).
fn select(table: &[Limbs; 1 << WINDOW], index: u8) -> Limbs {
    cognito_montgomery::select(table, usize::from(index))
}

/// x (below 2^512) as 8 words, low first.
fn limbs(x: &BigUint) -> Limbs {
    let mut out = [0u64; LIMBS];
    for (slot, word) in out.iter_mut().zip(words(x)) {
        *slot = word;
    }
    out
}
