//! Throttling and fault injection seen from a plain HTTP client over loopback TCP: every fault
//! kind shows on the wire the way a real network or service failure does, rules count their
//! firings, and quotas refuse exactly what is over them on the emulator clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use cognito_emulator::faults::{Fault, FaultSpec, Match};
use cognito_emulator::quota::Quota;
use cognito_emulator::{seed, Emulator};
use cognito_protocol::wire;
use serde_json::{json, Value};

const CLIENT: &str = "democlient0000000000000001";
const POOL: &str = "us-east-1_DemoPool1";

async fn demo() -> Emulator {
    let emu = Emulator::start().await;
    seed::apply(&emu, &seed::demo()).unwrap();
    emu.clock().freeze();
    emu
}

fn http(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

async fn send(
    client: &reqwest::Client,
    emu: &Emulator,
    op: &str,
    body: Value,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{}/", emu.endpoint()))
        .header("content-type", wire::CONTENT_TYPE)
        .header("x-amz-target", wire::target(op))
        .body(body.to_string())
        .send()
        .await
}

fn sign_up(name: &str) -> Value {
    json!({"ClientId": CLIENT, "Username": name, "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]})
}

fn password_auth() -> Value {
    json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "demo", "PASSWORD": "DemoPassw0rd!"}})
}

fn rule(op: &str, fault: Fault) -> FaultSpec {
    FaultSpec {
        when: Match {
            operation: Some(op.into()),
            ..Default::default()
        },
        fault,
    }
}

fn user_exists(emu: &Emulator, name: &str) -> bool {
    emu.call::<Value, Value>(
        "AdminGetUser",
        &json!({"UserPoolId": POOL, "Username": name}),
    )
    .is_ok()
}

#[tokio::test]
async fn quotas_refuse_exactly_what_is_over_them() {
    let emu = demo().await;
    let client = http(Duration::from_secs(5));
    emu.throttle().set_enabled(true);
    emu.throttle()
        .set_quota("UserCreation", Quota::per_second(3.0))
        .unwrap();
    let mut codes = Vec::new();
    for i in 0..5 {
        let r = send(&client, &emu, "SignUp", sign_up(&format!("t{i}")))
            .await
            .unwrap();
        codes.push(r.status().as_u16());
        if r.status() == 400 {
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["__type"], "TooManyRequestsException");
        }
    }
    assert_eq!(codes, [200, 200, 200, 400, 400]);
    assert!(
        !user_exists(&emu, "t3"),
        "a throttled request has no effect"
    );
    emu.clock().advance(Duration::from_secs(1));
    assert_eq!(
        send(&client, &emu, "SignUp", sign_up("t5"))
            .await
            .unwrap()
            .status(),
        200
    );
    // Other categories are metered separately; RespondToAuthChallenge has its own share.
    assert_eq!(
        send(&client, &emu, "InitiateAuth", password_auth())
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        emu.journal()
            .entries()
            .iter()
            .filter(|e| e.error.as_deref() == Some("TooManyRequestsException"))
            .count(),
        2
    );

    // Through the endpoint: 0 RPS refuses everything in the category.
    let r = client
        .post(format!("{}/_emulator/quotas", emu.endpoint()))
        .header("content-type", "application/json")
        .body(r#"{"quotas": {"UserAuthentication": {"rate": 0}}}"#)
        .send()
        .await
        .unwrap();
    let state: Value = r.json().await.unwrap();
    assert_eq!(state["enabled"], true);
    assert_eq!(state["quotas"]["UserAuthentication"]["rate"], 0.0);
    assert_eq!(
        send(&client, &emu, "InitiateAuth", password_auth())
            .await
            .unwrap()
            .status(),
        400
    );
    let bad = client
        .post(format!("{}/_emulator/quotas", emu.endpoint()))
        .header("content-type", "application/json")
        .body(r#"{"quotas": {"Bogus": {"rate": 1}}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let off = client
        .post(format!("{}/_emulator/quotas", emu.endpoint()))
        .header("content-type", "application/json")
        .body(r#"{"enabled": false}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 200);
    assert_eq!(
        send(&client, &emu, "InitiateAuth", password_auth())
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn reset_before_processing_has_no_effect() {
    let emu = demo().await;
    let id = emu
        .faults()
        .add(rule("SignUp", Fault::ResetBefore))
        .unwrap();
    let e = send(&http(Duration::from_secs(5)), &emu, "SignUp", sign_up("rb"))
        .await
        .unwrap_err();
    assert!(!e.is_timeout(), "{e:?}");
    assert!(!user_exists(&emu, "rb"));
    assert_eq!(emu.faults().fired(id), Some(1));
    let entry = emu.journal().entries().pop().unwrap();
    assert_eq!(
        (entry.status, entry.fault.as_deref()),
        (0, Some("reset_before"))
    );
}

#[tokio::test]
async fn reset_after_processing_loses_only_the_answer() {
    let emu = demo().await;
    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("SignUp".into()),
                times: Some(1),
                ..Default::default()
            },
            fault: Fault::ResetAfter,
        })
        .unwrap();
    let client = http(Duration::from_secs(5));
    assert!(send(&client, &emu, "SignUp", sign_up("ra")).await.is_err());
    assert!(user_exists(&emu, "ra"), "the server did it");
    let retry = send(&client, &emu, "SignUp", sign_up("ra")).await.unwrap();
    assert_eq!(retry.status(), 400);
    assert_eq!(
        retry.json::<Value>().await.unwrap()["__type"],
        "UsernameExistsException"
    );
}

#[tokio::test(start_paused = true)]
async fn a_hang_lasts_until_the_client_gives_up() {
    let emu = demo().await;
    emu.faults()
        .add(rule("InitiateAuth", Fault::Hang { max_ms: None }))
        .unwrap();
    let e = send(
        &http(Duration::from_secs(5)),
        &emu,
        "InitiateAuth",
        password_auth(),
    )
    .await
    .unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    // Other requests are served meanwhile: the hang holds no lock.
    assert_eq!(
        send(
            &http(Duration::from_secs(5)),
            &emu,
            "ListUserPools",
            json!({"MaxResults": 1})
        )
        .await
        .unwrap()
        .status(),
        200
    );
}

#[tokio::test(start_paused = true)]
async fn latency_delays_but_answers() {
    let emu = demo().await;
    emu.faults()
        .add(rule("InitiateAuth", Fault::Latency { ms: 2_000 }))
        .unwrap();
    let r = send(
        &http(Duration::from_secs(5)),
        &emu,
        "InitiateAuth",
        password_auth(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let entry = emu.journal().entries().pop().unwrap();
    assert_eq!(entry.fault.as_deref(), Some("latency 2000ms"));
    assert!(entry.latency_ms >= 2_000, "{}", entry.latency_ms);
}

#[tokio::test]
async fn server_errors_gateway_pages_and_chosen_exceptions() {
    let emu = demo().await;
    let client = http(Duration::from_secs(5));
    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("InitiateAuth".into()),
                times: Some(1),
                ..Default::default()
            },
            fault: Fault::InternalError,
        })
        .unwrap();
    let r = send(&client, &emu, "InitiateAuth", password_auth())
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(
        r.json::<Value>().await.unwrap()["__type"],
        "InternalErrorException"
    );

    emu.faults().clear();
    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("InitiateAuth".into()),
                times: Some(1),
                ..Default::default()
            },
            fault: Fault::Gateway { status: Some(502) },
        })
        .unwrap();
    let r = send(&client, &emu, "InitiateAuth", password_auth())
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("502 Bad Gateway"));

    emu.faults().clear();
    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("InitiateAuth".into()),
                username: Some("demo".into()),
                ..Default::default()
            },
            fault: Fault::Exception {
                code: "PasswordResetRequiredException".into(),
                message: Some("Password reset required for the user".into()),
                status: None,
            },
        })
        .unwrap();
    let r = send(&client, &emu, "InitiateAuth", password_auth())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.headers()["x-amzn-errortype"],
        "PasswordResetRequiredException"
    );
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        "Password reset required for the user"
    );
    // The username condition: another user is unaffected.
    let other = json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "x"}});
    assert_eq!(
        send(&client, &emu, "InitiateAuth", other)
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["__type"],
        "UserNotFoundException"
    );
}

#[tokio::test]
async fn broken_bodies_after_processing() {
    let emu = demo().await;
    let client = http(Duration::from_secs(5));
    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("SignUp".into()),
                times: Some(1),
                ..Default::default()
            },
            fault: Fault::TruncatedBody,
        })
        .unwrap();
    let r = send(&client, &emu, "SignUp", sign_up("tb")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.is_err(), "the body is cut short");
    assert!(user_exists(&emu, "tb"));

    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("SignUp".into()),
                times: Some(1),
                ..Default::default()
            },
            fault: Fault::NonJsonBody,
        })
        .unwrap();
    let r = send(&client, &emu, "SignUp", sign_up("nj")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    emu.faults()
        .add(FaultSpec {
            when: Match {
                operation: Some("SignUp".into()),
                times: Some(1),
                ..Default::default()
            },
            fault: Fault::WrongContentType,
        })
        .unwrap();
    let r = send(&client, &emu, "SignUp", sign_up("ct")).await.unwrap();
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.json::<Value>().await.unwrap()["UserSub"].is_string());
}

#[tokio::test]
async fn rules_through_the_http_endpoint_with_counts() {
    let emu = demo().await;
    let client = http(Duration::from_secs(5));
    let base = emu.endpoint();
    let added: Value = client
        .post(format!("{base}/_emulator/faults"))
        .header("content-type", "application/json")
        .body(r#"{"match": {"operation": "InitiateAuth", "flow": "REFRESH_TOKEN_AUTH", "skip": 1, "times": 1}, "fault": {"kind": "reset_before"}}"#)
        .send().await.unwrap().json().await.unwrap();
    let id = added["id"].as_u64().unwrap();
    let tokens: Value = send(&client, &emu, "InitiateAuth", password_auth())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refresh = json!({"ClientId": CLIENT, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": tokens["AuthenticationResult"]["RefreshToken"]}});
    let results: Vec<bool> = futures_ok(&client, &emu, refresh, 3).await;
    assert_eq!(results, [true, false, true], "the second refresh is reset");
    let listed: Value = client
        .get(format!("{base}/_emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["rules"][0]["id"], id);
    assert_eq!(listed["rules"][0]["seen"], 3);
    assert_eq!(listed["rules"][0]["fired"], 1);
    assert_eq!(listed["rules"][0]["fault"]["kind"], "reset_before");
    let journal: Value = client
        .get(format!("{base}/_emulator/journal"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refreshes: Vec<&Value> = journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["flow"] == "REFRESH_TOKEN_AUTH")
        .collect();
    assert_eq!(refreshes.len(), 3);
    assert_eq!(refreshes[1]["fault"], "reset_before");
    assert_eq!(refreshes[1]["status"], 0);
    assert_eq!(refreshes[0]["username"], Value::Null);
    assert!(
        !journal.to_string().contains("DemoPassw0rd!"),
        "no secrets in the journal"
    );
    assert_eq!(
        client
            .delete(format!("{base}/_emulator/faults/{id}"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .delete(format!("{base}/_emulator/faults/{id}"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client
            .post(format!("{base}/_emulator/faults"))
            .header("content-type", "application/json")
            .body(r#"{"fault": {"kind": "explode"}}"#)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        client
            .delete(format!("{base}/_emulator/journal"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(emu.journal().entries().is_empty());
}

async fn futures_ok(client: &reqwest::Client, emu: &Emulator, body: Value, n: usize) -> Vec<bool> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(
            send(client, emu, "InitiateAuth", body.clone())
                .await
                .is_ok_and(|r| r.status() == 200),
        );
    }
    out
}
