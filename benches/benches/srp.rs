//! SRP cost: every exponentiation and every full step twice in the same run, once with the
//! reference (num-bigint's `modpow`) and once with the production path (`cognito_protocol::modexp`,
//! Montgomery arithmetic with fixed-base combs for g, on the multiplier this CPU runs best).
//! The exponentiations also run on the portable multiplier (what CPUs without AVX-512 IFMA
//! get: MULX/ADX assembly where the CPU has BMI2 and ADX), and the full steps on it and on
//! the plain-Rust kernel (what aarch64 gets) through `Backend::run`, so a machine with IFMA
//! shows every column. With `--features openssl`, OpenSSL's `BN_mod_exp` joins as
//! another reference point. Targets are ratios between rows of one run
//! (benches/README.md).

use cognito_protocol::modexp::{self, Backend};
use cognito_protocol::srp::{self, ClaimInput, ClientEphemeral, ServerEphemeral};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use num_bigint::BigUint;

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1)
        .collect()
}

/// The inputs every row shares: a 1024-bit a (as amazon-cognito-identity-js), a 256-bit b (as
/// the emulator), a user's salt, x and verifier, and the public values of both sides.
struct Inputs {
    a: BigUint,
    b: BigUint,
    salt: BigUint,
    x: BigUint,
    v: BigUint,
    a_pub: BigUint,
    b_pub: BigUint,
    u: BigUint,
}

const POOL: &str = "ExaMPle12";
const USER: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
const BLOCK: &str = "c2VjcmV0IGJsb2Nr";
const BLOCK_BYTES: &[u8] = b"secret block";
const TIMESTAMP: &str = "Sun Nov 1 01:02:03 UTC 2026";

fn inputs() -> Inputs {
    let grp = srp::group();
    let a = BigUint::from_bytes_be(&bytes(128, 5));
    let b = BigUint::from_bytes_be(&bytes(32, 13));
    let salt = BigUint::from_bytes_be(&bytes(16, 3));
    let x = srp::compute_x(&salt, POOL, USER, PASSWORD);
    let v = grp.g.modpow(&x, &grp.n);
    let a_pub = grp.g.modpow(&a, &grp.n);
    let b_pub = (&grp.k * &v + grp.g.modpow(&b, &grp.n)) % &grp.n;
    let u = srp::compute_u(&a_pub, &b_pub);
    Inputs {
        a,
        b,
        salt,
        x,
        v,
        a_pub,
        b_pub,
        u,
    }
}

/// The client's base B − k·g^x and exponent a + u·x.
fn client_s_inputs(i: &Inputs) -> (BigUint, BigUint) {
    let grp = srp::group();
    let kgx = (&grp.k * grp.g.modpow(&i.x, &grp.n)) % &grp.n;
    let base = (&i.b_pub + &grp.n - kgx) % &grp.n;
    (base, &i.a + &i.u * &i.x)
}

/// The reference client login compute: A, x, g^x, S, HKDF and the claim MAC, all num-bigint.
fn reference_client(i: &Inputs) -> String {
    let grp = srp::group();
    let a_pub = grp.g.modpow(&i.a, &grp.n);
    let u = srp::compute_u(&a_pub, &i.b_pub);
    let x = srp::compute_x(&i.salt, POOL, USER, PASSWORD);
    let kgx = (&grp.k * grp.g.modpow(&x, &grp.n)) % &grp.n;
    let base = (&i.b_pub + &grp.n - kgx) % &grp.n;
    let s = base.modpow(&(&i.a + &u * &x), &grp.n);
    let key = srp::derive_key(&u, &s);
    srp::claim_signature(
        &key,
        &srp::claim_message(POOL, USER, BLOCK_BYTES, TIMESTAMP),
    )
}

/// The reference server verification: B = k·v + g^b, S = (A·v^u)^b, HKDF and the claim MAC.
fn reference_server(i: &Inputs) -> [u8; 32] {
    let grp = srp::group();
    let b_pub = (&grp.k * &i.v + grp.g.modpow(&i.b, &grp.n)) % &grp.n;
    let u = srp::compute_u(&i.a_pub, &b_pub);
    let s = ((&i.a_pub * i.v.modpow(&u, &grp.n)) % &grp.n).modpow(&i.b, &grp.n);
    let key = srp::derive_key(&u, &s);
    srp::claim_mac(
        &key,
        &srp::claim_message(POOL, USER, BLOCK_BYTES, TIMESTAMP),
    )
}

fn production_client(a_bytes: &[u8], b_pub_hex: &str, salt_hex: &str) -> String {
    let client = ClientEphemeral::from_private_bytes(a_bytes).unwrap_or_else(|_| unreachable!());
    client
        .password_claim(&ClaimInput {
            realm: POOL,
            user_id: USER,
            password: PASSWORD,
            salt_hex,
            srp_b_hex: b_pub_hex,
            secret_block_b64: BLOCK,
            timestamp: TIMESTAMP,
        })
        .unwrap_or_else(|_| unreachable!())
}

fn production_server(b_bytes: &[u8], i: &Inputs) -> [u8; 32] {
    let server = ServerEphemeral::from_private_bytes(b_bytes, &i.v);
    let key = server
        .session_key(&i.a_pub, &i.v)
        .unwrap_or_else(|_| unreachable!());
    srp::claim_mac(
        &key,
        &srp::claim_message(POOL, USER, BLOCK_BYTES, TIMESTAMP),
    )
}

fn modpow(c: &mut Criterion) {
    let grp = srp::group();
    let i = inputs();
    let (s_base, s_exp) = client_s_inputs(&i);
    // Build the comb tables outside the measurements (once per process in production too).
    modexp::precompute();
    let portable = Backend::portable();
    portable.precompute();
    eprintln!(
        "production multiplier on this CPU: {}",
        Backend::active().name()
    );

    let mut g = c.benchmark_group("srp_modpow");
    g.bench_function(
        BenchmarkId::new("g^a, 1024-bit a (client A)", "num-bigint"),
        |b| b.iter(|| grp.g.modpow(black_box(&i.a), &grp.n)),
    );
    g.bench_function(
        BenchmarkId::new("g^a, 1024-bit a (client A)", "production"),
        |b| b.iter(|| modexp::pow_g(black_box(&i.a))),
    );
    g.bench_function(
        BenchmarkId::new("g^a, 1024-bit a (client A)", "portable"),
        |b| b.iter(|| portable.pow_g(black_box(&i.a))),
    );
    g.bench_function(
        BenchmarkId::new("g^x, 256-bit x (verifier)", "num-bigint"),
        |b| b.iter(|| grp.g.modpow(black_box(&i.x), &grp.n)),
    );
    g.bench_function(
        BenchmarkId::new("g^x, 256-bit x (verifier)", "production"),
        |b| b.iter(|| modexp::pow_g(black_box(&i.x))),
    );
    g.bench_function(
        BenchmarkId::new("g^x, 256-bit x (verifier)", "portable"),
        |b| b.iter(|| portable.pow_g(black_box(&i.x))),
    );
    g.bench_function(
        BenchmarkId::new("client S = (B - k.g^x)^(a+u.x)", "num-bigint"),
        |b| b.iter(|| s_base.modpow(black_box(&s_exp), &grp.n)),
    );
    g.bench_function(
        BenchmarkId::new("client S = (B - k.g^x)^(a+u.x)", "production"),
        |b| b.iter(|| modexp::pow(&s_base, black_box(&s_exp))),
    );
    g.bench_function(
        BenchmarkId::new("client S = (B - k.g^x)^(a+u.x)", "portable"),
        |b| b.iter(|| portable.pow(&s_base, black_box(&s_exp))),
    );
    g.bench_function(
        BenchmarkId::new("server B = k.v + g^b", "num-bigint"),
        |b| b.iter(|| (&grp.k * &i.v + grp.g.modpow(black_box(&i.b), &grp.n)) % &grp.n),
    );
    g.bench_function(
        BenchmarkId::new("server B = k.v + g^b", "production"),
        |b| b.iter(|| (&grp.k * &i.v + modexp::pow_g(black_box(&i.b))) % &grp.n),
    );
    g.bench_function(BenchmarkId::new("server B = k.v + g^b", "portable"), |b| {
        b.iter(|| (&grp.k * &i.v + portable.pow_g(black_box(&i.b))) % &grp.n)
    });
    g.bench_function(
        BenchmarkId::new("server S = (A.v^u)^b", "num-bigint"),
        |b| {
            b.iter(|| {
                ((&i.a_pub * i.v.modpow(black_box(&i.u), &grp.n)) % &grp.n).modpow(&i.b, &grp.n)
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("server S = (A.v^u)^b", "production"),
        |b| {
            b.iter(|| {
                modexp::pow(
                    &((&i.a_pub * modexp::pow(&i.v, black_box(&i.u))) % &grp.n),
                    &i.b,
                )
            })
        },
    );
    g.bench_function(BenchmarkId::new("server S = (A.v^u)^b", "portable"), |b| {
        b.iter(|| {
            portable.pow(
                &((&i.a_pub * portable.pow(&i.v, black_box(&i.u))) % &grp.n),
                &i.b,
            )
        })
    });
    #[cfg(feature = "openssl")]
    openssl_rows(&mut g, &i, &s_base, &s_exp);
    g.finish();
}

#[cfg(feature = "openssl")]
fn openssl_rows(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    i: &Inputs,
    s_base: &BigUint,
    s_exp: &BigUint,
) {
    use openssl::bn::{BigNum, BigNumContext};
    let bn = |x: &BigUint| BigNum::from_slice(&x.to_bytes_be()).unwrap_or_else(|_| unreachable!());
    let grp = srp::group();
    let (n, gen) = (bn(&grp.n), bn(&grp.g));
    let (a, x, b) = (bn(&i.a), bn(&i.x), bn(&i.b));
    let (base, exp) = (bn(s_base), bn(s_exp));
    let mut ctx = BigNumContext::new().unwrap_or_else(|_| unreachable!());
    let mut out = BigNum::new().unwrap_or_else(|_| unreachable!());
    let mut run = |name: &str, base: &BigNum, e: &BigNum| {
        g.bench_function(BenchmarkId::new(name, "openssl BN_mod_exp"), |bch| {
            bch.iter(|| {
                out.mod_exp(base, black_box(e), &n, &mut ctx)
                    .unwrap_or_else(|_| unreachable!())
            })
        });
        // The same call with BN_FLG_CONSTTIME on the exponent: OpenSSL then takes its
        // constant-time path (BN_mod_exp_mont_consttime: a fixed window and masked table
        // reads), as OpenSSL's own SRP code does for secret exponents.
        let mut secret = BigNum::from_slice(&e.to_vec()).unwrap_or_else(|_| unreachable!());
        secret.set_const_time();
        g.bench_function(
            BenchmarkId::new(name, "openssl BN_mod_exp, BN_FLG_CONSTTIME"),
            |bch| {
                bch.iter(|| {
                    out.mod_exp(base, black_box(&secret), &n, &mut ctx)
                        .unwrap_or_else(|_| unreachable!())
                })
            },
        );
    };
    run("g^a, 1024-bit a (client A)", &gen, &a);
    run("g^x, 256-bit x (verifier)", &gen, &x);
    run("client S = (B - k.g^x)^(a+u.x)", &base, &exp);
    run("server B = k.v + g^b", &gen, &b);
}

fn steps(c: &mut Criterion) {
    let i = inputs();
    let a_bytes = bytes(128, 5);
    let b_bytes = bytes(32, 13);
    let b_hex = i.b_pub.to_str_radix(16);
    let salt_hex = i.salt.to_str_radix(16);
    modexp::precompute();
    Backend::portable().precompute();
    black_box(production_client(&a_bytes, &b_hex, &salt_hex));
    // The full steps on the portable kernels too: `Backend::run` puts one behind `srp`.
    let kernels = [
        ("portable", Backend::portable()),
        ("generic", Backend::generic()),
    ];

    let mut g = c.benchmark_group("srp_step");
    g.bench_function(
        BenchmarkId::new("client login compute", "num-bigint"),
        |b| b.iter(|| reference_client(black_box(&i))),
    );
    g.bench_function(
        BenchmarkId::new("client login compute", "production"),
        |b| b.iter(|| production_client(black_box(&a_bytes), &b_hex, &salt_hex)),
    );
    for (name, backend) in kernels {
        g.bench_function(BenchmarkId::new("client login compute", name), |b| {
            b.iter(|| backend.run(|| production_client(black_box(&a_bytes), &b_hex, &salt_hex)))
        });
    }
    g.bench_function(BenchmarkId::new("server verification", "num-bigint"), |b| {
        b.iter(|| reference_server(black_box(&i)))
    });
    g.bench_function(BenchmarkId::new("server verification", "production"), |b| {
        b.iter(|| production_server(black_box(&b_bytes), &i))
    });
    for (name, backend) in kernels {
        g.bench_function(BenchmarkId::new("server verification", name), |b| {
            b.iter(|| backend.run(|| production_server(black_box(&b_bytes), &i)))
        });
    }
    g.bench_function(
        BenchmarkId::new("USER_PASSWORD_AUTH verifier check", "num-bigint"),
        |b| {
            let grp = srp::group();
            b.iter(|| grp.g.modpow(black_box(&i.x), &grp.n) == i.v)
        },
    );
    g.bench_function(
        BenchmarkId::new("USER_PASSWORD_AUTH verifier check", "production"),
        |b| b.iter(|| srp::verifier(black_box(&i.x)) == i.v),
    );
    for (name, backend) in kernels {
        g.bench_function(
            BenchmarkId::new("USER_PASSWORD_AUTH verifier check", name),
            |b| b.iter(|| backend.run(|| srp::verifier(black_box(&i.x)) == i.v)),
        );
    }
    g.finish();
}

/// The two paths agree before anything is timed.
fn agree() {
    let i = inputs();
    let grp = srp::group();
    let (s_base, s_exp) = client_s_inputs(&i);
    assert_eq!(modexp::pow(&s_base, &s_exp), s_base.modpow(&s_exp, &grp.n));
    assert_eq!(modexp::pow_g(&i.a), i.a_pub);
    let portable = Backend::portable();
    assert_eq!(portable.pow(&s_base, &s_exp), s_base.modpow(&s_exp, &grp.n));
    assert_eq!(portable.pow_g(&i.a), i.a_pub);
    assert_eq!(portable.pow_g(&i.b), grp.g.modpow(&i.b, &grp.n));
    for backend in [Backend::portable(), Backend::generic()] {
        let (b_hex, salt_hex) = (i.b_pub.to_str_radix(16), i.salt.to_str_radix(16));
        assert_eq!(
            backend.run(|| production_client(&bytes(128, 5), &b_hex, &salt_hex)),
            reference_client(&i),
            "client paths differ on {}",
            backend.name()
        );
        assert_eq!(
            backend.run(|| production_server(&bytes(32, 13), &i)),
            reference_server(&i),
            "server paths differ on {}",
            backend.name()
        );
    }
    let client =
        ClientEphemeral::from_private_bytes(&bytes(128, 5)).unwrap_or_else(|_| unreachable!());
    assert_eq!(client.public(), &i.a_pub);
    assert_eq!(
        production_server(&bytes(32, 13), &i),
        reference_server(&i),
        "server paths differ"
    );
    let (b_hex, salt_hex) = (i.b_pub.to_str_radix(16), i.salt.to_str_radix(16));
    assert_eq!(
        production_client(&bytes(128, 5), &b_hex, &salt_hex),
        reference_client(&i),
        "client paths differ"
    );
}

fn all(c: &mut Criterion) {
    agree();
    modpow(c);
    steps(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
