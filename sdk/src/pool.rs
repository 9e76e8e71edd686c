//! The entry point: a user pool and app client, configured once (secret, endpoint, storage,
//! timeouts, clock, retries), from which users are made, signed up and restored.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{BoxFuture, Shared};

use crate::client::Client;
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::session::CognitoUserSession;
use crate::storage::{Keys, MemoryStorage, Storage};
use crate::transport::{ReqwestTransport, Transport};
use crate::user::{CognitoUser, RefreshMethod};
use crate::wire::{
    self, AttributeType, CodeDeliveryDetailsType, Sensitive, SignUpRequest, SignUpResponse,
    StringMap,
};

/// Fills a buffer with random bytes (the SRP private value comes from here).
pub type RandomSource = Arc<dyn Fn(&mut [u8]) + Send + Sync>;

pub(crate) type Flight = Shared<BoxFuture<'static, Result<CognitoUserSession>>>;

pub(crate) struct PoolInner {
    pub pool_id: String,
    pub client_id: String,
    pub client_secret: Option<Sensitive<String>>,
    pub client: Client,
    pub storage: Arc<dyn Storage>,
    pub clock: Arc<dyn Clock>,
    pub random: RandomSource,
    pub keys: Keys,
    pub issuer: String,
    pub expiry_margin: i64,
    pub refresh_method: RefreshMethod,
    pub session_deadline: Duration,
    pub flights: Mutex<HashMap<String, Flight>>,
}

impl std::fmt::Debug for PoolInner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoUserPool")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("endpoint", &self.client.endpoint)
            .field("has_secret", &self.client_secret.is_some())
            .finish_non_exhaustive()
    }
}

impl PoolInner {
    /// `SECRET_HASH` for a username, when the client has a secret.
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|s| wire::secret_hash(s.expose(), username, &self.client_id))
    }

    pub(crate) fn pool_name(&self) -> &str {
        crate::srp::pool_name(&self.pool_id)
    }
}

/// A user pool and app client.
///
/// ```no_run
/// # async fn run() -> Result<(), cognito_sdk::Error> {
/// use cognito_sdk::{AuthenticationDetails, AuthOutcome, CognitoUserPool};
///
/// let pool = CognitoUserPool::builder("us-east-1_ExaMPle12", "1example23456789abcdefghij")
///     .endpoint("http://127.0.0.1:9229") // the emulator; omit for real Cognito
///     .build()?;
/// let user = pool.user("alice");
/// match user.authenticate(AuthenticationDetails::new("alice", "Passw0rd!")).await? {
///     AuthOutcome::SignedIn(session) => println!("{}", session.id_token().raw()),
///     AuthOutcome::NewPasswordRequired(challenge) => println!("needs {:?}", challenge.required_attributes),
///     other => println!("next step: {other:?}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct CognitoUserPool {
    pub(crate) inner: Arc<PoolInner>,
}

impl CognitoUserPool {
    /// A pool with every option at its default (real Cognito endpoint of the pool's region,
    /// in-memory storage, 10 s timeouts, 3 attempts).
    pub fn new(pool_id: &str, client_id: &str) -> Result<Self> {
        Self::builder(pool_id, client_id).build()
    }

    /// Options for a pool.
    pub fn builder(pool_id: &str, client_id: &str) -> CognitoUserPoolBuilder {
        CognitoUserPoolBuilder {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: None,
            endpoint: None,
            issuer: None,
            storage: None,
            clock: None,
            transport: None,
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            random: None,
            expiry_margin: Duration::from_secs(30),
            refresh_method: RefreshMethod::default(),
            session_deadline: Duration::from_secs(15),
            allow_insecure_http: false,
        }
    }

    /// The pool id.
    pub fn pool_id(&self) -> &str {
        &self.inner.pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.client.endpoint
    }

    /// The storage sessions are kept in.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.inner.storage
    }

    /// A user of this pool, by the name they sign in with.
    pub fn user(&self, username: &str) -> CognitoUser {
        CognitoUser::new(self.clone(), username)
    }

    /// The last signed-in user, restored from storage (`None` when nobody signed in).
    pub async fn current_user(&self) -> Result<Option<CognitoUser>> {
        let last = self
            .inner
            .storage
            .get(&self.inner.keys.last_auth_user())
            .await
            .map_err(Error::storage)?;
        Ok(last.filter(|u| !u.is_empty()).map(|u| self.user(&u)))
    }

    /// Registers a user (SignUp).
    pub async fn sign_up(&self, sign_up: SignUp) -> Result<SignUpResult> {
        let inner = &self.inner;
        let req = SignUpRequest {
            client_id: inner.client_id.clone(),
            secret_hash: inner.secret_hash(&sign_up.username).map(Sensitive),
            username: sign_up.username.clone(),
            password: Some(sign_up.password),
            user_attributes: Some(sign_up.attributes),
            validation_data: (!sign_up.validation_data.is_empty())
                .then_some(sign_up.validation_data),
            client_metadata: (!sign_up.client_metadata.is_empty())
                .then_some(sign_up.client_metadata),
            ..Default::default()
        };
        let out: SignUpResponse = inner.client.call("SignUp", &req).await?;
        Ok(SignUpResult {
            user: self.user(&sign_up.username),
            user_confirmed: out.user_confirmed,
            user_sub: out.user_sub,
            code_delivery: out.code_delivery_details,
        })
    }
}

/// What to register.
///
/// ```
/// let s = cognito_sdk::SignUp::new("alice", "Passw0rd!")
///     .attribute("email", "alice@example.com")
///     .validation_data("invite", "XYZ")
///     .client_metadata("campaign", "spring");
/// assert_eq!(s.username(), "alice");
/// ```
#[derive(Debug, Clone)]
pub struct SignUp {
    username: String,
    password: Sensitive<String>,
    attributes: Vec<AttributeType>,
    validation_data: Vec<AttributeType>,
    client_metadata: StringMap,
}

impl SignUp {
    /// A username and password.
    pub fn new(username: &str, password: &str) -> Self {
        Self {
            username: username.to_owned(),
            password: Sensitive(password.to_owned()),
            attributes: Vec::new(),
            validation_data: Vec::new(),
            client_metadata: StringMap::new(),
        }
    }
    /// Adds a user attribute.
    pub fn attribute(mut self, name: &str, value: &str) -> Self {
        self.attributes.push(AttributeType::new(name, value));
        self
    }
    /// Adds validation data for the pre sign-up trigger.
    pub fn validation_data(mut self, name: &str, value: &str) -> Self {
        self.validation_data.push(AttributeType::new(name, value));
        self
    }
    /// Adds client metadata for the triggers.
    pub fn client_metadata(mut self, key: &str, value: &str) -> Self {
        self.client_metadata
            .insert(key.to_owned(), value.to_owned());
        self
    }
    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }
}

/// What SignUp answered.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignUpResult {
    /// The new user (not signed in).
    pub user: CognitoUser,
    /// Whether the user is already confirmed.
    pub user_confirmed: bool,
    /// The user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went.
    pub code_delivery: Option<CodeDeliveryDetailsType>,
}

/// Options for a [`CognitoUserPool`].
#[must_use]
pub struct CognitoUserPoolBuilder {
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    endpoint: Option<String>,
    issuer: Option<String>,
    storage: Option<Arc<dyn Storage>>,
    clock: Option<Arc<dyn Clock>>,
    transport: Option<Arc<dyn Transport>>,
    timeout: Duration,
    retry: RetryPolicy,
    random: Option<RandomSource>,
    expiry_margin: Duration,
    refresh_method: RefreshMethod,
    session_deadline: Duration,
    allow_insecure_http: bool,
}

impl std::fmt::Debug for CognitoUserPoolBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoUserPoolBuilder")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl CognitoUserPoolBuilder {
    /// The app client's secret: `SECRET_HASH` is then sent on every call that names a user.
    pub fn client_secret(mut self, secret: &str) -> Self {
        self.client_secret = Some(secret.to_owned());
        self
    }
    /// Where to send requests (default `https://cognito-idp.{region}.amazonaws.com/`).
    pub fn endpoint(mut self, url: &str) -> Self {
        self.endpoint = Some(url.to_owned());
        self
    }
    /// The issuer tokens are verified against (default: the real Cognito issuer
    /// `https://cognito-idp.{region}.amazonaws.com/{pool id}` with the default endpoint, and
    /// `{endpoint}/{pool id}` with a custom one, which is the emulator's default).
    pub fn issuer(mut self, issuer: &str) -> Self {
        self.issuer = Some(issuer.trim_end_matches('/').to_owned());
        self
    }
    /// Where sessions are kept (default: in memory).
    pub fn storage(mut self, storage: Arc<dyn Storage>) -> Self {
        self.storage = Some(storage);
        self
    }
    /// The clock for token expiry and SRP timestamps (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }
    /// The timeout of every request (default 10 s). Ignored with a custom transport.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// A custom transport (for proxies, instrumentation, tests).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }
    /// How to retry network errors, timeouts, throttling and 5xx (default 3 attempts).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    /// The source of SRP randomness (default: the OS CSPRNG). For known-answer tests.
    pub fn random_source(mut self, random: RandomSource) -> Self {
        self.random = Some(random);
        self
    }
    /// Tokens closer than this to expiry count as expired (default 30 s).
    pub fn expiry_margin(mut self, margin: Duration) -> Self {
        self.expiry_margin = margin;
        self
    }

    /// The most `get_session` (the call an app makes before each request) may take, retries
    /// included (default 15 s). Past it the call answers [`Error::Deadline`] and the stored
    /// tokens stay; a refresh already sent goes on, and a later call gets its result.
    pub fn session_deadline(mut self, budget: Duration) -> Self {
        self.session_deadline = budget;
        self
    }

    /// Allows a plain `http://` endpoint on a host other than this machine (loopback endpoints,
    /// such as the emulator's, are always allowed). Tokens and passwords then cross the network
    /// unencrypted: for test networks only.
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// How sessions are refreshed (default [`RefreshMethod::GetTokensFromRefreshToken`]).
    pub fn refresh_method(mut self, method: RefreshMethod) -> Self {
        self.refresh_method = method;
        self
    }

    /// Checks the options and builds the pool.
    pub fn build(self) -> Result<CognitoUserPool> {
        let (region, name) = self
            .pool_id
            .split_once('_')
            .filter(|(r, n)| !r.is_empty() && !n.is_empty())
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "{} is not a user pool id (region_name)",
                    self.pool_id
                ))
            })?;
        let _ = name;
        if self.client_id.is_empty() {
            return Err(Error::InvalidArgument("the app client id is empty".into()));
        }
        if let Some(e) = self
            .endpoint
            .as_deref()
            .filter(|e| e.starts_with("http://"))
        {
            if !self.allow_insecure_http && !is_loopback_url(e) {
                return Err(Error::InvalidArgument(format!(
                    "{e} is plain http to a host that is not this machine: tokens would cross the network unencrypted (allow it with allow_insecure_http)"
                )));
            }
        }
        let (endpoint, default_issuer) = match self.endpoint {
            Some(e) if e.starts_with("http://") || e.starts_with("https://") => {
                let issuer = format!("{}/{}", e.trim_end_matches('/'), self.pool_id);
                (e, issuer)
            }
            Some(e) => return Err(Error::InvalidArgument(format!("{e} is not an http(s) URL"))),
            None => (
                format!("https://cognito-idp.{region}.amazonaws.com/"),
                format!(
                    "https://cognito-idp.{region}.amazonaws.com/{}",
                    self.pool_id
                ),
            ),
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(ReqwestTransport::new(self.timeout).map_err(|e| {
                Error::InvalidArgument(format!("cannot set up the HTTP client: {e}"))
            })?),
        };
        let random = self.random.unwrap_or_else(|| {
            Arc::new(|buf: &mut [u8]| rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, buf))
        });
        Ok(CognitoUserPool {
            inner: Arc::new(PoolInner {
                keys: Keys::new(&self.client_id),
                issuer: self.issuer.unwrap_or(default_issuer),
                pool_id: self.pool_id,
                client_id: self.client_id,
                client_secret: self.client_secret.map(Sensitive),
                client: Client {
                    endpoint,
                    target_prefix: crate::wire::TARGET_PREFIX,
                    transport,
                    retry: self.retry,
                    last_failure: Arc::default(),
                },
                storage: self
                    .storage
                    .unwrap_or_else(|| Arc::new(MemoryStorage::default())),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                random,
                expiry_margin: i64::try_from(self.expiry_margin.as_secs()).unwrap_or(30),
                refresh_method: self.refresh_method,
                session_deadline: self.session_deadline,
                flights: Mutex::new(HashMap::new()),
            }),
        })
    }
}

/// Whether an `http://` URL names this machine (localhost, 127.0.0.0/8, ::1).
fn is_loopback_url(url: &str) -> bool {
    let rest = url.trim_start_matches("http://");
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
