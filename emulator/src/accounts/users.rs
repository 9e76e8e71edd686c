//! Creating users (shared by SignUp and AdminCreateUser) and delivering their codes.
//!
//! In pools whose username attributes are email or phone, the name a user signs up with is
//! stored as that attribute and the canonical username is the `sub`; in alias pools, a
//! username may not look like an alias; elsewhere it is used as given.

use cognito_protocol::wire::{AttributeType, CodeDeliveryDetailsType};

use crate::accounts::attributes::{self, looks_like_email, looks_like_phone};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::outbox::{Message, MessageKind};
use crate::state::records::{IssuedCode, Pool, User, UserStatus};

/// Sign-up confirmation codes stay valid for 24 hours.
pub const CODE_VALIDITY_SECS: i64 = 24 * 3600;

fn check_username_shape(username: &str) -> Result<()> {
    let len = username.chars().count();
    if len == 0 || len > 128 || username.chars().any(char::is_whitespace) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(())
}

/// Builds a new user from a requested name and attributes, or refuses it with the error
/// Cognito uses (bad shape, taken username or username attribute).
pub fn build(
    ctx: &Ctx,
    pool: &Pool,
    requested: &str,
    attrs: &[AttributeType],
    status: UserStatus,
) -> Result<User> {
    check_username_shape(requested)?;
    attributes::validate(pool, attrs)?;
    let sub = ids::uuid();
    let mut values: Vec<(String, String)> = vec![("sub".into(), sub.clone())];
    for a in attrs {
        let v = a.value.clone().unwrap_or_default();
        match values.iter_mut().find(|(n, _)| *n == a.name) {
            Some(slot) => slot.1 = v,
            None => values.push((a.name.clone(), v)),
        }
    }

    let username = if pool.username_attributes.is_empty() {
        for alias in &pool.alias_attributes {
            let bad = match alias.as_str() {
                "email" => looks_like_email(requested),
                "phone_number" => looks_like_phone(requested),
                _ => false,
            };
            if bad {
                let what = if alias == "email" {
                    "email"
                } else {
                    "phone number"
                };
                return Err(CognitoError::invalid_parameter(format!(
                    "Username cannot be of {what} format, since user pool is configured for {what} alias."
                )));
            }
        }
        requested.to_owned()
    } else {
        let as_email =
            pool.username_attributes.iter().any(|a| a == "email") && looks_like_email(requested);
        let as_phone = pool.username_attributes.iter().any(|a| a == "phone_number")
            && looks_like_phone(requested);
        let attr = if as_email {
            "email"
        } else if as_phone {
            "phone_number"
        } else {
            let what = match pool.username_attributes.as_slice() {
                [one] if one == "email" => "Username should be an email.",
                [one] if one == "phone_number" => "Username should be a phone number.",
                _ => "Username should be either an email or a phone number.",
            };
            return Err(CognitoError::invalid_parameter(what));
        };
        let taken = pool.holders_of(attr, requested).next().is_some();
        if taken {
            let what = if attr == "email" {
                "email"
            } else {
                "phone_number"
            };
            return Err(CognitoError::username_exists(format!(
                "An account with the given {what} already exists."
            )));
        }
        match values.iter_mut().find(|(n, _)| n == attr) {
            Some(slot) => slot.1 = requested.to_owned(),
            None => values.push((attr.to_owned(), requested.to_owned())),
        }
        sub.clone()
    };

    if pool.find_user(&username).is_some() || pool.users.contains_key(&pool.user_key(&username)) {
        return Err(CognitoError::username_exists("User already exists"));
    }
    if let Some(pref) = values
        .iter()
        .find(|(n, _)| n == "preferred_username")
        .map(|(_, v)| v.clone())
    {
        if pool
            .alias_attributes
            .iter()
            .any(|a| a == "preferred_username")
            && pool.find_user(&pref).is_some()
        {
            return Err(CognitoError::alias_exists(
                "An account with the given preferred_username already exists.",
            ));
        }
    }
    let now = ctx.clock.now_epoch_f64();
    Ok(User::new(username, sub, values, status, now))
}

/// Where a user's verification code goes: email when auto-verified (and present), else SMS.
pub fn verification_target(
    pool: &Pool,
    user: &User,
) -> Option<(&'static str, &'static str, String)> {
    let auto = pool
        .settings
        .auto_verified_attributes
        .clone()
        .unwrap_or_default();
    let email = user
        .attr("email")
        .filter(|_| auto.iter().any(|a| a == "email"));
    let phone = user
        .attr("phone_number")
        .filter(|_| auto.iter().any(|a| a == "phone_number"));
    if let Some(e) = email {
        Some(("EMAIL", "email", e.to_owned()))
    } else {
        phone.map(|p| ("SMS", "phone_number", p.to_owned()))
    }
}

/// A message ready to go once the store is unlocked: [`deliver`] runs the CustomMessage
/// trigger and puts it in the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The message, with the pool's default text.
    pub message: Message,
    /// CustomMessage's `triggerSource`.
    pub source: &'static str,
    /// The user's attributes, for the trigger.
    pub attributes: Vec<(String, String)>,
}

fn template(pool: &Pool, kind: MessageKind, medium: &str) -> (Option<String>, String) {
    let text = |v: &Option<serde_json::Value>, key: &str| {
        v.as_ref()
            .and_then(|t| t.get(key))
            .and_then(|m| m.as_str())
            .map(str::to_owned)
    };
    let s = &pool.settings;
    if kind == MessageKind::TemporaryPassword {
        let invite = s
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.invite_message_template.clone());
        let body = if medium == "EMAIL" {
            text(&invite, "EmailMessage")
        } else {
            text(&invite, "SMSMessage")
        };
        let subject = (medium == "EMAIL").then(|| {
            text(&invite, "EmailSubject").unwrap_or_else(|| "Your temporary password".into())
        });
        return (
            subject,
            body.unwrap_or_else(|| {
                "Your username is {username} and temporary password is {####}.".into()
            }),
        );
    }
    if kind == MessageKind::MfaCode {
        let body = s
            .sms_authentication_message
            .clone()
            .unwrap_or_else(|| "Your authentication code is {####}.".into());
        return (
            (medium == "EMAIL").then(|| "Your authentication code".into()),
            body,
        );
    }
    let tpl = &s.verification_message_template;
    let body = if medium == "EMAIL" {
        text(tpl, "EmailMessage").or_else(|| s.email_verification_message.clone())
    } else {
        text(tpl, "SmsMessage").or_else(|| s.sms_verification_message.clone())
    };
    let subject = (medium == "EMAIL").then(|| {
        text(tpl, "EmailSubject")
            .or_else(|| s.email_verification_subject.clone())
            .unwrap_or_else(|| "Your verification code".into())
    });
    (
        subject,
        body.unwrap_or_else(|| "Your verification code is {####}.".into()),
    )
}

fn fill(text: &str, code: &str, username: &str) -> String {
    text.replace("{####}", code).replace("{username}", username)
}

/// Issues a code and prepares its message (delivered later by [`deliver`]); returns it with
/// the masked delivery details.
pub fn send_code(
    ctx: &Ctx,
    pool: &Pool,
    user: &User,
    medium: &str,
    attr: &str,
    destination: &str,
    kind: MessageKind,
) -> (IssuedCode, CodeDeliveryDetailsType, Outgoing) {
    let code = ids::code();
    let outgoing = message(ctx, pool, user, medium, destination, kind, &code);
    let issued = IssuedCode {
        code,
        expires_at: ctx.now() + CODE_VALIDITY_SECS,
    };
    let details = CodeDeliveryDetailsType {
        destination: Some(attributes::mask(medium, destination)),
        delivery_medium: Some(medium.into()),
        attribute_name: Some(attr.into()),
    };
    (issued, details, outgoing)
}

/// Sends the code of an SMS_MFA / SMS_OTP (to `phone_number`) or EMAIL_OTP (to `email`)
/// challenge: the code, where it went (with the medium), and the message to deliver.
pub fn send_mfa_code(
    ctx: &Ctx,
    pool: &Pool,
    user: &User,
    kind: &str,
) -> (IssuedCode, CodeDeliveryDetailsType, Outgoing) {
    let (medium, attribute) = if kind == "EMAIL_OTP" {
        ("EMAIL", "email")
    } else {
        ("SMS", "phone_number")
    };
    let address = user.attr(attribute).unwrap_or_default().to_owned();
    send_code(
        ctx,
        pool,
        user,
        medium,
        attribute,
        &address,
        MessageKind::MfaCode,
    )
}

/// A message with the pool's default text for a code (or temporary password).
pub fn message(
    ctx: &Ctx,
    pool: &Pool,
    user: &User,
    medium: &str,
    destination: &str,
    kind: MessageKind,
    code: &str,
) -> Outgoing {
    let (subject, body) = template(pool, kind, medium);
    let source = match kind {
        MessageKind::SignUpCode => "CustomMessage_SignUp",
        MessageKind::TemporaryPassword => "CustomMessage_AdminCreateUser",
        MessageKind::AttributeVerification => "CustomMessage_UpdateUserAttribute",
        MessageKind::ForgotPassword => "CustomMessage_ForgotPassword",
        MessageKind::MfaCode => "CustomMessage_Authentication",
    };
    Outgoing {
        message: Message {
            pool_id: pool.id.clone(),
            username: user.username.clone(),
            delivery_medium: medium.into(),
            destination: destination.to_owned(),
            kind,
            subject,
            body,
            code: code.to_owned(),
            sent_at: ctx.now(),
        },
        source,
        attributes: user.attributes.clone(),
    }
}

/// Runs the CustomMessage trigger (outside the store lock) and delivers the messages to the
/// outbox.
pub fn deliver(
    ctx: &Ctx,
    client_id: Option<&str>,
    outgoing: Vec<Outgoing>,
    client_metadata: Option<&cognito_protocol::wire::StringMap>,
) -> Result<()> {
    for mut out in outgoing {
        let m = &mut out.message;
        let response = crate::triggers::invoke(
            ctx,
            crate::triggers::TriggerKind::CustomMessage,
            crate::triggers::Call {
                pool_id: &m.pool_id.clone(),
                client_id,
                user_name: &m.username.clone(),
                source: out.source,
                request: serde_json::json!({
                    "userAttributes": crate::triggers::attributes_map(&out.attributes),
                    "codeParameter": "{####}",
                    "linkParameter": "{##Click Here##}",
                    "usernameParameter": if m.kind == MessageKind::TemporaryPassword { serde_json::json!("{username}") } else { serde_json::Value::Null },
                    "clientMetadata": client_metadata,
                }),
            },
        )?;
        if let Some(r) = response {
            let key = if m.delivery_medium == "EMAIL" {
                "emailMessage"
            } else {
                "smsMessage"
            };
            if let Some(text) = r.get(key).and_then(|v| v.as_str()) {
                if !text.contains("{####}") {
                    return Err(CognitoError {
                        kind: cognito_protocol::wire::ErrorKind::InvalidLambdaResponse,
                        message: format!(
                            "CustomMessage's {key} must contain the code parameter {{####}}."
                        ),
                    });
                }
                m.body = text.to_owned();
            }
            if let Some(subject) = r
                .get("emailSubject")
                .and_then(|v| v.as_str())
                .filter(|_| m.delivery_medium == "EMAIL")
            {
                m.subject = Some(subject.to_owned());
            }
        }
        m.body = fill(&m.body, &m.code, &m.username);
        ctx.outbox.deliver(out.message);
    }
    Ok(())
}

/// The delivery medium of an attribute that can receive codes.
pub fn medium_of(attr: &str) -> Option<&'static str> {
    match attr {
        "email" => Some("EMAIL"),
        "phone_number" => Some("SMS"),
        _ => None,
    }
}

/// Issues a new sign-up code to the user's verification target; returns the masked delivery
/// details and the message to deliver (`None` when the pool verifies nothing).
pub fn send_signup_code(
    ctx: &Ctx,
    pool: &Pool,
    user: &mut User,
) -> Option<(CodeDeliveryDetailsType, Outgoing)> {
    let (medium, attr, destination) = verification_target(pool, user)?;
    let (issued, details, outgoing) = send_code(
        ctx,
        pool,
        user,
        medium,
        attr,
        &destination,
        MessageKind::SignUpCode,
    );
    user.confirmation_code = Some(issued);
    Some((details, outgoing))
}

/// Checks a submitted code against an issued one (constant time), with Cognito's errors.
pub fn check_code(issued: Option<&IssuedCode>, given: &str, now: i64) -> Result<()> {
    use subtle::ConstantTimeEq as _;
    let mismatch =
        || CognitoError::code_mismatch("Invalid verification code provided, please try again.");
    let issued = issued.ok_or_else(mismatch)?;
    if !bool::from(issued.code.as_bytes().ct_eq(given.as_bytes())) {
        return Err(mismatch());
    }
    if issued.expires_at <= now {
        return Err(CognitoError::expired_code(
            "Invalid code provided, please request a code again.",
        ));
    }
    Ok(())
}

/// Adds `count` confirmed filler users named `{prefix}{n}` (n from 0, seven digits) with a
/// verified `{name}@example.com`, for scale tests. They have no password, so they can be
/// listed and looked up but never sign in. Names already taken are skipped. Returns how many
/// were added.
pub fn add_fillers(ctx: &Ctx, pool: &mut Pool, prefix: &str, count: usize) -> usize {
    let now = ctx.clock.now_epoch_f64();
    let mut added = 0;
    for n in 0..count {
        let username = format!("{prefix}{n:07}");
        if pool.users.contains_key(&pool.user_key(&username)) {
            continue;
        }
        let sub = ids::uuid();
        let attributes = vec![
            ("sub".to_owned(), sub.clone()),
            ("email".to_owned(), format!("{username}@example.com")),
            ("email_verified".to_owned(), "true".to_owned()),
        ];
        pool.insert_user(User::new(
            username,
            sub,
            attributes,
            UserStatus::Confirmed,
            now,
        ));
        added += 1;
    }
    added
}
