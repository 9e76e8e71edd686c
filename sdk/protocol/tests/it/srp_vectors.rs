//! Known-answer tests for the SRP math, client and server side, against values produced by
//! amazon-cognito-identity-js 6.3.21 (tests/data/srp.json, copied from the project's vectors).
#![allow(clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cognito_protocol::srp::{self, ClaimInput, ClientEphemeral, ServerEphemeral};
use num_bigint::BigUint;
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("../data/srp.json");
    serde_json::from_str(text).expect("srp.json parses")
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key}"))
}

fn big(hex_str: &str) -> BigUint {
    srp::parse_hex(hex_str, "test").expect("hex")
}

#[test]
fn constants_and_pad_hex_samples() {
    let v = vectors();
    let c = &v["constants"];
    assert_eq!(srp::group().n, big(s(c, "N_hex")));
    assert_eq!(srp::group().g, big(s(c, "g")));
    assert_eq!(srp::pad_hex(&srp::group().k), s(c, "k_hex"));
    let samples = v["padHex_samples"].as_array().expect("array");
    assert_eq!(samples.len(), 11);
    for sample in samples {
        assert_eq!(
            srp::pad_hex_signed(s(sample, "in_hex")).expect("valid"),
            s(sample, "padHex"),
            "padHex({})",
            s(sample, "in_hex")
        );
    }
}

#[test]
fn timestamp_samples() {
    let v = vectors();
    for sample in v["timestamp_format_samples"].as_array().expect("array") {
        let utc = chrono::DateTime::parse_from_rfc3339(s(sample, "utc")).expect("rfc3339");
        let formatted = srp::format_timestamp(utc.timestamp());
        assert_eq!(formatted, s(sample, "DateHelper_getNowString"));
        assert_eq!(srp::parse_timestamp(&formatted), Some(utc.timestamp()));
    }
}

#[test]
fn user_srp_cases_client_and_server_side() {
    let v = vectors();
    let cases = v["user_srp"].as_array().expect("array");
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = s(case, "name");
        let input = &case["inputs"];
        let exp = &case["expected"];
        let challenge = &input["challengeParameters_from_InitiateAuth"];
        let realm = s(input, "poolNameUsedInHashes");
        assert_eq!(srp::pool_name(s(input, "userPoolId")), realm, "{name}");
        let user_id = s(challenge, "USER_ID_FOR_SRP");
        let password = s(input, "password");

        // Client: A from a.
        let a_bytes = hex::decode(pad_even(s(input, "a_hex"))).expect("a hex");
        let client = ClientEphemeral::from_private_bytes(&a_bytes).expect("a");
        assert_eq!(client.public_hex(), s(exp, "SRP_A"), "{name}: SRP_A");
        assert_eq!(srp::pad_hex(client.public()), s(exp, "padHex_A"), "{name}");

        let salt = big(s(challenge, "SALT"));
        let b_pub = big(s(challenge, "SRP_B"));
        assert_eq!(srp::pad_hex(&b_pub), s(exp, "padHex_B"), "{name}");
        assert_eq!(srp::pad_hex(&salt), s(exp, "padHex_salt"), "{name}");
        let u = srp::compute_u(client.public(), &b_pub);
        assert_eq!(u, big(s(exp, "u_hex")), "{name}: u");
        assert_eq!(
            hex::encode(srp::identity_hash(realm, user_id, password)),
            s(
                exp,
                "inner_hash_hex__sha256_utf8_poolName_userId_colon_password"
            ),
            "{name}: inner hash"
        );
        let x = srp::compute_x(&salt, realm, user_id, password);
        assert_eq!(x, big(s(exp, "x_hex")), "{name}: x");
        let shared = client
            .shared_secret(&salt, &b_pub, realm, user_id, password)
            .expect("client S");
        assert_eq!(shared.u, u);
        assert_eq!(
            srp::pad_hex(shared.premaster()),
            s(exp, "S_padHex"),
            "{name}: S"
        );
        assert_eq!(
            hex::encode(shared.key()),
            s(exp, "hkdf_key_hex"),
            "{name}: key"
        );

        // Server: v from x, B from b and v, the same S from A.
        let v_srv = srp::verifier(&x);
        assert_eq!(
            v_srv,
            big(s(exp, "verifier_v_hex__server_side")),
            "{name}: v"
        );
        let b_bytes = hex::decode(pad_even(s(input, "server_private_b_hex"))).expect("b hex");
        let server = ServerEphemeral::from_private_bytes(&b_bytes, &v_srv);
        assert_eq!(server.public(), &b_pub, "{name}: server B");
        let server_shared = server
            .shared_secret(client.public(), &v_srv)
            .expect("server S");
        assert_eq!(server_shared, shared, "{name}: server S equals client S");

        // The signed claim.
        let block = B64.decode(s(challenge, "SECRET_BLOCK")).expect("block");
        let msg = srp::claim_message(realm, user_id, &block, s(exp, "TIMESTAMP"));
        assert_eq!(
            hex::encode(&msg),
            s(exp, "signature_message_hex"),
            "{name}: message"
        );
        let signature = client
            .password_claim(&ClaimInput {
                realm,
                user_id,
                password,
                salt_hex: s(challenge, "SALT"),
                srp_b_hex: s(challenge, "SRP_B"),
                secret_block_b64: s(challenge, "SECRET_BLOCK"),
                timestamp: s(exp, "TIMESTAMP"),
            })
            .expect("claim");
        assert_eq!(
            signature,
            s(exp, "PASSWORD_CLAIM_SIGNATURE"),
            "{name}: signature"
        );
        assert!(srp::verify_claim_signature(
            &srp::claim_mac(&server_shared.key(), &msg),
            &signature
        ));

        // The TIMESTAMP the library sent is the one pinned for `now_utc`.
        let now = chrono::DateTime::parse_from_rfc3339(s(input, "now_utc")).expect("now");
        assert_eq!(srp::format_timestamp(now.timestamp()), s(exp, "TIMESTAMP"));
        let sent = &case["requests_sent_by_library"][1]["body"]["ChallengeResponses"];
        assert_eq!(
            s(sent, "PASSWORD_CLAIM_SIGNATURE"),
            signature,
            "{name}: as sent"
        );
        assert_eq!(
            s(sent, "USERNAME"),
            user_id,
            "{name}: answer names USER_ID_FOR_SRP"
        );
        let first = &case["requests_sent_by_library"][0]["body"]["AuthParameters"];
        assert_eq!(s(first, "SRP_A"), client.public_hex());
    }
}

#[test]
fn device_confirm_and_device_srp_login() {
    let v = vectors();
    let dev = &v["device_srp"];
    let confirm = &dev["confirm_device"];
    let meta = &confirm["inputs"]["NewDeviceMetadata"];
    let group_key = s(meta, "DeviceGroupKey");
    let device_key = s(meta, "DeviceKey");
    let pw_bytes =
        hex::decode(s(&confirm["inputs"], "random_password_bytes_hex__40_bytes")).expect("hex");
    let salt_bytes =
        hex::decode(s(&confirm["inputs"], "salt_random_bytes_hex__16_bytes")).expect("hex");
    let exp = &confirm["expected"];
    let made = srp::device_verifier(group_key, device_key, &pw_bytes, &salt_bytes);
    assert_eq!(made.random_password, s(exp, "randomPassword_base64"));
    let body = &exp["ConfirmDevice_request_body"]["DeviceSecretVerifierConfig"];
    assert_eq!(made.salt_b64, s(body, "Salt"));
    assert_eq!(made.verifier_b64, s(body, "PasswordVerifier"));
    let salt = BigUint::from_bytes_be(&salt_bytes);
    assert_eq!(srp::pad_hex(&salt), s(exp, "salt_padHex"));
    let x = srp::compute_x(&salt, group_key, device_key, &made.random_password);
    assert_eq!(x, big(s(exp, "x_hex")));
    let v_dev = srp::verifier(&x);
    assert_eq!(srp::pad_hex(&v_dev), s(exp, "verifier_padHex"));

    // The next login: DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER.
    let login = &dev["device_srp_login"];
    let input = &login["inputs"];
    let lexp = &login["expected"];
    let challenge = &input["challengeParameters_for_DEVICE_PASSWORD_VERIFIER"];
    let a_bytes = hex::decode(pad_even(s(input, "device_a_hex"))).expect("a");
    let client = ClientEphemeral::from_private_bytes(&a_bytes).expect("a");
    assert_eq!(client.public_hex(), s(lexp, "SRP_A"));
    let b_bytes = hex::decode(pad_even(s(input, "device_server_private_b_hex"))).expect("b");
    let server = ServerEphemeral::from_private_bytes(&b_bytes, &v_dev);
    assert_eq!(server.public(), &big(s(challenge, "SRP_B")));
    let salt_sent = big(s(challenge, "SALT"));
    let shared = client
        .shared_secret(
            &salt_sent,
            server.public(),
            group_key,
            device_key,
            &made.random_password,
        )
        .expect("client");
    assert_eq!(shared.u, big(s(lexp, "u_hex")));
    assert_eq!(srp::pad_hex(shared.premaster()), s(lexp, "S_padHex"));
    assert_eq!(hex::encode(shared.key()), s(lexp, "hkdf_key_hex"));
    assert_eq!(
        server
            .shared_secret(client.public(), &v_dev)
            .expect("server"),
        shared
    );
    let signature = client
        .password_claim(&ClaimInput {
            realm: group_key,
            user_id: device_key,
            password: &made.random_password,
            salt_hex: s(challenge, "SALT"),
            srp_b_hex: s(challenge, "SRP_B"),
            secret_block_b64: s(challenge, "SECRET_BLOCK"),
            timestamp: s(lexp, "TIMESTAMP"),
        })
        .expect("claim");
    assert_eq!(signature, s(lexp, "PASSWORD_CLAIM_SIGNATURE"));
    let block = B64.decode(s(challenge, "SECRET_BLOCK")).expect("b64");
    let msg = srp::claim_message(group_key, device_key, &block, s(lexp, "TIMESTAMP"));
    assert_eq!(hex::encode(msg), s(lexp, "signature_message_hex"));
}

#[test]
fn cross_check_with_another_implementation() {
    let v = vectors();
    let cases = v["cross_check_rust_crate_aws_cognito_srp_0_2_6"]["vectors"]
        .as_array()
        .expect("array");
    assert!(!cases.is_empty());
    for case in cases {
        let a_bytes = hex::decode(s(case, "a_hex")).expect("a");
        let client = ClientEphemeral::from_private_bytes(&a_bytes).expect("a");
        assert_eq!(client.public_hex(), s(case, "SRP_A"));
        let signature = client
            .password_claim(&ClaimInput {
                realm: srp::pool_name(s(case, "userPoolId")),
                user_id: s(case, "userIdForSrp"),
                password: s(case, "password"),
                salt_hex: s(case, "SALT"),
                srp_b_hex: s(case, "SRP_B"),
                secret_block_b64: s(case, "SECRET_BLOCK"),
                timestamp: s(case, "TIMESTAMP"),
            })
            .expect("claim");
        assert_eq!(signature, s(case, "PASSWORD_CLAIM_SIGNATURE"));
    }
}

fn pad_even(h: &str) -> String {
    if h.len() % 2 == 1 {
        format!("0{h}")
    } else {
        h.to_owned()
    }
}
