//! What a handler can reach: the store, the clock, the outbox, the signing key and the
//! configuration. Cloning is cheap (all shared), so each request gets its own copy.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::EmulatorClock;
use crate::outbox::Outbox;
use crate::pipeline::faults::Faults;
use crate::pipeline::journal::Journal;
use crate::pipeline::quota::Throttle;
use crate::state::store::Store;
use crate::tokens::keys::KeyHandle;
use crate::triggers::registry::Triggers;

/// How token issuers are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// `{base url}/{pool id}`: the JWKS is reachable at the issuer, so verifiers work unmodified.
    Emulator,
    /// `https://cognito-idp.{region}.amazonaws.com/{pool id}`, as real Cognito.
    Aws,
    /// `{given base}/{pool id}`.
    Custom(String),
}

/// The server's bounds against slow, idle and too many clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A request's headers must arrive within this time of its first byte being awaited.
    pub header_read_timeout: Duration,
    /// A connection with no bytes moving either way for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// Largest state import (`PUT /_emulator/state`).
    pub max_import_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            max_connections: 1024,
            max_import_bytes: 256 << 20,
        }
    }
}

/// Settings fixed when the emulator starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Region for new pool ids.
    pub region: String,
    /// Account id used in ARNs.
    pub account_id: String,
    /// How issuers are named.
    pub issuer: Issuer,
    /// The emulator's own base URL (`http://127.0.0.1:PORT`).
    pub base_url: String,
    /// When set, an SRP `TIMESTAMP` further than this from the emulator clock is refused.
    pub srp_timestamp_window: Option<Duration>,
    /// Largest accepted request body, on every route but the state import.
    pub max_body_bytes: usize,
    /// What one connection and the server as a whole may take.
    pub limits: Limits,
    /// Host names, besides loopback ones, that may reach the control plane.
    pub allowed_hosts: Vec<String>,
    /// When set, the control plane requires this token.
    pub admin_token: Option<String>,
    /// When set, operations that need AWS credentials must be SigV4-signed with one of these
    /// access keys (access key id → secret).
    pub sigv4_keys: Option<std::collections::BTreeMap<String, String>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            issuer: Issuer::Emulator,
            base_url: "http://127.0.0.1:9229".into(),
            srp_timestamp_window: None,
            max_body_bytes: 1 << 20,
            limits: Limits::default(),
            allowed_hosts: Vec::new(),
            admin_token: None,
            sigv4_keys: None,
        }
    }
}

/// The services handlers use.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Pools, users, sessions, tokens.
    pub store: Arc<Store>,
    /// The controllable clock.
    pub clock: Arc<EmulatorClock>,
    /// Delivered codes.
    pub outbox: Arc<Outbox>,
    /// Answered requests.
    pub journal: Arc<Journal>,
    /// Request-rate quotas.
    pub throttle: Arc<Throttle>,
    /// Fault rules.
    pub faults: Arc<Faults>,
    /// Lambda trigger handlers.
    pub triggers: Arc<Triggers>,
    /// The emulator's own signing key (identity pools' tokens; every pool's when pinned).
    pub key: KeyHandle,
    /// The pools' signing keys.
    pub keys: Arc<crate::tokens::ring::KeyRing>,
    /// Settings.
    pub config: Arc<Config>,
    /// The key that makes SECRET_BLOCKs tamper-evident (random per emulator).
    pub block_key: Arc<[u8; 32]>,
}

impl Ctx {
    /// A context with fresh state.
    pub fn new(config: Config, key: KeyHandle) -> Self {
        Self {
            store: Arc::default(),
            clock: Arc::default(),
            outbox: Arc::default(),
            journal: Arc::default(),
            throttle: Arc::default(),
            faults: Arc::default(),
            triggers: Arc::default(),
            key,
            keys: Arc::default(),
            config: Arc::new(config),
            block_key: Arc::new(crate::ids::bytes::<32>()),
        }
    }

    /// The issuer (`iss`) of a pool's tokens.
    pub fn issuer(&self, pool_id: &str) -> String {
        match &self.config.issuer {
            Issuer::Emulator => format!("{}/{pool_id}", self.config.base_url.trim_end_matches('/')),
            Issuer::Aws => {
                let region = pool_id.split('_').next().unwrap_or(&self.config.region);
                format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
            }
            Issuer::Custom(base) => format!("{}/{pool_id}", base.trim_end_matches('/')),
        }
    }

    /// Now, in Unix seconds, on the emulator clock.
    pub fn now(&self) -> i64 {
        self.clock.now_secs()
    }

    /// The region of the request being answered: the one its SigV4 credential scope names,
    /// as a regional endpoint would be, or `--region` for an unsigned request.
    pub fn region(&self) -> String {
        REQUEST_REGION
            .with(|r| r.borrow().clone())
            .unwrap_or_else(|| self.config.region.clone())
    }

    /// The region a signed request named, if it named one.
    pub fn signed_region(&self) -> Option<String> {
        REQUEST_REGION.with(|r| r.borrow().clone())
    }
}

thread_local! {
    /// Set by the API entry point around an operation's handler (handlers run on one thread).
    static REQUEST_REGION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` as the answer to a request signed for `region` (see [`Ctx::region`]).
pub fn in_region<T>(region: Option<String>, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<String>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let previous = self.0.take();
            REQUEST_REGION.with(|r| *r.borrow_mut() = previous);
        }
    }
    let previous = REQUEST_REGION.with(|r| r.replace(region));
    let _reset = Reset(previous);
    f()
}
