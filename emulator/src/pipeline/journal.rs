//! The record of every API request the emulator answered over HTTP, in order: the operation
//! and its key parameters (auth flow or challenge, pool, client, username; never passwords,
//! codes or tokens), the status and error, the latency and the fault applied. Tests read it
//! through [`crate::Handle::journal`] or `GET /_emulator/journal` to assert what a client
//! actually sent ("exactly one REFRESH_TOKEN_AUTH"). A long-running server keeps the last
//! [`Journal::CAPACITY`] requests, so the journal never grows without bound.
//!
//! [`JournalLayer`] is the outermost step of the request pipeline: it records (and logs) every
//! answer, with the fault that shaped it.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Mutex;
use std::task::{Context, Poll};

use axum::response::Response;
use serde::Serialize;
use tower::{Layer, Service};

use super::{AlreadyJournaled, Answer, Call, FaultApplied, ResetConnection, Step};

use super::RequestFacts;

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position among every request since start (1-based; keeps counting past the capacity).
    pub seq: u64,
    /// When it arrived, on the emulator clock (Unix milliseconds).
    pub at_ms: i64,
    /// The operation and its key parameters.
    #[serde(flatten)]
    pub request: RequestFacts,
    /// The HTTP status answered (0 when the connection was reset instead).
    pub status: u16,
    /// The exception, when the request failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Wall-clock time spent answering, in milliseconds (injected latency included).
    pub latency_ms: u64,
    /// The fault applied, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

impl JournalEntry {
    /// The operation.
    pub fn operation(&self) -> &str {
        &self.request.operation
    }

    /// The auth flow or challenge.
    pub fn flow(&self) -> Option<&str> {
        self.request.flow.as_deref()
    }
}

/// The journal.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    kept: VecDeque<JournalEntry>,
    next_seq: u64,
    notes: VecDeque<ControlNote>,
}

/// Something done to the emulator itself (not an API request), placed among the requests:
/// what a recorded scenario needs besides them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlNote {
    /// The sequence number of the last request answered before it.
    pub after_seq: u64,
    /// What was done.
    #[serde(flatten)]
    pub event: ControlEvent,
}

/// What [`ControlNote`] records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum ControlEvent {
    /// The emulator clock moved, by whole seconds (negative: back).
    Clock {
        /// How far.
        seconds: i64,
    },
    /// A fault rule was added.
    FaultAdded {
        /// Its id.
        id: u64,
        /// The rule, as `POST /_emulator/faults` takes it (`{"match", "fault"}`).
        rule: serde_json::Value,
    },
    /// A fault rule was removed.
    FaultRemoved {
        /// Its id.
        id: u64,
    },
    /// Every fault rule was removed.
    FaultsCleared,
}

impl Journal {
    /// How many of the latest requests are kept.
    pub const CAPACITY: usize = 100_000;

    fn with<R>(&self, f: impl FnOnce(&mut Entries) -> R) -> R {
        f(&mut self.entries.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records a request (the sequence number is assigned here; it keeps counting when old
    /// entries are dropped).
    pub(crate) fn record(&self, mut entry: JournalEntry) {
        self.with(|e| {
            e.next_seq += 1;
            entry.seq = e.next_seq;
            if e.kept.len() == Self::CAPACITY {
                e.kept.pop_front();
            }
            e.kept.push_back(entry);
        });
    }

    /// Notes something done to the emulator (kept like the entries, up to the same
    /// capacity). The control plane notes its clock moves and fault changes itself; code that
    /// drives an emulator in-process notes its own when it wants them recorded.
    pub fn note(&self, event: ControlEvent) {
        self.with(|e| {
            if e.notes.len() == Self::CAPACITY {
                e.notes.pop_front();
            }
            let after_seq = e.next_seq;
            e.notes.push_back(ControlNote { after_seq, event });
        });
    }

    /// What was done to the emulator since the journal was last cleared, oldest first.
    pub fn notes(&self) -> Vec<ControlNote> {
        self.with(|e| e.notes.iter().cloned().collect())
    }

    /// The kept entries, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.with(|e| e.kept.iter().cloned().collect())
    }

    /// Forgets everything (sequence numbers keep counting).
    pub fn clear(&self) {
        self.with(|e| {
            e.kept.clear();
            e.notes.clear();
        });
    }

    /// How many requests named this operation (and, when given, this flow or challenge).
    pub fn count(&self, operation: &str, flow: Option<&str>) -> usize {
        self.with(|e| {
            e.kept
                .iter()
                .filter(|e| e.operation() == operation && (flow.is_none() || e.flow() == flow))
                .count()
        })
    }
}

/// The journal step of the pipeline.
#[derive(Debug, Clone, Copy, Default)]
pub struct JournalLayer;

impl<S> Layer<S> for JournalLayer {
    type Service = Journaled<S>;

    fn layer(&self, inner: S) -> Journaled<S> {
        Journaled(inner)
    }
}

/// What [`JournalLayer`] makes of the service it wraps.
#[derive(Debug, Clone)]
pub struct Journaled<S>(S);

impl<S: Step> Service<Call> for Journaled<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, call: Call) -> Answer {
        let ctx = call.ctx.clone();
        let facts = call.facts.clone();
        let (at_ms, started, request_id) = (call.at_ms, call.started, call.request_id.clone());
        let answer = self.0.call(call);
        Box::pin(async move {
            let response = answer.await?;
            if response.extensions().get::<AlreadyJournaled>().is_some() {
                return Ok(response);
            }
            let reset = response.extensions().get::<ResetConnection>().is_some();
            let status = if reset { 0 } else { response.status().as_u16() };
            let error = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let fault = response
                .extensions()
                .get::<FaultApplied>()
                .map(|f| f.0.clone());
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let operation = facts.operation.as_str();
            match &error {
                None => {
                    tracing::info!(operation, request_id, status, latency_ms, fault, "request")
                }
                Some(e) => {
                    tracing::info!(operation, request_id, status, error = %e, latency_ms, fault, "request failed")
                }
            }
            ctx.journal.record(JournalEntry {
                seq: 0,
                at_ms,
                request: facts,
                status,
                error,
                latency_ms,
                fault,
            });
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(operation: &str) -> JournalEntry {
        JournalEntry {
            seq: 0,
            at_ms: 0,
            request: RequestFacts {
                operation: operation.into(),
                ..Default::default()
            },
            status: 200,
            error: None,
            latency_ms: 0,
            fault: None,
        }
    }

    #[test]
    fn keeps_the_latest_entries_and_keeps_counting() {
        let journal = Journal::default();
        journal.record(entry("First"));
        for _ in 0..Journal::CAPACITY {
            journal.record(entry("GetUser"));
        }
        let kept = journal.entries();
        assert_eq!(kept.len(), Journal::CAPACITY);
        assert_eq!(
            journal.count("First", None),
            0,
            "the oldest entry was dropped"
        );
        assert_eq!(kept.first().map(|e| e.seq), Some(2));
        assert_eq!(
            kept.last().map(|e| e.seq),
            Some(Journal::CAPACITY as u64 + 1)
        );
        journal.clear();
        journal.record(entry("After"));
        assert_eq!(journal.entries()[0].seq, Journal::CAPACITY as u64 + 2);
    }
}
