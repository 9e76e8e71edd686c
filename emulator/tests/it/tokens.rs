//! After the password: refresh (auth_time and origin kept, expiry on the emulator clock), access
//! tokens that expire or are revoked, RevokeToken, NEW_PASSWORD_REQUIRED, SECRET_HASH on every
//! flow, and sign-in by alias or by an email username attribute.

use std::time::Duration;

use crate::common::*;
use cognito_protocol::wire::{self, ErrorKind};
use serde_json::{json, Value};

#[test]
fn refresh_keeps_auth_time_and_origin_and_expires_on_the_clock() {
    let app = app();
    // Exact second counts below: no wall-clock second may tick between the calls.
    app.handle.clock().freeze();
    let ids = pool(
        &app.handle,
        json!({}),
        json!({"RefreshTokenValidity": 2, "TokenValidityUnits": {"RefreshToken": "hours"}, "AccessTokenValidity": 5, "IdTokenValidity": 5}),
    );
    user(&app.handle, &ids.pool_id, "jon", "Passw0rd!");
    let first = srp_sign_in(&app.handle, &ids, "jon", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(first.expires_in, Some(5 * 3600));
    app.handle.clock().advance(Duration::from_secs(3600));
    let refresh = |token: &str| {
        app.handle.call::<Value, wire::AuthResponse>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": token}}))
    };
    let again = refresh(first.refresh_token.as_deref().unwrap())
        .unwrap()
        .authentication_result
        .unwrap();
    assert!(again.refresh_token.is_none());
    let (a, b) = (
        claims(first.access_token.as_deref().unwrap()),
        claims(again.access_token.as_deref().unwrap()),
    );
    assert_eq!(a["origin_jti"], b["origin_jti"]);
    assert_eq!(a["auth_time"], b["auth_time"]);
    assert_eq!(
        b["iat"].as_i64().unwrap() - a["iat"].as_i64().unwrap(),
        3600
    );
    let legacy = app.handle.call::<Value, Value>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN", "AuthParameters": {"REFRESH_TOKEN": first.refresh_token}}));
    assert!(legacy.is_ok());
    app.handle.clock().advance(Duration::from_secs(3601));
    let e = refresh(first.refresh_token.as_deref().unwrap()).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::NotAuthorized, "Refresh Token has expired")
    );
    let e = refresh("not-a-token").unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::NotAuthorized, "Invalid Refresh Token")
    );
}

#[test]
fn access_tokens_expire_and_are_revoked() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "kim", "Passw0rd!");
    let t = password_auth(&app.handle, &ids, "kim", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let at = t.access_token.clone().unwrap();
    assert_eq!(
        ok(&app.handle, "GetUser", json!({"AccessToken": at}))["Username"],
        "kim"
    );
    let (kind, msg) = err(&app.handle, "GetUser", json!({"AccessToken": t.id_token}));
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Invalid Access Token")
    );
    let (kind, _) = err(
        &app.handle,
        "GetUser",
        json!({"AccessToken": "abc.def.ghi"}),
    );
    assert_eq!(kind, ErrorKind::NotAuthorized);
    app.handle.clock().advance(Duration::from_secs(3600));
    let (kind, msg) = err(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Access Token has expired")
    );

    let t = password_auth(&app.handle, &ids, "kim", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    // Used once first, so the emulator remembers its signature as checked: revocation must
    // still be judged on every call.
    ok(
        &app.handle,
        "GetUser",
        json!({"AccessToken": t.access_token}),
    );
    ok(
        &app.handle,
        "RevokeToken",
        json!({"Token": t.refresh_token, "ClientId": ids.client_id}),
    );
    let (kind, msg) = err(
        &app.handle,
        "GetUser",
        json!({"AccessToken": t.access_token}),
    );
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Access Token has been revoked")
    );
    // Revoking again, or an unknown token, is a no-op.
    ok(
        &app.handle,
        "RevokeToken",
        json!({"Token": t.refresh_token, "ClientId": ids.client_id}),
    );
    ok(
        &app.handle,
        "RevokeToken",
        json!({"Token": "unknown", "ClientId": ids.client_id}),
    );

    let t = password_auth(&app.handle, &ids, "kim", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    ok(
        &app.handle,
        "AdminUserGlobalSignOut",
        json!({"UserPoolId": ids.pool_id, "Username": "kim"}),
    );
    assert_eq!(
        err(
            &app.handle,
            "GetUser",
            json!({"AccessToken": t.access_token})
        )
        .0,
        ErrorKind::NotAuthorized
    );
    let (kind, msg) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": t.refresh_token}}),
    );
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Refresh Token has been revoked")
    );
}

#[test]
fn revoke_token_belongs_to_its_client_and_respects_settings() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "lou", "Passw0rd!");
    let t = password_auth(&app.handle, &ids, "lou", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let other = ok(
        &app.handle,
        "CreateUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientName": "o"}),
    )["UserPoolClient"]["ClientId"]
        .clone();
    assert_eq!(
        err(
            &app.handle,
            "RevokeToken",
            json!({"Token": t.refresh_token, "ClientId": other})
        )
        .0,
        ErrorKind::Unauthorized
    );
    assert_eq!(
        ok(
            &app.handle,
            "GetUser",
            json!({"AccessToken": t.access_token})
        )["Username"],
        "lou"
    );
    assert_eq!(
        err(
            &app.handle,
            "RevokeToken",
            json!({"Token": t.access_token, "ClientId": ids.client_id})
        )
        .0,
        ErrorKind::UnsupportedTokenType
    );

    let secret = ok(&app.handle, "CreateUserPoolClient", json!({"UserPoolId": ids.pool_id, "ClientName": "s", "GenerateSecret": true, "EnableTokenRevocation": false}))["UserPoolClient"].clone();
    let (kind, _) = err(
        &app.handle,
        "RevokeToken",
        json!({"Token": "x", "ClientId": secret["ClientId"]}),
    );
    assert_eq!(kind, ErrorKind::Unauthorized);
    let (kind, _) = err(
        &app.handle,
        "RevokeToken",
        json!({"Token": "x", "ClientId": secret["ClientId"], "ClientSecret": secret["ClientSecret"]}),
    );
    assert_eq!(kind, ErrorKind::UnsupportedOperation);
}

#[test]
fn new_password_required_with_required_attributes() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"Schema": [{"Name": "name", "Required": true}, {"Name": "family_name", "Required": true}]}),
        json!({}),
    );
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "max", "TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "name", "Value": "Max"}]}),
    );
    let ch = srp_sign_in(&app.handle, &ids, "max", "Temp0rary!").unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("NEW_PASSWORD_REQUIRED"));
    let p = ch.challenge_parameters.unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&p["requiredAttributes"]).unwrap(),
        json!(["userAttributes.family_name"])
    );
    assert_eq!(
        serde_json::from_str::<Value>(&p["userAttributes"]).unwrap()["name"],
        "Max"
    );
    let session = ch.session.unwrap().into_inner();

    let answer = |pw: &str, extra: &[(&str, &str)]| {
        let mut m = std::collections::BTreeMap::from([
            ("USERNAME".to_owned(), "max".to_owned()),
            ("NEW_PASSWORD".to_owned(), pw.to_owned()),
        ]);
        for (k, v) in extra {
            m.insert((*k).to_owned(), (*v).to_owned());
        }
        m
    };
    let (kind, msg) = respond(
        &app.handle,
        &ids,
        "NEW_PASSWORD_REQUIRED",
        answer("N3w-Password!", &[]),
        Some(&session),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("family_name"), "{msg}");
    let (kind, _) = respond(
        &app.handle,
        &ids,
        "NEW_PASSWORD_REQUIRED",
        answer("weak", &[("userAttributes.family_name", "M")]),
        Some(&session),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidPassword);
    let (kind, _) = respond(
        &app.handle,
        &ids,
        "NEW_PASSWORD_REQUIRED",
        answer("N3w-Password!", &[("userAttributes.family_name", "M")]),
        Some("bogus-session-of-the-right-length"),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    let done = respond(
        &app.handle,
        &ids,
        "NEW_PASSWORD_REQUIRED",
        answer(
            "N3w-Password!",
            &[("userAttributes.family_name", "Mustermann")],
        ),
        Some(&session),
    )
    .unwrap();
    let id = claims(
        done.authentication_result
            .unwrap()
            .id_token
            .as_deref()
            .unwrap(),
    );
    assert_eq!(id["family_name"], "Mustermann");
    // The session is single-use, the old password is gone, the new one works.
    assert_eq!(
        respond(
            &app.handle,
            &ids,
            "NEW_PASSWORD_REQUIRED",
            answer("N3w-Password2!", &[]),
            Some(&session)
        )
        .unwrap_err()
        .0,
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        srp_sign_in(&app.handle, &ids, "max", "Temp0rary!")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
    assert!(srp_sign_in(&app.handle, &ids, "max", "N3w-Password!")
        .unwrap()
        .authentication_result
        .is_some());
}

#[test]
fn new_password_session_expires() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "ned", "TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS"}),
    );
    let session = password_auth(&app.handle, &ids, "ned", "Temp0rary!")
        .unwrap()
        .session
        .unwrap()
        .into_inner();
    app.handle.clock().advance(Duration::from_secs(4 * 60));
    let responses = std::collections::BTreeMap::from([
        ("USERNAME".to_owned(), "ned".to_owned()),
        ("NEW_PASSWORD".to_owned(), "N3w-Password!".to_owned()),
    ]);
    let (kind, msg) = respond(
        &app.handle,
        &ids,
        "NEW_PASSWORD_REQUIRED",
        responses,
        Some(&session),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("expired"));
}

#[test]
fn secret_hash_on_every_flow() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({"GenerateSecret": true}));
    let secret = ok(
        &app.handle,
        "DescribeUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id}),
    )["UserPoolClient"]["ClientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    user(&app.handle, &ids.pool_id, "oda", "Passw0rd!");
    let hash = |u: &str| wire::secret_hash(&secret, u, &ids.client_id);

    assert_eq!(
        srp_start(&app.handle, &ids, "oda", &[])
            .map(|_| ())
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
    let attempt = srp_start(&app.handle, &ids, "oda", &[("SECRET_HASH", hash("oda"))]).unwrap();
    let mut answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    assert_eq!(
        respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer.clone(), None)
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
    let attempt = srp_start(&app.handle, &ids, "oda", &[("SECRET_HASH", hash("oda"))]).unwrap();
    answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    answer.insert("SECRET_HASH".into(), hash("oda"));
    let tokens = respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None)
        .unwrap()
        .authentication_result
        .unwrap();

    let refresh = |h: Option<String>| {
        let mut params = json!({"REFRESH_TOKEN": tokens.refresh_token});
        if let Some(h) = h {
            params["SECRET_HASH"] = json!(h);
        }
        app.handle.call::<Value, Value>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": params}))
    };
    assert_eq!(refresh(None).unwrap_err().kind, ErrorKind::NotAuthorized);
    assert_eq!(
        refresh(Some(hash("someone"))).unwrap_err().kind,
        ErrorKind::NotAuthorized
    );
    refresh(Some(hash("oda"))).unwrap();
    let sub = claims(tokens.access_token.as_deref().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_owned();
    refresh(Some(hash(&sub))).unwrap();

    let (kind, msg) = err(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "pat", "Password": "Passw0rd!"}),
    );
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("secret was not received"));
    let (kind, msg) = err(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "pat", "Password": "Passw0rd!", "SecretHash": hash("pot")}),
    );
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("Unable to verify secret hash"));
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "pat", "Password": "Passw0rd!", "SecretHash": hash("pat")}),
    );
}

#[test]
fn sign_in_by_alias_uses_the_canonical_username() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"AliasAttributes": ["email", "preferred_username"]}),
        json!({}),
    );
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "quin", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": "q@example.com"}, {"Name": "preferred_username", "Value": "qq"}]}),
    );
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "quin", "Password": "Passw0rd!", "Permanent": true}),
    );
    // An unverified email is not an alias yet; preferred_username always is.
    assert_eq!(
        srp_start(&app.handle, &ids, "q@example.com", &[])
            .map(|_| ())
            .unwrap_err()
            .0,
        ErrorKind::UserNotFound
    );
    let attempt = srp_start(&app.handle, &ids, "qq", &[]).unwrap();
    assert_eq!(
        attempt.challenge.challenge_parameters.as_ref().unwrap()["USER_ID_FOR_SRP"],
        "quin"
    );
    let answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None).unwrap();
}

#[test]
fn username_attribute_pools_sign_in_by_email() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"UsernameAttributes": ["email"]}),
        json!({}),
    );
    let out = ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "rae@example.com", "Password": "Passw0rd!"}),
    );
    let sub = out["UserSub"].as_str().unwrap().to_owned();
    let code = app
        .handle
        .outbox()
        .last_code(&ids.pool_id, "rae@example.com")
        .unwrap();
    ok(
        &app.handle,
        "ConfirmSignUp",
        json!({"ClientId": ids.client_id, "Username": "rae@example.com", "ConfirmationCode": code}),
    );
    let attempt = srp_start(&app.handle, &ids, "rae@example.com", &[]).unwrap();
    assert_eq!(
        attempt.challenge.challenge_parameters.as_ref().unwrap()["USER_ID_FOR_SRP"],
        sub
    );
    let answer = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    let t = respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None)
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        claims(t.access_token.as_deref().unwrap())["username"],
        sub.as_str()
    );
    assert!(
        password_auth(&app.handle, &ids, "rae@example.com", "Passw0rd!")
            .unwrap()
            .authentication_result
            .is_some()
    );
}

#[test]
fn a_changed_email_signs_in_and_the_old_one_is_free_again() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"UsernameAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": false}}),
        json!({}),
    );
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "Sam@Example.com", "MessageAction": "SUPPRESS"}),
    );
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "sam@example.com", "Password": "Passw0rd!", "Permanent": true}),
    );
    let signs_in = |login: &str| password_auth(&app.handle, &ids, login, "Passw0rd!").is_ok();
    assert!(
        signs_in("SAM@example.COM"),
        "the pool compares emails case-insensitively"
    );

    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "sam@example.com", "UserAttributes": [{"Name": "email", "Value": "samuel@example.com"}, {"Name": "email_verified", "Value": "true"}]}),
    );
    assert!(signs_in("samuel@example.com"));
    let (kind, _) = password_auth(&app.handle, &ids, "sam@example.com", "Passw0rd!").unwrap_err();
    assert_eq!(kind, ErrorKind::UserNotFound);

    // The old email can be someone else's now; the new one cannot.
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "sam@example.com", "Password": "Passw0rd!"}),
    );
    let (kind, _) = err(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "Samuel@example.com", "Password": "Passw0rd!"}),
    );
    assert_eq!(kind, ErrorKind::UsernameExists);

    ok(
        &app.handle,
        "AdminDeleteUser",
        json!({"UserPoolId": ids.pool_id, "Username": "samuel@example.com"}),
    );
    let (kind, _) =
        password_auth(&app.handle, &ids, "samuel@example.com", "Passw0rd!").unwrap_err();
    assert_eq!(kind, ErrorKind::UserNotFound);
}
