//! The portable multiplier: 48 little-endian 64-bit limbs in Montgomery form (R = 2^3072), for
//! every CPU without AVX-512 IFMA. The products and squares are `cognito-montgomery`'s: its
//! MULX/ADCX/ADOX kernel on x86-64 CPUs with BMI2 and ADX, its plain-Rust kernel elsewhere
//! (aarch64, older x86-64). Both kernels give the same numbers in the same representation, so
//! the fixed-base tables one of them builds serve the other.

use std::sync::OnceLock;

use cognito_montgomery::{Modulus, Multiplier};
use num_bigint::BigUint;

use super::{montgomery_constants, Arith};
use crate::group::group;

const LIMBS: usize = 48;
pub(super) type Limbs = [u64; LIMBS];

/// The modulus and the constants of Montgomery arithmetic modulo it.
struct Field {
    n: Modulus<LIMBS>,
    /// R² mod N, to enter Montgomery form.
    r2: Limbs,
    /// R mod N: one in Montgomery form.
    one: Limbs,
}

fn field() -> &'static Field {
    static FIELD: OnceLock<Field> = OnceLock::new();
    FIELD.get_or_init(|| {
        let (r, r2) = montgomery_constants(64 * LIMBS);
        Field {
            n: Modulus::new(to_limbs(&group().n)).unwrap_or_else(|| unreachable!("N is odd")),
            r2: to_limbs(&r2),
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

/// The portable arithmetic with one of `cognito-montgomery`'s kernels (its constants live in a
/// process-wide cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Portable(pub(super) Multiplier);

impl Arith for Portable {
    type Elem = Limbs;

    fn one(self) -> Limbs {
        field().one
    }

    fn enter(self, x: &BigUint) -> Limbs {
        let reduced = x % &group().n;
        self.mul(&to_limbs(&reduced), &field().r2)
    }

    fn leave(self, x: &Limbs) -> BigUint {
        let mut unit = [0u64; LIMBS];
        unit[0] = 1;
        from_limbs(&self.mul(x, &unit))
    }

    fn mul(self, a: &Limbs, b: &Limbs) -> Limbs {
        self.0.mul(a, b, &field().n)
    }

    fn sqr(self, a: &Limbs) -> Limbs {
        self.0.sqr(a, &field().n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modexp::tests::number;

    #[test]
    fn montgomery_products_and_squares_match_num_bigint_with_every_kernel() {
        let n = &group().n;
        let kernels = [Some(Multiplier::generic()), Multiplier::mulx_adx()];
        for p in kernels.into_iter().flatten().map(Portable) {
            for i in 0..20 {
                let x = number(&format!("x{i}"), 3072) % n;
                let y = number(&format!("y{i}"), 3000 + i) % n;
                let (xm, ym) = (p.enter(&x), p.enter(&y));
                assert_eq!(p.leave(&p.mul(&xm, &ym)), (&x * &y) % n);
                assert_eq!(p.leave(&p.sqr(&xm)), (&x * &x) % n);
            }
            let top = p.enter(&(n - 1u8));
            assert_eq!(p.leave(&p.sqr(&top)), BigUint::from(1u8));
            assert_eq!(p.leave(&p.mul(&top, &top)), BigUint::from(1u8));
        }
    }
}
