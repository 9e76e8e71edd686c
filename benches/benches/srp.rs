//! SRP cost, the modular exponentiations first. Every target is read as a ratio against a
//! baseline measured in the same run (see benches/README.md).

use cognito_sdk::srp::{self, ClientEphemeral, ServerEphemeral};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use num_bigint::BigUint;

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1)
        .collect()
}

fn modpow(c: &mut Criterion) {
    let grp = srp::group();
    let mut g = c.benchmark_group("srp_modpow");
    let a = BigUint::from_bytes_be(&bytes(128, 7));
    let x = BigUint::from_bytes_be(&bytes(32, 9));
    let full = BigUint::from_bytes_be(&bytes(384, 11)) % &grp.n;
    g.bench_function("g^a, 1024-bit a (client A)", |b| {
        b.iter(|| grp.g.modpow(black_box(&a), &grp.n))
    });
    g.bench_function("g^x, 256-bit x (verifier)", |b| {
        b.iter(|| grp.g.modpow(black_box(&x), &grp.n))
    });
    g.bench_function("g^e, 3072-bit e (baseline)", |b| {
        b.iter(|| grp.g.modpow(black_box(&full), &grp.n))
    });
    g.finish();
}

fn exchange(c: &mut Criterion) {
    let salt = BigUint::from_bytes_be(&bytes(16, 3));
    let v = srp::verifier(&srp::compute_x(&salt, "Pool", "alice", "Passw0rd!"));
    let client =
        ClientEphemeral::from_private_bytes(&bytes(128, 5)).unwrap_or_else(|_| unreachable!());
    let small_b = ServerEphemeral::from_private_bytes(&bytes(32, 13), &v);
    let large_b = ServerEphemeral::from_private_bytes(&bytes(384, 17), &v);
    let mut g = c.benchmark_group("srp_exchange");
    g.bench_function("server key, 256-bit b (emulator)", |bch| {
        bch.iter(|| small_b.session_key(black_box(client.public()), &v))
    });
    g.bench_function("server key, b as large as N (baseline)", |bch| {
        bch.iter(|| large_b.session_key(black_box(client.public()), &v))
    });
    g.bench_function("client key (a = 1024 bits)", |bch| {
        bch.iter(|| {
            client.session_key(
                &salt,
                black_box(small_b.public()),
                "Pool",
                "alice",
                "Passw0rd!",
            )
        })
    });
    g.finish();
}

criterion_group!(benches, modpow, exchange);
criterion_main!(benches);
