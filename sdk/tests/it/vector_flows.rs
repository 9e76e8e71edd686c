//! The SDK's SRP sign-in replayed against the fake server of the amazon-cognito-identity-js
//! vectors (tests/data/srp.json): with the library's `a` and clock pinned, the SDK must send the
//! same request bodies and write the same storage keys and values as the library did.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use cognito_sdk::clock::ManualClock;
use cognito_sdk::retry::RetryPolicy;
use cognito_sdk::storage::MemoryStorage;
use cognito_sdk::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use cognito_sdk::{AuthOutcome, AuthenticationDetails, CognitoUserPool};
use futures::future::BoxFuture;
use serde_json::{json, Value};

#[derive(Debug, Default)]
struct Scripted {
    replies: Mutex<VecDeque<Value>>,
    sent: Mutex<Vec<(String, Value)>>,
}

impl Transport for Scripted {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let target = request
            .headers
            .iter()
            .find(|(n, _)| n == "x-amz-target")
            .map(|(_, v)| v.clone())
            .unwrap();
        let op = target.rsplit('.').next().unwrap().to_owned();
        self.sent
            .lock()
            .unwrap()
            .push((op, serde_json::from_slice(&request.body).unwrap()));
        let reply = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .expect("a scripted reply");
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: reply.to_string().into_bytes(),
            })
        })
    }
}

fn pad_even(h: &str) -> String {
    if h.len() % 2 == 1 {
        format!("0{h}")
    } else {
        h.to_owned()
    }
}

#[tokio::test]
async fn srp_sign_in_matches_the_library_byte_for_byte() {
    let v: Value =
        serde_json::from_str(include_str!("../../protocol/tests/data/srp.json")).unwrap();
    for case in v["user_srp"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let input = &case["inputs"];
        let sent_by_js = case["requests_sent_by_library"].as_array().unwrap();
        let storage_js = case["storage_after_login"].as_object().unwrap();
        let client_id = input["clientId"].as_str().unwrap();
        let user_id = input["challengeParameters_from_InitiateAuth"]["USER_ID_FOR_SRP"]
            .as_str()
            .unwrap();
        let id_token =
            &storage_js[&format!("CognitoIdentityServiceProvider.{client_id}.{user_id}.idToken")];
        let access_token = &storage_js
            [&format!("CognitoIdentityServiceProvider.{client_id}.{user_id}.accessToken")];
        let refresh_token = &storage_js
            [&format!("CognitoIdentityServiceProvider.{client_id}.{user_id}.refreshToken")];

        let transport = Arc::new(Scripted::default());
        transport.replies.lock().unwrap().extend([
            json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": input["challengeParameters_from_InitiateAuth"], "Session": sent_by_js[1]["body"]["Session"]}),
            json!({"AuthenticationResult": {"IdToken": id_token, "AccessToken": access_token, "RefreshToken": refresh_token, "ExpiresIn": 3600, "TokenType": "Bearer"}, "ChallengeParameters": {}}),
        ]);
        let a = hex::decode(pad_even(input["a_hex"].as_str().unwrap())).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339(input["now_utc"].as_str().unwrap())
            .unwrap()
            .timestamp();
        let storage = Arc::new(MemoryStorage::default());
        let pool = CognitoUserPool::builder(input["userPoolId"].as_str().unwrap(), client_id)
            .endpoint("http://127.0.0.1:1")
            .transport(transport.clone())
            .storage(storage.clone())
            .clock(Arc::new(ManualClock::at(now)))
            .retry(RetryPolicy::none())
            .random_source(Arc::new(move |buf: &mut [u8]| {
                buf.fill(0);
                let start = buf.len() - a.len();
                buf[start..].copy_from_slice(&a);
            }))
            .build()
            .unwrap();
        let typed = input["usernameEnteredByUser"].as_str().unwrap();
        let user = pool.user(typed);
        let outcome = user
            .authenticate(AuthenticationDetails::new(
                typed,
                input["password"].as_str().unwrap(),
            ))
            .await
            .unwrap();
        assert!(matches!(outcome, AuthOutcome::SignedIn(_)), "{name}");
        assert_eq!(
            user.username(),
            user_id,
            "{name}: re-keyed to USER_ID_FOR_SRP"
        );

        let sent = transport.sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 2, "{name}");
        for (i, (op, body)) in sent.iter().enumerate() {
            assert_eq!(op, sent_by_js[i]["operation"].as_str().unwrap(), "{name}");
            assert_eq!(body, &sent_by_js[i]["body"], "{name}: body of {op}");
        }
        let written: serde_json::Map<String, Value> = storage
            .snapshot()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        assert_eq!(&written, storage_js, "{name}: storage after login");
    }
}

#[tokio::test]
async fn a_server_b_of_zero_mod_n_is_refused_before_anything_is_signed() {
    let n = cognito_sdk::srp::group().n.clone();
    for b in [
        "0".to_owned(),
        n.to_str_radix(16),
        (&n * 2u8).to_str_radix(16),
    ] {
        let transport = Arc::new(Scripted::default());
        transport.replies.lock().unwrap().push_back(json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {"SALT": "abcd", "SRP_B": b, "SECRET_BLOCK": "AAEC", "USERNAME": "u", "USER_ID_FOR_SRP": "u"},
        }));
        let pool = CognitoUserPool::builder("us-east-1_Evil00001", "evilclient0000000000000001")
            .endpoint("http://127.0.0.1:1")
            .transport(transport.clone())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let e = pool
            .user("u")
            .authenticate(AuthenticationDetails::new("u", "pw"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                cognito_sdk::Error::Srp(cognito_sdk::srp::SrpError::IllegalParameter(_))
            ),
            "{e:?}"
        );
        assert_eq!(transport.sent.lock().unwrap().len(), 1, "no claim was sent");
    }
}
