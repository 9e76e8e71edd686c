//! The record of every API request the emulator answered over HTTP, in order: the operation,
//! the auth flow or challenge it named, and the error it got. Tests read it to assert what a
//! client actually sent ("exactly one REFRESH_TOKEN_AUTH").

use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// The operation (`InitiateAuth` …), or `?` when the target was unusable.
    pub operation: String,
    /// `AuthFlow` of InitiateAuth, `ChallengeName` of RespondToAuthChallenge.
    pub flow: Option<String>,
    /// The exception, when the request failed.
    pub error: Option<String>,
}

/// The journal.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Vec<JournalEntry>>,
}

impl Journal {
    /// Records a request.
    pub(crate) fn record(&self, operation: &str, body: Option<&Value>, error: Option<&str>) {
        let flow = body
            .and_then(|b| b.get("AuthFlow").or_else(|| b.get("ChallengeName")))
            .and_then(Value::as_str)
            .map(str::to_owned);
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(JournalEntry {
                operation: operation.to_owned(),
                flow,
                error: error.map(str::to_owned),
            });
    }

    /// Everything so far.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many requests named this operation (and, when given, this flow or challenge).
    pub fn count(&self, operation: &str, flow: Option<&str>) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|e| e.operation == operation && (flow.is_none() || e.flow.as_deref() == flow))
            .count()
    }
}
