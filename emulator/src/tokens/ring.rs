//! Which key signs and verifies what. As in Cognito, every user pool has its own two keys, one
//! for id tokens and one for access tokens, both in its JWKS; a token of one pool does not
//! verify with another's keys. A pool's keys are made the first time it signs (or its JWKS is
//! read), outside the state lock, taking a key made ahead of time on a background thread when
//! there is one (making a key costs 50–150 ms), and are kept in the pool's record, so durable
//! mode, export and import keep them. A four-prime pair signs a sign-in's two tokens for the
//! price of one (`cognito_rs256::FourPrimePair`).
//!
//! The emulator's own key (`ctx.key`: generated, from the data directory or an imported state)
//! signs what is not a user pool's: identity pools' OpenID tokens. A key pinned with
//! `--signing-key` (or `EmulatorBuilder::signing_key`) signs everything, every pool included,
//! for tests that need fixed keys; then a JWKS lists that one key.
//!
//! Verification looks the token's `kid` up among the keys this emulator holds (every pool's,
//! loaded when the state is; and its own), so it never needs the state lock. What needs the
//! context (`tokens::pool_keys`, `tokens::verify_jwt`) lives in `tokens`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cognito_rs256::FourPrimePair;
use serde::Serialize;

use super::keys::{Jwk, KeyError, SigningKey};
use crate::state::records::{PoolKeyPems, State};

/// A pool's two keys.
pub struct PoolKeys {
    /// Signs id tokens.
    pub id: Arc<SigningKey>,
    /// Signs access tokens.
    pub access: Arc<SigningKey>,
    pair: Option<FourPrimePair>,
    /// What the pool's record keeps (absent for a pinned key).
    pems: Option<PoolKeyPems>,
}

impl std::fmt::Debug for PoolKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolKeys")
            .field("id", &self.id.kid())
            .field("access", &self.access.kid())
            .finish_non_exhaustive()
    }
}

impl PoolKeys {
    fn new(id: Arc<SigningKey>, access: Arc<SigningKey>) -> PoolKeys {
        let pair = match (id.four_prime(), access.four_prime()) {
            (Some(a), Some(b)) if !Arc::ptr_eq(&id, &access) => Some(FourPrimePair::new(a, b)),
            _ => None,
        };
        PoolKeys {
            id,
            access,
            pair,
            pems: None,
        }
    }

    /// The access and id tokens of a sign-in, signed together where the keys allow.
    pub fn sign_tokens<A: Serialize, I: Serialize>(
        &self,
        access: &A,
        id: &I,
    ) -> std::result::Result<(String, String), KeyError> {
        if Arc::ptr_eq(&self.id, &self.access) {
            return self.access.sign_pair(access, id);
        }
        match (&self.pair, self.access.four_prime(), self.id.four_prime()) {
            (Some(pair), Some(a), Some(i)) => {
                let (access_input, id_input) = (
                    self.access.signing_input(access)?,
                    self.id.signing_input(id)?,
                );
                let [access_sig, id_sig] = pair
                    .sign(i, a, id_input.as_bytes(), access_input.as_bytes())
                    .map(|[i, a]| [a, i])
                    .map_err(|e| KeyError::new(e.to_string()))?;
                Ok((
                    SigningKey::attach(access_input, &access_sig),
                    SigningKey::attach(id_input, &id_sig),
                ))
            }
            _ => Ok((self.access.sign(access)?, self.id.sign(id)?)),
        }
    }

    /// The JWKS keys: the id key, then the access key (one, when both are the same key).
    pub fn jwks(&self) -> Vec<Jwk> {
        if Arc::ptr_eq(&self.id, &self.access) {
            vec![self.id.jwk().clone()]
        } else {
            vec![self.id.jwk().clone(), self.access.jwk().clone()]
        }
    }
}

#[derive(Default)]
struct Inner {
    pools: HashMap<String, Arc<PoolKeys>>,
    by_kid: HashMap<String, Arc<SigningKey>>,
}

/// An emulator's keys (see the module doc).
#[derive(Default)]
pub struct KeyRing {
    /// Every pool signs with the emulator's own key.
    pinned: bool,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("pinned", &self.pinned)
            .finish_non_exhaustive()
    }
}

impl KeyRing {
    /// A ring whose pools get keys of their own, or (`pinned`) all sign with the emulator's.
    pub fn new(pinned: bool) -> KeyRing {
        KeyRing {
            pinned,
            inner: Mutex::default(),
        }
    }

    /// Whether every pool signs with the emulator's own key.
    pub fn pinned(&self) -> bool {
        self.pinned
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The keys of a pool this ring holds.
    pub fn get(&self, pool_id: &str) -> Option<Arc<PoolKeys>> {
        self.lock().pools.get(pool_id).cloned()
    }

    /// The key with this `kid`, among every pool's.
    pub fn by_kid(&self, kid: &str) -> Option<Arc<SigningKey>> {
        self.lock().by_kid.get(kid).cloned()
    }

    /// Two keys for a pool that has none yet, as its record keeps them.
    pub fn make() -> PoolKeyPems {
        PoolKeyPems {
            id: super::keys::reserve().to_pem().to_owned(),
            access: super::keys::reserve().to_pem().to_owned(),
        }
    }

    /// The emulator's own key standing for both of a pool's (a pinned key).
    pub fn pinned_keys(key: Arc<SigningKey>) -> Arc<PoolKeys> {
        Arc::new(PoolKeys::new(key.clone(), key))
    }

    fn insert(&self, pool_id: &str, keys: Arc<PoolKeys>) {
        let mut inner = self.lock();
        for key in [&keys.id, &keys.access] {
            inner.by_kid.insert(key.kid().to_owned(), key.clone());
        }
        inner.pools.insert(pool_id.to_owned(), keys);
    }

    /// Brings the ring in line with the keys kept in pool records (after a start from stored
    /// state, an import or a seed): loads the ones it does not hold, reloads changed ones, and
    /// forgets pools whose record keeps none.
    pub fn load(&self, state: &State) {
        let held: Vec<String> = self.lock().pools.keys().cloned().collect();
        for pool_id in held {
            if state
                .pools
                .get(&pool_id)
                .is_none_or(|p| p.signing_keys.is_none())
            {
                self.lock().pools.remove(&pool_id);
            }
        }
        for (pool_id, pool) in state.pools.iter() {
            let Some(pems) = &pool.signing_keys else {
                continue;
            };
            let current = self
                .lock()
                .pools
                .get(pool_id)
                .is_some_and(|k| k.pems.as_ref() == Some(pems));
            if current {
                continue;
            }
            match (
                SigningKey::from_pem(&pems.id),
                SigningKey::from_pem(&pems.access),
            ) {
                (Ok(id), Ok(access)) => {
                    let mut keys = PoolKeys::new(Arc::new(id), Arc::new(access));
                    keys.pems = Some(pems.clone());
                    self.insert(pool_id, Arc::new(keys));
                }
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!(pool = %pool_id, error = %e, "a pool's stored signing key does not load");
                }
            }
        }
    }
}
