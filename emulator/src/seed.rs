//! Seed files: pools, app clients, groups and users created when the emulator starts, with
//! ids fixed when given (so app configs and other-language clients can hard-code them), plus
//! triggers and quotas. Without a seed, the CLI applies [`demo`]. Scenario files use the same
//! pool schema for their set-up.
//!
//! Applying a seed is idempotent: a pool (by `Id`, or by `PoolName` without one), client (by
//! `ClientId`, or by `ClientName`), group or user that already exists is left as it is, so
//! `serve --data DIR --seed FILE` can run at every start without undoing changes made since.
//!
//! ```json
//! {"Pools": [{
//!   "Id": "us-east-1_DemoPool1", "PoolName": "demo", "AutoVerifiedAttributes": ["email"],
//!   "MfaConfiguration": "OPTIONAL",
//!   "Clients": [{"ClientId": "democlient0000000000000001", "ClientName": "demo",
//!                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
//!   "Groups": [{"GroupName": "admins", "Precedence": 1}],
//!   "Users": [{"Username": "demo", "Password": "DemoPassw0rd!", "Groups": ["admins"],
//!              "Attributes": {"email": "demo@example.com", "email_verified": "true"},
//!              "Mfa": {"TotpSecret": "JBSWY3DPEHPK3PXP", "Preferred": "SOFTWARE_TOKEN_MFA"}}],
//!   "Triggers": {"PreSignUp": {"response": {"autoConfirmUser": true}}},
//!   "Setup": [{"Operation": "CreateUserPoolDomain", "Input": {"Domain": "demo"}},
//!             {"Operation": "CreateTerms", "Input": {"ClientId": "$client:demo",
//!              "TermsName": "terms-of-use", "TermsSource": "LINK", "Enforcement": "NONE",
//!              "Links": {"cognito:default": "https://example.com/terms"}}}]
//! }],
//!  "Quotas": {"Enabled": true, "UserAuthentication": {"rate": 10, "burst": 20}}}
//! ```
//!
//! `Setup` reaches every other piece of a pool's state (domains, resource servers, identity
//! providers, MFA and passkey settings, terms, branding, session settings …) through the same
//! API calls a set-up script would make.
//!
//! A state exported from an emulator (`GET /_emulator/state`, `cognito-emulator export`) is
//! accepted wherever a seed is: see [`SeedFile`].

use std::collections::BTreeMap;

use cognito_protocol::wire::{
    AttributeType, CreateGroupRequest, CreateUserPoolClientRequest, CreateUserPoolRequest,
    UserPoolClientSettings, UserPoolMutableSettings,
};
use serde::{Deserialize, Serialize};

use crate::emulator::Handle;
use crate::error::{CognitoError, Result};
use crate::ops::{create_user_pool, create_user_pool_client};
use crate::state::records::UserStatus;
use crate::triggers::{CustomAuthRules, TriggerKind, TriggerRules};
use crate::{accounts::password, accounts::users};

/// A seed file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Seed {
    /// The pools to create.
    #[serde(alias = "pools", default)]
    pub pools: Vec<SeedPool>,
    /// Request-rate quotas: metering on or off, and category overrides.
    #[serde(alias = "quotas", default)]
    pub quotas: Option<SeedQuotas>,
}

/// Quotas in a seed or scenario: `{"Enabled": true, "UserAuthentication": {"rate": 10}}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SeedQuotas {
    /// Whether metering is on (default true).
    #[serde(rename = "Enabled", alias = "enabled", default = "yes")]
    pub enabled: bool,
    /// Category → quota (`rate` per second, optional `burst`).
    #[serde(flatten)]
    pub categories: BTreeMap<String, crate::pipeline::quota::Quota>,
}

fn yes() -> bool {
    true
}

/// A group to create in a pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedGroup {
    /// The name.
    pub group_name: String,
    /// A description.
    pub description: Option<String>,
    /// An IAM role (`cognito:roles`).
    pub role_arn: Option<String>,
    /// Lower wins for `cognito:preferred_role`.
    pub precedence: Option<i64>,
}

/// A user's second factors.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedMfa {
    /// A verified authenticator secret (base32, as authenticator apps show it); enables
    /// SOFTWARE_TOKEN_MFA. Tests compute codes from it (pyotp, the `totp` module).
    pub totp_secret: Option<String>,
    /// SMS_MFA enabled (the user needs a `phone_number`).
    #[serde(default)]
    pub sms_enabled: bool,
    /// EMAIL_OTP enabled (the user needs an `email`).
    #[serde(default)]
    pub email_enabled: bool,
    /// `SOFTWARE_TOKEN_MFA`, `SMS_MFA` or `EMAIL_OTP`.
    pub preferred: Option<String>,
}

/// What a seed file holds: a hand-written seed, or a state exported from an emulator.
#[derive(Debug, Clone)]
pub enum SeedFile {
    /// Pools, clients, groups and users to create.
    Seed(Seed),
    /// An exported state (`"format_version"` at the top).
    Snapshot(Box<crate::state::durable::records::Snapshot>),
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
    /// Groups.
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// Any further set-up, as API calls made once the pool, its clients, groups and users
    /// exist: `[{"Operation": "CreateUserPoolDomain", "Input": {"Domain": "demo"}}]`. The
    /// pool's id is filled in as `UserPoolId` where the operation takes one and the input has
    /// none, and `$client:{ClientName}` in a string value becomes that client's id. Made only
    /// when the seed creates the pool.
    #[serde(default)]
    pub setup: Vec<SeedCall>,
}

/// One API call of a pool's set-up.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedCall {
    /// The operation (`SetUserPoolMfaConfig`, `CreateTerms` …).
    pub operation: String,
    /// Its input, JSON-shaped.
    #[serde(default)]
    pub input: serde_json::Value,
}

/// Replaces `$client:{name}` string values with the named client's id, everywhere in `value`.
fn with_client_ids(
    value: &mut serde_json::Value,
    clients: &BTreeMap<String, String>,
) -> Result<()> {
    match value {
        serde_json::Value::String(s) => {
            if let Some(name) = s.strip_prefix("$client:") {
                *s = clients.get(name).cloned().ok_or_else(|| {
                    CognitoError::invalid_parameter(format!(
                        "Setup names a client {name} the pool does not have."
                    ))
                })?;
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                with_client_ids(v, clients)?;
            }
        }
        serde_json::Value::Object(map) => {
            for v in map.values_mut() {
                with_client_ids(v, clients)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Makes a pool's set-up calls.
fn run_setup(handle: &Handle, pool_id: &str, calls: &[SeedCall]) -> Result<()> {
    let clients: BTreeMap<String, String> = handle.ctx().store.with(|state| {
        state
            .pool(pool_id)
            .map(|p| {
                p.clients
                    .values()
                    .map(|c| (c.name.clone(), c.id.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    for call in calls {
        let mut input = match &call.input {
            serde_json::Value::Null => serde_json::json!({}),
            other => other.clone(),
        };
        with_client_ids(&mut input, &clients)?;
        let takes_pool = crate::pipeline::validate::input_has_member(
            crate::pipeline::validate::Service::UserPools,
            &call.operation,
            "UserPoolId",
        );
        if let Some(map) = input.as_object_mut() {
            if takes_pool && !map.contains_key("UserPoolId") {
                map.insert("UserPoolId".into(), pool_id.into());
            }
        }
        handle
            .call::<_, serde_json::Value>(&call.operation, &input)
            .map_err(|e| CognitoError {
                kind: e.kind,
                message: format!("Setup {} of pool {pool_id}: {}", call.operation, e.message),
            })?;
    }
    Ok(())
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
    /// Groups to add the user to (created in the pool's `Groups` or already there).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Second factors.
    #[serde(default)]
    pub mfa: Option<SeedMfa>,
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
    /// Whether the pool was created now (false: it was already there).
    pub created: bool,
    /// The users created now (the others were already there).
    pub users_created: Vec<String>,
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
            groups: Vec::new(),
            setup: Vec::new(),
        }],
        quotas: None,
    }
}

/// Parses a seed file (JSON).
pub fn parse(text: &str) -> std::result::Result<Seed, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid seed file: {e}"))
}

/// Parses a seed file or an exported state (JSON).
pub fn parse_file(text: &str) -> std::result::Result<SeedFile, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if value.get("format_version").is_some() {
        let snapshot: crate::state::durable::records::Snapshot =
            serde_json::from_value(value).map_err(|e| format!("invalid exported state: {e}"))?;
        snapshot.check()?;
        return Ok(SeedFile::Snapshot(Box::new(snapshot)));
    }
    // Parsed from the text again so errors carry line and column.
    parse(text).map(SeedFile::Seed)
}

/// Adds an exported state's records to the emulator, keeping the records it already has (so
/// applying it at every start changes nothing after the first).
pub fn apply_snapshot(
    handle: &Handle,
    snapshot: crate::state::durable::records::Snapshot,
) -> Result<()> {
    snapshot.check().map_err(CognitoError::invalid_parameter)?;
    let ctx = handle.ctx();
    ctx.store.with(|state| {
        snapshot.apply(state);
        ctx.keys.load(state);
    });
    Ok(())
}

fn user_status(text: Option<&str>) -> Result<UserStatus> {
    match text.unwrap_or("CONFIRMED") {
        "CONFIRMED" => Ok(UserStatus::Confirmed),
        "UNCONFIRMED" => Ok(UserStatus::Unconfirmed),
        "FORCE_CHANGE_PASSWORD" => Ok(UserStatus::ForceChangePassword),
        other => Err(CognitoError::invalid_parameter(format!(
            "Unknown seed user status {other}."
        ))),
    }
}

fn seed_mfa(mfa: &SeedMfa, user: &mut crate::state::records::User) -> Result<()> {
    if let Some(secret) = &mfa.totp_secret {
        let clean: String = secret
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .collect::<String>()
            .to_uppercase();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(clean.as_bytes())
            .map_err(|e| {
                CognitoError::invalid_parameter(format!("TotpSecret is not base32: {e}"))
            })?;
        user.mfa.totp_secret = Some(bytes);
        user.mfa.totp_enabled = true;
    }
    if mfa.sms_enabled && user.attr("phone_number").is_none() {
        return Err(CognitoError::invalid_parameter(
            "SMS MFA needs a phone_number attribute.",
        ));
    }
    if mfa.email_enabled && user.attr("email").is_none() {
        return Err(CognitoError::invalid_parameter(
            "Email MFA needs an email attribute.",
        ));
    }
    user.mfa.sms_enabled = mfa.sms_enabled;
    user.mfa.email_enabled = mfa.email_enabled;
    if let Some(p) = &mfa.preferred {
        if !user.mfa.enabled().contains(&p.as_str()) {
            return Err(CognitoError::invalid_parameter(format!(
                "Preferred MFA {p} is not enabled for the user."
            )));
        }
        user.mfa.preferred = Some(p.clone());
    }
    Ok(())
}

/// Creates what the seed holds and is not there yet.
pub fn apply(handle: &Handle, seed: &Seed) -> Result<SeedSummary> {
    let ctx = handle.ctx();
    let mut summary = SeedSummary::default();
    for sp in &seed.pools {
        let existing = ctx.store.with(|state| match &sp.id {
            Some(id) => state.pools.contains_key(id).then(|| id.clone()),
            None => state
                .pools
                .values()
                .find(|p| p.name == sp.create.pool_name)
                .map(|p| p.id.clone()),
        });
        let created = existing.is_none();
        let pool_id = match existing {
            Some(id) => id,
            None => {
                let pool = create_user_pool::build(ctx, sp.create.clone(), sp.id.clone())?;
                let pool_id = pool.id.clone();
                create_user_pool::insert(ctx, pool)?;
                pool_id
            }
        };
        if let Some(custom) = &sp.custom_auth {
            custom.install(&ctx.triggers, &pool_id);
        }
        for (kind, rules) in &sp.triggers {
            ctx.triggers.set(&pool_id, *kind, rules.clone().handler());
        }
        let mut seeded = SeededPool {
            pool_id: pool_id.clone(),
            created,
            ..Default::default()
        };
        for sc in &sp.clients {
            let found = ctx.store.with(|state| {
                state.pool(&pool_id).ok().and_then(|p| {
                    p.clients
                        .values()
                        .find(|c| match &sc.client_id {
                            Some(id) => c.id == *id,
                            None => c.name == sc.client_name,
                        })
                        .map(|c| (c.id.clone(), c.secret.clone()))
                })
            });
            if let Some(found) = found {
                seeded.clients.push(found);
                continue;
            }
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
                view.client_secret
                    .map(cognito_protocol::wire::Sensitive::into_inner),
            ));
        }
        for sg in &sp.groups {
            let exists = ctx.store.with(|state| {
                state
                    .pool(&pool_id)
                    .is_ok_and(|p| p.groups.contains_key(&sg.group_name))
            });
            if !exists {
                let _: serde_json::Value = handle.call(
                    "CreateGroup",
                    &CreateGroupRequest {
                        group_name: sg.group_name.clone(),
                        user_pool_id: pool_id.clone(),
                        description: sg.description.clone(),
                        role_arn: sg.role_arn.clone(),
                        precedence: sg.precedence,
                    },
                )?;
            }
        }
        for su in &sp.users {
            let status = user_status(su.status.as_deref())?;
            let attrs: Vec<AttributeType> = su
                .attributes
                .iter()
                .map(|(k, v)| AttributeType::new(k, v))
                .collect();
            let now = ctx.now();
            let (username, created) = ctx.store.with(|state| -> Result<(String, bool)> {
                let pool = state.pool(&pool_id)?;
                if let Some(user) = pool.find_user(&su.username) {
                    return Ok((user.username.clone(), false));
                }
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
                if let Some(mfa) = &su.mfa {
                    seed_mfa(mfa, &mut user)?;
                }
                for g in &su.groups {
                    if !pool.groups.contains_key(g) {
                        return Err(CognitoError::resource_not_found(format!(
                            "Group {g} of seed user {} does not exist.",
                            su.username
                        )));
                    }
                    user.groups.insert(g.clone());
                }
                let username = user.username.clone();
                let pool = state.pool_mut(&pool_id)?;
                pool.insert_user(user);
                Ok((username, true))
            })?;
            if created {
                seeded.users_created.push(username.clone());
            }
            seeded.users.push(username);
        }
        if created {
            run_setup(handle, &pool_id, &sp.setup)?;
        }
        summary.pools.push(seeded);
    }
    if let Some(q) = &seed.quotas {
        for (category, quota) in &q.categories {
            ctx.throttle
                .set_quota(category, *quota)
                .map_err(|e| CognitoError::invalid_parameter(e.to_string()))?;
        }
        ctx.throttle.set_enabled(q.enabled);
    }
    Ok(summary)
}
