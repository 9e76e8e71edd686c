//! RS256 token cost, all in one run: jsonwebtoken's `encode` with the rust_crypto backend (the
//! key re-parsed for every token) as the baseline; the emulator's two signers, AWS-LC with a
//! two-prime key parsed once and `cognito-rs256` with a four-prime key, one token and a
//! sign-in's pair; and verification as the emulator does it (a token's first check, and a
//! token it has seen). Claims are the size of a Cognito id token.

use cognito_emulator::SigningKey;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::json;

fn tokens(c: &mut Criterion) {
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let pem = key
        .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let emulator = SigningKey::from_pem(&pem).unwrap_or_else(|e| unreachable!("{e}"));
    let claims = json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "email_verified": true,
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ExaMPle12",
        "cognito:username": "alice",
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "aud": "1example23456789abcdefghij",
        "event_id": "66666666-7777-8888-9999-000000000000",
        "token_use": "id",
        "auth_time": 1_793_494_923,
        "exp": 1_793_498_523,
        "iat": 1_793_494_923,
        "jti": "abcdefab-cdef-abcd-efab-cdefabcdefab",
        "email": "alice@example.com",
        "cognito:groups": ["admins", "readers"],
    });
    let token = emulator
        .sign(&claims)
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(
        emulator.verify(&token).is_some(),
        "the emulator's own token must verify"
    );

    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(emulator.kid().to_owned());
    let mut g = c.benchmark_group("rs256");
    g.bench_function(
        BenchmarkId::new("sign id token", "jsonwebtoken rust_crypto (baseline)"),
        |b| {
            b.iter(|| {
                let encoding = EncodingKey::from_rsa_pem(pem.as_bytes())
                    .unwrap_or_else(|e| unreachable!("{e}"));
                jsonwebtoken::encode(&header, black_box(&claims), &encoding)
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("sign id token", "emulator, two primes (aws-lc-rs)"),
        |b| b.iter(|| emulator.sign(black_box(&claims))),
    );
    g.bench_function(
        BenchmarkId::new(
            "sign id and access tokens",
            "emulator, two primes (aws-lc-rs)",
        ),
        |b| b.iter(|| emulator.sign_pair(black_box(&claims), black_box(&claims))),
    );
    let four = SigningKey::generate_four_prime();
    let four_token = four.sign(&claims).unwrap_or_else(|e| unreachable!("{e}"));
    assert!(four.verify(&four_token).is_some());
    let label = if cognito_rs256::accelerated() {
        "emulator, four primes (cognito-rs256, IFMA)"
    } else {
        "emulator, four primes (cognito-rs256, portable)"
    };
    g.bench_function(BenchmarkId::new("sign id token", label), |b| {
        b.iter(|| four.sign(black_box(&claims)))
    });
    g.bench_function(BenchmarkId::new("sign id and access tokens", label), |b| {
        b.iter(|| four.sign_pair(black_box(&claims), black_box(&claims)))
    });
    // The same four-prime key on each path this CPU runs, RSA alone (no JWT encoding): the
    // IFMA lanes where present, the portable multiplier with each kernel.
    let rsa_only = cognito_rs256::FourPrimeKey::from_pkcs1_pem(four.to_pem())
        .unwrap_or_else(|e| unreachable!("{e}"));
    let message = four_token
        .rsplit_once('.')
        .map_or("", |(signed, _)| signed)
        .as_bytes();
    let kernels = [
        Some(cognito_rs256::Multiplier::generic()),
        cognito_rs256::Multiplier::mulx_adx(),
    ];
    let mut paths = vec![(rsa_only.multiplier(), rsa_only)];
    for kernel in kernels.into_iter().flatten() {
        if paths.iter().any(|(name, _)| *name == kernel.name()) {
            continue;
        }
        let portable = paths[0]
            .1
            .on_portable(kernel)
            .unwrap_or_else(|e| unreachable!("{e}"));
        paths.push((kernel.name(), portable));
    }
    for (name, key) in &paths {
        g.bench_function(
            BenchmarkId::new(
                "RSA signature, four primes",
                format!("cognito-rs256, {name}"),
            ),
            |b| b.iter(|| key.sign(&[black_box(message)])),
        );
    }
    // A token the key has not seen: the RSA check, then remembering the token.
    let mut serial = 0u64;
    g.bench_function(
        BenchmarkId::new("verify id token", "emulator, first sight"),
        |b| {
            b.iter_batched(
                || {
                    serial += 1;
                    let mut fresh = claims.clone();
                    fresh["jti"] = json!(format!("bench-{serial}"));
                    emulator
                        .sign(&fresh)
                        .unwrap_or_else(|e| unreachable!("{e}"))
                },
                |fresh| emulator.verify(black_box(&fresh)),
                BatchSize::SmallInput,
            )
        },
    );
    // The same token again, as an app calling GetUser with one access token for an hour.
    g.bench_function(
        BenchmarkId::new("verify id token", "emulator, seen before"),
        |b| b.iter(|| emulator.verify(black_box(&token))),
    );
    g.finish();
}

criterion_group!(benches, tokens);
criterion_main!(benches);
