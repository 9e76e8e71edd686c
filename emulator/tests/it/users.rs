//! Users: sign-up and its codes, confirmation and aliases, admin creation and passwords,
//! enable/disable/delete, ListUsers filters and pages, GetUser.
//! Admin creation and passwords, enable/disable/delete, ListUsers and GetUser are in
//! `admin_users`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::*;
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

pub(crate) fn sign_up(
    app: &App,
    ids: &PoolIds,
    username: &str,
    attrs: Value,
) -> Result<Value, (ErrorKind, String)> {
    app.handle
        .call::<Value, Value>("SignUp", &json!({"ClientId": ids.client_id, "Username": username, "Password": "Passw0rd!", "UserAttributes": attrs}))
        .map_err(|e| (e.kind, e.message))
}

pub(crate) fn attr(user: &Value, name: &str) -> Option<String> {
    let list = user
        .get("UserAttributes")
        .or_else(|| user.get("Attributes"))?;
    list.as_array()?
        .iter()
        .find(|a| a["Name"] == name)
        .map(|a| a["Value"].as_str().unwrap_or("").to_owned())
}

#[test]
fn sign_up_confirm_and_resend() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    let out = sign_up(
        &app,
        &ids,
        "amy",
        json!([{"Name": "email", "Value": "amy@example.com"}, {"Name": "custom:none", "Value": "x"}]),
    );
    assert_eq!(out.unwrap_err().0, ErrorKind::InvalidParameter);
    let out = sign_up(
        &app,
        &ids,
        "amy",
        json!([{"Name": "email", "Value": "amy@example.com"}]),
    )
    .unwrap();
    assert_eq!(out["UserConfirmed"], false);
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let sub = out["UserSub"].as_str().unwrap();
    let user = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "amy"}),
    );
    assert_eq!(user["UserStatus"], "UNCONFIRMED");
    assert_eq!(attr(&user, "sub").as_deref(), Some(sub));
    assert_eq!(user["UserAttributes"][0]["Name"], "sub");
    assert_eq!(
        sign_up(&app, &ids, "amy", json!([])).unwrap_err().0,
        ErrorKind::UsernameExists
    );

    let first = app.handle.outbox().last_code(&ids.pool_id, "amy").unwrap();
    let resent = ok(
        &app.handle,
        "ResendConfirmationCode",
        json!({"ClientId": ids.client_id, "Username": "amy"}),
    );
    assert_eq!(resent["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let second = app.handle.outbox().last_code(&ids.pool_id, "amy").unwrap();
    assert_eq!(app.handle.outbox().messages().len(), 2);
    let confirm = |code: &str| {
        app.handle.call::<Value, Value>(
            "ConfirmSignUp",
            &json!({"ClientId": ids.client_id, "Username": "amy", "ConfirmationCode": code}),
        )
    };
    if first != second {
        assert_eq!(confirm(&first).unwrap_err().kind, ErrorKind::CodeMismatch);
    }
    assert_eq!(confirm("12345").unwrap_err().kind, ErrorKind::CodeMismatch);
    confirm(&second).unwrap();
    let user = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "amy"}),
    );
    assert_eq!(user["UserStatus"], "CONFIRMED");
    assert_eq!(attr(&user, "email_verified").as_deref(), Some("true"));
    let e = confirm(&second).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::NotAuthorized,
            "User cannot be confirmed. Current status is CONFIRMED"
        )
    );
    assert_eq!(
        err(
            &app.handle,
            "ResendConfirmationCode",
            json!({"ClientId": ids.client_id, "Username": "amy"})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        err(
            &app.handle,
            "ResendConfirmationCode",
            json!({"ClientId": ids.client_id, "Username": "nobody"})
        )
        .0,
        ErrorKind::UserNotFound
    );
    assert_eq!(
        err(
            &app.handle,
            "ConfirmSignUp",
            json!({"ClientId": ids.client_id, "Username": "nobody", "ConfirmationCode": "123456"})
        )
        .0,
        ErrorKind::UserNotFound
    );
}

#[test]
fn codes_expire_on_the_emulator_clock() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    sign_up(
        &app,
        &ids,
        "ben",
        json!([{"Name": "email", "Value": "ben@example.com"}]),
    )
    .unwrap();
    let code = app.handle.outbox().last_code(&ids.pool_id, "ben").unwrap();
    app.handle
        .clock()
        .advance(Duration::from_secs(24 * 3600 + 1));
    let (kind, _) = err(
        &app.handle,
        "ConfirmSignUp",
        json!({"ClientId": ids.client_id, "Username": "ben", "ConfirmationCode": code}),
    );
    assert_eq!(kind, ErrorKind::ExpiredCode);
}

#[test]
fn sign_up_validation_and_policy() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"Schema": [{"Name": "name", "Required": true}, {"Name": "age", "AttributeDataType": "Number"}]}),
        json!({}),
    );
    let (kind, msg) = sign_up(&app, &ids, "cat", json!([])).unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("name: The attribute is required"), "{msg}");
    assert_eq!(
        sign_up(
            &app,
            &ids,
            "cat",
            json!([{"Name": "name", "Value": "C"}, {"Name": "custom:age", "Value": "old"}])
        )
        .unwrap_err()
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        sign_up(
            &app,
            &ids,
            "cat",
            json!([{"Name": "name", "Value": "C"}, {"Name": "email", "Value": "not-an-email"}])
        )
        .unwrap_err()
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        sign_up(
            &app,
            &ids,
            "cat",
            json!([{"Name": "name", "Value": "C"}, {"Name": "sub", "Value": "mine"}])
        )
        .unwrap_err()
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        sign_up(&app, &ids, "c a t", json!([{"Name": "name", "Value": "C"}]))
            .unwrap_err()
            .0,
        ErrorKind::InvalidParameter
    );
    let (kind, msg) = err(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "cat", "Password": "password", "UserAttributes": [{"Name": "name", "Value": "C"}]}),
    );
    assert_eq!(kind, ErrorKind::InvalidPassword);
    assert!(msg.starts_with("Password did not conform with policy"));
    let out = sign_up(
        &app,
        &ids,
        "cat",
        json!([{"Name": "name", "Value": "C"}, {"Name": "custom:age", "Value": "9"}]),
    )
    .unwrap();
    // No auto-verified attribute in the pool's view of this user: no email, so no code.
    assert!(out.get("CodeDeliveryDetails").is_none());
    assert_eq!(
        err(
            &app.handle,
            "SignUp",
            json!({"ClientId": "nope", "Username": "x", "Password": "Passw0rd!"})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
}

#[test]
fn admin_only_pools_refuse_sign_up() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true}}),
        json!({}),
    );
    let (kind, msg) = sign_up(&app, &ids, "dan", json!([])).unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("not permitted"));
}

#[test]
fn alias_pools_refuse_alias_shaped_usernames_and_guard_aliases() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"AliasAttributes": ["email"]}),
        json!({}),
    );
    let (kind, msg) = sign_up(&app, &ids, "eve@example.com", json!([])).unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("email format"), "{msg}");

    for name in ["eve", "eve2"] {
        sign_up(
            &app,
            &ids,
            name,
            json!([{"Name": "email", "Value": "shared@example.com"}]),
        )
        .unwrap();
    }
    let code1 = app.handle.outbox().last_code(&ids.pool_id, "eve").unwrap();
    ok(
        &app.handle,
        "ConfirmSignUp",
        json!({"ClientId": ids.client_id, "Username": "eve", "ConfirmationCode": code1}),
    );
    let code2 = app.handle.outbox().last_code(&ids.pool_id, "eve2").unwrap();
    let (kind, _) = err(
        &app.handle,
        "ConfirmSignUp",
        json!({"ClientId": ids.client_id, "Username": "eve2", "ConfirmationCode": code2}),
    );
    assert_eq!(kind, ErrorKind::AliasExists);
    ok(
        &app.handle,
        "ConfirmSignUp",
        json!({"ClientId": ids.client_id, "Username": "eve2", "ConfirmationCode": code2, "ForceAliasCreation": true}),
    );
    let first = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "eve"}),
    );
    assert_eq!(attr(&first, "email_verified").as_deref(), Some("false"));
    // The alias now signs in the second user.
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "eve2", "Password": "Passw0rd!", "Permanent": true}),
    );
    let t = password_auth(&app.handle, &ids, "shared@example.com", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        claims(t.access_token.as_deref().unwrap())["username"],
        "eve2"
    );
}

#[test]
fn username_attribute_pools() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"UsernameAttributes": ["email"]}),
        json!({}),
    );
    assert_eq!(
        sign_up(&app, &ids, "frank", json!([])).unwrap_err().1,
        "Username should be an email."
    );
    let out = sign_up(&app, &ids, "frank@example.com", json!([])).unwrap();
    let sub = out["UserSub"].as_str().unwrap();
    let user = ok(
        &app.handle,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "frank@example.com"}),
    );
    assert_eq!(user["Username"], sub);
    assert_eq!(attr(&user, "email").as_deref(), Some("frank@example.com"));
    let (kind, _) = sign_up(&app, &ids, "frank@example.com", json!([])).unwrap_err();
    assert_eq!(kind, ErrorKind::UsernameExists);
}

#[test]
fn case_insensitive_pools_match_usernames_in_any_case() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"UsernameConfiguration": {"CaseSensitive": false}}),
        json!({}),
    );
    user(&app.handle, &ids.pool_id, "Gina", "Passw0rd!");
    password_auth(&app.handle, &ids, "gina", "Passw0rd!").unwrap();
    srp_sign_in(&app.handle, &ids, "GINA", "Passw0rd!").unwrap();
    assert_eq!(
        err(
            &app.handle,
            "AdminCreateUser",
            json!({"UserPoolId": ids.pool_id, "Username": "gINA", "MessageAction": "SUPPRESS"})
        )
        .0,
        ErrorKind::UsernameExists
    );

    let sensitive = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &sensitive.pool_id, "Gina", "Passw0rd!");
    assert_eq!(
        password_auth(&app.handle, &sensitive, "gina", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::UserNotFound
    );
}
