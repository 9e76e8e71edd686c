//! A minimal Cognito JSON client over one keep-alive connection, and the set-up calls the
//! workloads need (pool, client, users).

use std::collections::BTreeMap;

use cognito_protocol::srp::{self, ClaimInput, ClientEphemeral};
use serde_json::{json, Value};

/// One worker's connection.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    endpoint: String,
}

impl Api {
    /// A client that keeps one connection alive.
    pub fn new(endpoint: &str) -> Self {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .tcp_nodelay(true)
            .build()
            .unwrap_or_default();
        Self {
            http,
            endpoint: format!("{endpoint}/"),
        }
    }

    /// Calls an operation; `Err` carries the exception or the transport error.
    pub async fn call(&self, op: &str, body: &Value) -> Result<Value, String> {
        let resp = self
            .http
            .post(&self.endpoint)
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{op}"),
            )
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let ok = resp.status().is_success();
        let value: Value = resp.json().await.map_err(|e| e.to_string())?;
        if ok {
            Ok(value)
        } else {
            Err(format!(
                "{op}: {}",
                value["__type"].as_str().unwrap_or("error")
            ))
        }
    }

    /// The endpoint, with its trailing `/`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Posts to an emulator-only endpoint.
    pub async fn post_path(&self, path: &str, body: &Value) -> Result<Value, String> {
        let resp = self
            .http
            .post(format!("{}{path}", self.endpoint))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        resp.json().await.map_err(|e| e.to_string())
    }
}

/// A pool and client for the workloads.
#[derive(Clone, Debug)]
pub struct Target {
    pub pool_id: String,
    pub client_id: String,
}

pub const PASSWORD: &str = "Load-Test-Passw0rd!";

/// Creates a pool (no email verification, so SignUp sends nothing; a verified email is a
/// sign-in alias) and a client allowing every flow the workloads use.
pub async fn target(api: &Api) -> Result<Target, String> {
    let pool = api
        .call(
            "CreateUserPool",
            &json!({"PoolName": "load", "AliasAttributes": ["email"]}),
        )
        .await?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool id")?
        .to_owned();
    let client = api
        .call(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "load", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await?;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or("no client id")?
        .to_owned();
    Ok(Target { pool_id, client_id })
}

/// Creates confirmed users `load{n}` with the shared password and the verified email
/// [`email_of`] the name.
pub async fn users(api: &Api, t: &Target, count: usize) -> Result<Vec<String>, String> {
    let mut names = Vec::with_capacity(count);
    for n in 0..count {
        let name = format!("load{n}");
        api.call(
            "AdminCreateUser",
            &json!({"UserPoolId": t.pool_id, "Username": name, "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": email_of(&name)}, {"Name": "email_verified", "Value": "true"}]}),
        )
        .await?;
        api.call(
            "AdminSetUserPassword",
            &json!({"UserPoolId": t.pool_id, "Username": name, "Password": PASSWORD, "Permanent": true}),
        )
        .await?;
        names.push(name);
    }
    Ok(names)
}

/// The email of a user made by [`users`], which it can sign in with instead of its name.
pub fn email_of(name: &str) -> String {
    format!("{name}@load.example.com")
}

/// USER_PASSWORD_AUTH; returns the access and refresh tokens.
pub async fn password_sign_in(
    api: &Api,
    t: &Target,
    user: &str,
) -> Result<(String, String), String> {
    let out = api
        .call(
            "InitiateAuth",
            &json!({"ClientId": t.client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": user, "PASSWORD": PASSWORD}}),
        )
        .await?;
    let r = &out["AuthenticationResult"];
    Ok((
        r["AccessToken"]
            .as_str()
            .ok_or("no access token")?
            .to_owned(),
        r["RefreshToken"]
            .as_str()
            .ok_or("no refresh token")?
            .to_owned(),
    ))
}

/// A full USER_SRP_AUTH sign-in (the client's SRP math runs here, in the load generator).
pub async fn srp_sign_in(api: &Api, t: &Target, user: &str, a: &[u8; 128]) -> Result<(), String> {
    let client = ClientEphemeral::from_private_bytes(a).map_err(|e| e.to_string())?;
    let first = api
        .call(
            "InitiateAuth",
            &json!({"ClientId": t.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": user, "SRP_A": client.public_hex()}}),
        )
        .await?;
    let p: BTreeMap<String, String> =
        serde_json::from_value(first["ChallengeParameters"].clone()).map_err(|e| e.to_string())?;
    let get = |k: &str| p.get(k).cloned().ok_or(format!("no {k}"));
    let (user_id, block) = (get("USER_ID_FOR_SRP")?, get("SECRET_BLOCK")?);
    let timestamp = srp::format_timestamp(chrono_now());
    let signature = client
        .password_claim(&ClaimInput {
            realm: srp::pool_name(&t.pool_id),
            user_id: &user_id,
            password: PASSWORD,
            salt_hex: &get("SALT")?,
            srp_b_hex: &get("SRP_B")?,
            secret_block_b64: &block,
            timestamp: &timestamp,
        })
        .map_err(|e| e.to_string())?;
    let out = api
        .call(
            "RespondToAuthChallenge",
            &json!({"ClientId": t.client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {
                "USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": block, "TIMESTAMP": timestamp, "PASSWORD_CLAIM_SIGNATURE": signature}}),
        )
        .await?;
    out.get("AuthenticationResult")
        .map(|_| ())
        .ok_or_else(|| "no tokens after PASSWORD_VERIFIER".into())
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// A suffix that keeps this run's new usernames apart from an earlier run's.
pub fn chrono_suffix() -> String {
    format!("{:x}", chrono_now())
}
