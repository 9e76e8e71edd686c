//! Identity pools end to end: `CognitoCredentials` turns a signed-in user (and a guest, and a
//! public-provider login) into AWS credentials from the emulator; the credentials sign a request
//! with `sigv4`, and the emulator's own SigV4 check accepts it (and refuses a tampered one).
//! Clocks move together for expiry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use crate::common::*;
use cognito_sdk::clock::Clock as _;
use cognito_sdk::sigv4::{AwsCredentials, SigV4Signer};
use cognito_sdk::wire::ErrorKind;
use cognito_sdk::{AuthenticationDetails, CognitoCredentials, SigV4Client};
use serde_json::{json, Value};

const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/app-authenticated";
const GUEST_ROLE: &str = "arn:aws:iam::123456789012:role/app-guest";

fn identity_pool(s: &Setup, guests: bool) -> String {
    let region = s.pool_id.split('_').next().unwrap();
    let out: Value = s
        .emu
        .call(
            "CreateIdentityPool",
            &json!({
                "IdentityPoolName": "app",
                "AllowUnauthenticatedIdentities": guests,
                "CognitoIdentityProviders": [{
                    "ProviderName": format!("cognito-idp.{region}.amazonaws.com/{}", s.pool_id),
                    "ClientId": s.client_id,
                    "ServerSideTokenCheck": true,
                }],
                "SupportedLoginProviders": {"graph.facebook.com": "1234567890"},
            }),
        )
        .unwrap();
    let id = out["IdentityPoolId"].as_str().unwrap().to_owned();
    s.emu
        .call::<Value, Value>(
            "SetIdentityPoolRoles",
            &json!({"IdentityPoolId": id, "Roles": {"authenticated": AUTH_ROLE, "unauthenticated": GUEST_ROLE}}),
        )
        .unwrap();
    id
}

/// Signs a request to the emulator's SigV4-checked endpoint and returns (status, body).
async fn call_signed(s: &Setup, creds: &AwsCredentials, tamper: bool) -> (u16, Value) {
    let url = format!("{}/_emulator/sigv4/prod/pets?kind=dog", s.emu.endpoint());
    let mut request = http::Request::builder()
        .method("POST")
        .uri(&url)
        .header("content-type", "application/json")
        .body(br#"{"name":"rex"}"#.to_vec())
        .unwrap();
    SigV4Signer::new("us-east-1", "execute-api")
        .sign(creds, s.clock.now_secs(), &mut request)
        .unwrap();
    let mut send = reqwest::Client::new().post(&url);
    for (k, v) in request.headers() {
        send = send.header(k.as_str(), v.to_str().unwrap());
    }
    let body = if tamper {
        br#"{"name":"max"}"#.to_vec()
    } else {
        request.body().clone()
    };
    let resp = send.body(body).send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn a_signed_in_user_gets_credentials_that_sign_requests() {
    let s = setup().await;
    s.emu.clock().freeze();
    let identity_pool_id = identity_pool(&s, false);
    s.confirmed_user("ida", "Passw0rd!");
    let pool = s.pool();
    let user = pool.user("ida");
    signed_in(
        user.authenticate(AuthenticationDetails::new("ida", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let credentials = CognitoCredentials::new(&identity_pool_id, &pool);
    let aws = credentials.for_user(&user).await.unwrap();
    assert!(
        aws.access_key_id.starts_with("ASIA"),
        "{}",
        aws.access_key_id
    );
    assert_eq!(aws.expiration, Some(s.clock.now_secs() + 3600));
    let identity_id = credentials.identity_id().await.unwrap().expect("stored");
    assert!(identity_id.starts_with("us-east-1:"));

    // The emulator accepts a request signed with them, and knows whose they are.
    let (status, body) = call_signed(&s, &aws, false).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["identityId"], identity_id);
    assert_eq!(body["roleArn"], AUTH_ROLE);
    // A changed body no longer matches the signature.
    let (status, body) = call_signed(&s, &aws, true).await;
    assert_eq!(status, 403);
    assert!(
        body["message"].as_str().unwrap().contains("signature"),
        "{body}"
    );

    // Cached until near expiry: still one GetId and one GetCredentialsForIdentity.
    let again = credentials.for_user(&user).await.unwrap();
    assert_eq!(again.access_key_id, aws.access_key_id);
    assert_eq!(s.emu.journal().count("GetCredentialsForIdentity", None), 1);
    assert_eq!(s.emu.journal().count("GetId", None), 1);

    // After 56 minutes the credentials are renewed (the session is refreshed on the way);
    // the identity stays the same.
    s.advance(56 * 60);
    let renewed = credentials.for_user(&user).await.unwrap();
    assert_ne!(renewed.access_key_id, aws.access_key_id);
    assert_eq!(credentials.identity_id().await.unwrap(), Some(identity_id));
    // The old ones expire on the emulator clock.
    s.advance(5 * 60);
    let (status, body) = call_signed(&s, &aws, false).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn guests_other_providers_and_refusals() {
    let s = setup().await;
    let pool = s.pool();

    // No guests allowed, and no login: NotAuthorized, with Cognito's message.
    let closed = identity_pool(&s, false);
    let e = CognitoCredentials::new(&closed, &pool)
        .unauthenticated()
        .await
        .unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::NotAuthorized);
    assert!(e.to_string().contains("Unauthenticated access"), "{e}");

    // Guests allowed: the unauthenticated role.
    let open = identity_pool(&s, true);
    let guest = CognitoCredentials::new(&open, &pool);
    let aws = guest.unauthenticated().await.unwrap();
    let (status, body) = call_signed(&s, &aws, false).await;
    assert_eq!((status, body["roleArn"].as_str()), (200, Some(GUEST_ROLE)));

    // A public provider's token, accepted by rule; an unknown one is refused.
    s.emu
        .accept_identity_token("graph.facebook.com", "fb-token-1", "fb-user-1");
    let fb = CognitoCredentials::new(
        &open,
        &s.pool_with(std::sync::Arc::new(
            cognito_sdk::storage::MemoryStorage::default(),
        )),
    );
    let logins = |t: &str| BTreeMap::from([("graph.facebook.com".to_owned(), t.to_owned())]);
    let e = fb.with_logins(logins("forged")).await.unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::NotAuthorized);
    let aws = fb.with_logins(logins("fb-token-1")).await.unwrap();
    let (status, body) = call_signed(&s, &aws, false).await;
    assert_eq!((status, body["roleArn"].as_str()), (200, Some(AUTH_ROLE)));

    // A token of another client, or a revoked one, is no login.
    s.confirmed_user("rev", "Passw0rd!");
    let user = pool.user("rev");
    let session = signed_in(
        user.authenticate(AuthenticationDetails::new("rev", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let creds = CognitoCredentials::new(&closed, &pool);
    user.global_sign_out().await.unwrap();
    let e = creds
        .get_aws_credentials(session.id_token().raw())
        .await
        .unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::NotAuthorized);
    assert!(e.to_string().contains("revoked"), "{e}");
}

#[tokio::test]
async fn an_identity_pool_without_roles_says_so() {
    let s = setup().await;
    let out: Value = s
        .emu
        .call(
            "CreateIdentityPool",
            &json!({"IdentityPoolName": "no_roles", "AllowUnauthenticatedIdentities": true}),
        )
        .unwrap();
    let id = out["IdentityPoolId"].as_str().unwrap();
    let e = CognitoCredentials::new(id, &s.pool())
        .unauthenticated()
        .await
        .unwrap_err();
    assert_eq!(
        service_kind(&e),
        ErrorKind::InvalidIdentityPoolConfiguration
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_request() {
    let s = setup().await;
    let open = identity_pool(&s, true);
    let credentials = CognitoCredentials::new(&open, &s.pool());
    let calls = (0..20).map(|_| {
        let c = credentials.clone();
        tokio::spawn(async move { c.unauthenticated().await.unwrap().access_key_id })
    });
    let keys: Vec<String> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(keys.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(s.emu.journal().count("GetId", None), 1);
    assert_eq!(s.emu.journal().count("GetCredentialsForIdentity", None), 1);
}

#[tokio::test]
async fn a_sigv4_client_calls_an_iam_api_as_the_user_and_as_a_guest() {
    let s = setup().await;
    let identity_pool_id = identity_pool(&s, true);
    s.confirmed_user("sal", "Passw0rd!");
    let pool = s.pool();
    let user = pool.user("sal");
    signed_in(
        user.authenticate(AuthenticationDetails::new("sal", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let credentials = CognitoCredentials::new(&identity_pool_id, &pool);
    let request = || {
        http::Request::builder()
            .method("POST")
            .uri(format!("{}/_emulator/sigv4/prod/pets", s.emu.endpoint()))
            .header("content-type", "application/json")
            .body(br#"{"name":"rex"}"#.to_vec())
            .unwrap()
    };
    let as_user = SigV4Client::new(
        &credentials,
        SigV4Signer::new("us-east-1", "execute-api"),
        Some(&user),
    );
    let answer = as_user.send(request()).await.unwrap();
    let body: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        (answer.status, body["roleArn"].as_str()),
        (200, Some(AUTH_ROLE))
    );

    let guest_credentials = CognitoCredentials::new(
        &identity_pool_id,
        &s.pool_with(std::sync::Arc::new(
            cognito_sdk::storage::MemoryStorage::default(),
        )),
    );
    let as_guest = SigV4Client::new(
        &guest_credentials,
        SigV4Signer::new("us-east-1", "execute-api"),
        None,
    );
    let answer = as_guest.send(request()).await.unwrap();
    let body: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        (answer.status, body["roleArn"].as_str()),
        (200, Some(GUEST_ROLE))
    );
}
