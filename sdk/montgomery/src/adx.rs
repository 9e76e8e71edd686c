//! The MULX/ADCX/ADOX kernels: Montgomery multiplication in inline assembly.
//!
//! - **Products, a multiple of 4 limbs** (CIOS): the accumulator t has N + 2 words in memory.
//!   Each of the N rows runs two passes over it, each fully unrolled over the limbs:
//!   1. t += a·bᵢ. `mulx` gives each product's high and low words without touching the flags;
//!      `adcx` adds the low word and t's word on the carry flag's chain, `adox` adds the previous
//!      product's high word on the overflow flag's chain. The two chains are independent, so the
//!      additions of one limb do not wait for each other.
//!   2. t = (t + m·n) / 2^64 with m = t₀·(−n⁻¹) mod 2^64, the same way, each word stored one
//!      place down.
//! - **Squares, a multiple of 4 limbs from 12** (48 for SRP): each cross product once, in rows
//!   padded to a multiple of 4 limbs so that a group of four rows shares one loop; one pass
//!   doubles them on the overflow chain while adding the squares aᵢ² on the carry chain; then N
//!   reduction rows, unrolled. Other sizes square by the product.
//! - **Code size is speed.** The 48-limb kernels are never inlined, and the cross products,
//!   the doubling and the final subtraction run as loops (kept by `jrcxz`, which leaves both
//!   carry flags alone) rather than unrolled: inlined into an exponentiation's loop and fully
//!   unrolled, the square was copied five times, 80 KB that did not fit the instruction cache.
//!   Measured on the 1025-bit exponentiation (cycles, best of 12 runs, benches/README.md):
//!   7.55 M inlined and unrolled, 7.0 M not inlined, 6.6 M with the loops. Looping the
//!   reduction rows too was slower (6.8 M): they stay unrolled.
//! - **8 limbs** (the RS256 primes): the product and the square with the accumulator in ten
//!   registers that rotate from row to row, and the final subtraction in assembly. They work on
//!   a [`Block8`] and leave the result in its first operand, so that [`crate::Work8`] squares
//!   in place.
//!
//! With a, b < n every row leaves t < 2n, so one subtraction of n, kept or dropped without a
//! branch, gives the result below n. The only branches are loops with fixed counts, and no
//! address depends on the numbers.
//!
//! The assembly runs only through an [`Adx`] value, and the only way to get one is
//! [`Adx::detect`], which asks the CPU. That and `select`'s AVX2 call are the whole of the
//! crate's `unsafe`.
#![allow(unsafe_code)]

use std::arch::asm;
use std::mem::MaybeUninit;

use crate::{Block8, Modulus};

/// Whether the kernel handles `n` limbs (a multiple of 4).
pub(crate) const fn supports(n: usize) -> bool {
    n >= 4 && n.is_multiple_of(4)
}

/// The right to run MULX, ADCX and ADOX: a value exists only on a CPU that has BMI2 and ADX.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Adx {
    _checked: (),
}

/// The accumulator (N + 2 words) and two words the assembly reads: −n⁻¹ mod 2^64 and the end
/// of b. `repr(C)`: the fields follow each other with no padding, so the assembly addresses
/// them as one array.
#[repr(C)]
struct Scratch<const N: usize> {
    t: [u64; N],
    top: [u64; 2],
    n0: u64,
    b_end: u64,
    /// The result, written by the assembly before it is read.
    out: MaybeUninit<[u64; N]>,
}

/// `dst = src − n` over `{limbs}` words (a multiple of 4), then, if that borrowed past the top
/// word (`$top`: the instructions that subtract the borrow from it, leaving the carry flag set
/// when the result was below n), `dst = src` again, word by word with `cmovc`: the subtraction
/// of n that brings a result below 2n under n, with no branch. Both passes are loops over four
/// words, counted in rcx from −`limbs` up to zero and left by `jrcxz`, which keep the carry
/// flag; unrolled, they were an eighth of the square's code.
macro_rules! subtract_once {
    ($src:literal, $n:literal, $dst:literal, $top:literal) => {
        concat!(
            "mov rcx, -{limbs}\n",
            "clc\n",
            "5:\n",
            ".set cm_o, 0\n",
            ".rept 4\n",
            "mov {lo}, qword ptr [",
            $src,
            " + 8*{limbs} + 8*rcx + cm_o]\n",
            "sbb {lo}, qword ptr [",
            $n,
            " + 8*{limbs} + 8*rcx + cm_o]\n",
            "mov qword ptr [",
            $dst,
            " + 8*{limbs} + 8*rcx + cm_o], {lo}\n",
            ".set cm_o, cm_o + 8\n",
            ".endr\n",
            "lea rcx, [rcx + 4]\n",
            "jrcxz 6f\n",
            "jmp 5b\n",
            "6:\n",
            $top,
            "mov rcx, -{limbs}\n",
            "5:\n",
            ".set cm_o, 0\n",
            ".rept 4\n",
            "mov {lo}, qword ptr [",
            $dst,
            " + 8*{limbs} + 8*rcx + cm_o]\n",
            "cmovc {lo}, qword ptr [",
            $src,
            " + 8*{limbs} + 8*rcx + cm_o]\n",
            "mov qword ptr [",
            $dst,
            " + 8*{limbs} + 8*rcx + cm_o], {lo}\n",
            ".set cm_o, cm_o + 8\n",
            ".endr\n",
            "lea rcx, [rcx + 4]\n",
            "jrcxz 6f\n",
            "jmp 5b\n",
            "6:\n",
        )
    };
}

/// Limbs 1..L−1 of `acc[0..L] += rdx · src[0..L]`, two at a time (`$pairs` = (L − 2) / 2
/// repetitions of [`pair`], then [`last`]), where `ap` points at src and `tp` at acc and both
/// move along. Expects the flags clear and limb 0 done with its high word in `h0`. Leaves the
/// last high word in `h1`, both carries pending into word L, and `ap`, `tp` at limb L − 2 (so word
/// L is at `[tp + 16]`). Each sum is stored at its own word plus `$shift` (`""`, or `" - 8"` to
/// store every word one place down).
macro_rules! pass {
    ($pairs:literal, $shift:literal) => {
        concat!(
            ".rept ",
            $pairs,
            "\n",
            pair!($shift),
            ".endr\n",
            last!($shift),
        )
    };
}

/// One pair of [`pass`]'s words: words 1 and 2 from `ap` and `tp`, which then move two words on.
macro_rules! pair {
    ($shift:literal) => {
        concat!(
            "mulx {h1}, {lo}, qword ptr [{ap} + 8]\n",
            "adcx {lo}, qword ptr [{tp} + 8]\n",
            "adox {lo}, {h0}\n",
            "mov qword ptr [{tp} + 8",
            $shift,
            "], {lo}\n",
            "mulx {h0}, {lo}, qword ptr [{ap} + 16]\n",
            "adcx {lo}, qword ptr [{tp} + 16]\n",
            "adox {lo}, {h1}\n",
            "mov qword ptr [{tp} + 16",
            $shift,
            "], {lo}\n",
            "lea {ap}, [{ap} + 16]\n",
            "lea {tp}, [{tp} + 16]\n",
        )
    };
}

/// [`pass`]'s last word.
macro_rules! last {
    ($shift:literal) => {
        concat!(
            "mulx {h1}, {lo}, qword ptr [{ap} + 8]\n",
            "adcx {lo}, qword ptr [{tp} + 8]\n",
            "adox {lo}, {h0}\n",
            "mov qword ptr [{tp} + 8",
            $shift,
            "], {lo}\n",
        )
    };
}

impl Adx {
    /// `Some` when this CPU has BMI2 (MULX) and ADX (ADCX, ADOX).
    pub(crate) fn detect() -> Option<Self> {
        let present = std::arch::is_x86_feature_detected!("bmi2")
            && std::arch::is_x86_feature_detected!("adx");
        present.then_some(Self { _checked: () })
    }

    /// a·b·R⁻¹ mod n, below n, for a, b < n and N a multiple of 4.
    pub(crate) fn mul<const N: usize>(
        self,
        a: &[u64; N],
        b: &[u64; N],
        m: &Modulus<N>,
    ) -> [u64; N] {
        assert!(
            supports(N),
            "the MULX/ADX kernel needs a multiple of 4 limbs"
        );
        // Eight limbs (RS256's primes) have a kernel of their own, with t in registers.
        if let (Some(a8), Some(b8), Some(m8)) = (
            (a as &dyn std::any::Any).downcast_ref::<[u64; 8]>(),
            (b as &dyn std::any::Any).downcast_ref::<[u64; 8]>(),
            (m as &dyn std::any::Any).downcast_ref::<Modulus<8>>(),
        ) {
            let mut w = Block8::new(a8, b8, m8);
            self.mul8(&mut w);
            return widen(w.x);
        }
        self.mul_wide(a, b, m)
    }

    /// [`Adx::mul`] for N other than 8. Never inlined (see the module documentation: a copy
    /// per call site did not fit the instruction cache).
    #[inline(never)]
    fn mul_wide<const N: usize>(self, a: &[u64; N], b: &[u64; N], m: &Modulus<N>) -> [u64; N] {
        let mut s = Scratch::<N> {
            t: [0; N],
            top: [0; 2],
            n0: m.n0,
            b_end: b.as_ptr_range().end as u64,
            out: MaybeUninit::uninit(),
        };
        let t: *mut u64 = s.t.as_mut_ptr();
        // SAFETY: `self` exists only on a CPU with BMI2 and ADX (`detect`). The assembly reads
        // a[0..N], n[0..N] and b[0..N] (b's pointer runs up to `b_end`, one past its end) and
        // reads and writes the scratch's N + 2 accumulator words, reads n0 and b_end at words
        // N + 2 and N + 3, and writes the N words of `out` from word N + 4: all inside
        // `Scratch`, which is `repr(C)` with u64 fields only (`MaybeUninit<[u64; N]>` has the
        // array's layout). It uses no stack and changes nothing but what it declares.
        unsafe {
            asm!(
                "2:",
                // t += a·bᵢ
                "mov rdx, qword ptr [{b}]",
                "mov {ap}, {a}",
                "mov {tp}, {t}",
                "xor {z:e}, {z:e}",
                "mulx {h0}, {lo}, qword ptr [{ap}]",
                "adcx {lo}, qword ptr [{tp}]",
                "mov qword ptr [{tp}], {lo}",
                pass!("{pairs}", ""),
                "mov {lo}, qword ptr [{tp} + 16]",
                "adcx {lo}, {z}",
                "adox {lo}, {h1}",
                "mov qword ptr [{tp} + 16], {lo}",
                "mov {lo}, qword ptr [{tp} + 24]",
                "adcx {lo}, {z}",
                "adox {lo}, {z}",
                "mov qword ptr [{tp} + 24], {lo}",
                // t = (t + m·n) / 2^64
                "mov rdx, qword ptr [{t}]",
                "imul rdx, qword ptr [{t} + {n0}]",
                "mov {ap}, {n}",
                "mov {tp}, {t}",
                "xor {z:e}, {z:e}",
                "mulx {h0}, {lo}, qword ptr [{ap}]",
                "adcx {lo}, qword ptr [{tp}]",
                pass!("{pairs}", " - 8"),
                "mov {lo}, qword ptr [{tp} + 16]",
                "adcx {lo}, {z}",
                "adox {lo}, {h1}",
                "mov qword ptr [{tp} + 8], {lo}",
                "mov {lo}, qword ptr [{tp} + 24]",
                "adcx {lo}, {z}",
                "adox {lo}, {z}",
                "mov qword ptr [{tp} + 16], {lo}",
                "mov qword ptr [{tp} + 24], {z}",
                "lea {b}, [{b} + 8]",
                "cmp {b}, qword ptr [{t} + {b_end}]",
                "jne 2b",
                subtract_once!(
                    "{t}",
                    "{n}",
                    "{t} + {out}",
                    "mov {lo}, qword ptr [{t} + {top}]\nsbb {lo}, 0\n"
                ),
                pairs = const N.saturating_sub(2) / 2,
                limbs = const N,
                top = const 8 * N,
                n0 = const 8 * (N + 2),
                b_end = const 8 * (N + 3),
                out = const 8 * (N + 4),
                a = in(reg) a.as_ptr(),
                b = inout(reg) b.as_ptr() => _,
                n = in(reg) m.n.as_ptr(),
                t = in(reg) t,
                ap = out(reg) _,
                tp = out(reg) _,
                lo = out(reg) _,
                h0 = out(reg) _,
                h1 = out(reg) _,
                z = out(reg) _,
                out("rcx") _,
                out("rdx") _,
                options(nostack),
            );
        }
        // SAFETY: the assembly wrote all N words of `out` (`subtract_once`).
        unsafe { s.out.assume_init() }
    }

    /// a²·R⁻¹ mod n, below n, for a < n and N a multiple of 4.
    pub(crate) fn sqr<const N: usize>(self, a: &[u64; N], m: &Modulus<N>) -> [u64; N] {
        assert!(
            supports(N),
            "the MULX/ADX kernel needs a multiple of 4 limbs"
        );
        if let (Some(a8), Some(m8)) = (
            (a as &dyn std::any::Any).downcast_ref::<[u64; 8]>(),
            (m as &dyn std::any::Any).downcast_ref::<Modulus<8>>(),
        ) {
            let mut w = Block8::new(a8, &[0; 8], m8);
            self.sqr8(&mut w);
            return widen(w.x);
        }
        self.sqr_wide(a, m)
    }

    /// [`Adx::sqr`] for N other than 8; never inlined (see [`Adx::mul_wide`]).
    #[inline(never)]
    fn sqr_wide<const N: usize>(self, a: &[u64; N], m: &Modulus<N>) -> [u64; N] {
        // `sqr` checked that N is a multiple of 4; the cross-product rows need at least 12.
        if N < 12 {
            return self.mul(a, a, m);
        }
        let mut s = Square::<N> {
            az: *a,
            low: [0; N],
            high: [0; N],
            n0: m.n0,
        };
        let base: *mut Square<N> = &mut s;
        // SAFETY: `self` exists only on a CPU with BMI2 and ADX (`detect`). N is a multiple of 4
        // of at least 12. The assembly reads a[0..N] and n[0..N]; in `s` (`repr(C)`, u64 fields
        // only) it reads and writes az (the N words before `t`) and the 2N words of low and
        // high (from `t` = base + 8N), and reads n0 at word 2N from `t`. The cross products of row i write
        // words i + 4⌊(i+1)/4⌋ to i + N of the 2N; the reduction rows write words i to i + N.
        // It uses no stack.
        unsafe {
            asm!(
                // Cross products aᵢ·aⱼ (i < j): row i adds aᵢ·az[s..N) at word i + s, where
                // s = 4⌊(i+1)/4⌋ and az is a with entries up to i zeroed, so every row's
                // length is a multiple of 4 and one unrolled body serves each group of 4 rows.
                ".set cm_s, 0",
                ".rept {groups}",
                ".if cm_s == 0",
                ".set cm_i, 0",
                "mov {cnt:e}, 3",
                ".else",
                ".set cm_i, cm_s - 1",
                "mov {cnt:e}, 4",
                ".endif",
                // rp: word i + s of the square.
                "lea {rp}, [{t} + 8*cm_i + 8*cm_s]",
                "3:",
                // aᵢ, read from az (word i, at rp − 8(N + s)), then zeroed there.
                "mov rdx, qword ptr [{rp} - 8*{n} - 8*cm_s]",
                "mov qword ptr [{rp} - 8*{n} - 8*cm_s], 0",
                "lea {ap}, [{t} - 8*{n} + 8*cm_s]",
                "mov {tp}, {rp}",
                "xor {z:e}, {z:e}",
                "mulx {h0}, {lo}, qword ptr [{ap}]",
                "adcx {lo}, qword ptr [{tp}]",
                "mov qword ptr [{tp}], {lo}",
                // The row's (N − s − 2)/2 pairs of words (an odd number): one, then a loop of
                // two at a time, counted up to zero in rcx and left by `jrcxz`, which leave the
                // two carry flags alone. One small body instead of one unrolled body per group
                // keeps the square short enough for the processor's decoded-instruction cache.
                pair!(""),
                ".if ({n} - cm_s - 4) / 4 > 0",
                "mov rcx, -(({n} - cm_s - 4) / 4)",
                "5:",
                pair!(""),
                pair!(""),
                "lea rcx, [rcx + 1]",
                "jrcxz 6f",
                "jmp 5b",
                "6:",
                ".endif",
                last!(""),
                "adcx {h1}, {z}",
                "adox {h1}, {z}",
                "mov qword ptr [{tp} + 16], {h1}",
                "lea {rp}, [{rp} + 8]",
                "dec {cnt}",
                "jnz 3b",
                ".set cm_s, cm_s + 4",
                ".endr",
                // Twice the cross products (the overflow flag carries the doubling) plus the
                // squares aᵢ² (the carry flag).
                "xor {z:e}, {z:e}",
                // Four words of a a turn, in a loop kept by `jrcxz` (the flags carry over).
                "mov {ap}, {a}",
                "mov {tp}, {t}",
                "mov rcx, -({n} / 4)",
                "9:",
                ".set cm_o, 0",
                ".rept 4",
                "mov rdx, qword ptr [{ap} + cm_o]",
                "mulx {h0}, {lo}, rdx",
                "mov {h1}, qword ptr [{tp} + 2*cm_o]",
                "adox {h1}, {h1}",
                "adcx {h1}, {lo}",
                "mov qword ptr [{tp} + 2*cm_o], {h1}",
                "mov {h1}, qword ptr [{tp} + 2*cm_o + 8]",
                "adox {h1}, {h1}",
                "adcx {h1}, {h0}",
                "mov qword ptr [{tp} + 2*cm_o + 8], {h1}",
                ".set cm_o, cm_o + 8",
                ".endr",
                "lea {ap}, [{ap} + 32]",
                "lea {tp}, [{tp} + 64]",
                "lea rcx, [rcx + 1]",
                "jrcxz 8f",
                "jmp 9b",
                "8:",
                // Montgomery reduction, one word per row: words i.. += m·n with
                // m = tᵢ·(−n⁻¹), the row's carry out kept in `c` for the next row's top word.
                "mov {rp}, {t}",
                "mov {cnt:e}, {n}",
                "xor {c:e}, {c:e}",
                "4:",
                "mov rdx, qword ptr [{rp}]",
                "imul rdx, qword ptr [{t} + {n0}]",
                "mov {ap}, {m}",
                "mov {tp}, {rp}",
                "xor {z:e}, {z:e}",
                "mulx {h0}, {lo}, qword ptr [{ap}]",
                "adcx {lo}, qword ptr [{tp}]",
                pass!("{pairs}", ""),
                "mov {lo}, qword ptr [{tp} + 16]",
                "adcx {lo}, {c}",
                "adox {lo}, {h1}",
                "mov qword ptr [{tp} + 16], {lo}",
                "mov {c:e}, 0",
                "adcx {c}, {z}",
                "adox {c}, {z}",
                "lea {rp}, [{rp} + 8]",
                "dec {cnt}",
                "jnz 4b",
                // The result below n, into az (no longer needed).
                subtract_once!("{t} + 8*{n}", "{m}", "{t} - 8*{n}", "sbb {c}, 0\n"),
                groups = const N / 4,
                n = const N,
                limbs = const N,
                pairs = const N.saturating_sub(2) / 2,
                n0 = const 8 * 2 * N,
                a = in(reg) a.as_ptr(),
                t = in(reg) base.cast::<u64>().wrapping_add(N),
                m = in(reg) m.n.as_ptr(),
                rp = out(reg) _,
                ap = out(reg) _,
                tp = out(reg) _,
                cnt = out(reg) _,
                c = out(reg) _,
                lo = out(reg) _,
                h0 = out(reg) _,
                h1 = out(reg) _,
                z = out(reg) _,
                out("rcx") _,
                out("rdx") _,
                options(nostack),
            );
        }
        s.az
    }
}

/// An 8-limb result as the caller's `[u64; N]` (N is 8 wherever this is called).
fn widen<const N: usize>(r: [u64; 8]) -> [u64; N] {
    let mut out = [0u64; N];
    out.copy_from_slice(&r);
    out
}

/// The square's working memory: a copy of a that the cross products zero entry by entry, the
/// 2N-word square (low then high half, one array to the assembly), and −n⁻¹ mod 2^64.
#[repr(C)]
struct Square<const N: usize> {
    az: [u64; N],
    low: [u64; N],
    high: [u64; N],
    n0: u64,
}

/// One pass of the 8-limb kernels: r0..r8 (+ r9) += rdx · (the 8 words at byte `src`), low words
/// on the carry chain and high words on the overflow chain, both carries left added into r9.
/// Expects the flags clear. `lo` and `hi` take the products.
macro_rules! pass8 {
    ($src:literal, $r0:ident, $r1:ident, $r2:ident, $r3:ident, $r4:ident, $r5:ident, $r6:ident, $r7:ident, $r8:ident, $r9:ident) => {
        concat!(
            step8!($src, "0", $r0, $r1),
            step8!($src, "8", $r1, $r2),
            step8!($src, "16", $r2, $r3),
            step8!($src, "24", $r3, $r4),
            step8!($src, "32", $r4, $r5),
            step8!($src, "40", $r5, $r6),
            step8!($src, "48", $r6, $r7),
            step8!($src, "56", $r7, $r8),
            "mov {lo:e}, 0\n",
            "adcx {",
            stringify!($r8),
            "}, {lo}\n",
            "adcx {",
            stringify!($r9),
            "}, {lo}\n",
            "adox {",
            stringify!($r9),
            "}, {lo}\n",
        )
    };
}

/// One limb of [`pass8`]: the product of rdx and the word at `src + off`, its low word added
/// into `lo_reg` on the carry chain and its high word into `hi_reg` on the overflow chain.
macro_rules! step8 {
    ($src:literal, $off:literal, $lo_reg:ident, $hi_reg:ident) => {
        concat!(
            "mulx {hi}, {lo}, qword ptr [{p} + ",
            $src,
            " + ",
            $off,
            "]\n",
            "adcx {",
            stringify!($lo_reg),
            "}, {lo}\n",
            "adox {",
            stringify!($hi_reg),
            "}, {hi}\n",
        )
    };
}

/// One row of the 8-limb product: t += a·bᵢ, then t = (t + m·n) / 2^64. The accumulator's ten
/// registers rotate from row to row: r0 ends the row at zero and becomes the next row's r9.
macro_rules! row8 {
    ($b:literal, $r0:ident, $r1:ident, $r2:ident, $r3:ident, $r4:ident, $r5:ident, $r6:ident, $r7:ident, $r8:ident, $r9:ident) => {
        concat!(
            "mov rdx, qword ptr [{p} + ",
            $b,
            "]\n",
            "test rdx, rdx\n",
            pass8!("0", $r0, $r1, $r2, $r3, $r4, $r5, $r6, $r7, $r8, $r9),
            reduce8!($r0, $r1, $r2, $r3, $r4, $r5, $r6, $r7, $r8, $r9),
        )
    };
}

/// t += m·n with m = t₀·(−n⁻¹) mod 2^64, which clears r0.
macro_rules! reduce8 {
    ($r0:ident, $r1:ident, $r2:ident, $r3:ident, $r4:ident, $r5:ident, $r6:ident, $r7:ident, $r8:ident, $r9:ident) => {
        concat!(
            "mov rdx, {",
            stringify!($r0),
            "}\n",
            "imul rdx, qword ptr [{p} + 192]\n",
            "test rdx, rdx\n",
            pass8!("64", $r0, $r1, $r2, $r3, $r4, $r5, $r6, $r7, $r8, $r9),
        )
    };
}

/// One reduction row of the 8-limb square: the square's next high word (at byte `word`) joins
/// the accumulator's top, then t += m·n. The registers rotate as in [`row8`].
macro_rules! square_row8 {
    ($word:literal, $r0:ident, $r1:ident, $r2:ident, $r3:ident, $r4:ident, $r5:ident, $r6:ident, $r7:ident, $r8:ident, $r9:ident) => {
        concat!(
            "add {",
            stringify!($r8),
            "}, qword ptr [{p} + ",
            $word,
            "]\n",
            "adc {",
            stringify!($r9),
            "}, 0\n",
            reduce8!($r0, $r1, $r2, $r3, $r4, $r5, $r6, $r7, $r8, $r9),
        )
    };
}

/// Stores w0..w7 to the 8 words from byte `at` of the block.
macro_rules! store8 {
    ($at:literal, $w0:ident, $w1:ident, $w2:ident, $w3:ident, $w4:ident, $w5:ident, $w6:ident, $w7:ident) => {
        concat!(
            "mov qword ptr [{p} + ",
            $at,
            "], {",
            stringify!($w0),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 8], {",
            stringify!($w1),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 16], {",
            stringify!($w2),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 24], {",
            stringify!($w3),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 32], {",
            stringify!($w4),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 40], {",
            stringify!($w5),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 48], {",
            stringify!($w6),
            "}\n",
            "mov qword ptr [{p} + ",
            $at,
            " + 56], {",
            stringify!($w7),
            "}\n",
        )
    };
}

/// The result (words w0..w7 and a top bit, below 2n) less n if it is at least n, into x (the
/// first operand, bytes 0..64): the words are stored in the spare words (bytes 200..264), n is
/// subtracted in the registers, and a borrow (the result was below n) brings the stored words
/// back with `cmovc` (which loads whatever the flag).
macro_rules! final8 {
    ($w0:ident, $w1:ident, $w2:ident, $w3:ident, $w4:ident, $w5:ident, $w6:ident, $w7:ident, $top:ident) => {
        concat!(
            store8!("200", $w0, $w1, $w2, $w3, $w4, $w5, $w6, $w7),
            "sub {",
            stringify!($w0),
            "}, qword ptr [{p} + 64]\n",
            "sbb {",
            stringify!($w1),
            "}, qword ptr [{p} + 72]\n",
            "sbb {",
            stringify!($w2),
            "}, qword ptr [{p} + 80]\n",
            "sbb {",
            stringify!($w3),
            "}, qword ptr [{p} + 88]\n",
            "sbb {",
            stringify!($w4),
            "}, qword ptr [{p} + 96]\n",
            "sbb {",
            stringify!($w5),
            "}, qword ptr [{p} + 104]\n",
            "sbb {",
            stringify!($w6),
            "}, qword ptr [{p} + 112]\n",
            "sbb {",
            stringify!($w7),
            "}, qword ptr [{p} + 120]\n",
            "sbb {",
            stringify!($top),
            "}, 0\n",
            "cmovc {",
            stringify!($w0),
            "}, qword ptr [{p} + 200]\n",
            "cmovc {",
            stringify!($w1),
            "}, qword ptr [{p} + 208]\n",
            "cmovc {",
            stringify!($w2),
            "}, qword ptr [{p} + 216]\n",
            "cmovc {",
            stringify!($w3),
            "}, qword ptr [{p} + 224]\n",
            "cmovc {",
            stringify!($w4),
            "}, qword ptr [{p} + 232]\n",
            "cmovc {",
            stringify!($w5),
            "}, qword ptr [{p} + 240]\n",
            "cmovc {",
            stringify!($w6),
            "}, qword ptr [{p} + 248]\n",
            "cmovc {",
            stringify!($w7),
            "}, qword ptr [{p} + 256]\n",
            store8!("0", $w0, $w1, $w2, $w3, $w4, $w5, $w6, $w7),
        )
    };
}

/// `asm!` with the 8-limb kernels' operands: `p` (the [`Block8`]), `lo` and `hi` for the
/// products, `t0`..`t9` for the accumulator, and rdx; no stack.
macro_rules! asm8 {
    ($p:expr, $($line:expr),* $(,)?) => {
        asm!(
            $($line,)*
            p = in(reg) $p,
            lo = out(reg) _,
            hi = out(reg) _,
            t0 = out(reg) _,
            t1 = out(reg) _,
            t2 = out(reg) _,
            t3 = out(reg) _,
            t4 = out(reg) _,
            t5 = out(reg) _,
            t6 = out(reg) _,
            t7 = out(reg) _,
            t8 = out(reg) _,
            t9 = out(reg) _,
            out("rdx") _,
            options(nostack),
        )
    };
}

impl Adx {
    /// The 8-limb product in place, with the accumulator in registers: x = x·b·R⁻¹ mod n,
    /// below n, for x, b < n.
    pub(crate) fn mul8(self, w: &mut Block8) {
        let p: *mut Block8 = w;
        // SAFETY: `self` exists only on a CPU with BMI2 and ADX (`detect`). The assembly reads
        // x, n, b and n0 in `w` (`repr(C)`, u64 fields only: x at byte 0, n at 64, b at 128, n0
        // at 192), writes the spare words (200..264) before it reads them and x last, and
        // writes its declared registers. It uses no stack.
        unsafe {
            asm8!(
                p,
                "xor {t0:e}, {t0:e}",
                "xor {t1:e}, {t1:e}",
                "xor {t2:e}, {t2:e}",
                "xor {t3:e}, {t3:e}",
                "xor {t4:e}, {t4:e}",
                "xor {t5:e}, {t5:e}",
                "xor {t6:e}, {t6:e}",
                "xor {t7:e}, {t7:e}",
                "xor {t8:e}, {t8:e}",
                "xor {t9:e}, {t9:e}",
                row8!("128", t0, t1, t2, t3, t4, t5, t6, t7, t8, t9),
                row8!("136", t1, t2, t3, t4, t5, t6, t7, t8, t9, t0),
                row8!("144", t2, t3, t4, t5, t6, t7, t8, t9, t0, t1),
                row8!("152", t3, t4, t5, t6, t7, t8, t9, t0, t1, t2),
                row8!("160", t4, t5, t6, t7, t8, t9, t0, t1, t2, t3),
                row8!("168", t5, t6, t7, t8, t9, t0, t1, t2, t3, t4),
                row8!("176", t6, t7, t8, t9, t0, t1, t2, t3, t4, t5),
                row8!("184", t7, t8, t9, t0, t1, t2, t3, t4, t5, t6),
                final8!(t8, t9, t0, t1, t2, t3, t4, t5, t6),
            );
        }
    }

    /// The 8-limb square in place: x² into 16 words (cross products once, accumulated in
    /// registers and stored as each word is final, then doubled with the diagonal), then
    /// reduced with the accumulator in registers, one high word joining per row:
    /// x = x²·R⁻¹ mod n, below n, for x < n.
    pub(crate) fn sqr8(self, w: &mut Block8) {
        let p: *mut Block8 = w;
        // SAFETY: `self` exists only on a CPU with BMI2 and ADX (`detect`). The assembly reads
        // x, n and n0 in `w` (`repr(C)`, u64 fields only), writes all 16 square words (bytes
        // 264 to 392) and the spare words (200..264) before it reads any, writes x last, and
        // writes its declared registers. It uses no stack.
        unsafe {
            asm8!(
                p,
                // Cross products in registers: word p of the square lives in t(p mod 10) while rows
                // still add to it, and is stored once final (row i ends words 2i + 1 and 2i + 2).
                "mov rdx, qword ptr [{p}]",
                "mulx {t2}, {t1}, qword ptr [{p} + 8]",
                "mulx {t3}, {lo}, qword ptr [{p} + 16]",
                "add {t2}, {lo}",
                "mulx {t4}, {lo}, qword ptr [{p} + 24]",
                "adc {t3}, {lo}",
                "mulx {t5}, {lo}, qword ptr [{p} + 32]",
                "adc {t4}, {lo}",
                "mulx {t6}, {lo}, qword ptr [{p} + 40]",
                "adc {t5}, {lo}",
                "mulx {t7}, {lo}, qword ptr [{p} + 48]",
                "adc {t6}, {lo}",
                "mulx {t8}, {lo}, qword ptr [{p} + 56]",
                "adc {t7}, {lo}",
                "adc {t8}, 0",
                "mov qword ptr [{p} + 272], {t1}",
                "mov qword ptr [{p} + 280], {t2}",
                "mov rdx, qword ptr [{p} + 8]",
                "xor {t9:e}, {t9:e}",
                "mulx {hi}, {lo}, qword ptr [{p} + 16]",
                "adcx {t3}, {lo}",
                "adox {t4}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 24]",
                "adcx {t4}, {lo}",
                "adox {t5}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 32]",
                "adcx {t5}, {lo}",
                "adox {t6}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 40]",
                "adcx {t6}, {lo}",
                "adox {t7}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 48]",
                "adcx {t7}, {lo}",
                "adox {t8}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 56]",
                "adcx {t8}, {lo}",
                "adox {t9}, {hi}",
                "mov {lo:e}, 0",
                "adcx {t9}, {lo}",
                "mov qword ptr [{p} + 288], {t3}",
                "mov qword ptr [{p} + 296], {t4}",
                "mov rdx, qword ptr [{p} + 16]",
                "xor {t0:e}, {t0:e}",
                "mulx {hi}, {lo}, qword ptr [{p} + 24]",
                "adcx {t5}, {lo}",
                "adox {t6}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 32]",
                "adcx {t6}, {lo}",
                "adox {t7}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 40]",
                "adcx {t7}, {lo}",
                "adox {t8}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 48]",
                "adcx {t8}, {lo}",
                "adox {t9}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 56]",
                "adcx {t9}, {lo}",
                "adox {t0}, {hi}",
                "mov {lo:e}, 0",
                "adcx {t0}, {lo}",
                "mov qword ptr [{p} + 304], {t5}",
                "mov qword ptr [{p} + 312], {t6}",
                "mov rdx, qword ptr [{p} + 24]",
                "xor {t1:e}, {t1:e}",
                "mulx {hi}, {lo}, qword ptr [{p} + 32]",
                "adcx {t7}, {lo}",
                "adox {t8}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 40]",
                "adcx {t8}, {lo}",
                "adox {t9}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 48]",
                "adcx {t9}, {lo}",
                "adox {t0}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 56]",
                "adcx {t0}, {lo}",
                "adox {t1}, {hi}",
                "mov {lo:e}, 0",
                "adcx {t1}, {lo}",
                "mov qword ptr [{p} + 320], {t7}",
                "mov qword ptr [{p} + 328], {t8}",
                "mov rdx, qword ptr [{p} + 32]",
                "xor {t2:e}, {t2:e}",
                "mulx {hi}, {lo}, qword ptr [{p} + 40]",
                "adcx {t9}, {lo}",
                "adox {t0}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 48]",
                "adcx {t0}, {lo}",
                "adox {t1}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 56]",
                "adcx {t1}, {lo}",
                "adox {t2}, {hi}",
                "mov {lo:e}, 0",
                "adcx {t2}, {lo}",
                "mov qword ptr [{p} + 336], {t9}",
                "mov qword ptr [{p} + 344], {t0}",
                "mov rdx, qword ptr [{p} + 40]",
                "xor {t3:e}, {t3:e}",
                "mulx {hi}, {lo}, qword ptr [{p} + 48]",
                "adcx {t1}, {lo}",
                "adox {t2}, {hi}",
                "mulx {hi}, {lo}, qword ptr [{p} + 56]",
                "adcx {t2}, {lo}",
                "adox {t3}, {hi}",
                "mov {lo:e}, 0",
                "adcx {t3}, {lo}",
                "mov qword ptr [{p} + 352], {t1}",
                "mov qword ptr [{p} + 360], {t2}",
                "mov rdx, qword ptr [{p} + 48]",
                "xor {t4:e}, {t4:e}",
                "mulx {hi}, {lo}, qword ptr [{p} + 56]",
                "adcx {t3}, {lo}",
                "adox {t4}, {hi}",
                "mov {lo:e}, 0",
                "adcx {t4}, {lo}",
                "mov qword ptr [{p} + 368], {t3}",
                "mov qword ptr [{p} + 376], {t4}",
                "xor {lo:e}, {lo:e}",
                "mov qword ptr [{p} + 264], {lo}",
                "mov qword ptr [{p} + 384], {lo}",
                // Twice the cross products (overflow chain) plus the squares aᵢ² (carry chain).
                "xor {t0:e}, {t0:e}",
                ".set cm_k, 0",
                ".rept 8",
                "mov rdx, qword ptr [{p} + 8*cm_k]",
                "mulx {t2}, {lo}, rdx",
                "mov {t1}, qword ptr [{p} + 264 + 16*cm_k]",
                "adox {t1}, {t1}",
                "adcx {t1}, {lo}",
                "mov qword ptr [{p} + 264 + 16*cm_k], {t1}",
                "mov {t1}, qword ptr [{p} + 264 + 16*cm_k + 8]",
                "adox {t1}, {t1}",
                "adcx {t1}, {t2}",
                "mov qword ptr [{p} + 264 + 16*cm_k + 8], {t1}",
                ".set cm_k, cm_k + 1",
                ".endr",
                // The reduction: words 0..8 of the square in registers, the rest joining a
                // row at a time.
                "mov {t0}, qword ptr [{p} + 264]",
                "mov {t1}, qword ptr [{p} + 272]",
                "mov {t2}, qword ptr [{p} + 280]",
                "mov {t3}, qword ptr [{p} + 288]",
                "mov {t4}, qword ptr [{p} + 296]",
                "mov {t5}, qword ptr [{p} + 304]",
                "mov {t6}, qword ptr [{p} + 312]",
                "mov {t7}, qword ptr [{p} + 320]",
                "mov {t8}, qword ptr [{p} + 328]",
                "xor {t9:e}, {t9:e}",
                reduce8!(t0, t1, t2, t3, t4, t5, t6, t7, t8, t9),
                square_row8!("336", t1, t2, t3, t4, t5, t6, t7, t8, t9, t0),
                square_row8!("344", t2, t3, t4, t5, t6, t7, t8, t9, t0, t1),
                square_row8!("352", t3, t4, t5, t6, t7, t8, t9, t0, t1, t2),
                square_row8!("360", t4, t5, t6, t7, t8, t9, t0, t1, t2, t3),
                square_row8!("368", t5, t6, t7, t8, t9, t0, t1, t2, t3, t4),
                square_row8!("376", t6, t7, t8, t9, t0, t1, t2, t3, t4, t5),
                square_row8!("384", t7, t8, t9, t0, t1, t2, t3, t4, t5, t6),
                final8!(t8, t9, t0, t1, t2, t3, t4, t5, t6),
            );
        }
    }
}
