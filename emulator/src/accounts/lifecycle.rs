//! Account lifecycle rules shared by the app and Admin* operations: attribute updates (with
//! verification of changed emails and phone numbers), attribute deletion, and the state of a
//! user's password reset.

use cognito_protocol::wire::{AttributeType, CodeDeliveryDetailsType};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::outbox::MessageKind;
use crate::state::records::{Pool, User};
use crate::{accounts::attributes, accounts::users};

/// Who is changing the attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The signed-in user (UpdateUserAttributes): `*_verified` cannot be set; a changed email or
    /// phone number must be verified again, and codes are sent.
    User,
    /// An administrator: values are set as given, `*_verified` included; no codes are sent.
    Admin,
}

fn requires_verification_before_update(pool: &Pool, attr: &str) -> bool {
    pool.settings
        .user_attribute_update_settings
        .as_ref()
        .and_then(|s| s.get("AttributesRequireVerificationBeforeUpdate"))
        .and_then(|v| v.as_array())
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(attr)))
}

/// Applies attribute updates to `user`; returns where verification codes went.
pub fn update(
    ctx: &Ctx,
    pool: &Pool,
    user: &mut User,
    attrs: &[AttributeType],
    actor: Actor,
) -> Result<(Vec<CodeDeliveryDetailsType>, Vec<users::Outgoing>)> {
    attributes::validate(pool, attrs)?;
    let auto = pool
        .settings
        .auto_verified_attributes
        .clone()
        .unwrap_or_default();
    let mut deliveries = Vec::new();
    let mut outgoing = Vec::new();
    for a in attrs {
        let name = a.name.as_str();
        let value = a.value.clone().unwrap_or_default();
        let def = pool.schema.iter().find(|s| s.name.as_deref() == Some(name));
        if def.is_some_and(|d| d.mutable == Some(false)) {
            return Err(CognitoError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: Attribute cannot be updated. (changing an immutable attribute)"
            )));
        }
        if actor == Actor::User && name.ends_with("_verified") {
            return Err(CognitoError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: Only an administrator can set this attribute"
            )));
        }
        let Some(medium) = users::medium_of(name) else {
            user.set_attr(name, &value);
            continue;
        };
        if user.attr(name) == Some(value.as_str()) {
            continue;
        }
        let verified_flag = format!("{name}_verified");
        if actor == Actor::Admin {
            user.set_attr(name, &value);
            if !attrs.iter().any(|x| x.name == verified_flag) {
                user.set_attr(&verified_flag, "false");
            }
            continue;
        }
        let keep_old = requires_verification_before_update(pool, name) && user.is_verified(name);
        if keep_old {
            user.pending_attributes
                .insert(name.to_owned(), value.clone());
        } else {
            user.set_attr(name, &value);
            user.set_attr(&verified_flag, "false");
        }
        if auto.iter().any(|x| x == name) {
            let (issued, details, out) = users::send_code(
                ctx,
                pool,
                user,
                medium,
                name,
                &value,
                MessageKind::AttributeVerification,
            );
            outgoing.push(out);
            user.attribute_codes.insert(name.to_owned(), issued);
            deliveries.push(details);
        }
    }
    user.modified = ctx.clock.now_epoch_f64();
    Ok((deliveries, outgoing))
}

/// Deletes attributes; `sub` and required attributes cannot go.
pub fn delete(ctx: &Ctx, pool: &Pool, user: &mut User, names: &[String]) -> Result<()> {
    for name in names {
        let def = pool
            .schema
            .iter()
            .find(|s| s.name.as_deref() == Some(name.as_str()));
        let Some(def) = def else {
            return Err(CognitoError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema."
            )));
        };
        if name == "sub" || def.required == Some(true) {
            return Err(CognitoError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: The attribute is required"
            )));
        }
    }
    for name in names {
        user.attributes
            .retain(|(n, _)| n != name && *n != format!("{name}_verified"));
        user.pending_attributes.remove(name);
        user.attribute_codes.remove(name);
    }
    user.modified = ctx.clock.now_epoch_f64();
    Ok(())
}

/// Where a password-reset code goes: the verified email, else the verified phone number.
pub fn reset_target(user: &User) -> Option<(&'static str, &'static str, String)> {
    if let Some(e) = user.attr("email").filter(|_| user.is_verified("email")) {
        return Some(("EMAIL", "email", e.to_owned()));
    }
    user.attr("phone_number")
        .filter(|_| user.is_verified("phone_number"))
        .map(|p| ("SMS", "phone_number", p.to_owned()))
}

/// Applies MFA settings: a factor can be enabled only once it is usable (a verified software
/// token; a phone number for SMS); a preferred factor must be enabled.
pub fn set_mfa_preference(
    user: &mut User,
    settings: MfaPreference,
    pool_allows_passkey_mfa: bool,
) -> Result<()> {
    let MfaPreference {
        sms,
        totp,
        email,
        passkey,
    } = settings;
    // Validate on a copy so that a refused request changes nothing.
    let mut mfa = user.mfa.clone();
    if let Some(on) = passkey.and_then(|p| p.enabled) {
        if on && !pool_allows_passkey_mfa {
            return Err(CognitoError::invalid_parameter(
                "Passkey MFA is not enabled in the user pool (WebAuthnConfiguration's FactorConfiguration is not MULTI_FACTOR_WITH_USER_VERIFICATION).",
            ));
        }
        mfa.webauthn_enabled = on;
    }
    if let Some(t) = totp {
        if t.enabled == Some(true) && mfa.totp_secret.is_none() {
            return Err(CognitoError::invalid_parameter(
                "User has not verified software token mfa",
            ));
        }
        if let Some(on) = t.enabled {
            mfa.totp_enabled = on;
        }
    }
    if let Some(m) = sms {
        if m.enabled == Some(true) && user.attr("phone_number").is_none() {
            return Err(CognitoError::invalid_parameter(
                "User does not have a phone number for SMS MFA.",
            ));
        }
        if let Some(on) = m.enabled {
            mfa.sms_enabled = on;
        }
    }
    if let Some(e) = email {
        if e.enabled == Some(true) && user.attr("email").is_none() {
            return Err(CognitoError::invalid_parameter(
                "User does not have an email address for email MFA.",
            ));
        }
        if let Some(on) = e.enabled {
            mfa.email_enabled = on;
        }
    }
    for (settings, name) in [
        (totp, "SOFTWARE_TOKEN_MFA"),
        (sms, "SMS_MFA"),
        (email, "EMAIL_OTP"),
    ] {
        if settings.and_then(|s| s.preferred_mfa) == Some(true) {
            if !mfa.enabled().contains(&name) {
                return Err(CognitoError::invalid_parameter(format!(
                    "{name} must be enabled to be preferred."
                )));
            }
            mfa.preferred = Some(name.to_owned());
        }
    }
    if mfa
        .preferred
        .as_deref()
        .is_some_and(|p| !mfa.enabled().contains(&p))
    {
        mfa.preferred = None;
    }
    // Passkey MFA must not lock the user out: another factor stays enabled beside it.
    if mfa.webauthn_enabled && mfa.enabled().is_empty() {
        return Err(CognitoError::invalid_parameter(
            "Passkey MFA needs another MFA method (SMS, software token or email) enabled for the user.",
        ));
    }
    user.mfa = mfa;
    Ok(())
}

/// SetUserMFAPreference's and AdminSetUserMFAPreference's settings.
pub struct MfaPreference {
    /// `SMSMfaSettings`.
    pub sms: Option<cognito_protocol::wire::MfaSettingsType>,
    /// `SoftwareTokenMfaSettings`.
    pub totp: Option<cognito_protocol::wire::MfaSettingsType>,
    /// `EmailMfaSettings`.
    pub email: Option<cognito_protocol::wire::MfaSettingsType>,
    /// `WebAuthnMfaSettings`.
    pub passkey: Option<cognito_protocol::wire::WebAuthnMfaSettingsType>,
}

/// Applies legacy MFA options (SetUserSettings): one SMS option on `phone_number` enables SMS
/// MFA, an empty list disables it. Only SMS can be set this way, as in Cognito.
pub fn set_mfa_options(
    user: &mut User,
    options: &[cognito_protocol::wire::MfaOptionType],
) -> Result<()> {
    for option in options {
        if option.delivery_medium.as_deref() != Some("SMS") {
            return Err(CognitoError::invalid_parameter(
                "Only SMS can be used as the delivery medium of MFA options.",
            ));
        }
        if option.attribute_name.as_deref() != Some("phone_number") {
            return Err(CognitoError::invalid_parameter(
                "The attribute name of an MFA option must be phone_number.",
            ));
        }
    }
    let on = !options.is_empty();
    if on && user.attr("phone_number").is_none() {
        return Err(CognitoError::invalid_parameter(
            "User does not have a phone number for SMS MFA.",
        ));
    }
    user.mfa.sms_enabled = on;
    if !on && user.mfa.preferred.as_deref() == Some("SMS_MFA") {
        user.mfa.preferred = None;
    }
    Ok(())
}

/// The legacy `MFAOptions` view of a user: the SMS option while SMS MFA is enabled.
pub fn mfa_options(user: &User) -> Option<Vec<cognito_protocol::wire::MfaOptionType>> {
    user.mfa.sms_enabled.then(|| {
        vec![cognito_protocol::wire::MfaOptionType {
            delivery_medium: Some("SMS".into()),
            attribute_name: Some("phone_number".into()),
        }]
    })
}
