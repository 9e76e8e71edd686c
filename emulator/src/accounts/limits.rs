//! Brute-force limits, on the emulator clock, as Cognito applies them: after five wrong
//! passwords a user is locked out for a second, doubling with each further failure up to
//! fifteen minutes ("Password attempts exceeded"); after five wrong codes, code checks answer
//! `LimitExceededException` for fifteen minutes. A correct password clears the count.

use cognito_protocol::wire::ErrorKind;

use crate::error::{CognitoError, Result};
use crate::state::records::State;

/// Failures allowed before a lockout.
pub const MAX_FAILURES: u32 = 5;
const MAX_LOCK_SECS: i64 = 900;

fn key(pool_id: &str, username: &str) -> (String, String) {
    (pool_id.to_owned(), username.to_owned())
}

impl State {
    /// Refuses a sign-in while the user is locked out.
    pub fn check_sign_in_lock(&self, pool_id: &str, username: &str, now: i64) -> Result<()> {
        match self.sign_in_failures.get(&key(pool_id, username)) {
            Some((_, until)) if *until > now => {
                Err(CognitoError::not_authorized("Password attempts exceeded"))
            }
            _ => Ok(()),
        }
    }

    /// Counts a wrong password.
    pub fn sign_in_failed(&mut self, pool_id: &str, username: &str, now: i64) {
        let entry = self
            .sign_in_failures
            .entry(key(pool_id, username))
            .or_insert((0, 0));
        entry.0 += 1;
        if entry.0 >= MAX_FAILURES {
            let exp = (entry.0 - MAX_FAILURES).min(10);
            entry.1 = now + (1_i64 << exp).min(MAX_LOCK_SECS);
        }
    }

    /// Clears the count after a correct password.
    pub fn sign_in_succeeded(&mut self, pool_id: &str, username: &str) {
        self.sign_in_failures.remove(&key(pool_id, username));
    }

    /// Refuses code checks after too many wrong codes.
    pub fn check_code_attempts(&self, pool_id: &str, username: &str, now: i64) -> Result<()> {
        match self.code_failures.get(&key(pool_id, username)) {
            Some((n, last)) if *n >= MAX_FAILURES && now - last < MAX_LOCK_SECS => {
                Err(CognitoError {
                    kind: ErrorKind::LimitExceeded,
                    message: "Attempt limit exceeded, please try after some time.".into(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Counts a wrong code.
    pub fn code_failed(&mut self, pool_id: &str, username: &str, now: i64) {
        let entry = self
            .code_failures
            .entry(key(pool_id, username))
            .or_insert((0, now));
        if now - entry.1 >= MAX_LOCK_SECS {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = now;
    }
}
