//! The record of every API request the emulator answered over HTTP, in order: the operation
//! and its key parameters (auth flow or challenge, pool, client, username; never passwords,
//! codes or tokens), the status and error, the latency and the fault applied. Tests read it
//! through [`crate::Handle::journal`] or `GET /_emulator/journal` to assert what a client
//! actually sent ("exactly one REFRESH_TOKEN_AUTH").

use std::sync::Mutex;

use serde::Serialize;

use crate::faults::RequestFacts;

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position in the journal (1-based).
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
    entries: Mutex<Vec<JournalEntry>>,
}

impl Journal {
    fn with<R>(&self, f: impl FnOnce(&mut Vec<JournalEntry>) -> R) -> R {
        f(&mut self.entries.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records a request (the sequence number is assigned here).
    pub(crate) fn record(&self, mut entry: JournalEntry) {
        self.with(|e| {
            entry.seq = e.last().map_or(1, |l| l.seq + 1);
            e.push(entry);
        });
    }

    /// Everything so far.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.with(|e| e.clone())
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.with(Vec::clear);
    }

    /// How many requests named this operation (and, when given, this flow or challenge).
    pub fn count(&self, operation: &str, flow: Option<&str>) -> usize {
        self.with(|e| {
            e.iter()
                .filter(|e| e.operation() == operation && (flow.is_none() || e.flow() == flow))
                .count()
        })
    }
}
