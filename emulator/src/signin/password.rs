//! USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: the password checked against the stored
//! verifier, with UserMigration for unknown users and the PreAuthentication trigger.

use cognito_protocol::wire::{self, AuthResponse, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{User, UserStatus};
use crate::triggers::{self, Call, TriggerKind};
use crate::{accounts::password, accounts::users};
use serde_json::json;

use super::client::{check_secret_hash, unknown_user};
use super::next_step::after_password;
use super::param;

/// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: checks the password against the verifier.
/// An unknown user is migrated first when the pool has a UserMigration trigger.
pub(crate) fn password_auth(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let pw = param(params, "PASSWORD")?;
    let found = ctx.store.with(|state| -> Result<Option<User>> {
        let (pool, client) = state.client_in(pool_id, client_id)?;
        check_secret_hash(
            client,
            params.get("SECRET_HASH").map(String::as_str),
            &[login],
        )?;
        match pool.find_user(login) {
            Some(u) => Ok(Some(u.clone())),
            None if ctx.triggers.has(pool_id, TriggerKind::UserMigration) => Ok(None),
            None => Err(unknown_user(client)),
        }
    })?;
    let user = match found {
        Some(u) => u,
        None => migrate(ctx, pool_id, client_id, login, pw, metadata)?,
    };
    pre_authentication(ctx, pool_id, client_id, &user, metadata)?;
    let now = ctx.now();
    ctx.store
        .with(|state| state.check_sign_in_lock(pool_id, &user.username, now))?;
    let record = match (&user.password, user.status) {
        (Some(record), _) => record,
        // An imported user has no password until they reset it.
        (None, UserStatus::ResetRequired) => {
            return Err(CognitoError::password_reset_required(
                "Password reset required for the user",
            ))
        }
        (None, _) => return Err(CognitoError::wrong_credentials()),
    };
    if !password::matches(record, pool_id, &user.username, pw) {
        ctx.store
            .with(|state| state.sign_in_failed(pool_id, &user.username, now));
        return Err(CognitoError::wrong_credentials());
    }
    ctx.store
        .with(|state| state.sign_in_succeeded(pool_id, &user.username));
    let device = super::devices::given(params);
    ctx.store.with(|state| {
        super::devices::check_known(state.pool(pool_id)?, &user, device.as_deref())
    })?;
    after_password(
        ctx,
        pool_id,
        client_id,
        &user.username,
        "TokenGeneration_Authentication",
        metadata,
        device,
    )
}

/// UserMigration: asks the trigger for an unknown user and creates them with the password given.
fn migrate(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    login: &str,
    pw: &str,
    metadata: Option<&StringMap>,
) -> Result<User> {
    let response = triggers::invoke(
        ctx,
        TriggerKind::UserMigration,
        Call {
            pool_id,
            client_id: Some(client_id),
            user_name: login,
            source: "UserMigration_Authentication",
            request: json!({"password": pw, "validationData": null, "clientMetadata": metadata}),
        },
    )?
    .unwrap_or_default();
    let attrs: Vec<wire::AttributeType> = response
        .get("userAttributes")
        .and_then(|a| a.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| wire::AttributeType::new(k, v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let status = match response.get("finalUserStatus").and_then(|v| v.as_str()) {
        Some("RESET_REQUIRED") => UserStatus::ResetRequired,
        _ => UserStatus::Confirmed,
    };
    ctx.store.with(|state| {
        let pool = state.pool(pool_id)?;
        let mut user = users::build(ctx, pool, login, &attrs, status)?;
        user.password = Some(password::record(pool_id, &user.username, pw, None));
        let pool = state.pool_mut(pool_id)?;
        pool.insert_user(user.clone());
        Ok(user)
    })
}

/// PreAuthentication: the trigger may refuse the sign-in.
pub(crate) fn pre_authentication(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    metadata: Option<&StringMap>,
) -> Result<()> {
    triggers::invoke(ctx, TriggerKind::PreAuthentication, Call {
        pool_id,
        client_id: Some(client_id),
        user_name: &user.username,
        source: "PreAuthentication_Authentication",
        request: json!({"userAttributes": triggers::attributes_map(&user.attributes), "validationData": null, "userNotFound": false, "clientMetadata": metadata}),
    })
    .map(|_| ())
}
