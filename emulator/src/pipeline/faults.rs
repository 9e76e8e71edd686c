//! Network-fault injection: rules that match requests and make the answer misbehave the way
//! real networks and services do.
//!
//! A rule matches on operation, auth flow or challenge, pool, client, username, the emulator
//! clock's time window, which matching request it is (skip the first n, fire at most m times)
//! and a probability drawn from its own seeded generator, so runs repeat exactly. The first rule
//! that matches a request applies its [`Fault`]; every rule counts how often it fired. Rules are
//! set through [`crate::Handle::faults`], `POST /_emulator/faults` and scenario files.
//!
//! [`FaultLayer`] is this step of the request pipeline, and holds every fault's meaning: the
//! faults that show instead of processing (a reset, a hang, an injected error or gateway page)
//! and those that show after it (latency, a reset after the work was done, a corrupted answer).

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cognito_protocol::wire::ErrorKind;
use tower::{Layer, Service};

use super::journal::JournalEntry;
pub use super::RequestFacts;
use super::{reset_response, respond, AlreadyJournaled, Answer, Call, FaultApplied, Step};
use crate::error::CognitoError;

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use serde::{Deserialize, Serialize};

/// What a fault does to the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer nothing until the client gives up (at most `max_ms`, default 10 minutes), then
    /// drop the connection.
    Hang {
        /// Upper bound on the hang, in milliseconds.
        #[serde(default)]
        max_ms: Option<u64>,
    },
    /// Reset the connection without processing the request.
    ResetBefore,
    /// Process the request (its effects happen), then reset the connection instead of answering:
    /// "the server did it but the client never heard".
    ResetAfter,
    /// HTTP 500 with `InternalErrorException`, without processing.
    InternalError,
    /// A load balancer's plain (HTML) error page, without processing.
    Gateway {
        /// 502, 503 or 504 (default 503).
        #[serde(default)]
        status: Option<u16>,
    },
    /// Process, then send the headers and half of the body, and drop the connection.
    TruncatedBody,
    /// Process, then answer 200 with a body that is not JSON.
    NonJsonBody,
    /// Process, then answer with the right body under `Content-Type: text/html`.
    WrongContentType,
    /// A chosen Cognito exception, without processing.
    Exception {
        /// The exception, e.g. `TooManyRequestsException`.
        code: String,
        /// Its message.
        #[serde(default)]
        message: Option<String>,
        /// The HTTP status (default 400).
        #[serde(default)]
        status: Option<u16>,
    },
}

impl Fault {
    /// A short name for journals and reports.
    pub fn name(&self) -> String {
        match self {
            Self::Latency { ms } => format!("latency {ms}ms"),
            Self::Hang { .. } => "hang".into(),
            Self::ResetBefore => "reset_before".into(),
            Self::ResetAfter => "reset_after".into(),
            Self::InternalError => "internal_error".into(),
            Self::Gateway { status } => format!("gateway {}", status.unwrap_or(503)),
            Self::TruncatedBody => "truncated_body".into(),
            Self::NonJsonBody => "non_json_body".into(),
            Self::WrongContentType => "wrong_content_type".into(),
            Self::Exception { code, .. } => format!("exception {code}"),
        }
    }

    /// Whether the request is processed (its effects happen) before the fault shows.
    pub fn processes_request(&self) -> bool {
        matches!(
            self,
            Self::Latency { .. }
                | Self::ResetAfter
                | Self::TruncatedBody
                | Self::NonJsonBody
                | Self::WrongContentType
        )
    }
}

/// A rule for the refresh flow (`REFRESH_TOKEN_AUTH` or `REFRESH_TOKEN`) matches every refresh:
/// InitiateAuth's and AdminInitiateAuth's, and GetTokensFromRefreshToken, which Amplify v6 uses.
fn is_refresh(flow: Option<&str>, facts: &RequestFacts) -> bool {
    const REFRESH: [&str; 2] = ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"];
    flow.is_some_and(|f| REFRESH.contains(&f))
        && (facts.operation == "GetTokensFromRefreshToken"
            || facts.flow.as_deref().is_some_and(|f| REFRESH.contains(&f)))
}

/// Which requests a rule applies to; every given condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Match {
    /// The operation (`InitiateAuth` …).
    #[serde(default)]
    pub operation: Option<String>,
    /// The `AuthFlow` or `ChallengeName` (`REFRESH_TOKEN_AUTH` …).
    #[serde(default)]
    pub flow: Option<String>,
    /// The pool.
    #[serde(default)]
    pub pool_id: Option<String>,
    /// The app client.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The username as sent.
    #[serde(default)]
    pub username: Option<String>,
    /// Let this many matching requests through first.
    #[serde(default)]
    pub skip: u64,
    /// Fire at most this many times.
    #[serde(default)]
    pub times: Option<u64>,
    /// Fire with this probability (drawn from a generator seeded with `seed`).
    #[serde(default)]
    pub probability: Option<f64>,
    /// The seed for `probability` (default 0).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Only from this emulator time on (Unix seconds).
    #[serde(default)]
    pub from: Option<i64>,
    /// Only before this emulator time (Unix seconds).
    #[serde(default)]
    pub until: Option<i64>,
}

/// A rule as given: what to match and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// Which requests.
    #[serde(rename = "match", default)]
    pub when: Match,
    /// What happens to them.
    pub fault: Fault,
}

#[derive(Debug)]
struct Rule {
    id: u64,
    spec: FaultSpec,
    seen: u64,
    fired: u64,
    rng: StdRng,
}

/// A rule's state, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleStatus {
    /// The rule's id.
    pub id: u64,
    /// The rule.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Matching requests seen.
    pub seen: u64,
    /// Times the fault was applied.
    pub fired: u64,
}

/// The fault rules of one emulator.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    next_id: AtomicU64,
}

/// Why a rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FaultError(String);

impl Faults {
    fn with<R>(&self, f: impl FnOnce(&mut Vec<Rule>) -> R) -> R {
        f(&mut self.rules.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Adds a rule; returns its id.
    pub fn add(&self, spec: FaultSpec) -> Result<u64, FaultError> {
        if let Some(p) = spec.when.probability {
            if !(0.0..=1.0).contains(&p) {
                return Err(FaultError(format!(
                    "probability {p} is not between 0 and 1"
                )));
            }
        }
        if let Fault::Gateway { status: Some(s) } = spec.fault {
            if !(500..=599).contains(&s) {
                return Err(FaultError(format!("gateway status {s} is not a 5xx")));
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let rng = StdRng::seed_from_u64(spec.when.seed.unwrap_or(0));
        self.with(|rules| {
            rules.push(Rule {
                id,
                spec,
                seen: 0,
                fired: 0,
                rng,
            })
        });
        Ok(id)
    }

    /// Removes one rule; `false` when there was none with that id.
    pub fn remove(&self, id: u64) -> bool {
        self.with(|rules| {
            let before = rules.len();
            rules.retain(|r| r.id != id);
            rules.len() != before
        })
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.with(Vec::clear);
    }

    /// Every rule with its counters.
    pub fn list(&self) -> Vec<RuleStatus> {
        self.with(|rules| {
            rules
                .iter()
                .map(|r| RuleStatus {
                    id: r.id,
                    spec: r.spec.clone(),
                    seen: r.seen,
                    fired: r.fired,
                })
                .collect()
        })
    }

    /// How often a rule fired.
    pub fn fired(&self, id: u64) -> Option<u64> {
        self.with(|rules| rules.iter().find(|r| r.id == id).map(|r| r.fired))
    }

    /// The fault to apply to a request (the first rule that matches and fires), if any.
    pub fn pick(&self, facts: &RequestFacts, now_secs: i64) -> Option<Fault> {
        self.with(|rules| {
            for rule in rules.iter_mut() {
                let m = &rule.spec.when;
                let eq = |want: &Option<String>, have: &Option<String>| {
                    want.as_ref().is_none_or(|w| have.as_ref() == Some(w))
                };
                let matches = m.operation.as_ref().is_none_or(|o| *o == facts.operation)
                    && (eq(&m.flow, &facts.flow) || is_refresh(m.flow.as_deref(), facts))
                    && eq(&m.pool_id, &facts.pool_id)
                    && eq(&m.client_id, &facts.client_id)
                    && eq(&m.username, &facts.username)
                    && m.from.is_none_or(|f| now_secs >= f)
                    && m.until.is_none_or(|u| now_secs < u);
                if !matches {
                    continue;
                }
                rule.seen += 1;
                if rule.seen <= m.skip || m.times.is_some_and(|t| rule.fired >= t) {
                    continue;
                }
                if let Some(p) = m.probability {
                    if rule.rng.gen::<f64>() >= p {
                        continue;
                    }
                }
                rule.fired += 1;
                return Some(rule.spec.fault.clone());
            }
            None
        })
    }
}

/// The fault step of the pipeline: picks the first rule that matches the request and applies
/// its fault around the rest of the pipeline.
#[derive(Debug, Clone, Copy, Default)]
pub struct FaultLayer;

impl<S> Layer<S> for FaultLayer {
    type Service = Faulty<S>;

    fn layer(&self, inner: S) -> Faulty<S> {
        Faulty(inner)
    }
}

/// What [`FaultLayer`] makes of the service it wraps.
#[derive(Debug, Clone)]
pub struct Faulty<S>(S);

impl<S: Step> Service<Call> for Faulty<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, call: Call) -> Answer {
        let Some(fault) = call.ctx.faults.pick(&call.facts, call.ctx.clock.now_secs()) else {
            return self.0.call(call);
        };
        let name = fault.name();
        let marked = |mut response: Response, name: String| {
            response.extensions_mut().insert(FaultApplied(name));
            Ok(response)
        };
        let request_id = call.request_id.clone();
        match fault {
            Fault::ResetBefore => Box::pin(async move { marked(reset_response(), name) }),
            Fault::Hang { max_ms } => {
                // Journal it now: the client will have given up long before the hang ends.
                call.ctx.journal.record(JournalEntry {
                    seq: 0,
                    at_ms: call.at_ms,
                    request: call.facts.clone(),
                    status: 0,
                    error: None,
                    latency_ms: 0,
                    fault: Some(name),
                });
                Box::pin(async move {
                    tokio::time::sleep(Duration::from_millis(max_ms.unwrap_or(600_000))).await;
                    let mut response = reset_response();
                    response.extensions_mut().insert(AlreadyJournaled);
                    Ok(response)
                })
            }
            Fault::InternalError => {
                let error = CognitoError::internal("An internal error occurred (injected).");
                Box::pin(async move { marked(respond(Err(error), &request_id), name) })
            }
            Fault::Gateway { status } => {
                Box::pin(async move { marked(gateway_page(status.unwrap_or(503)), name) })
            }
            Fault::Exception {
                code,
                message,
                status,
            } => {
                let kind = ErrorKind::from_code(&code);
                let message = message.unwrap_or_else(|| format!("{code} (injected)"));
                let mut response = respond(Err(CognitoError { kind, message }), &request_id);
                if let Some(s) = status.and_then(|s| StatusCode::from_u16(s).ok()) {
                    *response.status_mut() = s;
                }
                Box::pin(async move { marked(response, name) })
            }
            processed => {
                let answer = self.0.call(call);
                Box::pin(async move {
                    if let Fault::Latency { ms } = processed {
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                    }
                    let response = answer.await?;
                    marked(corrupt(&processed, response).await, name)
                })
            }
        }
    }
}

/// Rewrites a processed answer according to a fault that shows after processing.
async fn corrupt(fault: &Fault, response: Response) -> Response {
    match fault {
        Fault::ResetAfter => reset_response(),
        Fault::WrongContentType => {
            let mut r = response;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        Fault::NonJsonBody => {
            let (mut parts, _) = response.into_parts();
            parts.status = StatusCode::OK;
            Response::from_parts(
                parts,
                Body::from("Service response was not JSON: upstream returned plain text"),
            )
        }
        Fault::TruncatedBody => {
            let (mut parts, body) = response.into_parts();
            let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let half = full.slice(..full.len() / 2);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            // Yield once after the first half so hyper flushes the headers and that half before
            // the error aborts the connection.
            let rest = futures::stream::once(async {
                tokio::task::yield_now().await;
                Err::<bytes::Bytes, _>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "injected truncation",
                ))
            });
            let chunks = futures::StreamExt::chain(
                futures::stream::iter([Ok::<_, std::io::Error>(half)]),
                rest,
            );
            Response::from_parts(parts, Body::from_stream(chunks))
        }
        _ => response,
    }
}

/// A load balancer's plain HTML error page.
fn gateway_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!("<html>\r\n<head><title>{} {reason}</title></head>\r\n<body>\r\n<center><h1>{} {reason}</h1></center>\r\n</body>\r\n</html>\r\n", status.as_u16(), status.as_u16());
    let mut r = (status, html).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(op: &str, flow: Option<&str>) -> RequestFacts {
        RequestFacts {
            operation: op.into(),
            flow: flow.map(Into::into),
            ..Default::default()
        }
    }

    fn spec(when: Match) -> FaultSpec {
        FaultSpec {
            when,
            fault: Fault::ResetBefore,
        }
    }

    #[test]
    fn skip_and_times_select_the_nth_requests() {
        let f = Faults::default();
        let id = f
            .add(spec(Match {
                operation: Some("InitiateAuth".into()),
                skip: 1,
                times: Some(2),
                ..Default::default()
            }))
            .unwrap();
        let hits: Vec<bool> = (0..5)
            .map(|_| f.pick(&facts("InitiateAuth", None), 0).is_some())
            .collect();
        assert_eq!(hits, [false, true, true, false, false]);
        assert_eq!(f.fired(id), Some(2));
        assert!(f.pick(&facts("SignUp", None), 0).is_none());
    }

    #[test]
    fn flow_and_time_window() {
        let f = Faults::default();
        f.add(spec(Match {
            flow: Some("REFRESH_TOKEN_AUTH".into()),
            from: Some(100),
            until: Some(200),
            ..Default::default()
        }))
        .unwrap();
        assert!(f
            .pick(&facts("InitiateAuth", Some("USER_SRP_AUTH")), 150)
            .is_none());
        assert!(f
            .pick(&facts("InitiateAuth", Some("REFRESH_TOKEN_AUTH")), 99)
            .is_none());
        assert!(f
            .pick(&facts("InitiateAuth", Some("REFRESH_TOKEN_AUTH")), 150)
            .is_some());
        assert!(f
            .pick(&facts("InitiateAuth", Some("REFRESH_TOKEN_AUTH")), 200)
            .is_none());
    }

    #[test]
    fn seeded_probability_repeats_exactly() {
        let run = || {
            let f = Faults::default();
            f.add(spec(Match {
                probability: Some(0.3),
                seed: Some(42),
                ..Default::default()
            }))
            .unwrap();
            (0..200)
                .map(|_| f.pick(&facts("GetUser", None), 0).is_some())
                .collect::<Vec<_>>()
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        let fired = a.iter().filter(|x| **x).count();
        assert!((30..90).contains(&fired), "{fired}");
    }

    #[test]
    fn rules_are_validated_listed_and_removed() {
        let f = Faults::default();
        assert!(f
            .add(spec(Match {
                probability: Some(1.5),
                ..Default::default()
            }))
            .is_err());
        assert!(f
            .add(FaultSpec {
                when: Match::default(),
                fault: Fault::Gateway { status: Some(404) }
            })
            .is_err());
        let id = f.add(spec(Match::default())).unwrap();
        assert_eq!(f.list().len(), 1);
        assert!(f.remove(id));
        assert!(!f.remove(id));
        let parsed: FaultSpec = serde_json::from_str(r#"{"match": {"operation": "InitiateAuth", "times": 1}, "fault": {"kind": "gateway", "status": 502}}"#).unwrap();
        assert_eq!(parsed.fault, Fault::Gateway { status: Some(502) });
        assert!(serde_json::from_str::<FaultSpec>(r#"{"fault": {"kind": "explode"}}"#).is_err());
    }
}
