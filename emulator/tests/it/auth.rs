//! Sign-in: SRP (with the SDK's client math), password auth, refresh, the new-password
//! challenge, SECRET_HASH, secret blocks that are forged, replayed or expired, and tokens
//! that expire on the emulator clock or are revoked.
//! Refresh, expiry, revocation, the new-password challenge and sign-in by alias are in `tokens`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::*;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cognito_protocol::srp;
use cognito_protocol::wire::ErrorKind;
use serde_json::json;

#[test]
fn srp_sign_in_issues_tokens_with_cognitos_claims() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "alice", "Passw0rd!");
    let attempt = srp_start(&app.handle, &ids, "alice", &[]).unwrap();
    let params = attempt.challenge.challenge_parameters.clone().unwrap();
    assert_eq!(
        attempt.challenge.challenge_name.as_deref(),
        Some("PASSWORD_VERIFIER")
    );
    assert_eq!(params["USER_ID_FOR_SRP"], "alice");
    assert_eq!(params["USERNAME"], "alice");
    assert!(params["SRP_B"].chars().all(|c| c.is_ascii_hexdigit()));
    assert!(params["SALT"].chars().all(|c| c.is_ascii_hexdigit()));
    assert!(attempt.challenge.session.is_none());

    let answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    let done = respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None).unwrap();
    let result = done.authentication_result.unwrap();
    assert_eq!(result.token_type.as_deref(), Some("Bearer"));
    assert_eq!(result.expires_in, Some(3600));
    assert!(result.refresh_token.is_some());
    let access = claims(result.access_token.as_deref().unwrap());
    let id = claims(result.id_token.as_deref().unwrap());
    for (name, expected) in [
        ("token_use", "access"),
        ("scope", "aws.cognito.signin.user.admin"),
        ("username", "alice"),
    ] {
        assert_eq!(access[name], expected);
    }
    assert_eq!(access["client_id"], ids.client_id.as_str());
    assert_eq!(access["iss"], app.handle.issuer(&ids.pool_id).as_str());
    assert_eq!(id["aud"], ids.client_id.as_str());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert_eq!(id["sub"], access["sub"]);
    assert_eq!(id["auth_time"], access["iat"]);
    assert_ne!(id["jti"], access["jti"]);
    assert_eq!(
        access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(),
        3600
    );
}

#[test]
fn srp_wrong_password_is_not_authorized() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "bob", "Passw0rd!");
    let (kind, msg) = srp_sign_in(&app.handle, &ids, "bob", "Passw0rd?").unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert_eq!(msg, "Incorrect username or password.");
}

#[test]
fn secret_blocks_cannot_be_forged_replayed_or_used_late() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "carl", "Passw0rd!");

    // Forged: flip a byte of the block (and sign over the forged block).
    let attempt = srp_start(&app.handle, &ids, "carl", &[]).unwrap();
    let mut forged = attempt.challenge.clone();
    let params = forged.challenge_parameters.as_mut().unwrap();
    let mut block = B64.decode(&params["SECRET_BLOCK"]).unwrap();
    block[0] ^= 1;
    params.insert("SECRET_BLOCK".into(), B64.encode(&block));
    let forged_attempt = SrpAttempt {
        challenge: forged,
        client: attempt.client,
    };
    let answer = srp_answer(&ids, &forged_attempt, "Passw0rd!", &now_timestamp());
    assert_eq!(
        respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None)
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );

    // Replayed: the same correct answer twice.
    let attempt = srp_start(&app.handle, &ids, "carl", &[]).unwrap();
    let answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer.clone(), None).unwrap();
    assert_eq!(
        respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None)
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );

    // Late: answered after the auth session validity (3 minutes) on the emulator clock.
    let attempt = srp_start(&app.handle, &ids, "carl", &[]).unwrap();
    app.handle.clock().advance(Duration::from_secs(181));
    let answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    let (kind, msg) = respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None).unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("expired"), "{msg}");

    // Another client cannot answer this client's challenge.
    let other_client = ok(
        &app.handle,
        "CreateUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientName": "o"}),
    )["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempt = srp_start(&app.handle, &ids, "carl", &[]).unwrap();
    let answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    let other = PoolIds {
        pool_id: ids.pool_id.clone(),
        client_id: other_client,
    };
    assert_eq!(
        respond(&app.handle, &other, "PASSWORD_VERIFIER", answer, None)
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
}

#[test]
fn srp_a_zero_mod_n_and_bad_hex_are_refused() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "dana", "Passw0rd!");
    let n = srp::group().n.clone();
    for a in [
        "0".to_owned(),
        n.to_str_radix(16),
        (&n * 3u8).to_str_radix(16),
    ] {
        let (kind, msg) = err(
            &app.handle,
            "InitiateAuth",
            json!({"ClientId": ids.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": "dana", "SRP_A": a}}),
        );
        assert_eq!(kind, ErrorKind::InvalidParameter);
        assert!(msg.contains("A mod N"), "{msg}");
    }
    let (kind, _) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": "dana", "SRP_A": "xyz"}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    let (kind, msg) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": "dana"}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("SRP_A"));
}

#[test]
fn timestamp_format_is_checked_and_the_window_is_optional() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "eve", "Passw0rd!");
    let attempt = srp_start(&app.handle, &ids, "eve", &[]).unwrap();
    let answer = srp_answer(&ids, &attempt, "Passw0rd!", "Sun Nov 01 01:02:03 UTC 2026");
    assert_eq!(
        respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None)
            .unwrap_err()
            .0,
        ErrorKind::InvalidParameter
    );

    // Without a window, a timestamp far from the emulator clock is fine (tests move the clock).
    app.handle.clock().advance(Duration::from_secs(30 * 86_400));
    srp_sign_in(&app.handle, &ids, "eve", "Passw0rd!").unwrap();

    // With a window, it is refused.
    let (router, handle) = cognito_emulator::Emulator::builder()
        .srp_timestamp_window(Duration::from_secs(300))
        .into_router();
    drop(router);
    let ids = pool(&handle, json!({}), json!({}));
    user(&handle, &ids.pool_id, "eve", "Passw0rd!");
    srp_sign_in(&handle, &ids, "eve", "Passw0rd!").unwrap();
    handle.clock().advance(Duration::from_secs(3600));
    let (kind, msg) = srp_sign_in(&handle, &ids, "eve", "Passw0rd!").unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("TIMESTAMP"));
}

#[test]
fn unknown_users_legacy_and_prevented() {
    let app = app();
    let legacy = pool(&app.handle, json!({}), json!({}));
    assert_eq!(
        srp_start(&app.handle, &legacy, "ghost", &[]).unwrap_err().0,
        ErrorKind::UserNotFound
    );
    assert_eq!(
        password_auth(&app.handle, &legacy, "ghost", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::UserNotFound
    );

    let strict = pool(
        &app.handle,
        json!({}),
        json!({"PreventUserExistenceErrors": "ENABLED"}),
    );
    // The decoy challenge looks like a real one and can only fail like a wrong password.
    let attempt = srp_start(&app.handle, &strict, "ghost", &[]).unwrap();
    assert_eq!(
        attempt.challenge.challenge_parameters.as_ref().unwrap()["USER_ID_FOR_SRP"],
        "ghost"
    );
    let answer = srp_answer(&strict, &attempt, "Passw0rd!", &now_timestamp());
    let (kind, msg) = respond(&app.handle, &strict, "PASSWORD_VERIFIER", answer, None).unwrap_err();
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Incorrect username or password.")
    );
    assert_eq!(
        password_auth(&app.handle, &strict, "ghost", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
}

#[test]
fn unconfirmed_disabled_and_reset_users() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "fay", "Password": "Passw0rd!"}),
    );
    assert_eq!(
        srp_sign_in(&app.handle, &ids, "fay", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::UserNotConfirmed
    );
    assert_eq!(
        password_auth(&app.handle, &ids, "fay", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::UserNotConfirmed
    );
    // A wrong password on an unconfirmed user says nothing about confirmation.
    assert_eq!(
        srp_sign_in(&app.handle, &ids, "fay", "Passw0rd?")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );

    user(&app.handle, &ids.pool_id, "gus", "Passw0rd!");
    ok(
        &app.handle,
        "AdminDisableUser",
        json!({"UserPoolId": ids.pool_id, "Username": "gus"}),
    );
    let (kind, msg) = srp_start(&app.handle, &ids, "gus", &[])
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "User is disabled.")
    );
    assert_eq!(
        password_auth(&app.handle, &ids, "gus", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
}

#[test]
fn flows_must_be_enabled_for_the_client() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({}),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}),
    );
    user(&app.handle, &ids.pool_id, "hal", "Passw0rd!");
    let (kind, msg) = password_auth(&app.handle, &ids, "hal", "Passw0rd!").unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert_eq!(msg, "USER_PASSWORD_AUTH flow not enabled for this client");
    let tokens = srp_sign_in(&app.handle, &ids, "hal", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let (kind, _) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": tokens.refresh_token}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    let (kind, _) = err(
        &app.handle,
        "AdminInitiateAuth",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "hal", "PASSWORD": "Passw0rd!"}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    // Admin flows are not reachable through the app API.
    let (kind, msg) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("not supported"));
    let (kind, msg) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "MAGIC", "AuthParameters": {}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("authFlow"));
    // Default flows of a client created without ExplicitAuthFlows: SRP, refresh, custom.
    let defaults = pool(&app.handle, json!({}), json!({"ExplicitAuthFlows": []}));
    user(&app.handle, &defaults.pool_id, "hal", "Passw0rd!");
    srp_sign_in(&app.handle, &defaults, "hal", "Passw0rd!").unwrap();
    assert_eq!(
        password_auth(&app.handle, &defaults, "hal", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::InvalidParameter
    );
}

#[test]
fn admin_flows_and_admin_srp() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "ida", "Passw0rd!");
    let out = ok(
        &app.handle,
        "AdminInitiateAuth",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "ida", "PASSWORD": "Passw0rd!"}}),
    );
    assert!(out["AuthenticationResult"]["IdToken"].is_string());
    assert_eq!(out["ChallengeParameters"], json!({}));
    let (kind, _) = err(
        &app.handle,
        "AdminInitiateAuth",
        json!({"UserPoolId": "us-east-1_other0000", "ClientId": ids.client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {}}),
    );
    assert_eq!(kind, ErrorKind::ResourceNotFound);
}
