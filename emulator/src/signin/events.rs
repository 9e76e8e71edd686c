//! Sign-in history, as Cognito's threat protection keeps it (AdminListUserAuthEvents): in a
//! pool whose `UserPoolAddOns.AdvancedSecurityMode` is AUDIT or ENFORCED, each sign-in attempt,
//! sign-up, password reset request, password change and code resend of a known user is an
//! event with an id, a type, a time and a response (`Pass`, `Fail`, or `InProgress` while a
//! challenge is open), and, for sign-ins, the password and MFA steps with their outcome. A
//! sign-in is one event across its InitiateAuth and RespondToAuthChallenge calls. No risk is
//! evaluated: every event is `NoRisk`. A user keeps their latest [`KEPT`] events.
//!
//! What an event needs is read from the request before the handler runs ([`Probe`]) and the
//! event is written from its answer ([`record`]), for every API call, in-process ones too.
//! Feedback tokens, which Cognito puts in its risk notification emails, are an HMAC of the event
//! under the emulator's key: `GET /_emulator/auth-events` shows them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::state::records::{Pool, State};

/// Events kept per user.
pub const KEPT: usize = 100;

/// What an API call says about the event it may make, read before the handler runs.
#[derive(Debug)]
pub struct Probe {
    operation: &'static str,
    pool_id: Option<String>,
    client_id: Option<String>,
    login: Option<String>,
    access_token: Option<String>,
    flow: Option<String>,
    challenge: Option<String>,
    preferred: Option<String>,
}

const SIGN_IN: &[&str] = &[
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
];
const OTHERS: &[&str] = &[
    "SignUp",
    "ForgotPassword",
    "AdminResetUserPassword",
    "ConfirmForgotPassword",
    "ChangePassword",
    "ResendConfirmationCode",
];

impl Probe {
    /// Reads a request of `operation`; `None` for operations that make no event.
    pub fn of(operation: &'static str, body: &Value) -> Option<Probe> {
        if !SIGN_IN.contains(&operation) && !OTHERS.contains(&operation) {
            return None;
        }
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let flow = text(body.get("AuthFlow"));
        if flow
            .as_deref()
            .is_some_and(|f| f.starts_with("REFRESH_TOKEN"))
        {
            return None;
        }
        let login = text(body.get("Username"))
            .or_else(|| text(body.pointer("/AuthParameters/USERNAME")))
            .or_else(|| text(body.pointer("/ChallengeResponses/USERNAME")));
        Some(Probe {
            operation,
            pool_id: text(body.get("UserPoolId")),
            client_id: text(body.get("ClientId")),
            login,
            access_token: text(body.get("AccessToken")),
            flow,
            challenge: text(body.get("ChallengeName")),
            preferred: text(body.pointer("/AuthParameters/PREFERRED_CHALLENGE")),
        })
    }
}

/// Whether the pool's threat protection records events.
pub fn enabled(pool: &Pool) -> bool {
    pool.settings
        .user_pool_add_ons
        .as_ref()
        .and_then(|a| a.get("AdvancedSecurityMode"))
        .and_then(Value::as_str)
        .is_some_and(|m| m == "AUDIT" || m == "ENFORCED")
}

/// The history key of a user.
pub fn key(pool_id: &str, sub: &str) -> String {
    format!("{pool_id}/{sub}")
}

/// The feedback token of an event (what Cognito's notification email carries).
pub fn feedback_token(ctx: &Ctx, pool_id: &str, sub: &str, event_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&ctx.block_key[..])
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("auth-event-feedback\0{pool_id}\0{sub}\0{event_id}").as_bytes());
    B64URL.encode(mac.finalize().into_bytes())
}

/// The step a sign-in call took, if it was a password or MFA step.
fn step(probe: &Probe) -> Option<&'static str> {
    let name = match probe.operation {
        "InitiateAuth" | "AdminInitiateAuth" => match probe.flow.as_deref() {
            Some("USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH") => {
                "PASSWORD"
            }
            // Only a preferred PASSWORD is checked at once; the other choices open a challenge.
            Some("USER_AUTH") if probe.preferred.as_deref() == Some("PASSWORD") => "PASSWORD",
            _ => return None,
        },
        _ => probe.challenge.as_deref()?,
    };
    match name {
        "PASSWORD" | "PASSWORD_SRP" | "PASSWORD_VERIFIER" => Some("Password"),
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SMS_OTP" => Some("Mfa"),
        _ => None,
    }
}

/// Whether an error says the user failed (rather than the request being malformed).
fn failed(e: &CognitoError) -> bool {
    use cognito_protocol::wire::ErrorKind::*;
    matches!(
        e.kind,
        NotAuthorized | CodeMismatch | ExpiredCode | PasswordResetRequired | UserNotConfirmed
    )
}

/// Writes the event an answered call makes.
pub fn record(ctx: &Ctx, probe: Probe, outcome: &Result<Value, CognitoError>) {
    if let Err(e) = outcome {
        if !failed(e) {
            return;
        }
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let Some((pool_id, sub)) = whose(ctx, state, &probe) else {
            return;
        };
        let response = match outcome {
            Ok(v) if v.get("ChallengeName").is_some() && v.get("AuthenticationResult").is_none() => {
                "InProgress"
            }
            Ok(_) => "Pass",
            Err(_) => "Fail",
        };
        let event_type = match probe.operation {
            "SignUp" => "SignUp",
            "ForgotPassword" | "AdminResetUserPassword" => "ForgotPassword",
            "ConfirmForgotPassword" | "ChangePassword" => "PasswordChange",
            "ResendConfirmationCode" => "ResendCode",
            _ => "SignIn",
        };
        let challenge = step(&probe).map(|name| {
            json!({
                "ChallengeName": name,
                "ChallengeResponse": if outcome.is_ok() { "Success" } else { "Failure" },
            })
        });
        let history_key = key(&pool_id, &sub);
        let mut events = state.auth_events.get(&history_key).cloned().unwrap_or_default();
        let continues = probe.operation.contains("RespondToAuthChallenge");
        let open = events
            .iter_mut()
            .rev()
            .find(|e| e["EventType"] == "SignIn" && e["EventResponse"] == "InProgress")
            .filter(|_| continues);
        match open {
            Some(event) => {
                event["EventResponse"] = json!(response);
                if let Some(c) = challenge {
                    if let Some(list) = event["ChallengeResponses"].as_array_mut() {
                        list.push(c);
                    }
                }
            }
            None => {
                events.push(json!({
                    "EventId": crate::ids::uuid(),
                    "EventType": event_type,
                    "CreationDate": now,
                    "EventResponse": response,
                    "EventRisk": {"RiskDecision": "NoRisk", "CompromisedCredentialsDetected": false},
                    "ChallengeResponses": challenge.into_iter().collect::<Vec<_>>(),
                }));
                if events.len() > KEPT {
                    events.drain(..events.len() - KEPT);
                }
            }
        }
        state.auth_events.insert(history_key, events);
    });
}

/// The pool and `sub` of the user a call is about, when the pool records events (checked
/// before the user is looked up: most pools do not, and every sign-in comes through here).
fn whose(ctx: &Ctx, state: &State, probe: &Probe) -> Option<(String, String)> {
    let recording = |pool_id: &str| state.pools.get(pool_id).filter(|p| enabled(p));
    if let Some(token) = &probe.access_token {
        let verified = crate::tokens::verify_access_token(ctx, token).ok()?;
        let (pool_id, username) = verified.authorize(state).ok()?;
        let sub = recording(&pool_id)?.user(&username).ok()?.sub.clone();
        return Some((pool_id, sub));
    }
    let pool_id = match (&probe.pool_id, &probe.client_id) {
        (Some(p), _) => p.clone(),
        (None, Some(c)) => state.pool_of_client(c).ok()?,
        _ => return None,
    };
    let user = recording(&pool_id)?.find_user(probe.login.as_deref()?)?;
    Some((pool_id, user.sub.clone()))
}
