//! Token sessions, as Cognito's session management tracks them: once a pool turns tracking on
//! (SetUserPoolSessionConfiguration), each sign-in that issues a refresh token opens a session
//! (`tkn` and 25 characters) that every token of that sign-in shares, refreshes and rotations
//! included. A session is active while one of its refresh tokens is unrevoked and unexpired;
//! revoking it revokes its refresh tokens and the access tokens issued from it. A user holds at
//! most `MaxPerUser` sessions: the sign-in that would exceed it first ends the least recently
//! used ones. Lowering the limit ends nothing until the user's next sign-in.
//!
//! The emulator's hosted UI keeps no browser session between sign-ins, so there are no SSO
//! sessions here: every session is a token session.

use std::collections::BTreeMap;

use crate::state::records::{SessionTracking, State};
use crate::tokens::Origin;

/// One active session of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// `tkn…`.
    pub id: String,
    /// The app client it was opened through.
    pub client_id: String,
    /// The sign-in's origin (shared by its tokens).
    pub origin_jti: String,
    /// When the user signed in (Unix seconds).
    pub created: i64,
    /// When a token of it was last issued or used to refresh (Unix seconds).
    pub last_active: i64,
}

/// The pool's session settings (tracking off, 20 per user, until set).
pub fn tracking(state: &State, pool_id: &str) -> SessionTracking {
    state
        .pools
        .get(pool_id)
        .and_then(|p| p.stored.session_tracking)
        .unwrap_or_default()
}

fn new_id() -> String {
    format!("tkn{}", crate::ids::lower_alnum(25))
}

/// The session a refresh token issued now belongs to: the sign-in's own, or, for a new
/// sign-in in a pool that tracks sessions, a new one (after ending the user's least recently
/// used sessions beyond the limit).
pub fn for_issue(
    state: &mut State,
    pool_id: &str,
    sub: &str,
    origin: &Origin,
    now: i64,
) -> Option<String> {
    if origin.session_id.is_some() {
        return origin.session_id.clone();
    }
    let settings = tracking(state, pool_id);
    if !settings.enabled {
        return None;
    }
    let mut active = of_user(state, pool_id, sub, now);
    let keep = usize::try_from(settings.max_per_user.max(1) - 1).unwrap_or(0);
    if active.len() > keep {
        active.sort_by_key(|s| s.last_active);
        let excess = active.len() - keep;
        for session in active.drain(..excess) {
            super::revoke_origin(state, &session.origin_jti);
        }
    }
    Some(new_id())
}

/// The active sessions of a user, oldest first.
pub fn of_user(state: &State, pool_id: &str, sub: &str, now: i64) -> Vec<Session> {
    let mut by_id: BTreeMap<&str, Session> = BTreeMap::new();
    for record in state.refresh_tokens.values() {
        let Some(id) = record.session_id.as_deref() else {
            continue;
        };
        if record.pool_id != pool_id
            || record.sub != sub
            || record.revoked
            || record.expires_at <= now
        {
            continue;
        }
        let touched = record
            .last_used
            .max(record.issued_at)
            .unwrap_or(record.auth_time);
        let entry = by_id.entry(id).or_insert_with(|| Session {
            id: id.to_owned(),
            client_id: record.client_id.clone(),
            origin_jti: record.origin_jti.clone(),
            created: record.auth_time,
            last_active: touched,
        });
        entry.last_active = entry.last_active.max(touched);
    }
    let mut sessions: Vec<Session> = by_id.into_values().collect();
    sessions.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    sessions
}

/// Ends one session of a user; `false` when the user has no such active session.
pub fn revoke(state: &mut State, pool_id: &str, sub: &str, session_id: &str, now: i64) -> bool {
    let found = of_user(state, pool_id, sub, now)
        .into_iter()
        .find(|s| s.id == session_id);
    match found {
        Some(session) => {
            super::revoke_origin(state, &session.origin_jti);
            true
        }
        None => false,
    }
}

/// Notes that a refresh token of a tracked session was used now.
pub fn touch(state: &mut State, token: &str, now: i64) {
    // `get_mut` marks the record for durable mode: only reach it mutably when it changes.
    let tracked = state
        .refresh_tokens
        .get(token)
        .is_some_and(|r| r.session_id.is_some());
    if tracked {
        if let Some(record) = state.refresh_tokens.get_mut(token) {
            record.last_used = Some(now);
        }
    }
}
