//! The durable records and the conversions around them: which records a change to the state
//! touched ([`collect`]), the state rebuilt from stored records ([`Snapshot::apply`]),
//! and the whole state as one JSON document ([`Snapshot`], what export writes and import reads).
//!
//! Durable: pools (with clients, groups, domain, resource servers and identity providers),
//! users (salts and verifiers, never passwords; MFA, devices, groups), refresh tokens,
//! revocations, sign-in histories, identity pools and identities. Not durable, because a restart ends them anyway
//! on the real service too or they are test-only: sign-ins in progress (SRP exchanges, challenge
//! sessions, authorization codes), wrong-password counters, identity credentials and test tokens
//! for public identity providers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::state::identity::{Identity, IdentityPoolRecord};
use crate::state::records::{Pool, RefreshRecord, State, User};

/// The format version written by this emulator.
pub const FORMAT_VERSION: u32 = 1;

/// Record kinds, as stored.
pub mod kind {
    /// A pool (without its users); key: pool id.
    pub const POOL: &str = "pool";
    /// A user; parent: pool id, key: normalised username.
    pub const USER: &str = "user";
    /// A refresh token; key: the token.
    pub const REFRESH: &str = "refresh";
    /// A revoked sign-in; key: its `origin_jti`.
    pub const REVOKED: &str = "revoked";
    /// An identity pool; key: its id.
    pub const IDENTITY_POOL: &str = "identity_pool";
    /// An identity; key: its id.
    pub const IDENTITY: &str = "identity";
    /// A user's sign-in history; key: `{pool id}/{sub}`.
    pub const AUTH_EVENTS: &str = "auth_events";
}

/// One change to the stored records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Insert or replace a record.
    Put {
        /// The kind.
        kind: &'static str,
        /// The owner (pool id for users, empty otherwise).
        parent: String,
        /// The key.
        key: String,
        /// The record as JSON.
        value: String,
    },
    /// Delete a record.
    Delete {
        /// The kind.
        kind: &'static str,
        /// The owner.
        parent: String,
        /// The key.
        key: String,
    },
    /// Delete every record of a kind under an owner (the users of a deleted pool).
    DeleteChildren {
        /// The kind.
        kind: &'static str,
        /// The owner.
        parent: String,
    },
}

fn put<T: Serialize>(kind: &'static str, parent: &str, key: &str, value: &T) -> Change {
    Change::Put {
        kind,
        parent: parent.to_owned(),
        key: key.to_owned(),
        // The records are plain data (strings, numbers, maps with string keys), which always
        // serialize.
        value: serde_json::to_string(value).unwrap_or_default(),
    }
}

fn delete(kind: &'static str, parent: &str, key: &str) -> Change {
    Change::Delete {
        kind,
        parent: parent.to_owned(),
        key: key.to_owned(),
    }
}

fn changes_of<V: Serialize>(
    kind: &'static str,
    map: &mut crate::state::tracked::TrackedMap<String, V>,
    out: Option<&mut Vec<Change>>,
) {
    let dirty = map.take_dirty();
    if let Some(out) = out {
        for key in dirty {
            out.push(match map.get(&key) {
                Some(v) => put(kind, "", &key, v),
                None => delete(kind, "", &key),
            });
        }
    }
}

/// The changes since the last call, forgetting them. With `out` absent (in-memory mode) the
/// marks are only cleared.
pub fn collect(state: &mut State, mut out: Option<&mut Vec<Change>>) {
    for pool_id in state.pools.take_dirty() {
        // A pool is marked whenever it is reached mutably, which is the only way to reach its
        // users mutably; so unmarked pools have no changed users.
        let Some(pool) = state.pools.get_mut(&pool_id) else {
            if let Some(out) = out.as_deref_mut() {
                out.push(Change::DeleteChildren {
                    kind: kind::USER,
                    parent: pool_id.clone(),
                });
                out.push(delete(kind::POOL, "", &pool_id));
            }
            continue;
        };
        let users = pool.users.take_dirty();
        if let Some(out) = out.as_deref_mut() {
            out.push(put(kind::POOL, "", &pool_id, &*pool));
            for key in users {
                out.push(match pool.users.get(&key) {
                    Some(user) => put(kind::USER, &pool_id, &key, user),
                    None => delete(kind::USER, &pool_id, &key),
                });
            }
        }
    }
    // `get_mut` above marked the pools again; nothing changed in them since.
    state.pools.take_dirty();
    changes_of(kind::REFRESH, &mut state.refresh_tokens, out.as_deref_mut());
    changes_of(
        kind::REVOKED,
        &mut state.revoked_origins,
        out.as_deref_mut(),
    );
    changes_of(
        kind::IDENTITY_POOL,
        &mut state.identity.pools,
        out.as_deref_mut(),
    );
    changes_of(
        kind::AUTH_EVENTS,
        &mut state.auth_events,
        out.as_deref_mut(),
    );
    changes_of(kind::IDENTITY, &mut state.identity.identities, out);
}

/// Replaces the durable part of `state` with the snapshot's. With `out`, the record changes
/// are appended: first the deletions of everything that was there (so a pool replaced by one
/// of the same id loses its old users in storage too), then the new records.
pub fn replace(state: &mut State, snapshot: Snapshot, mut out: Option<&mut Vec<Change>>) {
    Snapshot::clear(state);
    collect(state, out.as_deref_mut());
    snapshot.apply(state);
    collect(state, out);
}

/// A pool with its users, as exported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolWithUsers {
    /// The pool.
    #[serde(flatten)]
    pub pool: Pool,
    /// Its users.
    #[serde(default)]
    pub users: Vec<User>,
}

/// The whole durable state as one document: what `GET /_emulator/state` and
/// `cognito-emulator export` produce, and what import and `serve --seed` accept.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The token signing key (PKCS#1 PEM), so tokens issued before an export verify after an
    /// import. Applied when the emulator starts from the snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
    /// User pools with their users.
    #[serde(default)]
    pub pools: Vec<PoolWithUsers>,
    /// Refresh tokens.
    #[serde(default)]
    pub refresh_tokens: BTreeMap<String, RefreshRecord>,
    /// Revoked sign-ins (`origin_jti`).
    #[serde(default)]
    pub revoked_origins: Vec<String>,
    /// Identity pools.
    #[serde(default)]
    pub identity_pools: Vec<IdentityPoolRecord>,
    /// Identities.
    #[serde(default)]
    pub identities: BTreeMap<String, Identity>,
    /// Sign-in histories by `{pool id}/{sub}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub auth_events: BTreeMap<String, Vec<serde_json::Value>>,
}

impl Snapshot {
    /// The durable part of `state`.
    pub fn of(state: &State, signing_key: Option<String>) -> Snapshot {
        Snapshot {
            format_version: FORMAT_VERSION,
            signing_key,
            pools: state
                .pools
                .values()
                .map(|p| PoolWithUsers {
                    pool: p.clone(),
                    users: p.users.values().cloned().collect(),
                })
                .collect(),
            refresh_tokens: state
                .refresh_tokens
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            revoked_origins: state.revoked_origins.keys().cloned().collect(),
            identity_pools: state.identity.pools.values().cloned().collect(),
            identities: state
                .identity
                .identities
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            auth_events: state
                .auth_events
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Checks the version.
    pub fn check(&self) -> Result<(), String> {
        if self.format_version == FORMAT_VERSION {
            Ok(())
        } else {
            Err(format!(
                "state format version {} is not supported (this emulator reads version {FORMAT_VERSION})",
                self.format_version
            ))
        }
    }

    /// Drops everything durable from `state` (the first half of [`replace`]).
    pub fn clear(state: &mut State) {
        let pools: Vec<String> = state.pools.keys().cloned().collect();
        for id in pools {
            state.pools.remove(&id);
        }
        state.domains.clear();
        state.refresh_tokens.retain(|_, _| false);
        state.revoked_origins.retain(|_, _| false);
        state.auth_events.retain(|_, _| false);
        state.identity.pools.retain(|_, _| false);
        state.identity.identities.retain(|_, _| false);
        state.identity.by_login.clear();
    }

    /// Adds what is in the snapshot to `state`. Records that already exist are kept as they
    /// are, so applying a snapshot as a seed twice changes nothing.
    pub fn apply(self, state: &mut State) {
        for PoolWithUsers { mut pool, users } in self.pools {
            if let Some(existing) = state.pools.get_mut(&pool.id) {
                for user in users {
                    if !existing
                        .users
                        .contains_key(&existing.user_key(&user.username))
                    {
                        existing.insert_user(user);
                    }
                }
                continue;
            }
            pool.users = Default::default();
            pool.subs = Default::default();
            pool.aliases = Default::default();
            for user in users {
                pool.insert_user(user);
            }
            if let Some(domain) = &pool.domain {
                state.domains.insert(domain.clone(), pool.id.clone());
            }
            for client_id in pool.clients.keys() {
                state
                    .client_pools
                    .insert(client_id.clone(), pool.id.clone());
            }
            state.pools.insert(pool.id.clone(), pool);
        }
        let mut last_expiry: std::collections::HashMap<String, i64> = Default::default();
        for (token, record) in self.refresh_tokens {
            let last = last_expiry
                .entry(record.origin_jti.clone())
                .or_insert(record.expires_at);
            *last = (*last).max(record.expires_at);
            if !state.refresh_tokens.contains_key(&token) {
                state.note_refresh_expiry(&token, record.expires_at);
                state.refresh_tokens.insert(token, record);
            }
        }
        for origin in self.revoked_origins {
            // A mark whose refresh tokens are all gone can refuse nothing still valid.
            let forget_at = last_expiry
                .get(&origin)
                .map_or(0, |e| e + crate::state::records::MAX_ACCESS_SECONDS);
            state.revoked_expiry.note(origin.clone(), forget_at);
            state.revoked_origins.insert(origin, ());
        }
        for (key, events) in self.auth_events {
            if !state.auth_events.contains_key(&key) {
                state.auth_events.insert(key, events);
            }
        }
        for pool in self.identity_pools {
            if !state.identity.pools.contains_key(&pool.id) {
                state.identity.pools.insert(pool.id.clone(), pool);
            }
        }
        for (id, identity) in self.identities {
            if state.identity.identities.contains_key(&id) {
                continue;
            }
            for login in &identity.logins {
                state
                    .identity
                    .by_login
                    .insert((identity.pool_id.clone(), login.clone()), id.clone());
            }
            state.identity.identities.insert(id, identity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::user::{Device, IssuedCode, PasswordRecord, UserMfa, UserStatus};
    use num_bigint::BigUint;

    fn user() -> User {
        User {
            username: "ada".into(),
            sub: "0b0e".into(),
            attributes: vec![
                ("sub".into(), "0b0e".into()),
                ("email".into(), "a@x.org".into()),
            ],
            status: UserStatus::ForceChangePassword,
            enabled: false,
            created: 1.5,
            modified: 2.25,
            password: Some(PasswordRecord {
                salt: BigUint::from(0xdead_beef_u64),
                verifier: BigUint::from(7u8).pow(300),
                temporary_until: Some(99),
            }),
            confirmation_code: Some(IssuedCode {
                code: "123456".into(),
                expires_at: 5,
            }),
            attribute_codes: [(
                "email".to_owned(),
                IssuedCode {
                    code: "1".into(),
                    expires_at: 6,
                },
            )]
            .into(),
            pending_attributes: [("email".to_owned(), "b@x.org".to_owned())].into(),
            reset_code: None,
            groups: ["admins".to_owned()].into(),
            mfa: UserMfa {
                pending_totp: None,
                totp_secret: Some(vec![0, 1, 2, 255]),
                totp_enabled: true,
                sms_enabled: false,
                email_enabled: true,
                preferred: Some("SOFTWARE_TOKEN_MFA".into()),
                webauthn_enabled: true,
            },
            devices: [(
                "us-east-1_d".to_owned(),
                Device {
                    key: "us-east-1_d".into(),
                    group_key: "-g".into(),
                    name: Some("phone".into()),
                    verifier: Some((BigUint::from(3u8), BigUint::from(5u8).pow(99))),
                    remembered: Some(true),
                    created: 1.0,
                    modified: 2.0,
                    last_authenticated: 3.0,
                },
            )]
            .into(),
            webauthn: vec![crate::state::user::PasskeyRecord {
                id: "Y3JlZA".into(),
                relying_party_id: "localhost".into(),
                attachment: Some("platform".into()),
                transports: vec!["internal".into()],
                static_state: "AQID".into(),
                dynamic_state: "BAUG".into(),
                transports_bits: 16,
                created: 4.0,
            }],
            webauthn_pending: Some(Box::new(crate::state::user::PasskeyCeremony {
                client_id: "c".into(),
                state: "Zm9v".into(),
            })),
        }
    }

    #[test]
    fn a_user_survives_its_stored_form_field_for_field() {
        let original = user();
        let text = serde_json::to_string(&original).unwrap_or_default();
        assert!(!text.contains("Passw0rd"));
        let back: User = serde_json::from_str(&text).unwrap_or_else(|e| unreachable!("{e}"));
        // Debug output hides secrets, so compare the stored forms and the secret fields.
        assert_eq!(serde_json::to_string(&back).unwrap_or_default(), text);
        assert!(back.password == original.password);
        assert!(back.mfa == original.mfa);
        assert!(back.devices == original.devices);
        assert!(
            back.webauthn == original.webauthn
                && back.webauthn_pending == original.webauthn_pending
        );
        assert_eq!(back.status, UserStatus::ForceChangePassword);
        assert_eq!(back.groups, original.groups);
    }

    #[test]
    fn collect_reports_puts_and_deletes_once() {
        let mut state = State::default();
        let mut pool: Pool = serde_json::from_value(serde_json::json!({
            "id": "us-east-1_P", "name": "p", "arn": "arn", "created": 0.0, "modified": 0.0,
            "alias_attributes": [], "username_attributes": [], "case_sensitive": false,
            "schema": [], "settings": {}, "clients": {}, "groups": {}, "domain": null,
            "resource_servers": {}, "identity_providers": {}
        }))
        .unwrap_or_else(|e| unreachable!("{e}"));
        pool.insert_user(user());
        state.pools.insert("us-east-1_P".into(), pool);
        let mut changes = Vec::new();
        collect(&mut state, Some(&mut changes));
        let kinds: Vec<&str> = changes
            .iter()
            .map(|c| match c {
                Change::Put { kind, .. } => *kind,
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, [kind::POOL, kind::USER]);

        let mut again = Vec::new();
        collect(&mut state, Some(&mut again));
        assert!(again.is_empty(), "nothing changed since: {again:?}");

        state.pools.remove("us-east-1_P");
        collect(&mut state, Some(&mut again));
        assert_eq!(
            again,
            [
                Change::DeleteChildren {
                    kind: kind::USER,
                    parent: "us-east-1_P".into()
                },
                Change::Delete {
                    kind: kind::POOL,
                    parent: String::new(),
                    key: "us-east-1_P".into()
                },
            ]
        );
    }
}
