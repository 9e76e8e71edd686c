//! Signing keys per pool, as Cognito has them: two keys of the pool's own in its JWKS (id
//! tokens, access tokens), tokens that another pool's keys refuse (checked by jsonwebtoken, not
//! the emulator), keys kept across export and import, and a pinned key signing every pool.

use cognito_emulator::{EmulatorBuilder, Issuer, Jwk, SigningKey};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::common::{pool, srp_sign_in, user};

fn tokens(
    handle: &cognito_emulator::Handle,
    pool_extra: Value,
) -> (crate::common::PoolIds, String, String) {
    let ids = pool(handle, pool_extra, json!({}));
    user(handle, &ids.pool_id, "kim", "Passw0rd!");
    let result = srp_sign_in(handle, &ids, "kim", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    (ids, result.id_token.unwrap(), result.access_token.unwrap())
}

/// Whether `token` verifies with one of `jwks` (by its kid), as an app's verifier does it.
fn verifies(token: &str, jwks: &[Jwk]) -> bool {
    let kid = decode_header(token).unwrap().kid.unwrap();
    let Some(jwk) = jwks.iter().find(|k| k.kid == kid) else {
        return false;
    };
    let key = DecodingKey::from_rsa_components(&jwk.n, &jwk.e).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    decode::<Value>(token, &key, &validation).is_ok()
}

#[test]
fn each_pool_signs_with_two_keys_of_its_own() {
    let (_router, handle) = EmulatorBuilder::default().issuer(Issuer::Aws).into_router();
    let (a, a_id, a_access) = tokens(&handle, json!({"PoolName": "a"}));
    let (b, b_id, b_access) = tokens(&handle, json!({"PoolName": "b"}));
    let (a_keys, b_keys) = (
        handle.pool_jwks(&a.pool_id).unwrap(),
        handle.pool_jwks(&b.pool_id).unwrap(),
    );
    assert_eq!(
        decode_header(&a_id).unwrap().kid.as_deref(),
        Some(a_keys[0].kid.as_str())
    );
    assert_eq!(
        decode_header(&a_access).unwrap().kid.as_deref(),
        Some(a_keys[1].kid.as_str())
    );
    assert!(verifies(&a_id, &a_keys) && verifies(&a_access, &a_keys));
    assert!(verifies(&b_id, &b_keys) && verifies(&b_access, &b_keys));
    // A token minted for another pool does not verify with this pool's keys.
    assert!(!verifies(&a_access, &b_keys) && !verifies(&b_id, &a_keys));
    let mut all: Vec<&str> = a_keys
        .iter()
        .chain(&b_keys)
        .map(|k| k.kid.as_str())
        .collect();
    all.push(handle.jwk().kid.as_str());
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 5, "every key distinct");
    // The emulator itself accepts each pool's tokens.
    let me: Value = handle
        .call("GetUser", &json!({"AccessToken": b_access}))
        .unwrap();
    assert_eq!(me["Username"], "kim");
}

#[test]
fn pool_keys_survive_export_and_import() {
    let (_router, first) = EmulatorBuilder::default().issuer(Issuer::Aws).into_router();
    let (ids, _, access) = tokens(&first, json!({}));
    let before = first.pool_jwks(&ids.pool_id).unwrap();
    let (_router, second) = EmulatorBuilder::default().issuer(Issuer::Aws).into_router();
    second.import(first.export()).unwrap();
    assert_eq!(second.pool_jwks(&ids.pool_id).unwrap(), before);
    let me: Value = second
        .call("GetUser", &json!({"AccessToken": access}))
        .unwrap();
    assert_eq!(me["Username"], "kim");
}

#[test]
fn a_pinned_key_signs_every_pool() {
    let pinned = SigningKey::shared();
    let (_router, handle) = EmulatorBuilder::default()
        .signing_key(pinned.clone())
        .into_router();
    let (ids, id_token, access) = tokens(&handle, json!({}));
    let jwks = handle.pool_jwks(&ids.pool_id).unwrap();
    assert_eq!(jwks, vec![pinned.jwk().clone()]);
    for token in [&id_token, &access] {
        assert_eq!(
            decode_header(token).unwrap().kid.as_deref(),
            Some(pinned.kid())
        );
    }
}
