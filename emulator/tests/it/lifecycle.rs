//! Account lifecycle: attribute updates and verification, deletion, passwords (change, forgot,
//! admin reset), self-deletion, and groups in tokens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use cognito_emulator::MessageKind;
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

fn signed_in(app: &App, ids: &PoolIds, user: &str) -> String {
    password_auth(&app.handle, ids, user, "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap()
}

fn attr(v: &Value, name: &str) -> Option<String> {
    v["UserAttributes"]
        .as_array()?
        .iter()
        .find(|a| a["Name"] == name)
        .map(|a| a["Value"].as_str().unwrap().to_owned())
}

#[test]
fn updating_an_email_unverifies_it_and_sends_a_code() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "ann", "Passw0rd!");
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "ann", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    let at = signed_in(&app, &ids, "ann");
    let out = ok(
        &app.handle,
        "UpdateUserAttributes",
        json!({"AccessToken": at, "UserAttributes": [{"Name": "email", "Value": "new@example.com"}, {"Name": "name", "Value": "Ann"}]}),
    );
    assert_eq!(
        out["CodeDeliveryDetailsList"][0]["Destination"],
        "n***@e***"
    );
    let me = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert_eq!(attr(&me, "email").as_deref(), Some("new@example.com"));
    assert_eq!(attr(&me, "email_verified").as_deref(), Some("false"));
    assert_eq!(attr(&me, "name").as_deref(), Some("Ann"));
    let message = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(
        (message.kind, message.destination.as_str()),
        (MessageKind::AttributeVerification, "new@example.com")
    );
    assert_eq!(
        err(
            &app.handle,
            "VerifyUserAttribute",
            json!({"AccessToken": at, "AttributeName": "email", "Code": "000000"})
        )
        .0,
        ErrorKind::CodeMismatch
    );
    ok(
        &app.handle,
        "VerifyUserAttribute",
        json!({"AccessToken": at, "AttributeName": "email", "Code": message.code}),
    );
    assert_eq!(
        attr(
            &ok(&app.handle, "GetUser", json!({"AccessToken": at})),
            "email_verified"
        )
        .as_deref(),
        Some("true")
    );
    // Users cannot verify by decree; administrators can.
    assert_eq!(err(&app.handle, "UpdateUserAttributes", json!({"AccessToken": at, "UserAttributes": [{"Name": "email_verified", "Value": "true"}]})).0, ErrorKind::InvalidParameter);
    assert_eq!(
        err(
            &app.handle,
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "sub", "Value": "x"}]})
        )
        .0,
        ErrorKind::InvalidParameter
    );
}

#[test]
fn verified_values_can_stay_until_the_new_one_is_verified() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]}}),
        json!({}),
    );
    user(&app.handle, &ids.pool_id, "ben", "Passw0rd!");
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "ben", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    let at = signed_in(&app, &ids, "ben");
    ok(
        &app.handle,
        "UpdateUserAttributes",
        json!({"AccessToken": at, "UserAttributes": [{"Name": "email", "Value": "ben2@example.com"}]}),
    );
    let me = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert_eq!(
        attr(&me, "email").as_deref(),
        Some("ben@example.com"),
        "the old value stays"
    );
    assert_eq!(attr(&me, "email_verified").as_deref(), Some("true"));
    let code = app
        .handle
        .outbox()
        .last_code(&ids.pool_id, "ben2@example.com")
        .unwrap();
    ok(
        &app.handle,
        "VerifyUserAttribute",
        json!({"AccessToken": at, "AttributeName": "email", "Code": code}),
    );
    assert_eq!(
        attr(
            &ok(&app.handle, "GetUser", json!({"AccessToken": at})),
            "email"
        )
        .as_deref(),
        Some("ben2@example.com")
    );
}

#[test]
fn verification_codes_on_request_and_deleting_attributes() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"Schema": [{"Name": "name", "Required": true}]}),
        json!({}),
    );
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": ids.pool_id, "Username": "cy", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "name", "Value": "Cy"}, {"Name": "email", "Value": "cy@example.com"}, {"Name": "nickname", "Value": "c"}]}),
    );
    ok(
        &app.handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "cy", "Password": "Passw0rd!", "Permanent": true}),
    );
    let at = signed_in(&app, &ids, "cy");
    let out = ok(
        &app.handle,
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": at, "AttributeName": "email"}),
    );
    assert_eq!(out["CodeDeliveryDetails"]["AttributeName"], "email");
    let code = app.handle.outbox().last_code(&ids.pool_id, "cy").unwrap();
    ok(
        &app.handle,
        "VerifyUserAttribute",
        json!({"AccessToken": at, "AttributeName": "email", "Code": code}),
    );
    assert_eq!(
        err(
            &app.handle,
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at, "AttributeName": "phone_number"})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        err(
            &app.handle,
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at, "AttributeName": "name"})
        )
        .0,
        ErrorKind::InvalidParameter
    );

    assert_eq!(
        err(
            &app.handle,
            "DeleteUserAttributes",
            json!({"AccessToken": at, "UserAttributeNames": ["name"]})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    ok(
        &app.handle,
        "DeleteUserAttributes",
        json!({"AccessToken": at, "UserAttributeNames": ["nickname", "email"]}),
    );
    let me = ok(&app.handle, "GetUser", json!({"AccessToken": at}));
    assert_eq!(attr(&me, "nickname"), None);
    assert_eq!(
        attr(&me, "email_verified"),
        None,
        "the verified flag goes with the attribute"
    );
    assert_eq!(err(&app.handle, "AdminDeleteUserAttributes", json!({"UserPoolId": ids.pool_id, "Username": "cy", "UserAttributeNames": ["custom:none"]})).0, ErrorKind::InvalidParameter);
    ok(
        &app.handle,
        "AdminDeleteUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "cy", "UserAttributeNames": ["locale"]}),
    );
}

#[test]
fn change_password() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "dee", "Passw0rd!");
    let at = signed_in(&app, &ids, "dee");
    let change = |prev: &str, next: &str| {
        app.handle.call::<Value, Value>(
            "ChangePassword",
            &json!({"AccessToken": at, "PreviousPassword": prev, "ProposedPassword": next}),
        )
    };
    assert_eq!(
        change("Wr0ng-Passw0rd!", "N3w-Passw0rd!").unwrap_err().kind,
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        change("Passw0rd!", "weak").unwrap_err().kind,
        ErrorKind::InvalidPassword
    );
    change("Passw0rd!", "N3w-Passw0rd!").unwrap();
    assert_eq!(
        password_auth(&app.handle, &ids, "dee", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
    srp_sign_in(&app.handle, &ids, "dee", "N3w-Passw0rd!").unwrap();
}

#[test]
fn forgot_password_and_admin_reset() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "eli", "Passw0rd!");
    let forgot = json!({"ClientId": ids.client_id, "Username": "eli"});
    let (kind, msg) = err(&app.handle, "ForgotPassword", forgot.clone());
    assert_eq!(kind, ErrorKind::InvalidParameter, "no verified email yet");
    assert!(msg.contains("no registered/verified"));
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "eli", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    let out = ok(&app.handle, "ForgotPassword", forgot.clone());
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let code = app.handle.outbox().last_code(&ids.pool_id, "eli").unwrap();
    let confirm = |code: &str, pw: &str| {
        app.handle.call::<Value, Value>("ConfirmForgotPassword", &json!({"ClientId": ids.client_id, "Username": "eli", "ConfirmationCode": code, "Password": pw}))
    };
    assert_eq!(
        confirm("000000", "N3w-Passw0rd!").unwrap_err().kind,
        ErrorKind::CodeMismatch
    );
    assert_eq!(
        confirm(&code, "weak").unwrap_err().kind,
        ErrorKind::InvalidPassword
    );
    confirm(&code, "N3w-Passw0rd!").unwrap();
    assert_eq!(
        confirm(&code, "N3w-Passw0rd2!").unwrap_err().kind,
        ErrorKind::CodeMismatch,
        "single use"
    );
    srp_sign_in(&app.handle, &ids, "eli", "N3w-Passw0rd!").unwrap();

    ok(
        &app.handle,
        "AdminResetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "eli"}),
    );
    assert_eq!(
        ok(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "eli"})
        )["UserStatus"],
        "RESET_REQUIRED"
    );
    assert_eq!(
        srp_sign_in(&app.handle, &ids, "eli", "N3w-Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::PasswordResetRequired
    );
    let code = app.handle.outbox().last_code(&ids.pool_id, "eli").unwrap();
    confirm(&code, "Th1rd-Passw0rd!").unwrap();
    assert_eq!(
        ok(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "eli"})
        )["UserStatus"],
        "CONFIRMED"
    );
    srp_sign_in(&app.handle, &ids, "eli", "Th1rd-Passw0rd!").unwrap();

    assert_eq!(
        err(
            &app.handle,
            "ForgotPassword",
            json!({"ClientId": ids.client_id, "Username": "ghost"})
        )
        .0,
        ErrorKind::UserNotFound
    );
    let strict = pool(
        &app.handle,
        json!({}),
        json!({"PreventUserExistenceErrors": "ENABLED"}),
    );
    assert!(ok(
        &app.handle,
        "ForgotPassword",
        json!({"ClientId": strict.client_id, "Username": "ghost"})
    )["CodeDeliveryDetails"]
        .is_object());
}

#[test]
fn delete_user_ends_everything() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "fox", "Passw0rd!");
    let t = password_auth(&app.handle, &ids, "fox", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    ok(
        &app.handle,
        "DeleteUser",
        json!({"AccessToken": t.access_token}),
    );
    assert_eq!(
        err(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "fox"})
        )
        .0,
        ErrorKind::UserNotFound
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
    let (kind, _) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": t.refresh_token}}),
    );
    assert_eq!(kind, ErrorKind::NotAuthorized);
}

#[test]
fn groups_and_their_claims() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "gus", "Passw0rd!");
    let pid = ids.pool_id.clone();
    ok(
        &app.handle,
        "CreateGroup",
        json!({"UserPoolId": pid, "GroupName": "readers", "Precedence": 5, "RoleArn": "arn:aws:iam::000000000000:role/Readers"}),
    );
    let admins = ok(
        &app.handle,
        "CreateGroup",
        json!({"UserPoolId": pid, "GroupName": "admins", "Precedence": 1, "RoleArn": "arn:aws:iam::000000000000:role/Admins", "Description": "d"}),
    );
    assert_eq!(admins["Group"]["Precedence"], 1);
    assert_eq!(
        err(
            &app.handle,
            "CreateGroup",
            json!({"UserPoolId": pid, "GroupName": "admins"})
        )
        .0,
        ErrorKind::GroupExists
    );
    ok(
        &app.handle,
        "CreateGroup",
        json!({"UserPoolId": pid, "GroupName": "plain"}),
    );
    for g in ["readers", "admins", "plain"] {
        ok(
            &app.handle,
            "AdminAddUserToGroup",
            json!({"UserPoolId": pid, "Username": "gus", "GroupName": g}),
        );
    }
    assert_eq!(
        err(
            &app.handle,
            "AdminAddUserToGroup",
            json!({"UserPoolId": pid, "Username": "gus", "GroupName": "nope"})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
    let t = password_auth(&app.handle, &ids, "gus", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let id = claims(t.id_token.as_deref().unwrap());
    assert_eq!(id["cognito:groups"], json!(["admins", "readers", "plain"]));
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::000000000000:role/Admins"
    );
    assert_eq!(
        id["cognito:roles"],
        json!([
            "arn:aws:iam::000000000000:role/Admins",
            "arn:aws:iam::000000000000:role/Readers"
        ])
    );
    assert_eq!(
        claims(t.access_token.as_deref().unwrap())["cognito:groups"],
        json!(["admins", "readers", "plain"])
    );

    let listed = ok(
        &app.handle,
        "ListGroups",
        json!({"UserPoolId": pid, "Limit": 2}),
    );
    assert_eq!(listed["Groups"].as_array().unwrap().len(), 2);
    assert!(listed["NextToken"].is_string());
    let mine = ok(
        &app.handle,
        "AdminListGroupsForUser",
        json!({"UserPoolId": pid, "Username": "gus"}),
    );
    assert_eq!(mine["Groups"].as_array().unwrap().len(), 3);
    let members = ok(
        &app.handle,
        "ListUsersInGroup",
        json!({"UserPoolId": pid, "GroupName": "admins"}),
    );
    assert_eq!(members["Users"][0]["Username"], "gus");
    ok(
        &app.handle,
        "AdminRemoveUserFromGroup",
        json!({"UserPoolId": pid, "Username": "gus", "GroupName": "admins"}),
    );
    ok(
        &app.handle,
        "DeleteGroup",
        json!({"UserPoolId": pid, "GroupName": "plain"}),
    );
    assert_eq!(
        err(
            &app.handle,
            "GetGroup",
            json!({"UserPoolId": pid, "GroupName": "plain"})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
    assert_eq!(
        ok(
            &app.handle,
            "GetGroup",
            json!({"UserPoolId": pid, "GroupName": "readers"})
        )["Group"]["RoleArn"],
        "arn:aws:iam::000000000000:role/Readers"
    );
    let t = password_auth(&app.handle, &ids, "gus", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        claims(t.id_token.as_deref().unwrap())["cognito:groups"],
        json!(["readers"])
    );
}

#[test]
fn wrong_passwords_lock_the_user_out_for_a_while() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "hal", "Passw0rd!");
    for _ in 0..5 {
        assert_eq!(
            password_auth(&app.handle, &ids, "hal", "wrong-Passw0rd!")
                .unwrap_err()
                .1,
            "Incorrect username or password."
        );
    }
    let (kind, msg) = password_auth(&app.handle, &ids, "hal", "Passw0rd!").unwrap_err();
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Password attempts exceeded")
    );
    assert_eq!(
        srp_sign_in(&app.handle, &ids, "hal", "Passw0rd!")
            .unwrap_err()
            .1,
        "Password attempts exceeded"
    );
    app.handle
        .clock()
        .advance(std::time::Duration::from_secs(2));
    srp_sign_in(&app.handle, &ids, "hal", "Passw0rd!").unwrap();
    // The count starts again after a success.
    assert_eq!(
        password_auth(&app.handle, &ids, "hal", "wrong-Passw0rd!")
            .unwrap_err()
            .1,
        "Incorrect username or password."
    );
    password_auth(&app.handle, &ids, "hal", "Passw0rd!").unwrap();
}

#[test]
fn wrong_codes_hit_the_attempt_limit() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "ivy", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "ivy@example.com"}]}),
    );
    let code = app.handle.outbox().last_code(&ids.pool_id, "ivy").unwrap();
    let confirm = |c: &str| {
        app.handle.call::<Value, Value>(
            "ConfirmSignUp",
            &json!({"ClientId": ids.client_id, "Username": "ivy", "ConfirmationCode": c}),
        )
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(confirm(wrong).unwrap_err().kind, ErrorKind::CodeMismatch);
    }
    let e = confirm(&code).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::LimitExceeded,
            "Attempt limit exceeded, please try after some time."
        )
    );
    app.handle
        .clock()
        .advance(std::time::Duration::from_secs(15 * 60));
    confirm(&code).unwrap();
}

#[test]
fn a_group_pages_in_username_order_past_non_members() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    let pid = ids.pool_id.clone();
    ok(
        &app.handle,
        "CreateGroup",
        json!({"UserPoolId": pid, "GroupName": "crew"}),
    );
    // Members and non-members interleave in username order.
    for name in ["a1", "b0", "b1", "c0", "c1", "d1", "e0"] {
        user(&app.handle, &pid, name, "Passw0rd!");
        if name.ends_with('1') {
            ok(
                &app.handle,
                "AdminAddUserToGroup",
                json!({"UserPoolId": pid, "Username": name, "GroupName": "crew"}),
            );
        }
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": pid, "GroupName": "crew", "Limit": 2});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let page = ok(&app.handle, "ListUsersInGroup", body);
        pages += 1;
        for u in page["Users"].as_array().unwrap() {
            seen.push(u["Username"].as_str().unwrap().to_owned());
        }
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ["a1", "b1", "c1", "d1"]);
    assert_eq!(pages, 2);
    let (kind, _) = err(
        &app.handle,
        "ListUsersInGroup",
        json!({"UserPoolId": pid, "GroupName": "crew", "NextToken": "%%%"}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
}
