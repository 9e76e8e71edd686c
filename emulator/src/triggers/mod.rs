//! Lambda triggers, emulated: the events Cognito would send to a pool's Lambda functions are
//! built in Lambda's event shape and handed to a handler registered for the pool, which answers
//! with the event's `response`.
//!
//! Handlers are pluggable: a Rust closure (in-process), declarative rules (seed and scenario
//! files: a fixed `response`, or `fail` with a message), or an HTTP webhook that receives the
//! event JSON and answers with the event (as a Lambda function returns it). Triggers are never
//! called while the store is locked, so a webhook may call back into the emulator. A failing
//! handler surfaces as Cognito's `UserLambdaValidationException` ("PreSignUp failed with error
//! …"); an unreachable webhook or an answer that is not an event as
//! `UnexpectedLambdaException` / `InvalidLambdaResponseException`. Every invocation is recorded.

pub mod registry;

pub use registry::{
    CustomAuthRules, Invocation, TriggerFn, TriggerHandler, TriggerKind, TriggerRules, Triggers,
};

use std::time::Duration;

use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

/// What an invocation is about.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The pool.
    pub pool_id: &'a str,
    /// The app client, when there is one.
    pub client_id: Option<&'a str>,
    /// The user's name as Cognito puts it in `userName`.
    pub user_name: &'a str,
    /// `triggerSource`, e.g. `PreSignUp_SignUp`.
    pub source: &'a str,
    /// The event's `request`.
    pub request: Value,
}

fn lambda_error(kind: TriggerKind, message: &str) -> CognitoError {
    CognitoError {
        kind: ErrorKind::UserLambdaValidation,
        message: format!("{kind:?} failed with error {message}."),
    }
}

fn call_webhook(
    url: &str,
    event: &Value,
) -> std::result::Result<std::result::Result<Value, String>, CognitoError> {
    let failed = |e: &dyn std::fmt::Display| CognitoError {
        kind: ErrorKind::UnexpectedLambda,
        message: format!("The trigger webhook {url} failed: {e}"),
    };
    let (status, body) = crate::http::client::blocking(async {
        let response = crate::http::client::client(Duration::from_secs(10))?
            .post(url)
            .header("content-type", "application/json")
            .body(event.to_string())
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok::<_, reqwest::Error>((status, response.text().await.unwrap_or_default()))
    })
    .map_err(|e| failed(&e))?
    .map_err(|e| failed(&e))?;
    if !(200..300).contains(&status) {
        return Ok(Err(if body.is_empty() {
            format!("HTTP {status}")
        } else {
            body
        }));
    }
    let answered: Value = serde_json::from_str(&body).map_err(|e| CognitoError {
        kind: ErrorKind::InvalidLambdaResponse,
        message: format!("Invalid lambda response: {e}"),
    })?;
    Ok(Ok(answered
        .get("response")
        .cloned()
        .unwrap_or_else(|| json!({}))))
}

/// Invokes a pool's trigger, if it has one; returns the handler's `response`.
pub fn invoke(ctx: &Ctx, kind: TriggerKind, call: Call<'_>) -> Result<Option<Value>> {
    let Some(handler) = ctx.triggers.handler(call.pool_id, kind) else {
        return Ok(None);
    };
    let region = call
        .pool_id
        .split('_')
        .next()
        .unwrap_or(&ctx.config.region)
        .to_owned();
    let event = json!({
        "version": "1",
        "region": region,
        "userPoolId": call.pool_id,
        "userName": call.user_name,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": call.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE"),
        },
        "triggerSource": call.source,
        "request": call.request,
        "response": {},
    });
    let outcome = match &handler {
        TriggerHandler::Closure(f) => f(&event),
        TriggerHandler::Rules(r) => match (&r.fail, &r.response) {
            (Some(message), _) => Err(message.clone()),
            (None, response) => Ok(response.clone().unwrap_or_else(|| json!({}))),
        },
        TriggerHandler::Webhook(url) => call_webhook(url, &event)?,
    };
    tracing::info!(pool = call.pool_id, trigger = ?kind, source = call.source, ok = outcome.is_ok(), "trigger invoked");
    ctx.triggers.record(Invocation {
        kind,
        event,
        outcome: outcome.clone(),
    });
    match outcome {
        Ok(response) if response.is_object() || response.is_null() => Ok(Some(response)),
        Ok(other) => Err(CognitoError {
            kind: ErrorKind::InvalidLambdaResponse,
            message: format!("Invalid lambda response: {other}"),
        }),
        Err(message) => Err(lambda_error(kind, &message)),
    }
}

/// A user's attributes as a trigger request's `userAttributes` map.
pub fn attributes_map(attrs: &[(String, String)]) -> Value {
    Value::Object(
        attrs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// PostConfirmation, after a sign-up or a forgotten password was confirmed.
pub fn post_confirmation(
    ctx: &Ctx,
    pool_id: &str,
    client_id: Option<&str>,
    user: &crate::state::records::User,
    source: &str,
    client_metadata: Option<&cognito_protocol::wire::StringMap>,
) -> Result<()> {
    invoke(ctx, TriggerKind::PostConfirmation, Call {
        pool_id,
        client_id,
        user_name: &user.username,
        source,
        request: json!({"userAttributes": attributes_map(&user.attributes), "clientMetadata": client_metadata}),
    })
    .map(|_| ())
}
