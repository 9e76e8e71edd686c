//! Lambda triggers: each kind changes the flow the way Cognito's does, receives the
//! ClientMetadata and ValidationData the client sent (use case 16), and its event payload is
//! snapshotted so a change in the event shape shows as a diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// A JSON snapshot with its objects' keys sorted, whatever order serde_json keeps them in (a
/// dependency elsewhere in the workspace may turn on its `preserve_order`).
macro_rules! sorted_snapshot {
    ($($arg:tt)*) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_sort_maps(true);
        settings.bind(|| insta::assert_json_snapshot!($($arg)*));
    }};
}

use std::sync::mpsc;

use crate::common::*;
use cognito_emulator::triggers::{TriggerHandler, TriggerKind, TriggerRules};
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

const POOL: &str = "us-east-1_Triggers1";
const CLIENT: &str = "triggerclient0000000000001";

fn setup() -> (App, PoolIds) {
    let app = app();
    let seed = json!({"Pools": [{"Id": POOL, "PoolName": "t", "AutoVerifiedAttributes": ["email"],
        "Clients": [{"ClientId": CLIENT, "ClientName": "c", "ExplicitAuthFlows": ALL_FLOWS}]}]});
    cognito_emulator::seed::apply(&app.handle, &serde_json::from_value(seed).unwrap()).unwrap();
    (
        app,
        PoolIds {
            pool_id: POOL.into(),
            client_id: CLIENT.into(),
        },
    )
}

/// The event with values that differ between runs replaced.
fn stable(mut event: Value) -> Value {
    let is_uuid = |s: &str| s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4;
    if let Some(attrs) = event
        .pointer_mut("/request/userAttributes")
        .and_then(Value::as_object_mut)
    {
        if attrs.contains_key("sub") {
            attrs.insert("sub".into(), json!("[sub]"));
        }
    }
    if event["userName"].as_str().is_some_and(is_uuid) {
        event["userName"] = json!("[sub]");
    }
    event
}

fn last_event(app: &App, kind: TriggerKind) -> Value {
    let inv = app
        .handle
        .triggers()
        .invocations()
        .into_iter()
        .rev()
        .find(|i| i.kind == kind)
        .expect("invoked");
    stable(inv.event)
}

#[test]
fn pre_sign_up_can_auto_confirm_auto_verify_or_reject() {
    let (app, ids) = setup();
    app.handle
        .triggers()
        .set_fn(POOL, TriggerKind::PreSignUp, |event| {
            if event["request"]["validationData"]["invite"] == "yes" {
                Ok(json!({"autoConfirmUser": true, "autoVerifyEmail": true}))
            } else {
                Err("Invitations only".into())
            }
        });
    let out = ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "amy", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "amy@example.com"}],
        "ValidationData": [{"Name": "invite", "Value": "yes"}], "ClientMetadata": {"campaign": "spring"}}),
    );
    assert_eq!(out["UserConfirmed"], true);
    assert!(
        out.get("CodeDeliveryDetails").is_none(),
        "no code for an auto-confirmed user"
    );
    sorted_snapshot!("pre_sign_up", last_event(&app, TriggerKind::PreSignUp));
    let t = password_auth(&app.handle, &ids, "amy", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        claims(t.id_token.as_deref().unwrap())["email_verified"],
        true
    );

    let (kind, msg) = err(
        &app.handle,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "bob", "Password": "Passw0rd!"}),
    );
    assert_eq!(kind, ErrorKind::UserLambdaValidation);
    assert_eq!(msg, "PreSignUp failed with error Invitations only.");
    assert_eq!(
        err(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": POOL, "Username": "bob"})
        )
        .0,
        ErrorKind::UserNotFound
    );
}

#[test]
fn post_confirmation_sees_the_confirmed_user() {
    let (app, _ids) = setup();
    app.handle.triggers().set(
        POOL,
        TriggerKind::PostConfirmation,
        TriggerRules::default().handler(),
    );
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "cy", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "cy@example.com"}]}),
    );
    let code = app.handle.outbox().last_code(POOL, "cy").unwrap();
    ok(
        &app.handle,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": "cy", "ConfirmationCode": code, "ClientMetadata": {"from": "email-link"}}),
    );
    let event = last_event(&app, TriggerKind::PostConfirmation);
    assert_eq!(event["request"]["userAttributes"]["email_verified"], "true");
    sorted_snapshot!("post_confirmation", event);

    app.handle.triggers().set(
        POOL,
        TriggerKind::PostConfirmation,
        TriggerRules {
            fail: Some("welcome mail failed".into()),
            ..Default::default()
        }
        .handler(),
    );
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "dee", "Password": "Passw0rd!"}),
    );
    let (kind, msg) = err(
        &app.handle,
        "AdminConfirmSignUp",
        json!({"UserPoolId": POOL, "Username": "dee"}),
    );
    assert_eq!(
        (kind, msg.as_str()),
        (
            ErrorKind::UserLambdaValidation,
            "PostConfirmation failed with error welcome mail failed."
        )
    );
}

#[test]
fn pre_and_post_authentication() {
    let (app, ids) = setup();
    user(&app.handle, POOL, "eve", "Passw0rd!");
    user(&app.handle, POOL, "fay", "Passw0rd!");
    app.handle
        .triggers()
        .set_fn(POOL, TriggerKind::PreAuthentication, |event| {
            if event["userName"] == "fay" {
                Err("Account locked".into())
            } else {
                Ok(json!({}))
            }
        });
    app.handle
        .triggers()
        .set_fn(POOL, TriggerKind::PostAuthentication, |_| Ok(json!({})));
    srp_sign_in(&app.handle, &ids, "eve", "Passw0rd!").unwrap();
    sorted_snapshot!(
        "pre_authentication",
        last_event(&app, TriggerKind::PreAuthentication)
    );
    sorted_snapshot!(
        "post_authentication",
        last_event(&app, TriggerKind::PostAuthentication)
    );
    let (kind, msg) = srp_start(&app.handle, &ids, "fay", &[])
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        (kind, msg.as_str()),
        (
            ErrorKind::UserLambdaValidation,
            "PreAuthentication failed with error Account locked."
        )
    );
    assert_eq!(
        password_auth(&app.handle, &ids, "fay", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::UserLambdaValidation
    );
}

#[test]
fn pre_token_generation_adds_suppresses_and_overrides() {
    let (app, ids) = setup();
    user(&app.handle, POOL, "gus", "Passw0rd!");
    ok(
        &app.handle,
        "CreateGroup",
        json!({"UserPoolId": POOL, "GroupName": "staff"}),
    );
    ok(
        &app.handle,
        "AdminAddUserToGroup",
        json!({"UserPoolId": POOL, "Username": "gus", "GroupName": "staff"}),
    );
    app.handle.triggers().set_fn(POOL, TriggerKind::PreTokenGeneration, |event| {
        Ok(json!({"claimsOverrideDetails": {
            "claimsToAddOrOverride": {"tenant": "acme", "email": "override@example.com", "sub": "not-allowed"},
            "claimsToSuppress": ["email_verified"],
            "groupOverrideDetails": {"groupsToOverride": ["vip"], "iamRolesToOverride": ["arn:aws:iam::000000000000:role/Vip"]},
            "source": event["triggerSource"],
        }}))
    });
    let t = password_auth(&app.handle, &ids, "gus", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let id = claims(t.id_token.as_deref().unwrap());
    assert_eq!(id["tenant"], "acme");
    assert_eq!(id["email"], "override@example.com");
    assert_ne!(
        id["sub"], "not-allowed",
        "reserved claims cannot be overridden"
    );
    assert!(id.get("email_verified").is_none());
    assert_eq!(id["cognito:groups"], json!(["vip"]));
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::000000000000:role/Vip"
    );
    assert_eq!(
        claims(t.access_token.as_deref().unwrap())["cognito:groups"],
        json!(["vip"])
    );
    sorted_snapshot!(
        "pre_token_generation",
        last_event(&app, TriggerKind::PreTokenGeneration)
    );
    let r = ok(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": CLIENT, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": t.refresh_token}}),
    );
    assert_eq!(
        claims(r["AuthenticationResult"]["IdToken"].as_str().unwrap())["tenant"],
        "acme"
    );
    assert_eq!(
        last_event(&app, TriggerKind::PreTokenGeneration)["triggerSource"],
        "TokenGeneration_RefreshTokens"
    );
}

#[test]
fn user_migration_creates_unknown_users_once() {
    let (app, ids) = setup();
    app.handle.triggers().set_fn(POOL, TriggerKind::UserMigration, |event| {
        if event["request"]["password"] == "Legacy-Passw0rd!" {
            Ok(json!({"userAttributes": {"email": "hal@example.com", "email_verified": "true"}, "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}))
        } else {
            Err("Bad password".into())
        }
    });
    assert_eq!(
        password_auth(&app.handle, &ids, "hal", "wrong")
            .unwrap_err()
            .0,
        ErrorKind::UserLambdaValidation
    );
    let t = password_auth(&app.handle, &ids, "hal", "Legacy-Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        claims(t.id_token.as_deref().unwrap())["email"],
        "hal@example.com"
    );
    let mut event = last_event(&app, TriggerKind::UserMigration);
    event["request"]["password"] = json!("[redacted in the snapshot]");
    sorted_snapshot!("user_migration", event);
    let before = app.handle.triggers().invocations().len();
    srp_sign_in(&app.handle, &ids, "hal", "Legacy-Passw0rd!").unwrap();
    assert!(
        app.handle.triggers().invocations()[before..]
            .iter()
            .all(|i| i.kind != TriggerKind::UserMigration),
        "migrated once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_receive_the_event_and_answer_like_a_lambda() {
    // A webhook on its own thread and runtime, like a separate service.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let app = axum::Router::new()
                .route(
                    "/ok",
                    axum::routing::post(|axum::Json(mut event): axum::Json<Value>| async move {
                        event["response"] = json!({"autoConfirmUser": true});
                        axum::Json(event)
                    }),
                )
                .route(
                    "/fail",
                    axum::routing::post(|| async {
                        (
                            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                            "database down",
                        )
                    }),
                );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let hook = rx.recv().unwrap();
    let emu = cognito_emulator::Emulator::start().await;
    let seed = json!({"Pools": [{"Id": POOL, "PoolName": "t", "Clients": [{"ClientId": CLIENT, "ClientName": "c"}],
        "Triggers": {"PreSignUp": {"webhook": format!("http://{hook}/ok")}}}]});
    cognito_emulator::seed::apply(&emu, &serde_json::from_value(seed).unwrap()).unwrap();
    let http = reqwest::Client::new();
    let send = |name: &'static str| {
        let http = http.clone();
        let url = format!("{}/", emu.endpoint());
        async move {
            http.post(url)
                .header("x-amz-target", "AWSCognitoIdentityProviderService.SignUp")
                .body(
                    json!({"ClientId": CLIENT, "Username": name, "Password": "Passw0rd!"})
                        .to_string(),
                )
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(send("ivy").await["UserConfirmed"], true);
    emu.triggers().set(
        POOL,
        TriggerKind::PreSignUp,
        TriggerHandler::Webhook(format!("http://{hook}/fail")),
    );
    let failed = send("jay").await;
    assert_eq!(failed["__type"], "UserLambdaValidationException");
    assert_eq!(
        failed["message"],
        "PreSignUp failed with error database down."
    );
    emu.triggers().set(
        POOL,
        TriggerKind::PreSignUp,
        TriggerHandler::Webhook("http://127.0.0.1:9/nothing".into()),
    );
    assert_eq!(send("kim").await["__type"], "UnexpectedLambdaException");
}

#[test]
fn custom_message_rewrites_the_text_that_is_sent() {
    let (app, _ids) = setup();
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "lou", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "lou@example.com"}]}),
    );
    let default = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(
        default.body,
        format!("Your verification code is {}.", default.code)
    );
    assert_eq!(default.subject.as_deref(), Some("Your verification code"));

    app.handle.triggers().set_fn(POOL, TriggerKind::CustomMessage, |event| {
        let name = event["request"]["userAttributes"]["email"].as_str().unwrap_or("").to_owned();
        Ok(json!({"emailSubject": "Welcome aboard", "emailMessage": format!("Hi {name}, your code is {}.", event["request"]["codeParameter"].as_str().unwrap())}))
    });
    ok(
        &app.handle,
        "ResendConfirmationCode",
        json!({"ClientId": CLIENT, "Username": "lou", "ClientMetadata": {"lang": "en"}}),
    );
    let custom = app.handle.outbox().messages().pop().unwrap();
    assert_eq!(custom.subject.as_deref(), Some("Welcome aboard"));
    assert_eq!(
        custom.body,
        format!("Hi lou@example.com, your code is {}.", custom.code)
    );
    let event = last_event(&app, TriggerKind::CustomMessage);
    assert_eq!(event["triggerSource"], "CustomMessage_ResendCode");
    sorted_snapshot!("custom_message", event);

    app.handle
        .triggers()
        .set_fn(POOL, TriggerKind::CustomMessage, |_| {
            Ok(json!({"emailMessage": "no code here"}))
        });
    let (kind, _) = err(
        &app.handle,
        "ResendConfirmationCode",
        json!({"ClientId": CLIENT, "Username": "lou"}),
    );
    assert_eq!(kind, ErrorKind::InvalidLambdaResponse);
}

#[test]
fn pre_sign_up_also_guards_admin_created_users() {
    let (app, _ids) = setup();
    app.handle
        .triggers()
        .set_fn(POOL, TriggerKind::PreSignUp, |event| {
            if event["triggerSource"] == "PreSignUp_AdminCreateUser"
                && event["request"]["userAttributes"]["email"]
                    .as_str()
                    .is_some_and(|e| e.ends_with("@blocked.example"))
            {
                Err("Domain not allowed".into())
            } else {
                Ok(json!({}))
            }
        });
    ok(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "mo", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": "mo@example.com"}]}),
    );
    let (kind, msg) = err(
        &app.handle,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "ned", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": "ned@blocked.example"}]}),
    );
    assert_eq!(
        (kind, msg.as_str()),
        (
            ErrorKind::UserLambdaValidation,
            "PreSignUp failed with error Domain not allowed."
        )
    );
    assert_eq!(
        err(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": POOL, "Username": "ned"})
        )
        .0,
        ErrorKind::UserNotFound
    );
}

#[test]
fn user_migration_on_forgot_password() {
    let (app, ids) = setup();
    app.handle
        .triggers()
        .set_fn(POOL, TriggerKind::UserMigration, |event| {
            assert_eq!(event["triggerSource"], "UserMigration_ForgotPassword");
            Ok(json!({"userAttributes": {"email": "old@example.com", "email_verified": "true"}}))
        });
    let out = ok(
        &app.handle,
        "ForgotPassword",
        json!({"ClientId": CLIENT, "Username": "old"}),
    );
    assert_eq!(out["CodeDeliveryDetails"]["Destination"], "o***@e***");
    assert_eq!(
        ok(
            &app.handle,
            "AdminGetUser",
            json!({"UserPoolId": POOL, "Username": "old"})
        )["UserStatus"],
        "RESET_REQUIRED"
    );
    let code = app.handle.outbox().last_code(POOL, "old").unwrap();
    ok(
        &app.handle,
        "ConfirmForgotPassword",
        json!({"ClientId": CLIENT, "Username": "old", "ConfirmationCode": code, "Password": "N3w-Passw0rd!"}),
    );
    srp_sign_in(&app.handle, &ids, "old", "N3w-Passw0rd!").unwrap();
}
