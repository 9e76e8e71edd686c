//! CUSTOM_AUTH driven by the Define/Create/VerifyAuthChallenge triggers: the declarative
//! rule for servers, and closures that see the session history as Lambda does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use crate::common::*;
use cognito_emulator::triggers::TriggerKind;
use cognito_protocol::wire::{AuthResponse, ErrorKind};
use serde_json::{json, Value};

const POOL: &str = "us-east-1_Custom001";
const CLIENT: &str = "customclient00000000000001";

fn setup(custom: Value) -> (App, PoolIds) {
    let app = app();
    let mut pool = json!({"Id": POOL, "PoolName": "c",
        "Clients": [{"ClientId": CLIENT, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
        "Users": [{"Username": "ada", "Password": "Passw0rd!"}]});
    if !custom.is_null() {
        pool["CustomAuth"] = custom;
    }
    cognito_emulator::seed::apply(
        &app.handle,
        &serde_json::from_value(json!({"Pools": [pool]})).unwrap(),
    )
    .unwrap();
    (
        app,
        PoolIds {
            pool_id: POOL.into(),
            client_id: CLIENT.into(),
        },
    )
}

fn start(app: &App) -> Result<AuthResponse, (ErrorKind, String)> {
    app.handle
        .call::<Value, AuthResponse>("InitiateAuth", &json!({"ClientId": CLIENT, "AuthFlow": "CUSTOM_AUTH", "AuthParameters": {"USERNAME": "ada"}}))
        .map_err(|e| (e.kind, e.message))
}

fn answer(
    app: &App,
    ids: &PoolIds,
    session: &str,
    a: &str,
) -> Result<AuthResponse, (ErrorKind, String)> {
    let m = BTreeMap::from([
        ("USERNAME".to_owned(), "ada".to_owned()),
        ("ANSWER".to_owned(), a.to_owned()),
    ]);
    respond(&app.handle, ids, "CUSTOM_CHALLENGE", m, Some(session))
}

#[test]
fn the_declarative_rule_asks_once_and_fails_after_the_attempts() {
    let (app, ids) = setup(json!({"Answer": "42", "MaxAttempts": 2}));
    let ch = start(&app).unwrap();
    assert_eq!(ch.challenge_name.as_deref(), Some("CUSTOM_CHALLENGE"));
    assert_eq!(
        ch.challenge_parameters.as_ref().unwrap()["question"],
        "What is the answer?"
    );
    assert_eq!(ch.challenge_parameters.as_ref().unwrap()["USERNAME"], "ada");
    let again = answer(&app, &ids, &ch.session.unwrap().0, "41").unwrap();
    assert_eq!(
        again.challenge_name.as_deref(),
        Some("CUSTOM_CHALLENGE"),
        "a wrong answer gets another try"
    );
    let done = answer(&app, &ids, &again.session.unwrap().0, "42").unwrap();
    assert!(done.authentication_result.unwrap().refresh_token.is_some());

    let ch = start(&app).unwrap();
    let again = answer(&app, &ids, &ch.session.unwrap().0, "1").unwrap();
    let (kind, msg) = answer(&app, &ids, &again.session.unwrap().0, "2").unwrap_err();
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::NotAuthorized, "Incorrect username or password.")
    );
}

#[test]
fn closures_see_the_session_history() {
    let (app, ids) = setup(Value::Null);
    assert_eq!(
        start(&app).unwrap_err().0,
        ErrorKind::InvalidParameter,
        "no trigger configured"
    );
    app.handle.triggers().set_fn(POOL, TriggerKind::DefineAuthChallenge, |event| {
        let session = event["request"]["session"].as_array().unwrap();
        Ok(match session.len() {
            0 | 1 => json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}),
            _ => json!({"issueTokens": session.iter().all(|s| s["challengeResult"] == true), "failAuthentication": !session.iter().all(|s| s["challengeResult"] == true)}),
        })
    });
    app.handle.triggers().set_fn(POOL, TriggerKind::CreateAuthChallenge, |event| {
        let round = event["request"]["session"].as_array().unwrap().len();
        Ok(json!({"publicChallengeParameters": {"round": round}, "privateChallengeParameters": {"answer": format!("r{round}")}, "challengeMetadata": format!("ROUND-{round}")}))
    });
    app.handle.triggers().set_fn(POOL, TriggerKind::VerifyAuthChallengeResponse, |event| {
        Ok(json!({"answerCorrect": event["request"]["challengeAnswer"] == event["request"]["privateChallengeParameters"]["answer"]}))
    });
    let ch = start(&app).unwrap();
    assert_eq!(ch.challenge_parameters.as_ref().unwrap()["round"], "0");
    let second = answer(&app, &ids, &ch.session.unwrap().0, "r0").unwrap();
    assert_eq!(second.challenge_parameters.as_ref().unwrap()["round"], "1");
    let done = answer(&app, &ids, &second.session.clone().unwrap().0, "r1").unwrap();
    assert!(done.authentication_result.is_some());
    let last_define = app
        .handle
        .triggers()
        .invocations()
        .into_iter()
        .rev()
        .find(|i| i.kind == TriggerKind::DefineAuthChallenge)
        .unwrap();
    assert_eq!(
        last_define.event["request"]["session"],
        json!([
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "ROUND-0"},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "ROUND-1"},
        ])
    );
    // A used session cannot be answered again.
    assert_eq!(
        answer(&app, &ids, &second.session.unwrap().0, "r1")
            .unwrap_err()
            .0,
        ErrorKind::NotAuthorized
    );
}

#[test]
fn custom_auth_must_be_allowed_for_the_client() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({}),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}),
    );
    user(&app.handle, &ids.pool_id, "bo", "Passw0rd!");
    let (kind, msg) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "CUSTOM_AUTH", "AuthParameters": {"USERNAME": "bo"}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("CUSTOM_AUTH flow not enabled"));
}

fn start_with_srp(app: &App, ids: &PoolIds) -> Result<SrpAttempt, (ErrorKind, String)> {
    let client = cognito_protocol::srp::ClientEphemeral::from_private_bytes(&rand_bytes()).unwrap();
    let challenge = app
        .handle
        .call::<Value, AuthResponse>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "CUSTOM_AUTH",
            "AuthParameters": {"USERNAME": "ada", "SRP_A": client.public_hex(), "CHALLENGE_NAME": "SRP_A"}}))
        .map_err(|e| (e.kind, e.message))?;
    Ok(SrpAttempt { challenge, client })
}

#[test]
fn custom_auth_that_starts_with_srp_proves_the_password_first() {
    let (app, ids) = setup(json!({"Answer": "42", "MaxAttempts": 2}));
    let attempt = start_with_srp(&app, &ids).unwrap();
    assert_eq!(
        attempt.challenge.challenge_name.as_deref(),
        Some("PASSWORD_VERIFIER")
    );
    let session = attempt.challenge.session.clone().unwrap().into_inner();

    // A wrong password ends it.
    let wrong = srp_answer(&ids, &attempt, "Wr0ng-pass!", &now_timestamp());
    assert_eq!(
        respond(
            &app.handle,
            &ids,
            "PASSWORD_VERIFIER",
            wrong,
            Some(&session)
        )
        .unwrap_err()
        .0,
        ErrorKind::NotAuthorized
    );

    // The right password: DefineAuthChallenge sees SRP_A and PASSWORD_VERIFIER, then asks.
    let attempt = start_with_srp(&app, &ids).unwrap();
    let session = attempt.challenge.session.clone().unwrap().into_inner();
    let proof = srp_answer(&ids, &attempt, "Passw0rd!", &now_timestamp());
    let custom = respond(
        &app.handle,
        &ids,
        "PASSWORD_VERIFIER",
        proof,
        Some(&session),
    )
    .unwrap();
    assert_eq!(custom.challenge_name.as_deref(), Some("CUSTOM_CHALLENGE"));
    let define = app
        .handle
        .triggers()
        .invocations()
        .into_iter()
        .rev()
        .find(|i| i.kind == TriggerKind::DefineAuthChallenge)
        .unwrap();
    let names: Vec<&str> = define.event["request"]["session"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["challengeName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["SRP_A", "PASSWORD_VERIFIER"]);
    let done = answer(&app, &ids, &custom.session.unwrap().0, "42").unwrap();
    assert!(done.authentication_result.is_some());

    // CHALLENGE_NAME other than SRP_A next to SRP_A is refused.
    let (kind, _) = app
        .handle
        .call::<Value, AuthResponse>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "CUSTOM_AUTH",
            "AuthParameters": {"USERNAME": "ada", "SRP_A": "02", "CHALLENGE_NAME": "CUSTOM_CHALLENGE"}}))
        .map(|_| ())
        .map_err(|e| (e.kind, e.message))
        .unwrap_err();
    assert_eq!(kind, ErrorKind::InvalidParameter);
}
