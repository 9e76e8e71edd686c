//! Where codes and temporary passwords go instead of being sent.
//!
//! Every message the emulator would deliver by email or SMS is appended here and logged.
//! Tests read it through [`crate::Emulator::outbox`], other languages through
//! `GET /_emulator/outbox`. It keeps the latest [`Outbox::DEFAULT_CAPACITY`] messages (or what
//! `--outbox-capacity` says), so a server that sends codes for hours does not grow without
//! bound, and reads return the newest page of what matches.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
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
#[derive(Debug)]
pub struct Outbox {
    messages: Mutex<VecDeque<Message>>,
    capacity: AtomicUsize,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            messages: Mutex::default(),
            capacity: AtomicUsize::new(Self::DEFAULT_CAPACITY),
        }
    }
}

impl Outbox {
    /// How many of the latest messages are kept unless told otherwise.
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// Keeps at most this many of the latest messages (at least one).
    pub fn set_capacity(&self, capacity: usize) {
        let capacity = capacity.max(1);
        self.capacity.store(capacity, Ordering::Relaxed);
        let mut messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        while messages.len() > capacity {
            messages.pop_front();
        }
    }

    /// The newest `limit` messages that `keep` accepts, oldest first, and whether older ones
    /// matched too.
    pub fn recent(&self, limit: usize, keep: impl Fn(&Message) -> bool) -> (Vec<Message>, bool) {
        let messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        let mut matching = messages.iter().rev().filter(|m| keep(m));
        let mut page: Vec<Message> = matching.by_ref().take(limit).cloned().collect();
        let more = matching.next().is_some();
        page.reverse();
        (page, more)
    }

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
        let capacity = self.capacity.load(Ordering::Relaxed);
        let mut messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        if messages.len() >= capacity {
            messages.pop_front();
        }
        messages.push_back(message);
    }

    /// Every message kept.
    pub fn messages(&self) -> Vec<Message> {
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn message(n: usize) -> Message {
        Message {
            pool_id: "p".into(),
            username: format!("u{}", n % 3),
            delivery_medium: "EMAIL".into(),
            destination: "d".into(),
            kind: MessageKind::SignUpCode,
            code: n.to_string(),
            subject: None,
            body: String::new(),
            sent_at: 0,
        }
    }

    #[test]
    fn only_the_latest_messages_are_kept_and_read_newest_first_pages() {
        let outbox = Outbox::default();
        outbox.set_capacity(10);
        for n in 0..25 {
            outbox.deliver(message(n));
        }
        let kept = outbox.messages();
        assert_eq!(kept.len(), 10);
        assert_eq!(kept[0].code, "15");
        assert_eq!(outbox.last_code("p", "u0").as_deref(), Some("24"));
        let (page, more) = outbox.recent(2, |m| m.username == "u1");
        assert_eq!(
            page.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(),
            ["19", "22"]
        );
        assert!(more);
        let (all, more) = outbox.recent(100, |_| true);
        assert_eq!((all.len(), more), (10, false));
        outbox.set_capacity(3);
        assert_eq!(outbox.messages().len(), 3);
    }
}
