//! Shared set-up of the SDK's tests against the in-process emulator: a pool and client, both
//! clocks frozen together, memory storage, and a few assertions.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use cognito_emulator::Emulator;
use cognito_sdk::clock::ManualClock;
use cognito_sdk::retry::RetryPolicy;
use cognito_sdk::storage::{MemoryStorage, Storage};
use cognito_sdk::wire::{
    CreateUserPoolClientRequest, CreateUserPoolRequest, CreateUserPoolResponse, ErrorKind,
    UserPoolClientResponse, UserPoolClientSettings, UserPoolMutableSettings,
};
use cognito_sdk::{AuthOutcome, CognitoUserPool, Error};
use serde_json::{json, Value};

pub struct Setup {
    pub emu: Emulator,
    pub pool_id: String,
    pub client_id: String,
    pub secret: Option<String>,
    pub clock: Arc<ManualClock>,
    pub storage: Arc<MemoryStorage>,
}

pub async fn setup_with(secret: bool, pool_extra: Value) -> Setup {
    let emu = Emulator::start().await;
    emu.clock().freeze();
    let mut pool_req = CreateUserPoolRequest {
        pool_name: "sdk".into(),
        settings: UserPoolMutableSettings {
            auto_verified_attributes: Some(vec!["email".into()]),
            ..Default::default()
        },
        ..Default::default()
    };
    if let Some(s) = pool_extra.get("Schema") {
        pool_req.schema = Some(serde_json::from_value(s.clone()).unwrap());
    }
    if let Some(u) = pool_extra.get("UsernameAttributes") {
        pool_req.username_attributes = Some(serde_json::from_value(u.clone()).unwrap());
    }
    let pool: CreateUserPoolResponse = emu.call("CreateUserPool", &pool_req).unwrap();
    let pool_id = pool.user_pool.unwrap().id.unwrap();
    let client: UserPoolClientResponse = emu
        .call(
            "CreateUserPoolClient",
            &CreateUserPoolClientRequest {
                user_pool_id: pool_id.clone(),
                client_name: "sdk".into(),
                generate_secret: Some(secret),
                settings: UserPoolClientSettings {
                    explicit_auth_flows: Some(vec![
                        "ALLOW_USER_SRP_AUTH".into(),
                        "ALLOW_USER_PASSWORD_AUTH".into(),
                        "ALLOW_REFRESH_TOKEN_AUTH".into(),
                    ]),
                    ..Default::default()
                },
            },
        )
        .unwrap();
    let client = client.user_pool_client.unwrap();
    Setup {
        clock: Arc::new(ManualClock::at(emu.clock().now_secs())),
        emu,
        pool_id,
        client_id: client.client_id.unwrap(),
        secret: client
            .client_secret
            .map(cognito_protocol::wire::Sensitive::into_inner),
        storage: Arc::new(MemoryStorage::default()),
    }
}

pub async fn setup() -> Setup {
    setup_with(false, json!({})).await
}

impl Setup {
    pub fn pool(&self) -> CognitoUserPool {
        self.pool_with(self.storage.clone())
    }

    pub fn pool_with(&self, storage: Arc<dyn Storage>) -> CognitoUserPool {
        self.pool_builder(storage).build().unwrap()
    }

    /// The builder `pool_with` uses, for tests that need one more option.
    pub fn pool_builder(&self, storage: Arc<dyn Storage>) -> cognito_sdk::CognitoUserPoolBuilder {
        let mut b = CognitoUserPool::builder(&self.pool_id, &self.client_id)
            .endpoint(&self.emu.endpoint())
            .storage(storage)
            .clock(self.clock.clone())
            .timeout(Duration::from_secs(5))
            .retry(RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::ZERO,
                max_delay: Duration::ZERO,
            });
        if let Some(s) = &self.secret {
            b = b.client_secret(s);
        }
        b
    }

    pub fn advance(&self, secs: u64) {
        self.emu.clock().advance(Duration::from_secs(secs));
        self.clock.advance(Duration::from_secs(secs));
    }

    pub fn admin(&self, op: &str, body: Value) -> Value {
        let mut body = body;
        body["UserPoolId"] = json!(self.pool_id);
        self.emu.call::<Value, Value>(op, &body).unwrap()
    }

    pub fn confirmed_user(&self, username: &str, password: &str) {
        self.admin("AdminCreateUser", json!({"Username": username, "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": format!("{username}@example.com")}]}));
        self.admin(
            "AdminSetUserPassword",
            json!({"Username": username, "Password": password, "Permanent": true}),
        );
    }

    /// Refresh requests, by either method (GetTokensFromRefreshToken is the SDK's default).
    pub fn refreshes(&self) -> usize {
        let journal = self.emu.journal();
        journal.count("GetTokensFromRefreshToken", None)
            + journal.count("InitiateAuth", Some("REFRESH_TOKEN_AUTH"))
    }
}

pub fn signed_in(outcome: AuthOutcome) -> cognito_sdk::CognitoUserSession {
    match outcome {
        AuthOutcome::SignedIn(s) => s,
        other => panic!("expected a session, got {other:?}"),
    }
}

pub fn service_kind(e: &Error) -> ErrorKind {
    e.kind()
        .cloned()
        .unwrap_or_else(|| panic!("not a service error: {e:?}"))
}
