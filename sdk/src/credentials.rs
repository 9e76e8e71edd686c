//! AWS credentials from an identity pool (Cognito Identity): the user's id token (or another
//! provider's token, or none for guests) becomes an identity id, kept in storage, and
//! temporary AWS credentials, kept in memory until shortly before they expire. Concurrent
//! callers share one request.
//!
//! ```no_run
//! # async fn run(pool: cognito_sdk::CognitoUserPool) -> Result<(), cognito_sdk::Error> {
//! use cognito_sdk::CognitoCredentials;
//!
//! let credentials = CognitoCredentials::new("us-east-1:1a2b3c4d-0000-0000-0000-123456789012", &pool);
//! let user = pool.current_user().await?.expect("signed in");
//! let aws = credentials.for_user(&user).await?;
//! println!("{} until {:?}", aws.access_key_id, aws.expiration);
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::client::Client;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::pool::CognitoUserPool;
use crate::sigv4::AwsCredentials;
use crate::storage::Storage;
use crate::user::CognitoUser;
use crate::wire::{
    GetCredentialsForIdentityResponse, GetIdRequest, GetIdResponse, IdentityLoginsRequest,
    Sensitive, IDENTITY_TARGET_PREFIX,
};

/// Credentials are renewed this many seconds before they expire.
const MARGIN_SECS: i64 = 300;

/// AWS credentials for the users (and guests) of an identity pool.
#[derive(Debug, Clone)]
pub struct CognitoCredentials {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    identity_pool_id: String,
    user_pool_provider: String,
    client: Client,
    storage: Arc<dyn Storage>,
    clock: Arc<dyn Clock>,
    cached: Mutex<Option<Cached>>,
    flight: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone)]
struct Cached {
    logins_key: String,
    credentials: AwsCredentials,
}

impl CognitoCredentials {
    /// Credentials from `identity_pool_id`, using the user pool's endpoint (an emulator serves
    /// both services at one URL; the real Cognito endpoint becomes
    /// `https://cognito-identity.{region}.amazonaws.com/`), transport, storage and clock.
    pub fn new(identity_pool_id: &str, pool: &CognitoUserPool) -> Self {
        let user_pool = &pool.inner;
        let region = user_pool
            .pool_id
            .split('_')
            .next()
            .unwrap_or("us-east-1")
            .to_owned();
        let endpoint = user_pool.client.endpoint.replacen(
            &format!("https://cognito-idp.{region}.amazonaws.com"),
            &format!("https://cognito-identity.{region}.amazonaws.com"),
            1,
        );
        Self {
            inner: Arc::new(Inner {
                identity_pool_id: identity_pool_id.to_owned(),
                user_pool_provider: format!(
                    "cognito-idp.{region}.amazonaws.com/{}",
                    user_pool.pool_id
                ),
                client: Client {
                    endpoint,
                    target_prefix: IDENTITY_TARGET_PREFIX,
                    ..user_pool.client.clone()
                },
                storage: user_pool.storage.clone(),
                clock: user_pool.clock.clone(),
                cached: Mutex::new(None),
                flight: tokio::sync::Mutex::new(()),
            }),
        }
    }

    pub(crate) fn transport(&self) -> &Arc<dyn crate::transport::Transport> {
        &self.inner.client.transport
    }

    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// The login provider name of the user pool (`cognito-idp.{region}.amazonaws.com/{id}`).
    pub fn user_pool_provider(&self) -> &str {
        &self.inner.user_pool_provider
    }

    fn storage_key(&self) -> String {
        format!("aws.cognito.identity-id.{}", self.inner.identity_pool_id)
    }

    /// The identity id kept in storage, if one was obtained before.
    pub async fn identity_id(&self) -> Result<Option<String>> {
        self.inner
            .storage
            .get(&self.storage_key())
            .await
            .map_err(Error::storage)
    }

    /// Credentials for a user pool id token.
    pub async fn get_aws_credentials(&self, id_token: &str) -> Result<AwsCredentials> {
        let logins = BTreeMap::from([(self.inner.user_pool_provider.clone(), id_token.to_owned())]);
        self.with_logins(logins).await
    }

    /// Credentials for the signed-in user: the session is refreshed first when needed.
    pub async fn for_user(&self, user: &CognitoUser) -> Result<AwsCredentials> {
        let session = user.get_session().await?;
        self.get_aws_credentials(session.id_token().raw()).await
    }

    /// Credentials for other logins (`graph.facebook.com`, `accounts.google.com`, …).
    pub async fn with_logins(&self, logins: BTreeMap<String, String>) -> Result<AwsCredentials> {
        self.get(logins).await
    }

    /// Credentials for a guest (the pool must allow unauthenticated identities).
    pub async fn unauthenticated(&self) -> Result<AwsCredentials> {
        self.get(BTreeMap::new()).await
    }

    /// Forgets the cached credentials and the stored identity id (on sign-out).
    pub async fn clear(&self) -> Result<()> {
        *self.lock_cache() = None;
        self.inner
            .storage
            .remove(&self.storage_key())
            .await
            .map_err(Error::storage)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        self.inner.cached.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh(&self, logins_key: &str) -> Option<AwsCredentials> {
        let now = self.inner.clock.now_secs();
        self.lock_cache()
            .as_ref()
            .filter(|c| c.logins_key == logins_key)
            .filter(|c| {
                c.credentials
                    .expiration
                    .is_none_or(|e| e - MARGIN_SECS > now)
            })
            .map(|c| c.credentials.clone())
    }

    async fn get(&self, logins: BTreeMap<String, String>) -> Result<AwsCredentials> {
        let logins_key = logins.keys().cloned().collect::<Vec<_>>().join(" ");
        if let Some(c) = self.fresh(&logins_key) {
            return Ok(c);
        }
        let _one_at_a_time = self.inner.flight.lock().await;
        if let Some(c) = self.fresh(&logins_key) {
            return Ok(c);
        }
        let credentials = self.fetch(&logins).await?;
        *self.lock_cache() = Some(Cached {
            logins_key,
            credentials: credentials.clone(),
        });
        Ok(credentials)
    }

    async fn fetch(&self, logins: &BTreeMap<String, String>) -> Result<AwsCredentials> {
        let given = (!logins.is_empty()).then(|| Sensitive(logins.clone()));
        let stored = self.identity_id().await?;
        let from_storage = stored.is_some();
        let identity_id = match stored {
            Some(id) => id,
            None => self.new_identity(given.clone()).await?,
        };
        let answer: Result<GetCredentialsForIdentityResponse> = self
            .inner
            .client
            .call(
                "GetCredentialsForIdentity",
                &IdentityLoginsRequest {
                    identity_id: identity_id.clone(),
                    logins: given.clone(),
                    custom_role_arn: None,
                },
            )
            .await;
        let out = match answer {
            // The stored identity belongs to someone else's logins, or no longer exists: get
            // the identity for these logins and try once more.
            Err(e)
                if matches!(
                    e.kind(),
                    Some(
                        crate::wire::ErrorKind::ResourceNotFound
                            | crate::wire::ErrorKind::NotAuthorized
                    )
                ) && from_storage =>
            {
                tracing::info!(error = %e, "stored identity id refused; getting a new one");
                let identity_id = self.new_identity(given.clone()).await?;
                self.inner
                    .client
                    .call(
                        "GetCredentialsForIdentity",
                        &IdentityLoginsRequest {
                            identity_id,
                            logins: given,
                            custom_role_arn: None,
                        },
                    )
                    .await?
            }
            other => other?,
        };
        let c = out.credentials.ok_or_else(|| Error::InvalidResponse {
            status: 200,
            reason: "GetCredentialsForIdentity answered without Credentials".into(),
            body: String::new(),
            source: None,
        })?;
        let missing = |what: &str| Error::InvalidResponse {
            status: 200,
            reason: format!("Credentials without {what}"),
            body: String::new(),
            source: None,
        };
        Ok(AwsCredentials {
            access_key_id: c.access_key_id.ok_or_else(|| missing("AccessKeyId"))?,
            secret_access_key: c.secret_key.ok_or_else(|| missing("SecretKey"))?,
            session_token: c.session_token,
            expiration: c.expiration.map(|e| e as i64),
        })
    }

    async fn new_identity(
        &self,
        logins: Option<Sensitive<BTreeMap<String, String>>>,
    ) -> Result<String> {
        let out: GetIdResponse = self
            .inner
            .client
            .call(
                "GetId",
                &GetIdRequest {
                    account_id: None,
                    identity_pool_id: self.inner.identity_pool_id.clone(),
                    logins,
                },
            )
            .await?;
        self.inner
            .storage
            .set(&self.storage_key(), &out.identity_id)
            .await
            .map_err(Error::storage)?;
        Ok(out.identity_id)
    }
}
