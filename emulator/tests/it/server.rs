//! The emulator over real loopback TCP: one per test, independent, concurrent, stoppable, and
//! seeded the way the CLI seeds it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cognito_emulator::{seed, Emulator};
use cognito_protocol::wire::{self, ErrorKind};
use serde_json::{json, Value};

async fn post(client: &reqwest::Client, endpoint: &str, op: &str, body: Value) -> (u16, Value) {
    let resp = client
        .post(format!("{endpoint}/"))
        .header("content-type", wire::CONTENT_TYPE)
        .header("x-amz-target", wire::target(op))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn emulators_are_independent_and_bind_loopback() {
    let (a, b) = (Emulator::start().await, Emulator::start().await);
    assert_ne!(a.address(), b.address());
    assert!(a.address().ip().is_loopback());
    let http = reqwest::Client::new();
    let (status, created) = post(
        &http,
        &a.endpoint(),
        "CreateUserPool",
        json!({"PoolName": "only-in-a"}),
    )
    .await;
    assert_eq!(status, 200);
    let id = created["UserPool"]["Id"].clone();
    assert_eq!(
        post(
            &http,
            &a.endpoint(),
            "DescribeUserPool",
            json!({"UserPoolId": id})
        )
        .await
        .0,
        200
    );
    let (status, body) = post(
        &http,
        &b.endpoint(),
        "DescribeUserPool",
        json!({"UserPoolId": id}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ResourceNotFoundException");
}

#[tokio::test]
async fn issuer_is_the_emulators_own_url() {
    let emu = Emulator::start().await;
    assert_eq!(
        emu.issuer("us-east-1_abc"),
        format!("{}/us-east-1_abc", emu.endpoint())
    );
    let aws = Emulator::builder()
        .issuer(cognito_emulator::Issuer::Aws)
        .start()
        .await;
    assert_eq!(
        aws.issuer("eu-west-1_abc"),
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
    );
}

#[tokio::test]
async fn stopping_closes_the_port() {
    let emu = Emulator::start().await;
    let endpoint = emu.endpoint();
    let http = reqwest::Client::new();
    assert_eq!(
        post(&http, &endpoint, "ListUserPools", json!({"MaxResults": 1}))
            .await
            .0,
        200
    );
    emu.stop().await;
    let fresh = reqwest::Client::new();
    assert!(fresh
        .get(format!("{endpoint}/_emulator/health"))
        .send()
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sign_ins_all_succeed() {
    let emu = Emulator::start().await;
    let summary = seed::apply(&emu, &seed::demo()).unwrap();
    let client_id = summary.pools[0].clients[0].0.clone();
    let http = reqwest::Client::new();
    let calls = (0..40).map(|_| {
        let http = http.clone();
        let endpoint = emu.endpoint();
        let client_id = client_id.clone();
        async move {
            post(&http, &endpoint, "InitiateAuth", json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "demo", "PASSWORD": "DemoPassw0rd!"}})).await
        }
    });
    let results = futures_join_all(calls).await;
    assert!(results
        .iter()
        .all(|(s, b)| *s == 200 && b["AuthenticationResult"]["AccessToken"].is_string()));
}

async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futs: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn demo_seed_signs_in_over_srp() {
    let emu = Emulator::start().await;
    let summary = seed::apply(&emu, &seed::demo()).unwrap();
    assert_eq!(summary.pools[0].pool_id, "us-east-1_DemoPool1");
    assert_eq!(
        summary.pools[0].clients,
        vec![("democlient0000000000000001".to_owned(), None)]
    );
    assert_eq!(summary.pools[0].users, vec!["demo".to_owned()]);
    let ids = crate::common::PoolIds {
        pool_id: "us-east-1_DemoPool1".into(),
        client_id: "democlient0000000000000001".into(),
    };
    let t = crate::common::srp_sign_in(&emu, &ids, "demo", "DemoPassw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        crate::common::claims(t.id_token.as_deref().unwrap())["email_verified"],
        true
    );
    // Seeding again is idempotent: nothing is duplicated.
    let again = seed::apply(&emu, &seed::demo()).unwrap();
    assert_eq!(again.pools[0].clients, summary.pools[0].clients);
    assert!(!again.pools[0].created && again.pools[0].users_created.is_empty());
}

#[tokio::test]
async fn seed_files_fix_ids_secrets_and_statuses() {
    let text = r#"{"Pools": [{
        "Id": "eu-west-1_Seeded001", "PoolName": "seeded", "UsernameAttributes": ["email"],
        "Clients": [{"ClientId": "seededclient00000000000001", "ClientName": "s", "ClientSecret": "fixedsecret", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
        "Users": [
            {"Username": "a@example.com", "Password": "Passw0rd!"},
            {"Username": "b@example.com", "Password": "Passw0rd!", "Status": "UNCONFIRMED"},
            {"Username": "c@example.com", "Password": "Passw0rd!", "Status": "FORCE_CHANGE_PASSWORD"},
            {"Username": "d@example.com", "Password": "Passw0rd!", "Enabled": false}
        ]}]}"#;
    let parsed = seed::parse(text).unwrap();
    let emu = Emulator::start().await;
    let summary = seed::apply(&emu, &parsed).unwrap();
    assert_eq!(
        summary.pools[0].clients[0],
        (
            "seededclient00000000000001".to_owned(),
            Some("fixedsecret".to_owned())
        )
    );
    let ids = crate::common::PoolIds {
        pool_id: "eu-west-1_Seeded001".into(),
        client_id: "seededclient00000000000001".into(),
    };
    let login = |u: &str| {
        emu.call::<Value, Value>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": u, "PASSWORD": "Passw0rd!", "SECRET_HASH": wire::secret_hash("fixedsecret", u, &ids.client_id)}}))
    };
    assert!(login("a@example.com").unwrap()["AuthenticationResult"].is_object());
    assert_eq!(
        login("b@example.com").unwrap_err().kind,
        ErrorKind::UserNotConfirmed
    );
    assert_eq!(
        login("c@example.com").unwrap()["ChallengeName"],
        "NEW_PASSWORD_REQUIRED"
    );
    assert_eq!(
        login("d@example.com").unwrap_err().kind,
        ErrorKind::NotAuthorized
    );

    assert!(seed::parse("{\"Pools\": [{\"PoolName\": 3}]}").is_err());
    assert!(seed::parse("{\"Unknown\": []}").is_err());
    let bad_user = seed::parse(
        r#"{"Pools": [{"PoolName": "p", "Users": [{"Username": "x", "Password": "weak"}]}]}"#,
    )
    .unwrap();
    assert_eq!(
        seed::apply(&emu, &bad_user).unwrap_err().kind,
        ErrorKind::InvalidPassword
    );
}

#[tokio::test]
async fn a_seed_setup_reaches_state_only_the_api_sets() {
    let emu = Emulator::start().await;
    let text = r#"{"Pools": [{
        "Id": "us-east-1_SetupPool1", "PoolName": "setup",
        "Clients": [{"ClientName": "web", "ClientId": "setupclient000000000000001"}],
        "Setup": [
            {"Operation": "CreateUserPoolDomain", "Input": {"Domain": "setup-demo"}},
            {"Operation": "SetUserPoolMfaConfig", "Input": {"MfaConfiguration": "OFF",
             "WebAuthnConfiguration": {"RelyingPartyId": "localhost", "UserVerification": "preferred"}}},
            {"Operation": "CreateTerms", "Input": {"ClientId": "$client:web", "TermsName": "terms-of-use",
             "TermsSource": "LINK", "Enforcement": "NONE", "Links": {"cognito:default": "https://example.com/t"}}},
            {"Operation": "CreateResourceServer", "Input": {"Identifier": "https://api.example.com", "Name": "api",
             "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]}}
        ]}]}"#;
    let parsed = seed::parse(text).unwrap();
    seed::apply(&emu, &parsed).unwrap();
    let pool = "us-east-1_SetupPool1";
    let domain: Value = emu
        .call("DescribeUserPoolDomain", &json!({"Domain": "setup-demo"}))
        .unwrap();
    assert_eq!(domain["DomainDescription"]["UserPoolId"], pool);
    let mfa: Value = emu
        .call("GetUserPoolMfaConfig", &json!({"UserPoolId": pool}))
        .unwrap();
    assert_eq!(mfa["WebAuthnConfiguration"]["RelyingPartyId"], "localhost");
    let terms: Value = emu.call("ListTerms", &json!({"UserPoolId": pool})).unwrap();
    assert_eq!(terms["Terms"][0]["TermsName"], "terms-of-use");
    let servers: Value = emu
        .call("ListResourceServers", &json!({"UserPoolId": pool}))
        .unwrap();
    assert_eq!(servers["ResourceServers"][0]["Name"], "api");
    // Applied again, the pool exists: nothing is made twice (CreateTerms would refuse).
    seed::apply(&emu, &parsed).unwrap();

    // A failing call names itself; an unknown client is refused before any call.
    let bad = seed::parse(r#"{"Pools": [{"PoolName": "other", "Setup": [
        {"Operation": "CreateTerms", "Input": {"ClientId": "$client:nope", "TermsName": "terms-of-use",
         "TermsSource": "LINK", "Enforcement": "NONE"}}]}]}"#)
    .unwrap();
    let e = seed::apply(&emu, &bad).unwrap_err();
    assert!(e.message.contains("nope"), "{}", e.message);
    let bad = seed::parse(
        r#"{"Pools": [{"PoolName": "third", "Setup": [
        {"Operation": "CreateUserPoolDomain", "Input": {"Domain": "setup-demo"}}]}]}"#,
    )
    .unwrap();
    let e = seed::apply(&emu, &bad).unwrap_err();
    assert!(
        e.message.starts_with("Setup CreateUserPoolDomain"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn filler_users_are_listed_page_by_page_and_lookups_stay_indexed() {
    let emu = Emulator::start().await;
    let http = reqwest::Client::new();
    let ids = crate::common::pool(&emu, json!({}), json!({}));
    crate::common::user(&emu, &ids.pool_id, "real", "Passw0rd!");
    let fill = |body: Value| {
        let http = http.clone();
        let url = format!("{}/_emulator/users/fill", emu.endpoint());
        async move {
            let resp = http
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    let (status, out) = fill(json!({"poolId": ids.pool_id, "count": 2500})).await;
    assert_eq!(
        (status, out["added"].as_u64(), out["users"].as_u64()),
        (200, Some(2500), Some(2501))
    );
    // Again: the names are taken, nothing is added.
    let (_, out) = fill(json!({"poolId": ids.pool_id, "count": 10})).await;
    assert_eq!(out["added"], 0);
    let (status, out) = fill(json!({"poolId": "us-east-1_nope", "count": 1})).await;
    assert_eq!(
        (status, out["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let (status, _) = fill(json!({"count": 1})).await;
    assert_eq!(status, 400);

    let mut names = std::collections::BTreeSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut body = json!({"UserPoolId": ids.pool_id, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let (status, page) = post(&http, &emu.endpoint(), "ListUsers", body).await;
        assert_eq!(status, 200);
        pages += 1;
        for u in page["Users"].as_array().unwrap() {
            assert!(
                names.insert(u["Username"].as_str().unwrap().to_owned()),
                "listed twice"
            );
        }
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!((names.len(), pages), (2501, 42));
    assert!(names.contains("filler0002499") && names.contains("real"));

    // The sub index follows deletes: a deleted user's token no longer finds anyone.
    let access = crate::common::password_auth(&emu, &ids, "real", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let (status, _) = post(
        &http,
        &emu.endpoint(),
        "GetUser",
        json!({"AccessToken": access}),
    )
    .await;
    assert_eq!(status, 200);
    post(
        &http,
        &emu.endpoint(),
        "AdminDeleteUser",
        json!({"UserPoolId": ids.pool_id, "Username": "real"}),
    )
    .await;
    let (status, err) = post(
        &http,
        &emu.endpoint(),
        "GetUser",
        json!({"AccessToken": access}),
    )
    .await;
    assert_eq!(
        (status, err["__type"].as_str()),
        (400, Some("NotAuthorizedException"))
    );
    // The same name again is a new user with a new sub, found through its own token.
    crate::common::user(&emu, &ids.pool_id, "real", "Passw0rd!");
    let access = crate::common::password_auth(&emu, &ids, "real", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let (status, user) = post(
        &http,
        &emu.endpoint(),
        "GetUser",
        json!({"AccessToken": access}),
    )
    .await;
    assert_eq!((status, user["Username"].as_str()), (200, Some("real")));
}
