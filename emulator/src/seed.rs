//! Seed files: pools, app clients and users created when the emulator starts, with ids fixed
//! when given (so docs and other-language clients can hard-code them). Without a seed, the CLI
//! applies [`demo`].
//!
//! ```json
//! {"pools": [{
//!   "Id": "us-east-1_DemoPool1", "PoolName": "demo", "AutoVerifiedAttributes": ["email"],
//!   "Clients": [{"ClientId": "democlient0000000000000001", "ClientName": "demo",
//!                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
//!   "Users": [{"Username": "demo", "Password": "DemoPassw0rd!",
//!              "Attributes": {"email": "demo@example.com", "email_verified": "true"}}]
//! }]}
//! ```

use std::collections::BTreeMap;

use cognito_sdk::wire::{
    AttributeType, CreateUserPoolClientRequest, CreateUserPoolRequest, UserPoolClientSettings,
    UserPoolMutableSettings,
};
use serde::{Deserialize, Serialize};

use crate::error::{CognitoError, Result};
use crate::model::UserStatus;
use crate::ops::{create_user_pool, create_user_pool_client};
use crate::server::Handle;
use crate::triggers::{CustomAuthRules, TriggerKind, TriggerRules};
use crate::{password, users};

/// A seed file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Seed {
    /// The pools to create.
    #[serde(alias = "pools")]
    pub pools: Vec<SeedPool>,
}

/// A pool: CreateUserPool's members, plus a fixed id, clients and users.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SeedPool {
    /// A fixed pool id (`{region}_{alphanumerics}`); generated when absent.
    pub id: Option<String>,
    /// CreateUserPool's input.
    #[serde(flatten)]
    pub create: CreateUserPoolRequest,
    /// App clients.
    #[serde(default)]
    pub clients: Vec<SeedClient>,
    /// Users.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Lambda triggers answered by declarative rules or a webhook:
    /// `{"PreSignUp": {"response": {"autoConfirmUser": true}}, "PostAuthentication": {"webhook": "http://…"}}`.
    #[serde(default)]
    pub triggers: BTreeMap<TriggerKind, TriggerRules>,
    /// Declarative CUSTOM_AUTH: `{"Answer": "42", "MaxAttempts": 3}`.
    #[serde(default)]
    pub custom_auth: Option<CustomAuthRules>,
}

/// An app client: CreateUserPoolClient's members, plus a fixed id and secret.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SeedClient {
    /// A fixed client id; generated when absent.
    pub client_id: Option<String>,
    /// A fixed client secret; generated when absent and `GenerateSecret` is true.
    pub client_secret: Option<String>,
    /// The name.
    pub client_name: String,
    /// Whether to generate a secret.
    pub generate_secret: Option<bool>,
    /// The settings.
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

/// A user with a password (stored as a verifier like any other).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SeedUser {
    /// The username (an email or phone in username-attribute pools).
    pub username: String,
    /// The password.
    pub password: String,
    /// Attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// `CONFIRMED` (default), `UNCONFIRMED` or `FORCE_CHANGE_PASSWORD`.
    pub status: Option<String>,
    /// Whether the user may sign in (default true).
    pub enabled: Option<bool>,
}

/// What a seed created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedSummary {
    /// (pool id, client ids, client secrets by id, usernames).
    pub pools: Vec<SeededPool>,
}

/// One seeded pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeededPool {
    /// The pool id.
    pub pool_id: String,
    /// (client id, secret).
    pub clients: Vec<(String, Option<String>)>,
    /// Canonical usernames.
    pub users: Vec<String>,
}

/// The demo pool the CLI creates when started without a seed.
pub fn demo() -> Seed {
    let flows = [
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_CUSTOM_AUTH",
    ];
    Seed {
        pools: vec![SeedPool {
            id: Some("us-east-1_DemoPool1".into()),
            create: CreateUserPoolRequest {
                pool_name: "demo".into(),
                settings: UserPoolMutableSettings {
                    auto_verified_attributes: Some(vec!["email".into()]),
                    ..Default::default()
                },
                ..Default::default()
            },
            clients: vec![SeedClient {
                client_id: Some("democlient0000000000000001".into()),
                client_name: "demo-app".into(),
                settings: UserPoolClientSettings {
                    explicit_auth_flows: Some(flows.iter().map(|f| (*f).to_owned()).collect()),
                    ..Default::default()
                },
                ..Default::default()
            }],
            users: vec![SeedUser {
                username: "demo".into(),
                password: "DemoPassw0rd!".into(),
                attributes: BTreeMap::from([
                    ("email".to_owned(), "demo@example.com".to_owned()),
                    ("email_verified".to_owned(), "true".to_owned()),
                ]),
                ..Default::default()
            }],
            triggers: BTreeMap::new(),
            custom_auth: None,
        }],
    }
}

/// Parses a seed file (JSON).
pub fn parse(text: &str) -> std::result::Result<Seed, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid seed file: {e}"))
}

/// Creates everything in the seed.
pub fn apply(handle: &Handle, seed: &Seed) -> Result<SeedSummary> {
    let ctx = handle.ctx();
    let mut summary = SeedSummary::default();
    for sp in &seed.pools {
        let pool = create_user_pool::build(ctx, sp.create.clone(), sp.id.clone())?;
        let pool_id = pool.id.clone();
        create_user_pool::insert(ctx, pool)?;
        if let Some(custom) = &sp.custom_auth {
            custom.install(&ctx.triggers, &pool_id);
        }
        for (kind, rules) in &sp.triggers {
            ctx.triggers.set(&pool_id, *kind, rules.clone().handler());
        }
        let mut seeded = SeededPool {
            pool_id: pool_id.clone(),
            ..Default::default()
        };
        for sc in &sp.clients {
            let req = CreateUserPoolClientRequest {
                user_pool_id: pool_id.clone(),
                client_name: sc.client_name.clone(),
                generate_secret: sc.generate_secret,
                settings: sc.settings.clone(),
            };
            let view = create_user_pool_client::add(
                ctx,
                req,
                sc.client_id.clone(),
                sc.client_secret.clone(),
            )?;
            seeded.clients.push((
                view.client_id.unwrap_or_default(),
                view.client_secret.map(|s| s.0),
            ));
        }
        for su in &sp.users {
            let status = match su.status.as_deref().unwrap_or("CONFIRMED") {
                "CONFIRMED" => UserStatus::Confirmed,
                "UNCONFIRMED" => UserStatus::Unconfirmed,
                "FORCE_CHANGE_PASSWORD" => UserStatus::ForceChangePassword,
                other => {
                    return Err(CognitoError::invalid_parameter(format!(
                        "Unknown seed user status {other}."
                    )))
                }
            };
            let attrs: Vec<AttributeType> = su
                .attributes
                .iter()
                .map(|(k, v)| AttributeType::new(k, v))
                .collect();
            let now = ctx.now();
            let username = ctx.store.with(|state| -> Result<String> {
                let pool = state.pool(&pool_id)?;
                let policy = password::policy(pool);
                password::check_policy(&policy, &su.password)?;
                let mut user = users::build(ctx, pool, &su.username, &attrs, status)?;
                let temporary = (status == UserStatus::ForceChangePassword)
                    .then(|| now + policy.temporary_password_validity_days.unwrap_or(7) * 86_400);
                user.password = Some(password::record(
                    &pool_id,
                    &user.username,
                    &su.password,
                    temporary,
                ));
                user.enabled = su.enabled.unwrap_or(true);
                let username = user.username.clone();
                let pool = state.pool_mut(&pool_id)?;
                pool.insert_user(user);
                Ok(username)
            })?;
            seeded.users.push(username);
        }
        summary.pools.push(seeded);
    }
    Ok(summary)
}
