//! Request-rate quotas the way Cognito meters them: operations grouped into categories, one
//! token bucket per category, refilled on the emulator clock. InitiateAuth and
//! AdminInitiateAuth draw from UserAuthentication; RespondToAuthChallenge and
//! AdminRespondToAuthChallenge have their own bucket at three times that rate, as in Cognito.
//! Over quota, a request is answered `TooManyRequestsException` (HTTP 400).
//!
//! [`QuotaLayer`] is this step of the request pipeline.
//!
//! Off by default; [`Throttle::set_enabled`] (or `--throttle`, or a scenario) turns it on.
//! The default rates are Cognito's published defaults; every one can be changed, to 0 (every
//! request refused) or with a larger burst.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::response::Response;
use cognito_protocol::wire::ErrorKind;
use serde::{Deserialize, Serialize};
use tower::{Layer, Service};

use super::{respond, Answer, Call, Step};
use crate::error::CognitoError;

/// A quota: `rate` requests per second, up to `burst` at once (the bucket's size).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    /// Requests per second refilled.
    pub rate: f64,
    /// The bucket's size; defaults to one second's worth.
    #[serde(default)]
    pub burst: Option<f64>,
}

impl Quota {
    /// `rate` per second with a one-second burst.
    pub fn per_second(rate: f64) -> Self {
        Self { rate, burst: None }
    }

    fn capacity(&self) -> f64 {
        self.burst.unwrap_or(self.rate).max(0.0)
    }
}

macro_rules! categories {
    ($($variant:ident = $name:literal at $rate:literal,)*) => {
        /// The categories Cognito meters operations in. Which operation falls in which is said
        /// once, in each service's operation table (`ops::TABLE`, `identity::ops::TABLE`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Category {
            $(
                #[doc = concat!("`", $name, "`, ", stringify!($rate), " requests per second by default.")]
                $variant,
            )*
        }

        impl Category {
            /// Every category.
            pub const ALL: &[Category] = &[$(Category::$variant,)*];

            /// The name quotas are set by (`--quota NAME=RATE`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Category::$variant => $name,)*
                }
            }

            /// Cognito's published default rate, in requests per second.
            pub fn default_rate(self) -> f64 {
                match self {
                    $(Category::$variant => $rate,)*
                }
            }
        }
    };
}

categories! {
    UserAuthentication = "UserAuthentication" at 120.0,
    UserAuthChallenge = "UserAuthChallenge" at 360.0,
    UserCreation = "UserCreation" at 50.0,
    UserAccountRecovery = "UserAccountRecovery" at 30.0,
    UserRead = "UserRead" at 120.0,
    UserUpdate = "UserUpdate" at 25.0,
    UserList = "UserList" at 30.0,
    UserResourceRead = "UserResourceRead" at 20.0,
    UserResourceUpdate = "UserResourceUpdate" at 15.0,
    UserToken = "UserToken" at 120.0,
    // Identity pools meter each operation on its own.
    IdentityGetId = "Identity.GetId" at 25.0,
    IdentityGetCredentialsForIdentity = "Identity.GetCredentialsForIdentity" at 200.0,
    IdentityGetOpenIdToken = "Identity.GetOpenIdToken" at 200.0,
    IdentityPoolManagement = "Identity.PoolManagement" at 25.0,
}

impl Category {
    /// The category of a name.
    pub fn parse(name: &str) -> Option<Category> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}

/// The quota step of the pipeline: a request over its category's quota is answered
/// `TooManyRequestsException` (HTTP 400) and goes no further.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuotaLayer;

impl<S> Layer<S> for QuotaLayer {
    type Service = Metered<S>;

    fn layer(&self, inner: S) -> Metered<S> {
        Metered(inner)
    }
}

/// What [`QuotaLayer`] makes of the service it wraps.
#[derive(Debug, Clone)]
pub struct Metered<S>(S);

impl<S: Step> Service<Call> for Metered<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, call: Call) -> Answer {
        let over = call
            .category
            .is_some_and(|c| !call.ctx.throttle.admit(c, call.ctx.clock.now_millis()));
        if over {
            let error = CognitoError {
                kind: ErrorKind::TooManyRequests,
                message: "Rate exceeded".into(),
            };
            let response = respond(Err(error), &call.request_id);
            return Box::pin(async move { Ok(response) });
        }
        self.0.call(call)
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last_ms: i64,
}

/// The quotas and buckets of one emulator.
#[derive(Debug)]
pub struct Throttle {
    enabled: AtomicBool,
    state: Mutex<(BTreeMap<String, Quota>, BTreeMap<String, Bucket>)>,
}

impl Default for Throttle {
    fn default() -> Self {
        let quotas = Category::ALL
            .iter()
            .map(|c| (c.name().to_owned(), Quota::per_second(c.default_rate())))
            .collect();
        Self {
            enabled: AtomicBool::new(false),
            state: Mutex::new((quotas, BTreeMap::new())),
        }
    }
}

/// Why a quota change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QuotaError(String);

impl Throttle {
    fn with<R>(
        &self,
        f: impl FnOnce(&mut BTreeMap<String, Quota>, &mut BTreeMap<String, Bucket>) -> R,
    ) -> R {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (q, b) = &mut *guard;
        f(q, b)
    }

    /// Turns metering on or off.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::SeqCst);
    }

    /// Whether metering is on.
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    /// Sets a category's quota (its bucket starts full).
    pub fn set_quota(&self, category: &str, quota: Quota) -> Result<(), QuotaError> {
        if Category::parse(category).is_none() {
            let names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
            return Err(QuotaError(format!(
                "unknown quota category {category}; known: {}",
                names.join(", ")
            )));
        }
        if !(quota.rate >= 0.0 && quota.capacity() >= 0.0 && quota.rate.is_finite()) {
            return Err(QuotaError(format!(
                "invalid quota for {category}: rates are finite and not negative"
            )));
        }
        self.with(|q, b| {
            q.insert(category.to_owned(), quota);
            b.remove(category);
        });
        Ok(())
    }

    /// The current quotas.
    pub fn quotas(&self) -> BTreeMap<String, Quota> {
        self.with(|q, _| q.clone())
    }

    /// Takes one request from the category's bucket at `now_ms`; `false` when over quota.
    /// Everything is admitted while metering is off.
    pub fn admit(&self, category: Category, now_ms: i64) -> bool {
        if !self.is_enabled() {
            return true;
        }
        let category = category.name();
        self.with(|quotas, buckets| {
            let quota = quotas
                .get(category)
                .copied()
                .unwrap_or(Quota::per_second(0.0));
            let capacity = quota.capacity();
            let bucket = buckets.entry(category.to_owned()).or_insert(Bucket {
                tokens: capacity,
                last_ms: now_ms,
            });
            let elapsed = (now_ms - bucket.last_ms).max(0) as f64 / 1000.0;
            bucket.tokens = (bucket.tokens + elapsed * quota.rate).min(capacity);
            bucket.last_ms = bucket.last_ms.max(now_ms);
            if bucket.tokens >= 1.0 {
                bucket.tokens -= 1.0;
                true
            } else {
                false
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> Throttle {
        let t = Throttle::default();
        t.set_enabled(true);
        t
    }

    #[test]
    fn exactly_the_quota_passes_in_one_second_then_it_refills() {
        let t = on();
        let admitted = (0..200)
            .filter(|_| t.admit(Category::UserCreation, 1_000))
            .count();
        assert_eq!(admitted, 50);
        assert!(
            !t.admit(Category::UserCreation, 1_000),
            "the category shares one bucket"
        );
        assert_eq!(
            (0..100)
                .filter(|_| t.admit(Category::UserCreation, 2_000))
                .count(),
            50
        );
        assert_eq!(
            (0..100)
                .filter(|_| t.admit(Category::UserCreation, 2_100))
                .count(),
            5,
            "a tenth of a second refills a tenth"
        );
    }

    #[test]
    fn identity_pool_operations_have_their_own_buckets() {
        let t = on();
        assert_eq!(
            (0..100)
                .filter(|_| t.admit(Category::IdentityGetId, 0))
                .count(),
            25
        );
        assert_eq!(
            (0..300)
                .filter(|_| t.admit(Category::IdentityGetCredentialsForIdentity, 0))
                .count(),
            200,
            "GetId running dry does not touch GetCredentialsForIdentity"
        );
        assert_eq!(
            Category::parse("Identity.GetOpenIdToken"),
            Some(Category::IdentityGetOpenIdToken)
        );
    }

    #[test]
    fn challenges_have_three_times_the_authentication_share() {
        let t = on();
        assert_eq!(
            (0..1000)
                .filter(|_| t.admit(Category::UserAuthentication, 0))
                .count(),
            120
        );
        assert_eq!(
            (0..1000)
                .filter(|_| t.admit(Category::UserAuthChallenge, 0))
                .count(),
            360
        );
    }

    #[test]
    fn zero_rate_bursts_and_unknown_categories() {
        let t = on();
        t.set_quota(
            "UserAuthentication",
            Quota {
                rate: 0.0,
                burst: None,
            },
        )
        .unwrap();
        assert!(!t.admit(Category::UserAuthentication, 0));
        assert!(!t.admit(Category::UserAuthentication, 3_600_000));
        t.set_quota(
            "UserRead",
            Quota {
                rate: 1.0,
                burst: Some(5.0),
            },
        )
        .unwrap();
        assert_eq!(
            (0..10).filter(|_| t.admit(Category::UserRead, 0)).count(),
            5
        );
        assert!(t.set_quota("Nope", Quota::per_second(1.0)).is_err());
        assert!(t.set_quota("UserRead", Quota::per_second(-1.0)).is_err());
    }

    #[test]
    fn disabled_admits_everything() {
        let t = Throttle::default();
        assert_eq!(
            (0..500)
                .filter(|_| t.admit(Category::UserCreation, 0))
                .count(),
            500
        );
    }
}
