//! Choice-based sign-in (USER_AUTH): first factors from the pool's SignInPolicy, a preferred
//! challenge taken directly, SELECT_CHALLENGE otherwise, and one-time codes by email and SMS.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use crate::common::*;
use cognito_protocol::wire::{AuthResponse, ErrorKind};
use serde_json::{json, Value};

fn setup(factors: Value) -> (App, PoolIds) {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}}),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    );
    user(&app.handle, &ids.pool_id, "ivy", "Passw0rd!");
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "ivy", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550155"}]}),
    );
    (app, ids)
}

fn start(app: &App, ids: &PoolIds, extra: Value) -> Result<AuthResponse, (ErrorKind, String)> {
    let mut params = json!({"USERNAME": "ivy"});
    for (k, v) in extra.as_object().unwrap() {
        params[k] = v.clone();
    }
    app.handle
        .call::<Value, AuthResponse>(
            "InitiateAuth",
            &json!({"ClientId": ids.client_id, "AuthFlow": "USER_AUTH", "AuthParameters": params}),
        )
        .map_err(|e| (e.kind, e.message))
}

fn pairs(p: &[(&str, &str)]) -> BTreeMap<String, String> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn select_challenge_lists_what_the_pool_and_user_allow() {
    let (app, ids) = setup(json!(["PASSWORD", "EMAIL_OTP", "SMS_OTP"]));
    let select = start(&app, &ids, json!({})).unwrap();
    assert_eq!(select.challenge_name.as_deref(), Some("SELECT_CHALLENGE"));
    assert_eq!(
        select.available_challenges.as_deref().unwrap(),
        ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    );
    let session = select.session.unwrap().into_inner();

    // Choosing the email code: the code goes out, the right one signs in.
    let otp = respond(
        &app.handle,
        &ids,
        "SELECT_CHALLENGE",
        pairs(&[("USERNAME", "ivy"), ("ANSWER", "EMAIL_OTP")]),
        Some(&session),
    )
    .unwrap();
    assert_eq!(otp.challenge_name.as_deref(), Some("EMAIL_OTP"));
    assert_eq!(
        otp.challenge_parameters.as_ref().unwrap()["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    let message = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(message.destination, "ivy@example.com");
    let otp_session = otp.session.unwrap().into_inner();
    assert_eq!(
        respond(
            &app.handle,
            &ids,
            "EMAIL_OTP",
            pairs(&[("USERNAME", "ivy"), ("EMAIL_OTP_CODE", "00000000")]),
            Some(&otp_session)
        )
        .unwrap_err()
        .0,
        ErrorKind::CodeMismatch
    );
    let done = respond(
        &app.handle,
        &ids,
        "EMAIL_OTP",
        pairs(&[("USERNAME", "ivy"), ("EMAIL_OTP_CODE", &message.code)]),
        Some(&otp_session),
    )
    .unwrap();
    assert!(done.authentication_result.unwrap().refresh_token.is_some());
    // The SELECT_CHALLENGE session was used up.
    assert_eq!(
        respond(
            &app.handle,
            &ids,
            "SELECT_CHALLENGE",
            pairs(&[("USERNAME", "ivy"), ("ANSWER", "EMAIL_OTP")]),
            Some(&session)
        )
        .unwrap_err()
        .0,
        ErrorKind::NotAuthorized
    );
}

#[test]
fn a_preferred_challenge_is_taken_directly() {
    let (app, ids) = setup(json!(["PASSWORD", "SMS_OTP"]));
    // PASSWORD with the password in the same request.
    let done = start(
        &app,
        &ids,
        json!({"PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Passw0rd!"}),
    )
    .unwrap();
    assert!(done.authentication_result.is_some());
    assert_eq!(
        start(
            &app,
            &ids,
            json!({"PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "nope"})
        )
        .unwrap_err()
        .0,
        ErrorKind::NotAuthorized
    );
    // PASSWORD_SRP answers PASSWORD_VERIFIER.
    let client = cognito_protocol::srp::ClientEphemeral::from_private_bytes(&rand_bytes()).unwrap();
    let challenge = start(
        &app,
        &ids,
        json!({"PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": client.public_hex()}),
    )
    .unwrap();
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("PASSWORD_VERIFIER")
    );
    let attempt = SrpAttempt { challenge, client };
    let proof = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    assert!(respond(&app.handle, &ids, "PASSWORD_VERIFIER", proof, None)
        .unwrap()
        .authentication_result
        .is_some());
    // SMS_OTP sends a code by SMS.
    let sms = start(&app, &ids, json!({"PREFERRED_CHALLENGE": "SMS_OTP"})).unwrap();
    assert_eq!(sms.challenge_name.as_deref(), Some("SMS_OTP"));
    let code = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(code.delivery_medium, "SMS");
    assert!(respond(
        &app.handle,
        &ids,
        "SMS_OTP",
        pairs(&[("USERNAME", "ivy"), ("SMS_OTP_CODE", &code.code)]),
        sms.session.as_ref().map(|s| s.0.as_str())
    )
    .unwrap()
    .authentication_result
    .is_some());
    // A factor the pool does not allow is not offered: SELECT_CHALLENGE instead.
    let select = start(&app, &ids, json!({"PREFERRED_CHALLENGE": "EMAIL_OTP"})).unwrap();
    assert_eq!(select.challenge_name.as_deref(), Some("SELECT_CHALLENGE"));
    assert_eq!(
        respond(
            &app.handle,
            &ids,
            "SELECT_CHALLENGE",
            pairs(&[("USERNAME", "ivy"), ("ANSWER", "EMAIL_OTP")]),
            select.session.as_ref().map(|s| s.0.as_str())
        )
        .unwrap_err()
        .0,
        ErrorKind::InvalidParameter
    );
}

#[test]
fn user_auth_must_be_allowed_for_the_client() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "ivy", "Passw0rd!");
    let (kind, msg) = start(&app, &ids, json!({})).unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("USER_AUTH"), "{msg}");
}
