//! MFA: software tokens (TOTP on the emulator clock), SMS codes, choosing between them, and
//! setting up MFA when the pool requires it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::time::Duration;

use crate::common::*;
use cognito_emulator::totp;
use cognito_protocol::wire::{AuthResponse, ErrorKind};
use serde_json::{json, Value};

fn code_for(app: &App, secret_code: &str) -> String {
    totp::code_at(
        &totp::decode_secret(secret_code).unwrap(),
        app.handle.clock().now_secs(),
        6,
    )
}

fn answer(
    app: &App,
    ids: &PoolIds,
    challenge: &str,
    session: &str,
    pairs: &[(&str, &str)],
) -> Result<AuthResponse, (ErrorKind, String)> {
    let mut m: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    m.entry("USERNAME".into()).or_insert_with(|| "u".into());
    respond(&app.handle, ids, challenge, m, Some(session))
}

fn totp_user(app: &App, ids: &PoolIds, name: &str) -> String {
    user(&app.handle, &ids.pool_id, name, "Passw0rd!");
    let at = password_auth(&app.handle, ids, name, "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let secret = ok(
        &app.handle,
        "AssociateSoftwareToken",
        json!({"AccessToken": at}),
    )["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        err(
            &app.handle,
            "VerifySoftwareToken",
            json!({"AccessToken": at, "UserCode": "000000"})
        )
        .0,
        ErrorKind::EnableSoftwareTokenMfa
    );
    let out = ok(
        &app.handle,
        "VerifySoftwareToken",
        json!({"AccessToken": at, "UserCode": code_for(app, &secret), "FriendlyDeviceName": "phone"}),
    );
    assert_eq!(out["Status"], "SUCCESS");
    ok(
        &app.handle,
        "SetUserMFAPreference",
        json!({"AccessToken": at, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    secret
}

#[test]
fn software_token_mfa_sign_in() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"MfaConfiguration": "OPTIONAL"}),
        json!({}),
    );
    let secret = totp_user(&app, &ids, "tia");
    let me = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "tia"}),
    );
    assert_eq!(me["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
    assert_eq!(me["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");

    let ch = srp_sign_in(&app.handle, &ids, "tia", "Passw0rd!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("SOFTWARE_TOKEN_MFA"));
    let session = ch.session.unwrap().into_inner();
    let (kind, _) = answer(
        &app,
        &ids,
        "SOFTWARE_TOKEN_MFA",
        &session,
        &[("SOFTWARE_TOKEN_MFA_CODE", "000000")],
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::CodeMismatch);
    // A code one step old still works; the session survives a wrong code.
    let code = code_for(&app, &secret);
    app.handle.clock().advance(Duration::from_secs(30));
    let done = answer(
        &app,
        &ids,
        "SOFTWARE_TOKEN_MFA",
        &session,
        &[("SOFTWARE_TOKEN_MFA_CODE", &code)],
    )
    .unwrap();
    assert!(done.authentication_result.unwrap().id_token.is_some());
    // Password auth goes through the same challenge.
    assert_eq!(
        password_auth(&app.handle, &ids, "tia", "Passw0rd!")
            .unwrap()
            .challenge_name
            .as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
    // A stale code does not.
    let ch = password_auth(&app.handle, &ids, "tia", "Passw0rd!").unwrap();
    app.handle.clock().advance(Duration::from_secs(120));
    let (kind, _) = answer(
        &app,
        &ids,
        "SOFTWARE_TOKEN_MFA",
        &ch.session.unwrap().0,
        &[("SOFTWARE_TOKEN_MFA_CODE", &code)],
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::CodeMismatch);
}

#[test]
fn mfa_setup_when_the_pool_requires_it() {
    let app = app();
    let ids = pool(&app.handle, json!({"MfaConfiguration": "ON"}), json!({}));
    user(&app.handle, &ids.pool_id, "uma", "Passw0rd!");
    let ch = srp_sign_in(&app.handle, &ids, "uma", "Passw0rd!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("MFA_SETUP"));
    assert_eq!(
        ch.challenge_parameters.as_ref().unwrap()["MFAS_CAN_SETUP"],
        "[\"SOFTWARE_TOKEN_MFA\"]"
    );
    let s1 = ch.session.unwrap().into_inner();
    let (kind, _) = answer(&app, &ids, "MFA_SETUP", &s1, &[]).unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter, "not set up yet");
    let assoc = ok(
        &app.handle,
        "AssociateSoftwareToken",
        json!({"Session": s1}),
    );
    let secret = assoc["SecretCode"].as_str().unwrap().to_owned();
    let s2 = assoc["Session"].as_str().unwrap().to_owned();
    assert_ne!(s1, s2);
    let verified = ok(
        &app.handle,
        "VerifySoftwareToken",
        json!({"Session": s2, "UserCode": code_for(&app, &secret)}),
    );
    let s3 = verified["Session"].as_str().unwrap().to_owned();
    let done = answer(&app, &ids, "MFA_SETUP", &s3, &[]).unwrap();
    assert!(done.authentication_result.is_some());
    assert_eq!(
        srp_sign_in(&app.handle, &ids, "uma", "Passw0rd!")
            .unwrap()
            .challenge_name
            .as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
    assert_eq!(
        err(
            &app.handle,
            "AssociateSoftwareToken",
            json!({"Session": s1})
        )
        .0,
        ErrorKind::NotAuthorized,
        "sessions are single-use"
    );
}

#[test]
fn sms_mfa_and_choosing_between_factors() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"MfaConfiguration": "OPTIONAL"}),
        json!({}),
    );
    totp_user(&app, &ids, "val");
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "val", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550123"}, {"Name": "phone_number_verified", "Value": "true"}]}),
    );
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "val", "SMSMfaSettings": {"Enabled": true}, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": false}}),
    );
    // Both enabled: the preference stays SOFTWARE_TOKEN_MFA until cleared; clear it.
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "val", "SoftwareTokenMfaSettings": {"Enabled": false}}),
    );
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "val", "SoftwareTokenMfaSettings": {"Enabled": true}}),
    );
    let ch = srp_sign_in(&app.handle, &ids, "val", "Passw0rd!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("SELECT_MFA_TYPE"));
    assert_eq!(
        ch.challenge_parameters.as_ref().unwrap()["MFAS_CAN_CHOOSE"],
        "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"
    );
    let sms = answer(
        &app,
        &ids,
        "SELECT_MFA_TYPE",
        &ch.session.unwrap().0,
        &[("ANSWER", "SMS_MFA")],
    )
    .unwrap();
    assert_eq!(sms.challenge_name.as_deref(), Some("SMS_MFA"));
    let p = sms.challenge_parameters.clone().unwrap();
    assert_eq!(
        (
            p["CODE_DELIVERY_DELIVERY_MEDIUM"].as_str(),
            p["CODE_DELIVERY_DESTINATION"].as_str()
        ),
        ("SMS", "+*******0123")
    );
    let message = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(
        message.body,
        format!("Your authentication code is {}.", message.code)
    );
    let session = sms.session.unwrap().into_inner();
    assert_eq!(
        answer(
            &app,
            &ids,
            "SMS_MFA",
            &session,
            &[("SMS_MFA_CODE", "000000")]
        )
        .unwrap_err()
        .0,
        ErrorKind::CodeMismatch
    );
    assert!(answer(
        &app,
        &ids,
        "SMS_MFA",
        &session,
        &[("SMS_MFA_CODE", &message.code)]
    )
    .unwrap()
    .authentication_result
    .is_some());
}

#[test]
fn preferences_are_validated() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"MfaConfiguration": "OPTIONAL"}),
        json!({}),
    );
    user(&app.handle, &ids.pool_id, "wes", "Passw0rd!");
    let at = password_auth(&app.handle, &ids, "wes", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let (kind, msg) = err(
        &app.handle,
        "SetUserMFAPreference",
        json!({"AccessToken": at, "SoftwareTokenMfaSettings": {"Enabled": true}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("not verified"));
    assert_eq!(
        err(
            &app.handle,
            "SetUserMFAPreference",
            json!({"AccessToken": at, "SMSMfaSettings": {"Enabled": true}})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        err(
            &app.handle,
            "VerifySoftwareToken",
            json!({"AccessToken": at, "UserCode": "123456"})
        )
        .0,
        ErrorKind::SoftwareTokenMfaNotFound
    );
    let _: Value = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
}

#[test]
fn legacy_mfa_options_switch_sms_mfa() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"MfaConfiguration": "OPTIONAL"}),
        json!({}),
    );
    user(&app.handle, &ids.pool_id, "lee", "Passw0rd!");
    let at = password_auth(&app.handle, &ids, "lee", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let sms = json!([{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]);
    // No phone number yet, and only SMS on phone_number is accepted.
    assert_eq!(
        err(
            &app.handle,
            "SetUserSettings",
            json!({"AccessToken": at, "MFAOptions": sms})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "lee", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550177"}, {"Name": "phone_number_verified", "Value": "true"}]}),
    );
    for bad in [
        json!([{"DeliveryMedium": "EMAIL", "AttributeName": "email"}]),
        json!([{"DeliveryMedium": "SMS", "AttributeName": "email"}]),
    ] {
        assert_eq!(
            err(
                &app.handle,
                "SetUserSettings",
                json!({"AccessToken": at, "MFAOptions": bad})
            )
            .0,
            ErrorKind::InvalidParameter
        );
    }
    assert_eq!(
        err(&app.handle, "SetUserSettings", json!({"AccessToken": at})).0,
        ErrorKind::InvalidParameter
    );
    let got = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert!(got.get("MFAOptions").is_none(), "{got}");

    ok(
        &app.handle,
        "SetUserSettings",
        json!({"AccessToken": at, "MFAOptions": sms}),
    );
    let got = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert_eq!(got["MFAOptions"], sms);
    assert_eq!(got["UserMFASettingList"], json!(["SMS_MFA"]));
    let admin = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "lee"}),
    );
    assert_eq!(admin["MFAOptions"], sms);
    let listed = ok(&app.handle, "ListUsers", json!({"UserPoolId": ids.pool_id}));
    assert_eq!(listed["Users"][0]["MFAOptions"], sms);
    let ch = password_auth(&app.handle, &ids, "lee", "Passw0rd!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("SMS_MFA"));

    // The administrative twin with an empty list turns it off again.
    ok(
        &app.handle,
        "AdminSetUserSettings",
        json!({"UserPoolId": ids.pool_id, "Username": "lee", "MFAOptions": []}),
    );
    let got = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert!(got.get("MFAOptions").is_none(), "{got}");
    assert!(got.get("UserMFASettingList").is_none(), "{got}");
    assert!(password_auth(&app.handle, &ids, "lee", "Passw0rd!")
        .unwrap()
        .authentication_result
        .is_some());
}

#[test]
fn a_refused_preference_changes_nothing() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"MfaConfiguration": "OPTIONAL"}),
        json!({}),
    );
    totp_user(&app, &ids, "ned");
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "ned", "SoftwareTokenMfaSettings": {"Enabled": false}}),
    );
    // The software token could be enabled again, but SMS cannot (no phone number): the
    // request is refused as a whole and the token stays off.
    assert_eq!(
        err(
            &app.handle,
            "AdminSetUserMFAPreference",
            json!({"UserPoolId": ids.pool_id, "Username": "ned", "SoftwareTokenMfaSettings": {"Enabled": true}, "SMSMfaSettings": {"Enabled": true}}),
        )
        .0,
        ErrorKind::InvalidParameter
    );
    let got = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "ned"}),
    );
    assert!(got.get("UserMFASettingList").is_none(), "{got}");
}

#[test]
fn email_otp_is_a_third_factor() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"MfaConfiguration": "OPTIONAL"}),
        json!({}),
    );
    user(&app.handle, &ids.pool_id, "uma", "Passw0rd!");
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "uma", "UserAttributes": [{"Name": "email", "Value": "uma@example.com"}, {"Name": "phone_number", "Value": "+15555550133"}]}),
    );
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "uma", "EmailMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    let got = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "uma"}),
    );
    assert_eq!(got["UserMFASettingList"], json!(["EMAIL_OTP"]));
    assert_eq!(got["PreferredMfaSetting"], "EMAIL_OTP");

    let ch = srp_sign_in(&app.handle, &ids, "uma", "Passw0rd!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("EMAIL_OTP"));
    let p = ch.challenge_parameters.clone().unwrap();
    assert_eq!(p["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(p["CODE_DELIVERY_DESTINATION"], "u***@e***");
    let message = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(message.destination, "uma@example.com");
    let session = ch.session.unwrap().into_inner();
    // The SMS key does not answer an email code.
    assert_eq!(
        answer(
            &app,
            &ids,
            "EMAIL_OTP",
            &session,
            &[("SMS_MFA_CODE", &message.code)]
        )
        .unwrap_err()
        .0,
        ErrorKind::InvalidParameter
    );
    assert!(answer(
        &app,
        &ids,
        "EMAIL_OTP",
        &session,
        &[("EMAIL_OTP_CODE", &message.code)]
    )
    .unwrap()
    .authentication_result
    .is_some());

    // With SMS enabled too and no preference, the user chooses.
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "uma", "EmailMfaSettings": {"Enabled": true, "PreferredMfa": false}, "SMSMfaSettings": {"Enabled": true}}),
    );
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "uma", "EmailMfaSettings": {"Enabled": false}}),
    );
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "uma", "EmailMfaSettings": {"Enabled": true}}),
    );
    let ch = srp_sign_in(&app.handle, &ids, "uma", "Passw0rd!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("SELECT_MFA_TYPE"));
    assert_eq!(
        ch.challenge_parameters.unwrap()["MFAS_CAN_CHOOSE"],
        "[\"SMS_MFA\",\"EMAIL_OTP\"]"
    );
}
