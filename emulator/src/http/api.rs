//! `POST /`: the API entry point. It reads the target and the body, finds the operation in the
//! service's table, and sends the request through the pipeline (journal, quota, faults) to the
//! handler's service defined here, which runs the operation and encodes its answer.

use std::convert::Infallible;
use std::panic::{catch_unwind, AssertUnwindSafe};

use axum::body::{to_bytes, Body};
use axum::http::HeaderMap;
use axum::response::Response;
use cognito_protocol::wire;
use serde_json::Value;
use tokio::time::Instant;
use tower::ServiceExt as _;

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::ops::Operation;
use crate::pipeline::{self, respond, validate, Answer, Call, Pipeline, RequestFacts, Work};
use crate::{http::request, http::sigv4_check, ids, ops};

/// The pipeline around the handler's service; built once per router.
pub fn pipeline() -> Pipeline {
    pipeline::build(tower::service_fn(|call: Call| -> Answer {
        Box::pin(async move { Ok::<_, Infallible>(handle(call)) })
    }))
}

/// The innermost step: runs the operation and encodes its answer.
fn handle(call: Call) -> Response {
    let result = run_handler(&call.ctx, &call.facts.operation, call.work);
    respond(result, &call.request_id)
}

/// Every operation of both services: user pools, then identity pools.
pub fn all_operations() -> impl Iterator<Item = &'static Operation> {
    ops::TABLE.iter().chain(crate::identity::ops::TABLE)
}

/// An operation of either service by name (user pools first, for the names both share).
pub fn by_name(name: &str) -> Option<(&'static Operation, validate::Service)> {
    ops::TABLE
        .iter()
        .find(|o| o.name == name)
        .map(|o| (o, validate::Service::UserPools))
        .or_else(|| {
            crate::identity::ops::TABLE
                .iter()
                .find(|o| o.name == name)
                .map(|o| (o, validate::Service::IdentityPools))
        })
}

/// Runs an operation on a parsed body: the model's validation, then its handler.
pub fn invoke(
    ctx: &Ctx,
    op: &Operation,
    service: validate::Service,
    body: Value,
) -> Result<Value, CognitoError> {
    validate::check(service, op.name, &body)?;
    let probe = (service == validate::Service::UserPools)
        .then(|| crate::signin::events::Probe::of(op.name, &body))
        .flatten();
    let outcome = (op.handler)(ctx, body);
    if let Some(probe) = probe {
        crate::signin::events::record(ctx, probe, &outcome);
    }
    outcome
}

/// The operation an `X-Amz-Target` names: user pools (`AWSCognitoIdentityProviderService.X`) or
/// identity pools (`AWSCognitoIdentityService.X`).
pub fn by_target(target: &str) -> Option<&'static Operation> {
    let (table, name) = match target.split_once('.') {
        Some((wire::TARGET_PREFIX, op)) => (ops::TABLE, op),
        Some((wire::IDENTITY_TARGET_PREFIX, op)) => (crate::identity::ops::TABLE, op),
        _ => return None,
    };
    table.iter().find(|o| o.name == name)
}

/// Answers one API request.
pub async fn api(
    ctx: Ctx,
    pipeline: Pipeline,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let at_ms = ctx.clock.now_millis();
    let request_id = ids::uuid();
    let operation = operation_of(&headers);
    let bytes = to_bytes(body, ctx.config.max_body_bytes).await;
    let parsed = match &bytes {
        Ok(b) => request::json_object(b),
        Err(_) => Err(CognitoError::invalid_parameter(format!(
            "The request body is larger than {} bytes.",
            ctx.config.max_body_bytes
        ))),
    };
    let op_name = operation.as_ref().map_or("?", |(name, _)| name.as_str());
    let facts = facts_of(&ctx, op_name, parsed.as_ref().ok());
    let signature = match (&operation, &bytes) {
        (Ok((_, Some(op))), Ok(body)) => sigv4_check::require(
            &ctx,
            op.needs_credentials,
            signing_name(&headers),
            sigv4_check::Signed {
                method: "POST",
                path_and_query: uri.path_and_query().map_or("/", |p| p.as_str()),
                headers: &headers,
                body,
            },
        ),
        _ => Ok(()),
    };
    let region = signed_region(&headers);
    let service = match signing_name(&headers) {
        "cognito-identity" => validate::Service::IdentityPools,
        _ => validate::Service::UserPools,
    };
    let (category, work): (_, Work) = match (operation, signature) {
        (Err(e), _) => (None, Box::new(move |_: &Ctx| Err(e))),
        // Refused at AWS's front door: not metered by Cognito's quotas.
        (Ok(_), Err(e)) => (None, Box::new(move |_: &Ctx| Err(e))),
        (Ok((name, None)), _) => (
            None,
            Box::new(move |_: &Ctx| {
                Err(CognitoError::unknown_operation(format!(
                    "Unknown operation {name}."
                )))
            }),
        ),
        (Ok((_, Some(op))), Ok(())) => (
            Some(op.category),
            Box::new(move |ctx: &Ctx| {
                crate::ctx::in_region(region, || {
                    parsed.and_then(|body| invoke(ctx, op, service, body))
                })
            }),
        ),
    };
    let call = Call {
        ctx,
        request_id,
        at_ms,
        started,
        facts,
        category,
        work,
    };
    match pipeline.oneshot(call).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The region of a SigV4 `Authorization` header's credential scope
/// (`Credential=AKID/date/region/service/aws4_request`), when it names a plausible one.
fn signed_region(headers: &HeaderMap) -> Option<String> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    let credential = auth.split("Credential=").nth(1)?;
    let scope = credential.split([',', ' ']).next()?;
    let region = scope.split('/').nth(2)?;
    let plausible = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    plausible.then(|| region.to_owned())
}

/// The SigV4 signing name of the service a target belongs to.
fn signing_name(headers: &HeaderMap) -> &'static str {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if target.starts_with(wire::IDENTITY_TARGET_PREFIX) {
        "cognito-identity"
    } else {
        "cognito-idp"
    }
}

/// The operation an `X-Amz-Target` names: its name and, when the emulator implements it, its
/// table entry; or the error for a missing or malformed target or an unknown service.
fn operation_of(headers: &HeaderMap) -> Result<(String, Option<&'static Operation>), CognitoError> {
    let target = headers
        .get("x-amz-target")
        .ok_or_else(|| CognitoError::unknown_operation("Missing X-Amz-Target header."))?
        .to_str()
        .map_err(|_| CognitoError::unknown_operation("X-Amz-Target is not valid text."))?;
    let (service, operation) = target
        .split_once('.')
        .ok_or_else(|| CognitoError::unknown_operation(format!("Unknown target {target}.")))?;
    if service != wire::TARGET_PREFIX && service != wire::IDENTITY_TARGET_PREFIX {
        return Err(CognitoError::unknown_operation(format!(
            "Unknown service {service}; this endpoint serves {} and {}.",
            wire::TARGET_PREFIX,
            wire::IDENTITY_TARGET_PREFIX
        )));
    }
    Ok((operation.to_owned(), by_target(target)))
}

/// The facts fault rules match on, read from the target and body.
fn facts_of(ctx: &Ctx, operation: &str, body: Option<&Value>) -> RequestFacts {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let get = |k: &str| body.and_then(|b| b.get(k));
    let username = text(get("Username"))
        .or_else(|| text(get("AuthParameters").and_then(|p| p.get("USERNAME"))))
        .or_else(|| text(get("ChallengeResponses").and_then(|p| p.get("USERNAME"))));
    let client_id = text(get("ClientId"));
    let pool_id = text(get("UserPoolId")).or_else(|| {
        client_id
            .as_deref()
            .and_then(|c| ctx.store.with(|s| s.pool_of_client(c).ok()))
    });
    RequestFacts {
        operation: operation.to_owned(),
        flow: text(get("AuthFlow")).or_else(|| text(get("ChallengeName"))),
        pool_id,
        client_id,
        username,
    }
}

/// Runs the operation; a handler that panics is answered with `InternalErrorException` (HTTP
/// 500) and logged, and the server keeps serving.
fn run_handler(ctx: &Ctx, op: &str, work: Work) -> Result<Value, CognitoError> {
    let run = || {
        catch_unwind(AssertUnwindSafe(|| work(ctx))).unwrap_or_else(|_| {
            tracing::error!(operation = %op, "handler panicked");
            Err(CognitoError::internal("An internal error occurred."))
        })
    };
    // A trigger handler (a webhook above all) may block for seconds. On a multi-threaded
    // runtime the worker hands its other work (the I/O driver, signals, other connections) to
    // another thread while it waits; without triggers there is nothing to wait for.
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_thread && ctx.triggers.any() {
        tokio::task::block_in_place(run)
    } else {
        run()
    }
}

#[cfg(test)]
mod tests {
    use super::{all_operations, by_target};
    use crate::identity::ops::TABLE as IDENTITY;
    use crate::ops::TABLE;

    /// The README's "Operations" section, up to the next heading.
    fn readme_operations() -> &'static str {
        let readme = include_str!("../../../README.md");
        let start = readme.find("### Operations").unwrap_or(readme.len());
        let rest = &readme[start..];
        let end = rest[4..].find("\n#").map_or(rest.len(), |i| i + 4);
        &rest[..end]
    }

    #[test]
    fn every_operation_is_in_the_readme_once_per_table() {
        let section = readme_operations();
        let words: std::collections::HashSet<&str> = section
            .split(|c: char| !c.is_ascii_alphanumeric())
            .collect();
        let missing: Vec<&str> = all_operations()
            .map(|o| o.name)
            .filter(|n| !words.contains(n))
            .collect();
        assert!(
            missing.is_empty(),
            "README's Operations section lacks {missing:?}"
        );
        for table in [TABLE, IDENTITY] {
            let mut names: Vec<&str> = table.iter().map(|o| o.name).collect();
            names.sort_unstable();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len(), "an operation is listed twice");
        }
    }

    #[test]
    fn targets_find_their_service_table() {
        let find = |t: &str| by_target(t).map(|o| o.name);
        assert_eq!(
            find("AWSCognitoIdentityProviderService.InitiateAuth"),
            Some("InitiateAuth")
        );
        assert_eq!(find("AWSCognitoIdentityService.GetId"), Some("GetId"));
        assert_eq!(find("AWSCognitoIdentityService.InitiateAuth"), None);
        assert_eq!(find("AWSCognitoIdentityProviderService.GetId"), None);
        assert_eq!(find("Nope.InitiateAuth"), None);
    }
}
