//! Exponentiation modulo the SRP group's 3072-bit prime: the production path behind
//! [`crate::srp`], with num-bigint's `modpow` as the reference it is tested against.
//!
//! - Two multipliers ([`Backend`]), chosen once per process from what the CPU offers:
//!   Montgomery arithmetic on 52-bit limbs with AVX-512 IFMA, eight limbs per instruction, on
//!   x86-64 CPUs that have it (found at run time); otherwise portable Montgomery arithmetic on
//!   64-bit limbs (`cognito-montgomery`: MULX/ADCX/ADOX assembly on x86-64 CPUs with BMI2 and
//!   ADX, plain Rust elsewhere). All are checked against num-bigint in the tests.
//! - Powers of g = 2 use fixed-base combs (Lim–Lee), each of four 64-entry tables: one for
//!   exponents up to 264 bits (x, the server's b), one for up to 1032 bits (the client's 1024-bit
//!   a). A 1024-bit exponent then costs 42 squarings and 171 products instead of about 1024
//!   squarings. The tables are built once per process, on a background thread started by the
//!   first use (or [`start_precomputing`], or [`precompute`], which waits); until one is ready,
//!   powers of g take the windowed path, so the first login of a process does not wait for a
//!   table.
//! - Other bases use a fixed 5-bit window: one product per window whatever its bits.
//!
//! Timing: every path does the same sequence of squarings and products for exponents of the
//! same bit length ([`Backend::pow_secret`] and [`Backend::pow_g_secret`] fix that length
//! whatever the exponent), the products and squares have no data-dependent branches, and every
//! table entry is read under a mask over the whole table (`cognito_montgomery::select`), so
//! neither the instructions run nor the addresses read depend on a secret exponent's bits.
//! num-bigint's `modpow`, the reference, is variable-time (its window skips products for zero
//! windows).
//!
//! ```
//! use cognito_protocol::modexp;
//! use cognito_protocol::srp::group;
//! use num_bigint::BigUint;
//!
//! let e = BigUint::from(123_456_789u64);
//! assert_eq!(modexp::pow_g(&e), group().g.modpow(&e, &group().n));
//! let base = BigUint::from(987_654_321u64);
//! assert_eq!(modexp::pow(&base, &e), base.modpow(&e, &group().n));
//! ```

#[cfg(target_arch = "x86_64")]
mod ifma;
mod portable;

use std::sync::OnceLock;

use num_bigint::BigUint;

use crate::group::group;

/// Montgomery arithmetic modulo N in one representation. Implementors are tokens: copying one
/// is free, and holding one means its code can run on this CPU.
trait Arith: Copy + Send + Sync + 'static {
    /// A number in Montgomery form: a fixed array of words, so that tables of them can be
    /// read under a mask ([`select`]).
    type Elem: Copy + Send + Sync + 'static + AsRef<[u64]> + AsMut<[u64]>;
    /// One, in Montgomery form.
    fn one(self) -> Self::Elem;
    /// x mod N, into Montgomery form.
    fn enter(self, x: &BigUint) -> Self::Elem;
    /// Out of Montgomery form: the canonical number below N.
    fn leave(self, x: &Self::Elem) -> BigUint;
    /// The Montgomery product a·b·R⁻¹.
    fn mul(self, a: &Self::Elem, b: &Self::Elem) -> Self::Elem;
    /// The Montgomery square a²·R⁻¹.
    fn sqr(self, a: &Self::Elem) -> Self::Elem;
}

/// R mod N and R² mod N for R = 2^`bits`: one in Montgomery form, and the factor that enters it.
fn montgomery_constants(bits: usize) -> (BigUint, BigUint) {
    let n = &group().n;
    let r = (BigUint::from(1u8) << bits) % n;
    let r2 = (&r * &r) % n;
    (r, r2)
}

/// The exponent's bits, low word first, with a bit accessor, and the length the loops run
/// over: the exponent's own for public exponents ([`Bits::of`]), a length fixed by the caller
/// for secret ones ([`Bits::fixed`]), so that the number of steps says nothing about the
/// secret.
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn of(e: &BigUint) -> Self {
        let words: Vec<u64> = e.iter_u64_digits().collect();
        let len = words
            .last()
            .map_or(0, |top| 64 * words.len() - top.leading_zeros() as usize);
        Self { words, len }
    }

    /// `e` processed as a `bits`-bit number. An exponent longer than `bits` is processed at its
    /// own length (the caller's bound was wrong; debug builds stop here).
    fn fixed(e: &BigUint, bits: usize) -> Self {
        let own = Self::of(e);
        debug_assert!(
            own.len <= bits,
            "a {}-bit exponent declared as {bits} bits",
            own.len
        );
        Self {
            len: own.len.max(bits),
            words: own.words,
        }
    }

    fn bit(&self, i: usize) -> u64 {
        self.words.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1)
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// `table[index]`, read without an address that depends on `index`: every entry is read and
/// OR-ed in under a mask that is all ones for the wanted entry only (`cognito_montgomery::select`:
/// masks the optimiser cannot see, whole words, AVX2 where the CPU has it). The cost of these
/// reads is in the benches README ("What the constant-time table reads cost").
fn select<E: Copy + AsRef<[u64]> + AsMut<[u64]>>(table: &[E], index: usize) -> E {
    cognito_montgomery::select(table, index)
}

/// A Lim–Lee comb for g: the exponent's bits as `tables · rows` rows of `cols` bits (bit
/// `r·cols + c` in row r, column c), and one table per group of `rows` rows: entry j of table t
/// is the product of g^(2^((t·rows + k)·cols)) over the set bits k of j. A power then costs
/// `cols − 1` squarings and `tables · cols − 1` products, each product with one entry read from
/// a whole table under a mask: more tables trade squarings for memory, wider ones products for
/// longer masked reads.
struct Comb<A: Arith> {
    rows: usize,
    cols: usize,
    tables: Vec<Vec<A::Elem>>,
}

impl<A: Arith> Comb<A> {
    fn build(arith: A, shape: Shape) -> Self {
        let Shape { rows, tables, cols } = shape;
        let mut bases = Vec::with_capacity(rows * tables);
        let mut power = arith.enter(&group().g);
        for _ in 0..rows * tables {
            bases.push(power);
            for _ in 0..cols {
                power = arith.sqr(&power);
            }
        }
        let tables = bases
            .chunks(rows)
            .map(|bases| {
                let mut table = vec![arith.one(); 1 << rows];
                for j in 1..table.len() {
                    let top = usize::BITS as usize - 1 - j.leading_zeros() as usize;
                    let rest = j & !(1 << top);
                    table[j] = if rest == 0 {
                        bases[top]
                    } else {
                        arith.mul(&table[rest], &bases[top])
                    };
                }
                table
            })
            .collect();
        Self { rows, cols, tables }
    }

    fn pow(&self, arith: A, e: &Bits) -> A::Elem {
        let entry = |t: usize, col: usize| {
            let mut index = 0usize;
            for row in 0..self.rows {
                index |= (e.bit((t * self.rows + row) * self.cols + col) as usize) << row;
            }
            select(&self.tables[t], index)
        };
        // The top column's first entry is the start (squaring one is wasted work).
        let top = self.cols - 1;
        let mut r = entry(0, top);
        for t in 1..self.tables.len() {
            r = arith.mul(&r, &entry(t, top));
        }
        for col in (0..top).rev() {
            r = arith.sqr(&r);
            for t in 0..self.tables.len() {
                r = arith.mul(&r, &entry(t, col));
            }
        }
        r
    }
}

/// A comb's shape: `tables` tables of 2^`rows` entries, `cols` columns; it covers exponents of
/// up to `rows · tables · cols` bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shape {
    rows: usize,
    tables: usize,
    cols: usize,
}

impl Shape {
    const fn max_bits(self) -> usize {
        self.rows * self.tables * self.cols
    }
}

/// A comb built once per process on a background thread, the first time it is wanted. Until
/// it exists, callers take the windowed path rather than wait. Measured on the 2-core test
/// machine with the portable multiplier, the first g^a of a process took 30–40 ms when it built
/// the large table itself and takes 8–12 ms this way.
struct LazyComb<A: Arith> {
    cell: OnceLock<Comb<A>>,
    started: std::sync::Once,
    shape: Shape,
}

impl<A: Arith> LazyComb<A> {
    const fn new(shape: Shape) -> Self {
        Self {
            cell: OnceLock::new(),
            started: std::sync::Once::new(),
            shape,
        }
    }

    fn max_bits(&self) -> usize {
        self.shape.max_bits()
    }

    fn build(&'static self, arith: A) -> &'static Comb<A> {
        self.cell.get_or_init(|| Comb::build(arith, self.shape))
    }

    /// The comb if it is ready; otherwise starts building it and returns `None`.
    fn ready_or_start(&'static self, arith: A) -> Option<&'static Comb<A>> {
        if let Some(comb) = self.cell.get() {
            return Some(comb);
        }
        self.started.call_once(|| {
            let spawned = std::thread::Builder::new()
                .name("srp-comb".into())
                .spawn(move || {
                    self.build(arith);
                });
            if spawned.is_err() {
                self.build(arith);
            }
        });
        self.cell.get()
    }
}

/// One multiplier's two fixed-base combs, each of four 64-entry tables (6 rows each):
/// [`SMALL`] for exponents up to 264 bits and [`LARGE`] up to 1032 bits. Every product reads a
/// whole table under a mask, so each table stays small (64 entries, within L1 on both
/// multipliers), and more tables take the place of squarings: g^x costs 10 squarings and 43
/// products, the client's g^a 42 and 171. Measured against one table per comb (6 × 43 and
/// 7 × 148, the shapes until 2026-12-07; benches/README.md): g^x 0.70 of the time on the
/// portable multiplier and 0.77 on IFMA, g^a 0.75 and 0.65.
struct Combs<A: Arith> {
    small: LazyComb<A>,
    large: LazyComb<A>,
}

impl<A: Arith> Combs<A> {
    const fn new(small: Shape, large: Shape) -> Self {
        Self {
            small: LazyComb::new(small),
            large: LazyComb::new(large),
        }
    }

    fn pow_g(&'static self, arith: A, bits: &Bits) -> BigUint {
        let comb = if bits.len() <= self.small.max_bits() {
            self.small.ready_or_start(arith)
        } else if bits.len() <= self.large.max_bits() {
            self.large.ready_or_start(arith)
        } else {
            None
        };
        let r = match comb {
            Some(comb) => comb.pow(arith, bits),
            None => window_pow(arith, &arith.enter(&group().g), bits),
        };
        arith.leave(&r)
    }
}

/// The comb for exponents up to 264 bits: x (the verifier, the USER_PASSWORD_AUTH check) and
/// the server's b.
const SMALL: Shape = Shape {
    rows: 6,
    tables: 4,
    cols: 11,
};
/// The comb for exponents up to 1032 bits: the client's 1024-bit a.
const LARGE: Shape = Shape {
    rows: 6,
    tables: 4,
    cols: 43,
};

static PORTABLE_COMBS: Combs<portable::Portable> = Combs::new(SMALL, LARGE);
#[cfg(target_arch = "x86_64")]
static IFMA_COMBS: Combs<ifma::Ifma> = Combs::new(SMALL, LARGE);

const WINDOW: usize = 5;

/// base^e by a fixed window: a table of base^0..base^31 (even powers by squaring, the cheaper
/// product), then for each 5-bit window from the top, five squarings and a product with the
/// window's entry; the top window's entry is the start (squaring one is wasted work).
fn window_pow<A: Arith>(arith: A, base: &A::Elem, e: &Bits) -> A::Elem {
    let mut table = [arith.one(); 1 << WINDOW];
    table[1] = *base;
    for i in 2..table.len() {
        table[i] = if i % 2 == 0 {
            arith.sqr(&table[i / 2])
        } else {
            arith.mul(&table[i - 1], base)
        };
    }
    let window = |w: usize| {
        let mut index = 0usize;
        for k in 0..WINDOW {
            index |= (e.bit(w * WINDOW + k) as usize) << k;
        }
        select(&table, index)
    };
    let windows = e.len().div_ceil(WINDOW);
    let Some(top) = windows.checked_sub(1) else {
        return arith.one();
    };
    let mut r = window(top);
    for w in (0..top).rev() {
        for _ in 0..WINDOW {
            r = arith.sqr(&r);
        }
        r = arith.mul(&r, &window(w));
    }
    r
}

fn pow_with<A: Arith>(arith: A, base: &BigUint, e: &Bits) -> BigUint {
    arith.leave(&window_pow(arith, &arith.enter(base), e))
}

/// The environment variable that picks the multiplier ([`Backend::active`]): `auto`
/// (default), `portable`, `generic` or `ifma`. The emulator's RS256 signer reads the same
/// variable.
pub const MULTIPLIER_ENV: &str = "COGNITO_MULTIPLIER";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Portable(portable::Portable),
    #[cfg(target_arch = "x86_64")]
    Ifma(ifma::Ifma),
}

/// The multiplier behind the powers. [`Backend::active`] is what [`pow_g`] and [`pow`] use:
/// AVX-512 IFMA where the CPU has it, the portable one otherwise. Both give the same numbers;
/// benchmarks and tests can ask for either.
///
/// ```
/// use cognito_protocol::modexp::Backend;
/// use cognito_protocol::srp::group;
/// use num_bigint::BigUint;
///
/// let e = BigUint::from(65_537u32);
/// let portable = Backend::portable().pow_g(&e);
/// assert_eq!(portable, Backend::active().pow_g(&e));
/// assert_eq!(portable, group().g.modpow(&e, &group().n));
/// println!("this process computes SRP with the {} multiplier", Backend::active().name());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backend(Kind);

impl Backend {
    /// Montgomery arithmetic on 64-bit limbs, what every CPU without AVX-512 IFMA runs: the
    /// MULX/ADCX/ADOX kernel on x86-64 CPUs with BMI2 and ADX, plain Rust elsewhere.
    pub fn portable() -> Self {
        Self(Kind::Portable(portable::Portable(
            cognito_montgomery::Multiplier::fastest(),
        )))
    }

    /// The portable arithmetic in plain Rust whatever the CPU: what aarch64 and x86-64 CPUs
    /// without BMI2 and ADX run.
    pub fn generic() -> Self {
        Self(Kind::Portable(portable::Portable(
            cognito_montgomery::Multiplier::generic(),
        )))
    }

    /// Montgomery arithmetic on 52-bit limbs with AVX-512 IFMA, when this CPU has AVX-512F and
    /// AVX-512 IFMA (x86-64 only); `None` otherwise.
    pub fn avx512_ifma() -> Option<Self> {
        #[cfg(target_arch = "x86_64")]
        {
            ifma::Ifma::detect().map(|token| Self(Kind::Ifma(token)))
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            None
        }
    }

    /// The multiplier this process uses, chosen once: the fastest this CPU runs, unless the
    /// environment variable [`MULTIPLIER_ENV`] says otherwise (`portable` forces
    /// [`Backend::portable`], `generic` forces [`Backend::generic`]; `ifma` demands AVX-512 IFMA and panics where the CPU lacks it, so that a CI
    /// job that means to test IFMA cannot pass silently without it; `auto` or unset: the
    /// fastest).
    ///
    /// # Panics
    /// When the variable holds `ifma` on a CPU without AVX-512 IFMA, or a value other than
    /// `auto`, `portable`, `generic` and `ifma`: the variable is a switch for tests and benchmarks, and a
    /// run that asked for a path it cannot have must not pass as if it had it.
    #[allow(clippy::panic)]
    pub fn active() -> Self {
        static ACTIVE: OnceLock<Backend> = OnceLock::new();
        *ACTIVE.get_or_init(|| {
            let wanted = std::env::var(MULTIPLIER_ENV).unwrap_or_default();
            match wanted.trim() {
                "" | "auto" => Self::avx512_ifma().unwrap_or_else(Self::portable),
                "portable" => Self::portable(),
                "generic" => Self::generic(),
                "ifma" => Self::avx512_ifma().unwrap_or_else(|| {
                    panic!("{MULTIPLIER_ENV}=ifma, but this CPU lacks AVX-512 IFMA")
                }),
                other => {
                    panic!("{MULTIPLIER_ENV}={other:?}: expected auto, portable, generic or ifma")
                }
            }
        })
    }

    /// A short name for logs and reports: `avx512-ifma`, or the portable kernel's
    /// (`mulx-adx`, `generic`).
    pub fn name(self) -> &'static str {
        match self.0 {
            Kind::Portable(p) => p.0.name(),
            #[cfg(target_arch = "x86_64")]
            Kind::Ifma(_) => "avx512-ifma",
        }
    }

    /// g^e mod N, by the fixed-base comb that covers `e` once it is built, and by the windowed
    /// path before that or past 1032 bits. For a public exponent: the step count follows its
    /// length.
    pub fn pow_g(self, e: &BigUint) -> BigUint {
        self.pow_g_bits(&Bits::of(e))
    }

    /// g^e mod N for a secret exponent of at most `bits` bits: the steps and the table chosen
    /// depend on `bits` only, and every table read is masked.
    pub fn pow_g_secret(self, e: &BigUint, bits: usize) -> BigUint {
        self.pow_g_bits(&Bits::fixed(e, bits))
    }

    fn pow_g_bits(self, bits: &Bits) -> BigUint {
        match self.0 {
            Kind::Portable(p) => PORTABLE_COMBS.pow_g(p, bits),
            #[cfg(target_arch = "x86_64")]
            Kind::Ifma(token) => IFMA_COMBS.pow_g(token, bits),
        }
    }

    /// base^e mod N for any base and a public exponent, by a fixed 5-bit window.
    pub fn pow(self, base: &BigUint, e: &BigUint) -> BigUint {
        self.pow_bits(base, &Bits::of(e))
    }

    /// base^e mod N for a secret exponent of at most `bits` bits: ⌈bits/5⌉ windows whatever
    /// the exponent, each table entry read under a mask.
    pub fn pow_secret(self, base: &BigUint, e: &BigUint, bits: usize) -> BigUint {
        self.pow_bits(base, &Bits::fixed(e, bits))
    }

    fn pow_bits(self, base: &BigUint, e: &Bits) -> BigUint {
        match self.0 {
            Kind::Portable(p) => pow_with(p, base, e),
            #[cfg(target_arch = "x86_64")]
            Kind::Ifma(token) => pow_with(token, base, e),
        }
    }

    /// Runs `f` with this multiplier behind [`pow_g`], [`pow`], [`pow_g_secret`] and
    /// [`pow_secret`] on the calling thread (so behind [`crate::srp`] too), then restores the
    /// previous choice, even if `f` panics. Benchmarks use it to time the full SRP steps on
    /// every multiplier in one process; other threads keep [`Backend::active`].
    ///
    /// ```
    /// use cognito_protocol::modexp::{self, Backend};
    /// use num_bigint::BigUint;
    ///
    /// let e = BigUint::from(99u8);
    /// let on_generic = Backend::generic().run(|| modexp::pow_g(&e));
    /// assert_eq!(on_generic, modexp::pow_g(&e));
    /// ```
    pub fn run<R>(self, f: impl FnOnce() -> R) -> R {
        struct Restore(Option<Backend>);
        impl Drop for Restore {
            fn drop(&mut self) {
                CHOSEN.with(|chosen| chosen.set(self.0));
            }
        }
        let _restore = Restore(CHOSEN.with(|chosen| chosen.replace(Some(self))));
        f()
    }

    /// Builds this multiplier's fixed-base tables now, waiting for them.
    pub fn precompute(self) {
        match self.0 {
            Kind::Portable(p) => {
                PORTABLE_COMBS.small.build(p);
                PORTABLE_COMBS.large.build(p);
            }
            #[cfg(target_arch = "x86_64")]
            Kind::Ifma(token) => {
                IFMA_COMBS.small.build(token);
                IFMA_COMBS.large.build(token);
            }
        }
    }

    /// Starts building, in the background, the table for exponents up to 256 bits.
    fn start_small(self) {
        match self.0 {
            Kind::Portable(p) => {
                let _ = PORTABLE_COMBS.small.ready_or_start(p);
            }
            #[cfg(target_arch = "x86_64")]
            Kind::Ifma(token) => {
                let _ = IFMA_COMBS.small.ready_or_start(token);
            }
        }
    }
}

thread_local! {
    /// The multiplier [`Backend::run`] put in place on this thread, if any.
    static CHOSEN: std::cell::Cell<Option<Backend>> = const { std::cell::Cell::new(None) };
}

/// The multiplier behind the free functions: [`Backend::run`]'s on this thread, else the
/// process's.
fn current() -> Backend {
    CHOSEN
        .with(std::cell::Cell::get)
        .unwrap_or_else(Backend::active)
}

/// Builds the active multiplier's fixed-base tables now, waiting for them (benchmarks call
/// this so that they measure the steady state; servers may call it at start-up).
///
/// ```
/// cognito_protocol::modexp::precompute();
/// ```
pub fn precompute() {
    Backend::active().precompute();
}

/// Starts building, on a background thread, the table a server uses (exponents up to 256
/// bits: its b and users' verifiers) and returns at once. The larger client table is left to
/// clients' first use.
pub fn start_precomputing() {
    Backend::active().start_small();
}

/// g^e mod N with the active multiplier (see [`Backend::pow_g`] and [`Backend::run`]).
pub fn pow_g(e: &BigUint) -> BigUint {
    current().pow_g(e)
}

/// base^e mod N with the active multiplier, by a fixed 5-bit window.
pub fn pow(base: &BigUint, e: &BigUint) -> BigUint {
    current().pow(base, e)
}

/// g^e mod N for a secret exponent of at most `bits` bits (see [`Backend::pow_g_secret`]).
pub fn pow_g_secret(e: &BigUint, bits: usize) -> BigUint {
    current().pow_g_secret(e, bits)
}

/// base^e mod N for a secret exponent of at most `bits` bits (see [`Backend::pow_secret`]).
pub fn pow_secret(base: &BigUint, e: &BigUint, bits: usize) -> BigUint {
    current().pow_secret(base, e, bits)
}

#[cfg(test)]
pub(crate) mod tests;
