//! SetUserPoolMfaConfig: the pool's MfaConfiguration and which factors users may use.
//!
//! The factor settings are replaced as a whole: a factor the request leaves out is turned off
//! (SMS and email by their absence, the software token by `Enabled: false`), and the passkey
//! settings are kept as given. MfaConfiguration, when given, is the pool's (the same value
//! UpdateUserPool sets); `ON` or `OPTIONAL` needs at least one factor. Until this is first
//! called every factor is available. What the emulator does with the factors: sign-in asks
//! only for factors the pool allows, and MFA_SETUP offers the software token only when it is
//! enabled. SMS
//! configuration (the SNS role) and the email MFA message are stored and returned; no SMS or
//! email leaves the machine, the codes go to the outbox as always.

use cognito_protocol::wire::UserPoolMfaConfig;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

const MODES: &[&str] = &["OFF", "ON", "OPTIONAL"];

pub fn handle(ctx: &Ctx, req: UserPoolMfaConfig) -> Result<UserPoolMfaConfig> {
    let pool_id = req.user_pool_id.clone().unwrap_or_default();
    super::non_empty(&pool_id, "userPoolId")?;
    if let Some(mode) = req.mfa_configuration.as_deref().filter(|m| !MODES.contains(m)) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{mode}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
        )));
    }
    if let Some(message) = req.sms_mfa_configuration.as_ref().and_then(|s| s.sms_authentication_message.as_deref()) {
        check_message(message, 140, "smsMfaConfiguration.smsAuthenticationMessage")?;
    }
    if let Some(message) = req.email_mfa_configuration.as_ref().and_then(|e| e.message.as_deref()) {
        check_message(message, 20_000, "emailMfaConfiguration.message")?;
    }
    if let Some(w) = &req.web_authn_configuration {
        let ok = w.user_verification.as_deref().is_none_or(|v| ["required", "preferred"].contains(&v))
            && w.factor_configuration.as_deref().is_none_or(|f| ["SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION"].contains(&f))
            && w.relying_party_id.as_deref().is_none_or(|r| (1..=127).contains(&r.len()));
        if !ok {
            return Err(CognitoError::invalid_parameter("Invalid WebAuthnConfiguration."));
        }
    }
    let totp = req.software_token_mfa_configuration.as_ref().and_then(|c| c.enabled).unwrap_or(false);
    let any_factor = totp || req.sms_mfa_configuration.is_some() || req.email_mfa_configuration.is_some();
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&pool_id)?;
        let mode = req
            .mfa_configuration
            .clone()
            .or_else(|| pool.settings.mfa_configuration.clone())
            .unwrap_or_else(|| "OFF".into());
        if mode != "OFF" && !any_factor {
            return Err(CognitoError::invalid_parameter(
                "Invalid MFA configuration given, can't turn on MFA and disable all MFA methods.",
            ));
        }
        let factors = UserPoolMfaConfig {
            user_pool_id: None,
            sms_mfa_configuration: req.sms_mfa_configuration,
            software_token_mfa_configuration: Some(cognito_protocol::wire::SoftwareTokenMfaConfigType { enabled: Some(totp) }),
            email_mfa_configuration: req.email_mfa_configuration,
            mfa_configuration: Some(mode.clone()),
            web_authn_configuration: req.web_authn_configuration.or_else(|| pool.mfa_factors.as_ref().and_then(|f| f.web_authn_configuration.clone())),
        };
        pool.settings.mfa_configuration = Some(mode);
        if let Some(message) = factors.sms_mfa_configuration.as_ref().and_then(|s| s.sms_authentication_message.clone()) {
            pool.settings.sms_authentication_message = Some(message);
        }
        pool.mfa_factors = Some(factors.clone());
        pool.modified = now;
        Ok(factors)
    })
}

/// A message of `min 6, max` characters with the `{####}` placeholder for the code.
fn check_message(message: &str, max: usize, member: &str) -> Result<()> {
    let n = message.chars().count();
    if !(6..=max).contains(&n) || !message.contains("{####}") {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length between 6 and {max} and contain {{####}}"
        )));
    }
    Ok(())
}
