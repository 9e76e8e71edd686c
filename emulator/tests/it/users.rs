//! Users: sign-up and its codes, confirmation and aliases, admin creation and passwords,
//! enable/disable/delete, ListUsers filters and pages, GetUser.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::*;
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

fn sign_up(
    app: &App,
    ids: &PoolIds,
    username: &str,
    attrs: Value,
) -> Result<Value, (ErrorKind, String)> {
    app.handle
        .call::<Value, Value>("SignUp", &json!({"ClientId": ids.client_id, "Username": username, "Password": "Passw0rd!", "UserAttributes": attrs}))
        .map_err(|e| (e.kind, e.message))
}

fn attr(user: &Value, name: &str) -> Option<String> {
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

#[test]
fn admin_create_user_invites_and_resends() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"Policies": {"PasswordPolicy": {"TemporaryPasswordValidityDays": 2}}}),
        json!({}),
    );
    let created = ok(&app.handle, "AdminCreateUser", json!({"UserPoolId": ids.pool_id, "Username": "hugo", "DesiredDeliveryMediums": ["EMAIL"], "UserAttributes": [{"Name": "email", "Value": "hugo@example.com"}, {"Name": "email_verified", "Value": "true"}]}))["User"].clone();
    assert_eq!(created["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert_eq!(created["Username"], "hugo");
    let messages = app.handle.outbox().messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].kind,
        cognito_emulator::MessageKind::TemporaryPassword
    );
    let temp = messages[0].code.clone();
    let ch = password_auth(&app.handle, &ids, "hugo", &temp).unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("NEW_PASSWORD_REQUIRED"));

    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "hugo", "MessageAction": "RESEND", "DesiredDeliveryMediums": ["EMAIL"]}),
    );
    let new_temp = app.handle.outbox().last_code(&ids.pool_id, "hugo").unwrap();
    assert_eq!(app.handle.outbox().messages().len(), 2);
    assert_eq!(
        password_auth(&app.handle, &ids, "hugo", &new_temp)
            .unwrap()
            .challenge_name
            .as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );

    app.handle
        .clock()
        .advance(Duration::from_secs(2 * 86_400 + 1));
    let (kind, msg) = password_auth(&app.handle, &ids, "hugo", &new_temp).unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(msg.contains("Temporary password has expired"));

    // SUPPRESS sends nothing; default mediums are SMS, so an email-only user gets nothing either.
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "iris", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": "i@example.com"}]}),
    );
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "ivan", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550100"}]}),
    );
    let last = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(
        (last.username.as_str(), last.delivery_medium.as_str()),
        ("ivan", "SMS")
    );
    assert_eq!(app.handle.outbox().messages().len(), 3);

    user(&app.handle, &ids.pool_id, "jo", "Passw0rd!");
    assert_eq!(
        err(
            &app.handle,
            "AdminCreateUser",
            json!({"UserPoolId": ids.pool_id, "Username": "jo", "MessageAction": "RESEND"})
        )
        .0,
        ErrorKind::UnsupportedUserState
    );
    assert_eq!(
        err(
            &app.handle,
            "AdminCreateUser",
            json!({"UserPoolId": ids.pool_id, "Username": "x", "MessageAction": "SHOUT"})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        err(
            &app.handle,
            "AdminCreateUser",
            json!({"UserPoolId": ids.pool_id, "Username": "x", "TemporaryPassword": "weak"})
        )
        .0,
        ErrorKind::InvalidPassword
    );
    assert_eq!(
        err(
            &app.handle,
            "AdminCreateUser",
            json!({"UserPoolId": ids.pool_id, "Username": "iris", "MessageAction": "SUPPRESS"})
        )
        .0,
        ErrorKind::UsernameExists
    );
}

#[test]
fn admin_set_user_password_permanent_and_temporary() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "jay", "MessageAction": "SUPPRESS"}),
    );
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "jay", "Password": "Perm4nent!", "Permanent": true}),
    );
    assert_eq!(
        ok(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "jay"})
        )["UserStatus"],
        "CONFIRMED"
    );
    assert!(password_auth(&app.handle, &ids, "jay", "Perm4nent!")
        .unwrap()
        .authentication_result
        .is_some());
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "jay", "Password": "Temp0rary!"}),
    );
    assert_eq!(
        ok(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "jay"})
        )["UserStatus"],
        "FORCE_CHANGE_PASSWORD"
    );
    assert_eq!(
        password_auth(&app.handle, &ids, "jay", "Perm4nent!")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        password_auth(&app.handle, &ids, "jay", "Temp0rary!")
            .unwrap()
            .challenge_name
            .as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );
    assert_eq!(err(&app.handle, "AdminSetUserPassword", json!({"UserPoolId": ids.pool_id, "Username": "jay", "Password": "short", "Permanent": true})).0, ErrorKind::InvalidPassword);
    assert_eq!(
        err(
            &app.handle,
            "AdminSetUserPassword",
            json!({"UserPoolId": ids.pool_id, "Username": "nobody", "Password": "Perm4nent!"})
        )
        .0,
        ErrorKind::UserNotFound
    );

    // An unconfirmed user stays unconfirmed.
    sign_up(&app, &ids, "kai", json!([])).unwrap();
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "kai", "Password": "Perm4nent!", "Permanent": true}),
    );
    assert_eq!(
        ok(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "kai"})
        )["UserStatus"],
        "UNCONFIRMED"
    );
    ok(
        &app.handle,
        "AdminConfirmSignUp",
        json!({"UserPoolId": ids.pool_id, "Username": "kai"}),
    );
    assert_eq!(
        err(
            &app.handle,
            "AdminConfirmSignUp",
            json!({"UserPoolId": ids.pool_id, "Username": "kai"})
        )
        .0,
        ErrorKind::NotAuthorized
    );
    assert!(password_auth(&app.handle, &ids, "kai", "Perm4nent!")
        .unwrap()
        .authentication_result
        .is_some());
}

#[test]
fn disable_enable_delete() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "lea", "Passw0rd!");
    let t = password_auth(&app.handle, &ids, "lea", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    ok(
        &app.handle,
        "AdminDisableUser",
        json!({"UserPoolId": ids.pool_id, "Username": "lea"}),
    );
    let (kind, msg) = err(
        &app.handle,
        "GetUser",
        json!({"AccessToken": t.access_token}),
    );
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "User is disabled.")
    );
    ok(
        &app.handle,
        "AdminEnableUser",
        json!({"UserPoolId": ids.pool_id, "Username": "lea"}),
    );
    assert_eq!(
        ok(
            &app.handle,
            "GetUser",
            json!({"AccessToken": t.access_token})
        )["Username"],
        "lea"
    );
    ok(
        &app.handle,
        "AdminDeleteUser",
        json!({"UserPoolId": ids.pool_id, "Username": "lea"}),
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
    for op in [
        "AdminGetUser",
        "AdminDeleteUser",
        "AdminDisableUser",
        "AdminEnableUser",
        "AdminConfirmSignUp",
        "AdminUserGlobalSignOut",
    ] {
        assert_eq!(
            err(
                &app.handle,
                op,
                json!({"UserPoolId": ids.pool_id, "Username": "lea"})
            )
            .0,
            ErrorKind::UserNotFound,
            "{op}"
        );
        assert_eq!(
            err(
                &app.handle,
                op,
                json!({"UserPoolId": "us-east-1_nope00000", "Username": "lea"})
            )
            .0,
            ErrorKind::ResourceNotFound,
            "{op}"
        );
    }
}

#[test]
fn list_users_filters_attributes_and_pages() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    for i in 0..9 {
        user(&app.handle, &ids.pool_id, &format!("u{i}"), "Passw0rd!");
    }
    sign_up(
        &app,
        &ids,
        "pending",
        json!([{"Name": "given_name", "Value": "Pen \"D\""}]),
    )
    .unwrap();
    ok(
        &app.handle,
        "AdminDisableUser",
        json!({"UserPoolId": ids.pool_id, "Username": "u3"}),
    );
    let names = |filter: &str| -> Vec<String> {
        ok(
            &app.handle,
            "ListUsers",
            json!({"UserPoolId": ids.pool_id, "Filter": filter}),
        )["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["Username"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names("username = \"u4\""), ["u4"]);
    assert_eq!(names("email ^= \"u1\""), ["u1"]);
    assert_eq!(names("status = \"Disabled\""), ["u3"]);
    assert_eq!(names("cognito:user_status = \"UNCONFIRMED\""), ["pending"]);
    assert_eq!(names("given_name = \"Pen \\\"D\\\"\""), ["pending"]);
    assert_eq!(names("").len(), 10);
    assert!(names("email = \"none@example.com\"").is_empty());
    for bad in ["email", "email = x", "custom:team = \"a\"", "email ~ \"a\""] {
        assert_eq!(
            err(
                &app.handle,
                "ListUsers",
                json!({"UserPoolId": ids.pool_id, "Filter": bad})
            )
            .0,
            ErrorKind::InvalidParameter,
            "{bad}"
        );
    }
    let one = ok(
        &app.handle,
        "ListUsers",
        json!({"UserPoolId": ids.pool_id, "AttributesToGet": ["email"], "Filter": "username = \"u1\""}),
    );
    let attrs = one["Users"][0]["Attributes"].as_array().unwrap();
    assert_eq!(attrs.len(), 1);
    assert_eq!(attrs[0]["Name"], "email");
    assert!(one["Users"][0]["UserCreateDate"].is_number());
    assert_eq!(one["Users"][0]["Enabled"], true);

    let mut all = Vec::new();
    let mut token: Option<Value> = None;
    loop {
        let mut req = json!({"UserPoolId": ids.pool_id, "Limit": 4});
        if let Some(t) = token.take() {
            req["PaginationToken"] = t;
        }
        let page = ok(&app.handle, "ListUsers", req);
        all.extend(
            page["Users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["Username"].as_str().unwrap().to_owned()),
        );
        match page.get("PaginationToken") {
            Some(t) => token = Some(t.clone()),
            None => break,
        }
    }
    assert_eq!(all.len(), 10);
    assert_eq!(
        err(
            &app.handle,
            "ListUsers",
            json!({"UserPoolId": ids.pool_id, "Limit": 61})
        )
        .0,
        ErrorKind::InvalidParameter
    );
}

#[test]
fn get_user_returns_the_signed_in_users_attributes() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "mo", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "name", "Value": "Mo"}, {"Name": "email", "Value": "mo@example.com"}]}),
    );
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "mo", "Password": "Passw0rd!", "Permanent": true}),
    );
    let t = srp_sign_in(&app.handle, &ids, "mo", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let me = ok(
        &app.handle,
        "GetUser",
        json!({"AccessToken": t.access_token}),
    );
    assert_eq!(me["Username"], "mo");
    assert_eq!(attr(&me, "name").as_deref(), Some("Mo"));
    assert_eq!(
        attr(&me, "sub").as_deref(),
        claims(t.access_token.as_deref().unwrap())["sub"].as_str()
    );
}
