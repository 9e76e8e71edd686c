//! CreateUserPoolClient: an app client with its auth flows, token validities and secret.

use cognito_protocol::wire::{
    CreateUserPoolClientRequest, TokenValidityUnitsType, UserPoolClientResponse,
    UserPoolClientSettings,
};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::AppClient;
use crate::tokens::unit_seconds;
use crate::{ids, ops::views};

const FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
];

fn validity(name: &str, value: i64, unit: &str, min_secs: i64, max_secs: i64) -> Result<()> {
    let secs = unit_seconds(unit).ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{unit}' at 'tokenValidityUnits.{name}' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]"
        ))
    })?;
    let total = value.saturating_mul(secs);
    if total < min_secs || total > max_secs {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid range for token validity: {name} must be between {min_secs} and {max_secs} seconds, got {value} {unit}."
        )));
    }
    Ok(())
}

/// Fills in Cognito's defaults for anything not given and checks the values.
pub(super) fn settled(mut s: UserPoolClientSettings) -> Result<UserPoolClientSettings> {
    for flow in s.explicit_auth_flows.iter().flatten() {
        if !FLOWS.contains(&flow.as_str()) {
            return Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '[{flow}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                FLOWS.join(", ")
            )));
        }
    }
    if s.explicit_auth_flows.as_ref().is_none_or(Vec::is_empty) {
        s.explicit_auth_flows = Some(vec![
            "ALLOW_REFRESH_TOKEN_AUTH".into(),
            "ALLOW_USER_SRP_AUTH".into(),
            "ALLOW_CUSTOM_AUTH".into(),
        ]);
    }
    let given = s.token_validity_units.clone().unwrap_or_default();
    let units = TokenValidityUnitsType {
        access_token: Some(given.access_token.unwrap_or_else(|| if s.access_token_validity.is_some() { "hours" } else { "minutes" }.into())),
        id_token: Some(given.id_token.unwrap_or_else(|| if s.id_token_validity.is_some() { "hours" } else { "minutes" }.into())),
        refresh_token: Some(given.refresh_token.unwrap_or_else(|| "days".into())),
    };
    let access = *s.access_token_validity.get_or_insert(60);
    let id = *s.id_token_validity.get_or_insert(60);
    let refresh = *s.refresh_token_validity.get_or_insert(30);
    validity("accessToken", access, units.access_token.as_deref().unwrap_or("hours"), 300, 86_400)?;
    validity("idToken", id, units.id_token.as_deref().unwrap_or("hours"), 300, 86_400)?;
    validity("refreshToken", refresh, units.refresh_token.as_deref().unwrap_or("days"), 3600, 315_360_000)?;
    s.token_validity_units = Some(units);
    let prevent = s.prevent_user_existence_errors.get_or_insert_with(|| "LEGACY".into());
    if !matches!(prevent.as_str(), "ENABLED" | "LEGACY") {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{prevent}' at 'preventUserExistenceErrors' failed to satisfy constraint: Member must satisfy enum value set: [LEGACY, ENABLED]"
        )));
    }
    if let Some(rotation) = &s.refresh_token_rotation {
        if !matches!(rotation.feature.as_str(), "ENABLED" | "DISABLED") {
            return Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '{}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
                rotation.feature
            )));
        }
        if let Some(grace) = rotation.retry_grace_period_seconds.filter(|g| !(0..=60).contains(g)) {
            return Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '{grace}' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value between 0 and 60"
            )));
        }
    }
    s.enable_token_revocation.get_or_insert(true);
    s.enable_propagate_additional_user_context_data.get_or_insert(false);
    s.allowed_oauth_flows_user_pool_client.get_or_insert(false);
    let session = *s.auth_session_validity.get_or_insert(3);
    if !(3..=15).contains(&session) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'authSessionValidity' failed to satisfy constraint: Member must have value between 3 and 15",
        ));
    }
    Ok(s)
}

/// Adds an app client to a pool (used by the handler and by seeds, which may fix id and
/// secret).
pub(crate) fn add(ctx: &Ctx, req: CreateUserPoolClientRequest, id: Option<String>, secret: Option<String>) -> Result<cognito_protocol::wire::UserPoolClientType> {
    super::non_empty(&req.client_name, "clientName")?;
    let settings = settled(req.settings)?;
    let now = ctx.clock.now_epoch_f64();
    let client = AppClient {
        id: id.unwrap_or_else(ids::client_id),
        name: req.client_name,
        secret: secret.or_else(|| req.generate_secret.unwrap_or(false).then(ids::client_secret)),
        created: now,
        modified: now,
        settings,
        more_secrets: Vec::new(),
    };
    ctx.store.with(|state| {
        if state.pool_of_client(&client.id).is_ok() {
            return Err(CognitoError::invalid_parameter(format!("User pool client {} already exists.", client.id)));
        }
        let pool = state.pool_mut(&req.user_pool_id)?;
        let view = views::client(&pool.id, &client);
        let (client_id, pool_id) = (client.id.clone(), pool.id.clone());
        pool.clients.insert(client.id.clone(), client);
        state.client_pools.insert(client_id, pool_id);
        Ok(view)
    })
}

pub fn handle(ctx: &Ctx, req: CreateUserPoolClientRequest) -> Result<UserPoolClientResponse> {
    let view = add(ctx, req, None, None)?;
    Ok(UserPoolClientResponse { user_pool_client: Some(view) })
}
