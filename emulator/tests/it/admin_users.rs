//! Users as administrators see them: AdminCreateUser and its invitations, AdminSetUserPassword,
//! enable/disable/delete, ListUsers filters and pages, and GetUser.

use std::time::Duration;

use crate::common::*;
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

use super::users::{attr, sign_up};

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
