//! Where codes and temporary passwords go instead of being sent.
//!
//! Every message the emulator would deliver by email or SMS is appended here and logged.
//! Tests read it through [`crate::Emulator::outbox`], other languages through
//! `GET /_emulator/outbox`.

use std::sync::Mutex;

use serde::Serialize;

/// Why a message was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageKind {
    /// A sign-up confirmation code.
    SignUpCode,
    /// An invitation with a temporary password.
    TemporaryPassword,
    /// A code that verifies an attribute.
    AttributeVerification,
    /// A code that resets a forgotten password.
    ForgotPassword,
    /// An SMS or email MFA code at sign-in.
    MfaCode,
}

/// One delivered message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The pool.
    pub pool_id: String,
    /// The canonical username.
    pub username: String,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: String,
    /// The unmasked destination address or number.
    pub destination: String,
    /// Why it was sent.
    pub kind: MessageKind,
    /// The code or temporary password.
    pub code: String,
    /// The email subject (email only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The text that would have been sent, code included.
    pub body: String,
    /// When (Unix seconds, emulator clock).
    pub sent_at: i64,
}

/// The list of delivered messages, oldest first.
#[derive(Debug, Default)]
pub struct Outbox {
    messages: Mutex<Vec<Message>>,
}

impl Outbox {
    /// Appends a message and logs it.
    pub fn deliver(&self, message: Message) {
        tracing::info!(
            pool = %message.pool_id,
            username = %message.username,
            medium = %message.delivery_medium,
            destination = %message.destination,
            kind = ?message.kind,
            code = %message.code,
            "message delivered to the outbox"
        );
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message);
    }

    /// Every message so far.
    pub fn messages(&self) -> Vec<Message> {
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The newest code sent to a user of a pool (matched on the canonical username or the
    /// destination).
    pub fn last_code(&self, pool_id: &str, user: &str) -> Option<String> {
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .rev()
            .find(|m| m.pool_id == pool_id && (m.username == user || m.destination == user))
            .map(|m| m.code.clone())
    }
}
