//! Montgomery multiplication modulo an odd number of `N` little-endian 64-bit limbs
//! (R = 2^(64·N)): the arithmetic under the SRP exponentiations (`N` = 48, the 3072-bit group)
//! and under the emulator's four-prime RS256 signer (`N` = 8, 512-bit primes) on CPUs without
//! AVX-512 IFMA.
//!
//! Two kernels give the same numbers; a [`Multiplier`] says which one runs:
//! - **`mulx-adx`**, for x86-64 CPUs with BMI2 and ADX (Intel since Broadwell, AMD since Zen),
//!   found at run time. Word-by-word Montgomery multiplication (CIOS) in inline assembly: each
//!   row adds a·bᵢ, then m·n, with two independent carry chains (`adcx` on the carry flag for the
//!   low words of the products, `adox` on the overflow flag for the high words), for a multiple
//!   of 4 limbs (other sizes take the plain-Rust kernel); dedicated squares (each cross product
//!   once); an 8-limb product and square with the accumulator in registers, which [`Work8`]
//!   runs in place for chains of them (the RS256 signer's exponentiations). This is the one
//!   place the workspace writes assembly, and why: compilers do not emit `adox`, so Rust (with
//!   or without the `_mulx_u64`/`_addcarryx_u64` intrinsics) gets one carry chain, and a
//!   plain-Rust build with BMI2 and ADX enabled was measured only about 5% faster per
//!   exponentiation; the assembly is 2× (benches/README.md, "Fast without IFMA").
//! - **`generic`**, plain Rust for every CPU (aarch64, older x86-64): product scanning with a
//!   three-word accumulator for products, each cross product once and doubled for squares.
//!   64 × 64 → 128-bit multiplies compile to `mul`/`umulh` on aarch64.
//!
//! Both expect inputs below n and return the canonical result below n. Timing: neither kernel
//! branches on or indexes memory by the numbers (the assembly's loops have fixed
//! counts), and the final subtraction of n is kept or dropped under a mask. [`select`] reads a
//! table entry in constant time.
//!
//! ```
//! use cognito_montgomery::{Modulus, Multiplier};
//!
//! // 2^128 − 159 is prime; R = 2^128 here.
//! let n = Modulus::new([u64::MAX - 158, u64::MAX]).expect("odd");
//! let r2 = [159 * 159, 0]; // R² mod n (R ≡ 159), so mul(x, R²) puts x in Montgomery form
//! for m in [Multiplier::generic(), Multiplier::fastest()] {
//!     let three = m.mul(&[3, 0], &r2, &n);
//!     let nine = m.sqr(&three, &n);
//!     assert_eq!(m.mul(&nine, &[1, 0], &n), [9, 0]); // leaving Montgomery form: times 1
//! }
//! ```

#[cfg(target_arch = "x86_64")]
mod adx;
mod generic;
mod select;

pub use select::select;

/// An odd modulus of `N` limbs and −n⁻¹ mod 2^64. Its limbs are overwritten with zeros when it
/// is dropped (RSA primes are secret).
#[derive(Clone)]
pub struct Modulus<const N: usize> {
    n: [u64; N],
    n0: u64,
}

impl<const N: usize> std::fmt::Debug for Modulus<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Modulus")
            .field("limbs", &N)
            .finish_non_exhaustive()
    }
}

impl<const N: usize> Drop for Modulus<N> {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        self.n.zeroize();
        self.n0.zeroize();
    }
}

impl<const N: usize> Modulus<N> {
    /// The modulus with these limbs (low limb first); `None` if it is even (or `N` is 0).
    pub fn new(n: [u64; N]) -> Option<Self> {
        let low = *n.first()?;
        if low & 1 == 0 {
            return None;
        }
        Some(Self {
            n,
            n0: neg_inverse(low),
        })
    }

    /// The limbs, low limb first.
    pub fn limbs(&self) -> &[u64; N] {
        &self.n
    }

    /// x + carry·R, less n if that is at least n, for a value below 2n: without a branch, the
    /// difference kept or dropped under a mask.
    pub fn reduce_once(&self, x: &mut [u64; N], carry: u64) {
        let mut diff = [0u64; N];
        let mut borrow = 0u64;
        for ((d, a), b) in diff.iter_mut().zip(x.iter()).zip(self.n.iter()) {
            let (s1, b1) = a.overflowing_sub(*b);
            let (s2, b2) = s1.overflowing_sub(borrow);
            *d = s2;
            borrow = u64::from(b1 | b2);
        }
        // Keep the difference when there was a carry word or no borrow.
        let keep = (carry | (borrow ^ 1)) & 1;
        let mask = keep.wrapping_neg();
        for (a, d) in x.iter_mut().zip(diff.iter()) {
            *a = (*d & mask) | (*a & !mask);
        }
    }

    /// a + b mod n, for a and b below n.
    pub fn add(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut sum = [0u64; N];
        let mut carry = 0u64;
        for ((s, x), y) in sum.iter_mut().zip(a).zip(b) {
            let (v1, c1) = x.overflowing_add(*y);
            let (v2, c2) = v1.overflowing_add(carry);
            *s = v2;
            carry = u64::from(c1 | c2);
        }
        self.reduce_once(&mut sum, carry);
        sum
    }
}

/// An 8-limb number that squarings and products change in place, kept beside its modulus and a
/// second operand (the RS256 signer's exponentiations modulo 512-bit primes). The MULX/ADX
/// kernel reads its operands from this block and writes the result back into it, so a chain of
/// squarings copies nothing; through [`Multiplier::sqr`] every square copies its operand and the
/// modulus in and the result out (measured in benches/README.md, "RS256 tokens"). Every word is
/// overwritten with zeros when it is dropped.
///
/// ```
/// use cognito_montgomery::{Modulus, Multiplier, Work8};
///
/// let n = Modulus::new([u64::MAX - 568, u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX])
///     .expect("odd");
/// let x = [3, 1, 4, 1, 5, 9, 2, 6];
/// for k in [Multiplier::generic(), Multiplier::fastest()] {
///     let mut w = Work8::new(&n, &x);
///     w.square(k);
///     assert_eq!(*w.value(), k.sqr(&x, &n));
///     *w.operand() = x;
///     w.multiply(k);
///     assert_eq!(*w.value(), k.mul(&k.sqr(&x, &n), &x, &n));
/// }
/// ```
pub struct Work8 {
    block: Block8,
    /// The modulus again, for the plain-Rust kernel (wiped on drop, as every `Modulus` is).
    modulus: Modulus<8>,
}

/// [`Work8`]'s words side by side, so that one register addresses them all in the 8-limb
/// assembly (the accumulator's ten words, the two product words, this pointer and rdx take all
/// fourteen general registers). Not wiped on drop: [`Multiplier::mul`] and [`Multiplier::sqr`]
/// build one per 8-limb product, as they always did; [`Work8`] wipes its own.
#[repr(C)]
pub(crate) struct Block8 {
    /// The number (byte 0 of the block).
    pub(crate) x: [u64; 8],
    /// The modulus (byte 64).
    pub(crate) n: [u64; 8],
    /// The second operand of a product (byte 128).
    pub(crate) b: [u64; 8],
    /// −n⁻¹ mod 2^64 (byte 192).
    pub(crate) n0: u64,
    /// The assembly's own words: the result before its final subtraction (byte 200) and the
    /// 16-word square (byte 264). Written before they are read, so never initialised here
    /// (zeroing them cost a tenth of a square).
    pub(crate) spare: std::mem::MaybeUninit<[u64; 8]>,
    pub(crate) square: std::mem::MaybeUninit<[u64; 16]>,
}

impl Block8 {
    pub(crate) fn new(x: &[u64; 8], b: &[u64; 8], n: &Modulus<8>) -> Self {
        Self {
            x: *x,
            n: n.n,
            b: *b,
            n0: n.n0,
            spare: std::mem::MaybeUninit::uninit(),
            square: std::mem::MaybeUninit::uninit(),
        }
    }
}

impl std::fmt::Debug for Work8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Work8").finish_non_exhaustive()
    }
}

impl Drop for Work8 {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        let w = &mut self.block;
        w.x.zeroize();
        w.n.zeroize();
        w.b.zeroize();
        w.n0.zeroize();
        w.spare.zeroize();
        w.square.zeroize();
    }
}

impl Work8 {
    /// `x` (below n) beside the modulus, with a zero second operand.
    pub fn new(n: &Modulus<8>, x: &[u64; 8]) -> Self {
        Self {
            block: Block8::new(x, &[0; 8], n),
            modulus: n.clone(),
        }
    }

    /// The number.
    pub fn value(&self) -> &[u64; 8] {
        &self.block.x
    }

    /// The second operand of [`Work8::multiply`], to be written (below n).
    pub fn operand(&mut self) -> &mut [u64; 8] {
        &mut self.block.b
    }

    /// x = x²·R⁻¹ mod n, below n.
    pub fn square(&mut self, k: Multiplier) {
        match k.0 {
            #[cfg(target_arch = "x86_64")]
            Kind::Adx(token) => token.sqr8(&mut self.block),
            Kind::Generic => self.block.x = k.sqr(&self.block.x, &self.modulus),
        }
    }

    /// x = x·b·R⁻¹ mod n, below n, with b the [`Work8::operand`].
    pub fn multiply(&mut self, k: Multiplier) {
        match k.0 {
            #[cfg(target_arch = "x86_64")]
            Kind::Adx(token) => token.mul8(&mut self.block),
            Kind::Generic => self.block.x = k.mul(&self.block.x, &self.block.b, &self.modulus),
        }
    }
}

/// −x⁻¹ mod 2^64 for odd x (Montgomery's n₀). Newton's iteration doubles the correct low bits
/// each step: 6 steps reach 64.
///
/// ```
/// let x = 0x9e37_79b9_7f4a_7c15u64;
/// assert_eq!(x.wrapping_mul(cognito_montgomery::neg_inverse(x)), u64::MAX); // x·(−x⁻¹) = −1
/// ```
pub fn neg_inverse(x: u64) -> u64 {
    let mut inv: u64 = 1;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Generic,
    #[cfg(target_arch = "x86_64")]
    Adx(adx::Adx),
}

/// Which kernel computes the products: a token, free to copy. Holding a `mulx-adx` one means
/// this CPU has BMI2 and ADX.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Multiplier(Kind);

impl Multiplier {
    /// Plain Rust, on every CPU.
    pub fn generic() -> Self {
        Self(Kind::Generic)
    }

    /// MULX/ADCX/ADOX assembly, when this CPU is x86-64 with BMI2 and ADX; `None` otherwise.
    pub fn mulx_adx() -> Option<Self> {
        #[cfg(target_arch = "x86_64")]
        {
            adx::Adx::detect().map(|token| Self(Kind::Adx(token)))
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            None
        }
    }

    /// The fastest kernel this CPU runs.
    pub fn fastest() -> Self {
        Self::mulx_adx().unwrap_or_else(Self::generic)
    }

    /// `mulx-adx` or `generic`, for logs and reports.
    pub fn name(self) -> &'static str {
        match self.0 {
            Kind::Generic => "generic",
            #[cfg(target_arch = "x86_64")]
            Kind::Adx(_) => "mulx-adx",
        }
    }

    /// a·b·R⁻¹ mod n, for a and b below n; the result is below n.
    pub fn mul<const N: usize>(self, a: &[u64; N], b: &[u64; N], n: &Modulus<N>) -> [u64; N] {
        match self.0 {
            #[cfg(target_arch = "x86_64")]
            Kind::Adx(token) if adx::supports(N) => token.mul(a, b, n),
            _ => {
                let (mut r, carry) = generic::mul(a, b, n);
                n.reduce_once(&mut r, carry);
                r
            }
        }
    }

    /// a²·R⁻¹ mod n, for a below n; the result is below n.
    pub fn sqr<const N: usize>(self, a: &[u64; N], n: &Modulus<N>) -> [u64; N] {
        match self.0 {
            #[cfg(target_arch = "x86_64")]
            Kind::Adx(token) if adx::supports(N) => token.sqr(a, n),
            _ => {
                let (mut r, carry) = generic::sqr(a, n);
                n.reduce_once(&mut r, carry);
                r
            }
        }
    }
}

#[cfg(test)]
mod tests;
