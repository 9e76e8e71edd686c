//! Starting an emulator: in-process for a test (`Emulator::start().await` on 127.0.0.1:0, one
//! per test, stopped on drop) or as the long-running server behind the CLI.

use std::net::{Ipv4Addr, SocketAddr};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::clock::EmulatorClock;
use crate::ctx::{Config, Ctx, Issuer};
use crate::error::CognitoError;
use crate::http::router;
use crate::outbox::Outbox;
use crate::tokens::keys::SigningKey;

/// Options for an emulator; [`Emulator::builder`] makes one.
#[derive(Debug, Clone)]
#[must_use]
pub struct EmulatorBuilder {
    config: Config,
    throttling: bool,
    key: Option<Arc<SigningKey>>,
    /// Whether `key` signs every pool's tokens (`signing_key`) or only the emulator's own
    /// (`own_key`).
    pinned: bool,
    addr: SocketAddr,
    data_dir: Option<PathBuf>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            config: Config::default(),
            throttling: false,
            key: None,
            pinned: false,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            data_dir: None,
        }
    }
}

impl EmulatorBuilder {
    /// The region of new pool ids (default `us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = region.into();
        self
    }

    /// How token issuers are named (default: the emulator's own URL + pool id).
    pub fn issuer(mut self, issuer: Issuer) -> Self {
        self.config.issuer = issuer;
        self
    }

    /// Signs every token with this key, every pool's included, instead of giving each pool
    /// keys of its own (for tests that pin keys; a pool's JWKS then lists this key alone).
    pub fn signing_key(mut self, key: Arc<SigningKey>) -> Self {
        self.key = Some(key);
        self.pinned = true;
        self
    }

    /// The emulator's own key (what signs identity pools' tokens; what an exported state
    /// carries), while pools keep keys of their own.
    pub fn own_key(mut self, key: Arc<SigningKey>) -> Self {
        self.key = Some(key);
        self.pinned = false;
        self
    }

    /// Refuse SRP `TIMESTAMP`s further than `window` from the emulator clock (off by default,
    /// because tests move the emulator clock while clients sign with the wall clock).
    pub fn srp_timestamp_window(mut self, window: Duration) -> Self {
        self.config.srp_timestamp_window = Some(window);
        self
    }

    /// Meters requests with Cognito's default quotas from the start (off by default; quotas
    /// can be changed later through [`Handle::throttle`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let emu = cognito_emulator::Emulator::builder().throttling(true).start().await;
    /// assert!(emu.throttle().is_enabled());
    /// # }
    /// ```
    pub fn throttling(mut self, on: bool) -> Self {
        self.throttling = on;
        self
    }

    /// The largest request body accepted (default 1 MiB).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.config.max_body_bytes = bytes;
        self
    }

    /// The server's bounds: header-read and idle timeouts, the connection limit and the largest
    /// state import (defaults: 10 s, 120 s, 1024, 256 MiB).
    pub fn limits(mut self, limits: crate::ctx::Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// A host name, besides loopback names and addresses, that may reach the control plane
    /// (`/_emulator/*`): the name other containers use for this one, say.
    pub fn allowed_host(mut self, host: impl Into<String>) -> Self {
        self.config.allowed_hosts.push(host.into());
        self
    }

    /// Requires this token (`X-Emulator-Admin-Token` or `Authorization: Bearer`) for the control
    /// plane: on shared hosts and in containers, where others can reach the port.
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.config.admin_token = Some(token.into());
        self
    }

    /// Requires SigV4 signatures, made with this access key and secret (or another key given
    /// the same way), on every operation Cognito serves only to callers with AWS credentials:
    /// the Admin and configuration operations. Unsigned and badly signed calls get the errors
    /// AWS gives (`MissingAuthenticationTokenException`, `InvalidSignatureException`,
    /// `UnrecognizedClientException`). Repeatable.
    pub fn require_sigv4(
        mut self,
        access_key_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        self.config
            .sigv4_keys
            .get_or_insert_with(Default::default)
            .insert(access_key_id.into(), secret.into());
        self
    }

    /// The address to listen on (default 127.0.0.1:0, an ephemeral port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Keeps the state in an SQLite database in `dir` (created if missing), so pools, users,
    /// tokens and the signing key survive restarts and crashes. Without it the state lives in
    /// memory only.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// A handle and router with no socket, for socket-free tests (`tower::ServiceExt::oneshot`).
    /// A data directory, if set, is ignored here; [`EmulatorBuilder::try_start`] opens it.
    pub fn into_router(self) -> (axum::Router, Handle) {
        let key = self.key.map_or_else(
            crate::tokens::keys::KeyHandle::shared,
            crate::tokens::keys::KeyHandle::ready,
        );
        let mut ctx = Ctx::new(self.config, key);
        ctx.keys = Arc::new(crate::tokens::ring::KeyRing::new(self.pinned));
        ctx.throttle.set_enabled(self.throttling);
        (router::router(ctx.clone()), Handle { ctx })
    }

    fn into_durable_router(
        self,
        dir: &std::path::Path,
    ) -> Result<(axum::Router, Handle), crate::state::durable::DurableError> {
        use crate::state::durable::{state_from, Database, Durable};
        let db = Database::open(dir)?;
        let key = match (self.key, db.signing_key()?) {
            (Some(given), stored) => {
                // Kept, so a later start without the key still verifies the tokens it signs.
                if stored.as_deref() != Some(given.to_pem()) {
                    db.set_signing_key(given.to_pem())?;
                }
                given
            }
            (None, Some(pem)) => Arc::new(SigningKey::from_pem(&pem).map_err(|e| {
                crate::state::durable::DurableError::Corrupt {
                    dir: dir.to_owned(),
                    kind: "meta".into(),
                    key: "signing_key".into(),
                    why: e.to_string(),
                }
            })?),
            (None, None) => {
                let key = Arc::new(SigningKey::generate());
                db.set_signing_key(key.to_pem())?;
                key
            }
        };
        let state = state_from(db.load()?);
        let durable = Arc::new(Durable::start(db)?);
        let mut ctx = Ctx::new(self.config, crate::tokens::keys::KeyHandle::ready(key));
        ctx.keys = Arc::new(crate::tokens::ring::KeyRing::new(self.pinned));
        ctx.keys.load(&state);
        ctx.store = Arc::new(crate::state::store::Store::durable(state, durable));
        ctx.throttle.set_enabled(self.throttling);
        Ok((router::router(ctx.clone()), Handle { ctx }))
    }

    /// Binds and starts serving (opening the data directory first, when one is set).
    pub async fn try_start(mut self) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(self.addr).await.map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot listen on {}: {e}", self.addr))
        })?;
        let addr = listener.local_addr()?;
        self.config.base_url = format!("http://{addr}");
        let (app, handle) = match self.data_dir.take() {
            Some(dir) => tokio::task::spawn_blocking(move || self.into_durable_router(&dir))
                .await
                .map_err(std::io::Error::other)?
                .map_err(std::io::Error::other)?,
            None => self.into_router(),
        };
        let (tx, rx) = oneshot::channel::<()>();
        let limits = handle.ctx.config.limits;
        let task = tokio::spawn(crate::http::listener::run(listener, app, limits, rx));
        tracing::debug!(%addr, "emulator listening");
        Ok(Emulator {
            handle,
            addr,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// Binds and starts serving; panics if the address cannot be bound (meant for tests).
    #[allow(clippy::expect_used)]
    pub async fn start(self) -> Emulator {
        self.try_start()
            .await
            .expect("the emulator could not bind its address")
    }
}

/// Access to a running emulator's state: its clock, its outbox, and its operations without
/// HTTP.
#[derive(Debug, Clone)]
pub struct Handle {
    ctx: Ctx,
}

impl Handle {
    /// The clock every token, code and session expiry is measured on.
    pub fn clock(&self) -> &EmulatorClock {
        &self.ctx.clock
    }

    /// The emulator's clock as a shared handle, to hand to the SDK as its clock
    /// (`CognitoUserPool::builder(..).clock(emu.shared_clock())`): one `advance` then expires the
    /// SDK's tokens and the emulator's alike.
    pub fn shared_clock(&self) -> Arc<EmulatorClock> {
        self.ctx.clock.clone()
    }

    /// The codes and temporary passwords "sent" so far.
    pub fn outbox(&self) -> &Outbox {
        &self.ctx.outbox
    }

    /// Request-rate quotas (off until enabled).
    pub fn throttle(&self) -> &crate::pipeline::quota::Throttle {
        &self.ctx.throttle
    }

    /// Lambda trigger handlers and their invocations.
    pub fn triggers(&self) -> &crate::triggers::Triggers {
        &self.ctx.triggers
    }

    /// Fault rules applied to HTTP requests.
    pub fn faults(&self) -> &crate::pipeline::faults::Faults {
        &self.ctx.faults
    }

    /// A scenario file skeleton of what the journal holds (what
    /// `GET /_emulator/journal?format=scenario` answers).
    pub fn recorded_scenario(&self) -> String {
        crate::pipeline::record::scenario(&self.ctx)
    }

    /// Every API request answered over HTTP, in order.
    pub fn journal(&self) -> &crate::pipeline::journal::Journal {
        &self.ctx.journal
    }

    /// The issuer (`iss`) of a pool's tokens.
    pub fn issuer(&self, pool_id: &str) -> String {
        self.ctx.issuer(pool_id)
    }

    /// The emulator's own public signing key as a JWK (what signs identity pools' tokens, and
    /// every pool's when the key is pinned).
    pub fn jwk(&self) -> &crate::tokens::keys::Jwk {
        self.ctx.key.jwk()
    }

    /// A pool's JWKS keys (the id-token key, then the access-token key), made now if the pool
    /// has not signed yet.
    pub fn pool_jwks(&self, pool_id: &str) -> Result<Vec<crate::tokens::keys::Jwk>, CognitoError> {
        Ok(crate::tokens::pool_keys(&self.ctx, pool_id)?.jwks())
    }

    /// Waits until every change made so far is stored (durable mode; at once otherwise). HTTP
    /// responses already wait for this; direct changes through the handle do not.
    pub async fn sync(&self) -> Result<(), crate::state::durable::DurableError> {
        self.ctx.store.sync().await
    }

    /// The whole durable state (pools, users, tokens, revocations, identity pools and the
    /// signing key) as one JSON document: what `GET /_emulator/state` returns, and what
    /// [`Handle::import`] and `serve --seed` accept.
    pub fn export(&self) -> crate::state::durable::records::Snapshot {
        crate::http::state_routes::snapshot(&self.ctx)
    }

    /// Replaces the durable state with a snapshot's (everything not in it is dropped). The
    /// signing key of a running emulator does not change; start from the snapshot
    /// (`serve --seed`) to take its key too.
    pub fn import(
        &self,
        snapshot: crate::state::durable::records::Snapshot,
    ) -> Result<(), CognitoError> {
        snapshot.check().map_err(CognitoError::invalid_parameter)?;
        self.ctx.store.replace(snapshot);
        self.ctx.store.with(|state| self.ctx.keys.load(state));
        Ok(())
    }

    pub(crate) fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Makes identity pools accept `token` from a public `provider` (`graph.facebook.com` …)
    /// as a login of `subject` (what `POST /_emulator/identity/tokens` does).
    pub fn accept_identity_token(&self, provider: &str, token: &str, subject: &str) {
        self.ctx.store.with(|state| {
            state
                .identity
                .external_tokens
                .insert((provider.to_owned(), token.to_owned()), subject.to_owned())
        });
    }

    /// Runs a user pools or identity pools operation the way `POST /` would, without HTTP.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use cognito_emulator::Emulator;
    /// use cognito_protocol::wire::{CreateUserPoolRequest, CreateUserPoolResponse};
    ///
    /// let emu = Emulator::start().await;
    /// let out: CreateUserPoolResponse = emu
    ///     .call("CreateUserPool", &CreateUserPoolRequest { pool_name: "p".into(), ..Default::default() })
    ///     .unwrap();
    /// assert!(out.user_pool.unwrap().id.unwrap().starts_with("us-east-1_"));
    /// # }
    /// ```
    pub fn call<I: Serialize, O: DeserializeOwned>(
        &self,
        operation: &str,
        input: &I,
    ) -> Result<O, CognitoError> {
        let (op, service) = operation_of(operation)?;
        let body =
            serde_json::to_value(input).map_err(|e| CognitoError::serialization(e.to_string()))?;
        let out = crate::http::api::invoke(&self.ctx, op, service, body)?;
        serde_json::from_value(out).map_err(|e| CognitoError::serialization(e.to_string()))
    }
}

/// An operation of either service, by name.
fn operation_of(
    operation: &str,
) -> Result<
    (
        &'static crate::ops::Operation,
        crate::pipeline::validate::Service,
    ),
    CognitoError,
> {
    crate::http::api::by_name(operation)
        .ok_or_else(|| CognitoError::unknown_operation(format!("Unknown operation {operation}.")))
}

impl Handle {
    /// Runs an operation on a raw request body, as `POST /` does after reading it: the JSON 1.1
    /// decoder, the model's validation, the operation's input shape, then the handler (no pipeline: no journal, quota
    /// or faults). Every operation of both services, by name; what fuzzing drives.
    pub fn call_raw(
        &self,
        operation: &str,
        body: &[u8],
    ) -> Result<serde_json::Value, CognitoError> {
        let (op, service) = operation_of(operation)?;
        crate::http::api::invoke(
            &self.ctx,
            op,
            service,
            crate::http::request::json_object(body)?,
        )
    }

    /// The names of every operation of both services (user pools first).
    pub fn operation_names() -> impl Iterator<Item = &'static str> {
        crate::http::api::all_operations().map(|o| o.name)
    }
}

/// A running emulator. Dropping it stops the server.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let emu = cognito_emulator::Emulator::start().await;
/// assert!(emu.endpoint().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[derive(Debug)]
pub struct Emulator {
    handle: Handle,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator on 127.0.0.1 with an ephemeral port and default options.
    pub async fn start() -> Emulator {
        EmulatorBuilder::default().start().await
    }

    /// Options for a new emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT`: the endpoint to give clients.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, lets requests in flight finish (up to 30 seconds), then
    /// stores whatever is pending and stops the durable writer.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Err(e) = self.handle.ctx.store.sync().await {
            tracing::error!(error = %e, "could not store the last changes");
        }
        self.handle.ctx.store.close();
    }
}

impl Deref for Emulator {
    type Target = Handle;

    fn deref(&self) -> &Handle {
        &self.handle
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
