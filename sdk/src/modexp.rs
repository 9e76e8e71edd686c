//! Exponentiation modulo the SRP group's 3072-bit prime: the production path behind
//! [`crate::srp`], with num-bigint's `modpow` as the reference it is tested against.
//!
//! - Numbers are 48 little-endian 64-bit limbs in Montgomery form (R = 2^3072). Products use
//!   product scanning (a three-word column accumulator, so the multiplications of a column are
//!   independent) with the reduction interleaved; squares compute each cross product once and
//!   double it, then reduce. The final conditional subtraction is a mask, not a branch.
//! - Powers of g = 2 use fixed-base combs (Lim–Lee): a 256-entry table for exponents up to 256
//!   bits (x, the server's b) and a 4096-entry table for up to 1032 bits (the client's 1024-bit
//!   a). A 1024-bit exponent then costs 86 squarings and 86 products instead of about 1024
//!   squarings. The tables are built once per process, on a background thread started by the
//!   first use (or [`start_precomputing`], or [`precompute`], which waits); until one is ready,
//!   powers of g take the windowed path, so the first login of a process does not wait for a
//!   table.
//! - Other bases use a fixed 5-bit window: one product per window whatever its bits.
//!
//! Timing: every path does the same sequence of squarings and products for exponents of the
//! same bit length, and the products and squares have no data-dependent branches. Table
//! lookups are indexed by exponent bits, so an attacker who can observe cache lines could learn
//! about exponents; num-bigint's `modpow`, the reference, is variable-time too (its window
//! skips products for zero windows). Neither is meant to resist a co-located cache attacker.
//!
//! ```
//! use cognito_sdk::modexp;
//! use cognito_sdk::srp::group;
//! use num_bigint::BigUint;
//!
//! let e = BigUint::from(123_456_789u64);
//! assert_eq!(modexp::pow_g(&e), group().g.modpow(&e, &group().n));
//! let base = BigUint::from(987_654_321u64);
//! assert_eq!(modexp::pow(&base, &e), base.modpow(&e, &group().n));
//! ```

use std::sync::OnceLock;

use num_bigint::BigUint;

use crate::srp::group;

const LIMBS: usize = 48;
type Limbs = [u64; LIMBS];

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
        let n_big = &group().n;
        let n = to_limbs(n_big);
        // Newton's iteration doubles the correct low bits each step: 6 steps reach 64.
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        let r = (BigUint::from(1u8) << (64 * LIMBS)) % n_big;
        Field {
            n,
            n0: inv.wrapping_neg(),
            r2: to_limbs(&((&r * &r) % n_big)),
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

/// The exponent's bits, low word first, with a bit accessor.
struct Bits(Vec<u64>);

impl Bits {
    fn of(e: &BigUint) -> Self {
        Self(e.iter_u64_digits().collect())
    }

    fn bit(&self, i: usize) -> u64 {
        self.0.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1)
    }

    fn len(&self) -> usize {
        self.0
            .last()
            .map_or(0, |top| 64 * self.0.len() - top.leading_zeros() as usize)
    }
}

/// A Lim–Lee comb for g: `table[j]` is the product of g^(2^(k·cols)) over the set bits k of j.
struct Comb {
    rows: usize,
    cols: usize,
    table: Vec<Limbs>,
}

impl Comb {
    fn build(rows: usize, cols: usize) -> Self {
        let f = field();
        let mut bases = Vec::with_capacity(rows);
        let mut power = to_mont(&group().g, f);
        for _ in 0..rows {
            bases.push(power);
            for _ in 0..cols {
                power = sqr(&power, f);
            }
        }
        let mut table = vec![f.one; 1 << rows];
        for j in 1..table.len() {
            let top = usize::BITS as usize - 1 - j.leading_zeros() as usize;
            let rest = j & !(1 << top);
            table[j] = if rest == 0 {
                bases[top]
            } else {
                mul(&table[rest], &bases[top], f)
            };
        }
        Self { rows, cols, table }
    }

    fn pow(&self, e: &Bits) -> Limbs {
        let f = field();
        let mut r = f.one;
        for col in (0..self.cols).rev() {
            r = sqr(&r, f);
            let mut index = 0usize;
            for row in 0..self.rows {
                index |= (e.bit(row * self.cols + col) as usize) << row;
            }
            r = mul(&r, &self.table[index], f);
        }
        r
    }
}

/// A comb built once per process on a background thread, the first time it is wanted. Until
/// it exists, callers take the windowed path rather than wait. Measured on the 2-core test
/// machine, the first g^a of a process took 30–40 ms when it built the large table itself and
/// takes 8–12 ms now; the first g^x about 3.5 ms against about 2 ms.
struct LazyComb {
    cell: OnceLock<Comb>,
    started: std::sync::Once,
    rows: usize,
    cols: usize,
}

impl LazyComb {
    const fn new(rows: usize, cols: usize) -> Self {
        Self {
            cell: OnceLock::new(),
            started: std::sync::Once::new(),
            rows,
            cols,
        }
    }

    fn max_bits(&self) -> usize {
        self.rows * self.cols
    }

    fn build(&'static self) -> &'static Comb {
        self.cell.get_or_init(|| Comb::build(self.rows, self.cols))
    }

    /// The comb if it is ready; otherwise starts building it and returns `None`.
    fn ready_or_start(&'static self) -> Option<&'static Comb> {
        if let Some(comb) = self.cell.get() {
            return Some(comb);
        }
        self.started.call_once(|| {
            let spawned = std::thread::Builder::new()
                .name("srp-comb".into())
                .spawn(move || {
                    self.build();
                });
            if spawned.is_err() {
                self.build();
            }
        });
        self.cell.get()
    }
}

static SMALL_COMB: LazyComb = LazyComb::new(8, 32);
static LARGE_COMB: LazyComb = LazyComb::new(12, 86);

/// Builds the fixed-base tables now, waiting for them (benchmarks call this so that they
/// measure the steady state; servers may call it at start-up).
///
/// ```
/// cognito_sdk::modexp::precompute();
/// ```
pub fn precompute() {
    SMALL_COMB.build();
    LARGE_COMB.build();
}

/// Starts building, on a background thread, the table a server uses (exponents up to 256
/// bits: its b and users' verifiers) and returns at once. The larger client table is left to
/// clients' first use.
pub fn start_precomputing() {
    let _ = SMALL_COMB.ready_or_start();
}

/// g^e mod N, by the fixed-base comb that covers `e` once it is built, and by the windowed path
/// before that or past 1032 bits.
pub fn pow_g(e: &BigUint) -> BigUint {
    let bits = Bits::of(e);
    let f = field();
    let comb = if bits.len() <= SMALL_COMB.max_bits() {
        SMALL_COMB.ready_or_start()
    } else if bits.len() <= LARGE_COMB.max_bits() {
        LARGE_COMB.ready_or_start()
    } else {
        None
    };
    let r = match comb {
        Some(comb) => comb.pow(&bits),
        None => window_pow(&to_mont(&group().g, f), &bits),
    };
    from_mont(&r, f)
}

/// base^e mod N for any base, by a fixed 5-bit window.
pub fn pow(base: &BigUint, e: &BigUint) -> BigUint {
    let f = field();
    from_mont(&window_pow(&to_mont(base, f), &Bits::of(e)), f)
}

const WINDOW: usize = 5;

fn window_pow(base: &Limbs, e: &Bits) -> Limbs {
    let f = field();
    let mut table = [f.one; 1 << WINDOW];
    for i in 1..table.len() {
        table[i] = mul(&table[i - 1], base, f);
    }
    let windows = e.len().div_ceil(WINDOW);
    let mut r = f.one;
    for w in (0..windows).rev() {
        for _ in 0..WINDOW {
            r = sqr(&r, f);
        }
        let mut index = 0usize;
        for k in 0..WINDOW {
            index |= (e.bit(w * WINDOW + k) as usize) << k;
        }
        r = mul(&r, &table[index], f);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// Deterministic pseudo-random numbers of a given bit length (SHA-256 in counter mode).
    fn number(seed: &str, bits: usize) -> BigUint {
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

    #[test]
    fn powers_of_g_match_num_bigint_at_every_comb_boundary() {
        let g = &group().g;
        // Both paths: the windowed one (used until a comb is built) and the combs.
        let f = field();
        for bits in [1, 200, 256, 257, 1024, 1032] {
            let e = number(&format!("w{bits}"), bits);
            let windowed = from_mont(&window_pow(&to_mont(g, f), &Bits::of(&e)), f);
            assert_eq!(windowed, reference(g, &e), "windowed, {bits} bits");
        }
        precompute();
        for bits in [
            1, 2, 63, 64, 65, 255, 256, 257, 1000, 1024, 1032, 1033, 2048, 3072, 4000,
        ] {
            let e = number(&format!("e{bits}"), bits);
            assert_eq!(pow_g(&e), reference(g, &e), "{bits} bits");
        }
        assert_eq!(pow_g(&BigUint::default()), BigUint::from(1u8));
    }

    #[test]
    fn variable_base_powers_match_num_bigint() {
        let n = &group().n;
        let bases = [
            BigUint::default(),
            BigUint::from(1u8),
            n - 1u8,
            n.clone(),
            n + 5u8,
            number("b", 3072),
            number("c", 4096),
        ];
        for (i, base) in bases.iter().enumerate() {
            for bits in [1, 5, 6, 256, 1300, 3072] {
                let e = number(&format!("f{i}/{bits}"), bits);
                assert_eq!(pow(base, &e), reference(base, &e), "base {i}, {bits} bits");
            }
            assert_eq!(pow(base, &BigUint::default()), BigUint::from(1u8));
        }
    }
}
