//! The state behind one lock, and the lookups every handler needs (pool, client, user by
//! username or alias), each failing with the exception Cognito uses.
//!
//! The lock is a plain mutex held for short, synchronous sections: no handler awaits while
//! holding it, and expensive SRP arithmetic runs outside it.

use std::sync::{Arc, Mutex};

use crate::error::{CognitoError, Result};
use crate::state::aliases::{self, UserMut};
use crate::state::durable::records::{self, Snapshot};
use crate::state::durable::{Durable, DurableError};
use crate::state::records::{AppClient, Pool, State, User};

/// The emulator's state, and in durable mode the writer that stores its changes.
#[derive(Debug, Default)]
pub struct Store {
    state: Mutex<State>,
    durable: Option<Arc<Durable>>,
}

impl Store {
    /// A store whose changes are written through `durable`, starting from `state`.
    pub fn durable(state: State, durable: Arc<Durable>) -> Store {
        Store {
            state: Mutex::new(state),
            durable: Some(durable),
        }
    }

    /// Runs `f` with the state locked. Whatever `f` changed is queued for storage (in durable
    /// mode) before the lock is released, so storage sees changes in the order they happened.
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let out = f(&mut guard);
        self.queue_changes(&mut guard);
        out
    }

    fn queue_changes(&self, state: &mut State) {
        match &self.durable {
            Some(durable) => {
                let mut changes = Vec::new();
                records::collect(state, Some(&mut changes));
                durable.queue(changes);
            }
            None => records::collect(state, None),
        }
    }

    /// Replaces everything durable with the snapshot's records.
    pub fn replace(&self, snapshot: Snapshot) {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match &self.durable {
            Some(durable) => {
                let mut changes = Vec::new();
                records::replace(&mut guard, snapshot, Some(&mut changes));
                durable.queue(changes);
            }
            None => records::replace(&mut guard, snapshot, None),
        }
    }

    /// Waits until every change made so far is stored (at once when not durable).
    pub async fn sync(&self) -> std::result::Result<(), DurableError> {
        match &self.durable {
            Some(d) => d.sync().await,
            None => Ok(()),
        }
    }

    /// Whether changes are stored.
    pub fn is_durable(&self) -> bool {
        self.durable.is_some()
    }

    /// Stops the writer once everything is stored.
    pub fn close(&self) {
        if let Some(d) = &self.durable {
            d.close();
        }
    }
}

impl State {
    /// Notes when a refresh token may be forgotten: a day after it expires (until then it is
    /// refused as expired, not as unknown).
    pub fn note_refresh_expiry(&mut self, token: &str, expires_at: i64) {
        self.refresh_expiry.note(
            token.to_owned(),
            expires_at + super::records::MAX_ACCESS_SECONDS,
        );
    }

    /// Forgets refresh tokens a day past their expiry and revocation marks nothing can need
    /// any more, so sign-ins under a moving clock do not grow the state without end.
    pub fn forget_expired(&mut self, now: i64) {
        for token in self.refresh_expiry.due(now) {
            if self
                .refresh_tokens
                .get(&token)
                .is_some_and(|r| r.expires_at + super::records::MAX_ACCESS_SECONDS <= now)
            {
                self.refresh_tokens.remove(&token);
            }
        }
        for origin in self.revoked_expiry.due(now) {
            self.revoked_origins.remove(&origin);
        }
    }

    /// A pool, or `ResourceNotFoundException`.
    pub fn pool(&self, pool_id: &str) -> Result<&Pool> {
        self.pools.get(pool_id).ok_or_else(|| {
            CognitoError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }

    /// A pool to change, or `ResourceNotFoundException`.
    pub fn pool_mut(&mut self, pool_id: &str) -> Result<&mut Pool> {
        self.pools.get_mut(pool_id).ok_or_else(|| {
            CognitoError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }

    /// The pool id that owns an app client, or `ResourceNotFoundException`.
    pub fn pool_of_client(&self, client_id: &str) -> Result<String> {
        if let Some(pool_id) = self.client_pools.get(client_id) {
            if self
                .pools
                .get(pool_id)
                .is_some_and(|p| p.clients.contains_key(client_id))
            {
                return Ok(pool_id.clone());
            }
        }
        // A client the index does not know (or knew in a pool since deleted): look through
        // the pools, so the index only ever makes the answer faster.
        self.pools
            .values()
            .find(|p| p.clients.contains_key(client_id))
            .map(|p| p.id.clone())
            .ok_or_else(|| client_not_found(client_id))
    }

    /// A pool and one of its app clients.
    pub fn client_in(&self, pool_id: &str, client_id: &str) -> Result<(&Pool, &AppClient)> {
        let pool = self.pool(pool_id)?;
        let client = pool
            .clients
            .get(client_id)
            .ok_or_else(|| client_not_found(client_id))?;
        Ok((pool, client))
    }
}

fn client_not_found(client_id: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("User pool client {client_id} does not exist."))
}

impl Pool {
    /// How this pool's alias index compares values: `Some(case_sensitive)` when users can sign
    /// in by email, phone number or preferred_username, `None` when there is nothing to index.
    fn alias_mode(&self) -> Option<bool> {
        (!self.alias_attributes.is_empty() || !self.username_attributes.is_empty())
            .then_some(self.case_sensitive)
    }

    /// The key a username is stored under (lower-cased when the pool is case-insensitive).
    pub fn user_key(&self, username: &str) -> String {
        aliases::normalize(self.case_sensitive, username)
    }

    /// The key of the user a sign-in name designates: the username itself, or an alias
    /// (verified email / phone for alias pools, email / phone for username-attribute pools,
    /// preferred_username always).
    pub fn resolve_key(&self, login: &str) -> Option<String> {
        let key = self.user_key(login);
        if self.users.contains_key(&key) {
            return Some(key);
        }
        if let Some(k) = self.subs.get(login) {
            return Some(k.clone());
        }
        let mut aliases: Vec<(&str, bool)> = Vec::new();
        for a in &self.username_attributes {
            aliases.push((a.as_str(), false));
        }
        for a in &self.alias_attributes {
            aliases.push((a.as_str(), a != "preferred_username"));
        }
        let wanted = self.user_key(login);
        for (attr, must_be_verified) in aliases {
            let hit = self.aliases.holders(attr, &wanted).iter().find(|k| {
                self.users
                    .get(*k)
                    .is_some_and(|u| !must_be_verified || u.is_verified(attr))
            });
            if let Some(k) = hit {
                return Some(k.clone());
            }
        }
        None
    }

    /// The users whose `attr` is `value` as this pool compares values (not
    /// necessarily verified), in key order.
    pub fn holders_of<'a>(&'a self, attr: &str, value: &str) -> impl Iterator<Item = &'a User> {
        let wanted = self.user_key(value);
        self.aliases
            .holders(attr, &wanted)
            .iter()
            .filter_map(|k| self.users.get(k))
    }

    /// The user a sign-in name designates.
    pub fn find_user(&self, login: &str) -> Option<&User> {
        self.resolve_key(login).and_then(|k| self.users.get(&k))
    }

    /// The user a sign-in name designates, to change (re-indexed when the handle goes).
    pub fn find_user_mut(&mut self, login: &str) -> Option<UserMut<'_>> {
        let key = self.resolve_key(login)?;
        let mode = self.alias_mode();
        let user = self.users.get_mut(&key)?;
        Some(UserMut::new(user, key, &mut self.aliases, mode))
    }

    /// The user by `sub`.
    pub fn user_by_sub(&self, sub: &str) -> Option<&User> {
        self.users.get(self.subs.get(sub)?)
    }

    /// Adds (or replaces) a user under its normalised username, indexing its `sub`.
    pub fn insert_user(&mut self, user: User) {
        let key = self.user_key(&user.username);
        if let Some(old) = self.users.get(&key) {
            let was = aliases::held(self.alias_mode(), old);
            self.aliases.remove(&key, &was);
        }
        self.subs.insert(user.sub.clone(), key.clone());
        self.aliases
            .add(&key, aliases::held(self.alias_mode(), &user));
        self.users.insert(key, user);
    }

    /// Removes a user by key, with its `sub`.
    pub fn remove_user(&mut self, key: &str) -> Option<User> {
        let user = self.users.remove(key)?;
        self.subs.remove(&user.sub);
        self.aliases
            .remove(key, &aliases::held(self.alias_mode(), &user));
        Some(user)
    }

    /// The user a name designates, or `UserNotFoundException: User does not exist.`
    pub fn user(&self, login: &str) -> Result<&User> {
        self.find_user(login).ok_or_else(user_does_not_exist)
    }

    /// As [`Pool::user`], to change.
    pub fn user_mut(&mut self, login: &str) -> Result<UserMut<'_>> {
        self.find_user_mut(login).ok_or_else(user_does_not_exist)
    }
}

/// `UserNotFoundException: User does not exist.`
pub fn user_does_not_exist() -> CognitoError {
    CognitoError::user_not_found("User does not exist.")
}
