//! CreateUserPool: a pool with its schema, sign-in attributes and policies.

use std::collections::BTreeMap;

use cognito_protocol::wire::{
    AdminCreateUserConfigType, CreateUserPoolRequest, CreateUserPoolResponse, PasswordPolicyType,
    UserPoolMutableSettings, UserPoolPolicyType,
};
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::Pool;
use crate::{accounts::attributes, ids, ops::views};

/// Fills in Cognito's defaults for anything not given and checks the values.
pub(super) fn settled(mut s: UserPoolMutableSettings) -> Result<UserPoolMutableSettings> {
    let given = s.policies.clone().and_then(|p| p.password_policy).unwrap_or_default();
    let min = given.minimum_length.unwrap_or(8);
    if !(6..=99).contains(&min) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value between 6 and 99",
        ));
    }
    let temp_days = given
        .temporary_password_validity_days
        .or_else(|| s.admin_create_user_config.as_ref().and_then(|c| c.unused_account_validity_days))
        .unwrap_or(7);
    if !(0..=365).contains(&temp_days) {
        return Err(CognitoError::invalid_parameter(
            "TemporaryPasswordValidityDays must be between 0 and 365.",
        ));
    }
    let factors = s
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|p| p.allowed_first_auth_factors.clone())
        .unwrap_or_else(|| vec!["PASSWORD".into()]);
    const FACTORS: &[&str] = &["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
    if let Some(bad) = factors.iter().find(|f| !FACTORS.contains(&f.as_str())) {
        return Err(CognitoError::invalid_parameter(format!(
            "{bad} is not a first authentication factor (PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN)."
        )));
    }
    if !factors.iter().any(|f| f == "PASSWORD") {
        return Err(CognitoError::invalid_parameter(
            "AllowedFirstAuthFactors must include PASSWORD.",
        ));
    }
    s.policies = Some(UserPoolPolicyType {
        sign_in_policy: Some(cognito_protocol::wire::SignInPolicyType {
            allowed_first_auth_factors: Some(factors),
        }),
        password_policy: Some(PasswordPolicyType {
            minimum_length: Some(min),
            require_uppercase: Some(given.require_uppercase.unwrap_or(true)),
            require_lowercase: Some(given.require_lowercase.unwrap_or(true)),
            require_numbers: Some(given.require_numbers.unwrap_or(true)),
            require_symbols: Some(given.require_symbols.unwrap_or(true)),
            password_history_size: given.password_history_size,
            temporary_password_validity_days: Some(temp_days),
        }),
    });
    let mfa = s.mfa_configuration.get_or_insert_with(|| "OFF".into());
    if !matches!(mfa.as_str(), "OFF" | "ON" | "OPTIONAL") {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{mfa}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
        )));
    }
    let protection = s.deletion_protection.get_or_insert_with(|| "INACTIVE".into());
    if !matches!(protection.as_str(), "ACTIVE" | "INACTIVE") {
        return Err(CognitoError::invalid_parameter("DeletionProtection must be ACTIVE or INACTIVE."));
    }
    for attr in s.auto_verified_attributes.iter().flatten() {
        if !matches!(attr.as_str(), "email" | "phone_number") {
            return Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '[{attr}]' at 'autoVerifiedAttributes' failed to satisfy constraint: Member must satisfy enum value set: [phone_number, email]"
            )));
        }
    }
    let admin = s.admin_create_user_config.get_or_insert_with(AdminCreateUserConfigType::default);
    admin.allow_admin_create_user_only.get_or_insert(false);
    admin.unused_account_validity_days.get_or_insert(temp_days);
    s.lambda_config.get_or_insert_with(|| json!({}));
    s.email_configuration.get_or_insert_with(|| json!({"EmailSendingAccount": "COGNITO_DEFAULT"}));
    s.sms_configuration.get_or_insert_with(|| json!({}));
    s.verification_message_template.get_or_insert_with(|| json!({"DefaultEmailOption": "CONFIRM_WITH_CODE"}));
    s.user_pool_tags.get_or_insert_with(BTreeMap::new);
    s.user_pool_tier.get_or_insert_with(|| "ESSENTIALS".into());
    Ok(s)
}

fn check_pool_name(name: &str) -> Result<()> {
    let ok_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c);
    if name.is_empty() || name.chars().count() > 128 || !name.chars().all(ok_char) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        ));
    }
    Ok(())
}

/// Builds a pool from the request (used by the handler and by seeds, which may fix the id).
pub(crate) fn build(ctx: &Ctx, req: CreateUserPoolRequest, id: Option<String>) -> Result<Pool> {
    check_pool_name(&req.pool_name)?;
    if let Some(tags) = &req.settings.user_pool_tags {
        super::tag_resource::check_tags(tags)?;
    }
    let alias = req.alias_attributes.clone().unwrap_or_default();
    let username_attrs = req.username_attributes.clone().unwrap_or_default();
    if !alias.is_empty() && !username_attrs.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
        ));
    }
    if let Some(bad) = alias.iter().find(|a| !matches!(a.as_str(), "email" | "phone_number" | "preferred_username")) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '[{bad}]' at 'aliasAttributes' failed to satisfy constraint: Member must satisfy enum value set: [phone_number, email, preferred_username]"
        )));
    }
    if let Some(bad) = username_attrs.iter().find(|a| !matches!(a.as_str(), "email" | "phone_number")) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '[{bad}]' at 'usernameAttributes' failed to satisfy constraint: Member must satisfy enum value set: [phone_number, email]"
        )));
    }
    let schema = attributes::build_schema(req.schema.as_deref().unwrap_or_default())?;
    let settings = settled(req.settings)?;
    let id = match id {
        Some(id) => {
            let valid = id.split_once('_').is_some_and(|(r, s)| !r.is_empty() && !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()));
            if !valid {
                return Err(CognitoError::invalid_parameter(format!("Invalid user pool id {id}.")));
            }
            id
        }
        None => ids::pool_id(&ctx.region()),
    };
    let region = id.split('_').next().unwrap_or(&ctx.config.region).to_owned();
    let now = ctx.clock.now_epoch_f64();
    Ok(Pool {
        arn: format!("arn:aws:cognito-idp:{region}:{}:userpool/{id}", ctx.config.account_id),
        id,
        name: req.pool_name,
        created: now,
        modified: now,
        alias_attributes: alias,
        username_attributes: username_attrs,
        case_sensitive: req.username_configuration.and_then(|c| c.case_sensitive).unwrap_or(true),
        schema,
        settings,
        clients: BTreeMap::new(),
        users: Default::default(),
        subs: Default::default(),
        aliases: Default::default(),
        groups: BTreeMap::new(),
        domain: None,
        domain_settings: None,
        resource_servers: BTreeMap::new(),
        identity_providers: BTreeMap::new(),
        mfa_factors: None,
        stored: Default::default(),
        provider_links: BTreeMap::new(),
        signing_keys: None,
    })
}

/// Adds a built pool, refusing a duplicate id.
pub(crate) fn insert(ctx: &Ctx, pool: Pool) -> Result<()> {
    ctx.store.with(|state| {
        if state.pools.contains_key(&pool.id) {
            return Err(CognitoError::invalid_parameter(format!("User pool {} already exists.", pool.id)));
        }
        state.pools.insert(pool.id.clone(), pool);
        Ok(())
    })
}

pub fn handle(ctx: &Ctx, req: CreateUserPoolRequest) -> Result<CreateUserPoolResponse> {
    let pool = build(ctx, req, None)?;
    let view = views::pool(&pool);
    insert(ctx, pool)?;
    Ok(CreateUserPoolResponse { user_pool: Some(view) })
}
