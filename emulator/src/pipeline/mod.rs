//! What happens to every API request between the HTTP surface and the operation's handler, as
//! tower layers around the handler's service, outermost first:
//!
//! 1. [`journal::JournalLayer`] records what was answered (and logs it).
//! 2. [`quota::QuotaLayer`] spends a token of the operation's quota category; over quota, the
//!    answer is `TooManyRequestsException` and nothing else runs.
//! 3. [`faults::FaultLayer`] applies the first matching fault rule: what a fault does before the
//!    handler (reset, hang, an injected error) and after it (latency, a corrupted answer) is
//!    all in that module.
//! 4. The handler's service, which `http::api` supplies: it checks the body against the
//!    service model ([`validate`]) and runs the operation.
//!
//! A step talks to the next through a [`Call`] and to the steps before it through the
//! response's extensions ([`FaultApplied`], [`AlreadyJournaled`], [`ResetConnection`]).
//!
//! Below: `state`, `clock`, the protocol crate. Above: `http`.

pub mod faults;
pub mod journal;
pub mod quota;
pub mod record;
pub mod validate;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cognito_protocol::wire;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::time::Instant;
use tower::util::BoxCloneSyncService;
use tower::{Service, ServiceBuilder};

use crate::ctx::Ctx;
use crate::error::CognitoError;
use quota::Category;

/// The facts of a request that fault rules match on and the journal records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestFacts {
    /// The operation.
    pub operation: String,
    /// `AuthFlow` or `ChallengeName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// The pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<String>,
    /// The app client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The username as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// One API request on its way through the pipeline.
pub struct Call {
    /// The emulator it is for.
    pub ctx: Ctx,
    /// `x-amzn-RequestId` of the answer.
    pub request_id: String,
    /// When it arrived, on the emulator clock (Unix milliseconds).
    pub at_ms: i64,
    /// When it arrived, on the monotonic clock (for the latency).
    pub started: Instant,
    /// What fault rules match on and the journal records.
    pub facts: RequestFacts,
    /// The quota category of its operation (`None`: not an operation this emulator knows).
    pub category: Option<Category>,
    /// The operation itself, ready to run (or the error the request already earned).
    pub work: Work,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request_id", &self.request_id)
            .field("facts", &self.facts)
            .finish_non_exhaustive()
    }
}

/// What the handler's service runs: the operation on the request's body.
pub type Work = Box<dyn FnOnce(&Ctx) -> Result<Value, CognitoError> + Send>;

/// A step's answer.
pub type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// A service that can stand inside a pipeline step.
pub trait Step:
    Service<Call, Response = Response, Error = Infallible, Future = Answer> + Clone + Send + 'static
{
}

impl<S> Step for S where
    S: Service<Call, Response = Response, Error = Infallible, Future = Answer>
        + Clone
        + Send
        + 'static
{
}

/// The pipeline around the handler's service.
pub type Pipeline = BoxCloneSyncService<Call, Response, Infallible>;

/// Wraps `handler` in the journal, quota and fault steps.
pub fn build<S: Step + Sync>(handler: S) -> Pipeline {
    BoxCloneSyncService::new(
        ServiceBuilder::new()
            .layer(journal::JournalLayer)
            .layer(quota::QuotaLayer)
            .layer(faults::FaultLayer)
            .service(handler),
    )
}

/// Marks a response whose connection must be reset instead of answered (the listener drops
/// the connection with a TCP reset).
#[derive(Debug, Clone, Copy)]
pub struct ResetConnection;

/// The name of the fault that shaped a response, for the journal.
#[derive(Debug, Clone)]
pub struct FaultApplied(pub String);

/// Marks a response whose journal entry was already written (a hang is recorded when it
/// starts, since the client gives up long before it ends).
#[derive(Debug, Clone, Copy)]
pub struct AlreadyJournaled;

/// A response that resets the connection.
pub fn reset_response() -> Response {
    let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    r.extensions_mut().insert(ResetConnection);
    r
}

/// An API answer in AWS JSON 1.1: the output, or Cognito's error shape with its HTTP status and
/// `x-amzn-ErrorType`; always `x-amzn-RequestId`.
pub fn respond(result: Result<Value, CognitoError>, request_id: &str) -> Response {
    let (status, body, error_type) = match result {
        Ok(v) => (StatusCode::OK, v, None),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.kind.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            let body = serde_json::to_value(e.body()).unwrap_or_else(|_| json!({}));
            (status, body, Some(e.kind.code().to_owned()))
        }
    };
    let mut response = (status, body.to_string()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(wire::CONTENT_TYPE),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    if let Some(t) = error_type.and_then(|t| HeaderValue::from_str(&t).ok()) {
        h.insert("x-amzn-errortype", t);
    }
    response
}
