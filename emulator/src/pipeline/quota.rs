//! Request-rate quotas the way Cognito meters them: operations grouped into categories, one
//! token bucket per category, refilled on the emulator clock. InitiateAuth and
//! AdminInitiateAuth draw from UserAuthentication; RespondToAuthChallenge and
//! AdminRespondToAuthChallenge have their own bucket at three times that rate, as in Cognito.
//! Over quota, a request is answered `TooManyRequestsException` (HTTP 400).
//!
//! Off by default; [`Throttle::set_enabled`] (or `--throttle`, or a scenario) turns it on.
//! The default rates are Cognito's published defaults; every one can be changed, to 0 (every
//! request refused) or with a larger burst.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

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

/// The categories, their operations and default rates (requests per second).
pub const CATEGORIES: &[(&str, f64, &[&str])] = &[
    (
        "UserAuthentication",
        120.0,
        &["InitiateAuth", "AdminInitiateAuth"],
    ),
    (
        "UserAuthChallenge",
        360.0,
        &["RespondToAuthChallenge", "AdminRespondToAuthChallenge"],
    ),
    (
        "UserCreation",
        50.0,
        &[
            "SignUp",
            "ConfirmSignUp",
            "AdminCreateUser",
            "AdminConfirmSignUp",
        ],
    ),
    (
        "UserAccountRecovery",
        30.0,
        &[
            "ForgotPassword",
            "ConfirmForgotPassword",
            "ChangePassword",
            "AdminResetUserPassword",
            "AdminSetUserPassword",
            "ResendConfirmationCode",
        ],
    ),
    (
        "UserRead",
        120.0,
        &[
            "GetUser",
            "AdminGetUser",
            "AdminListGroupsForUser",
            "GetDevice",
            "ListDevices",
            "AdminGetDevice",
            "AdminListDevices",
        ],
    ),
    (
        "UserUpdate",
        25.0,
        &[
            "AdminDeleteUser",
            "DeleteUser",
            "AdminDisableUser",
            "AdminEnableUser",
            "AdminUpdateUserAttributes",
            "UpdateUserAttributes",
            "AdminDeleteUserAttributes",
            "DeleteUserAttributes",
            "VerifyUserAttribute",
            "GetUserAttributeVerificationCode",
            "GlobalSignOut",
            "AdminUserGlobalSignOut",
            "AdminAddUserToGroup",
            "AdminRemoveUserFromGroup",
            "ConfirmDevice",
            "ForgetDevice",
            "UpdateDeviceStatus",
            "AdminUpdateDeviceStatus",
            "AdminForgetDevice",
            "SetUserMFAPreference",
            "AdminSetUserMFAPreference",
            "SetUserSettings",
            "AdminSetUserSettings",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
        ],
    ),
    ("UserList", 30.0, &["ListUsers", "ListUsersInGroup"]),
    (
        "UserResourceRead",
        20.0,
        &[
            "DescribeUserPool",
            "DescribeUserPoolClient",
            "ListUserPools",
            "ListUserPoolClients",
            "ListGroups",
            "GetGroup",
            "DescribeUserPoolDomain",
            "DescribeResourceServer",
            "DescribeIdentityProvider",
        ],
    ),
    (
        "UserResourceUpdate",
        15.0,
        &[
            "CreateUserPool",
            "UpdateUserPool",
            "DeleteUserPool",
            "CreateUserPoolClient",
            "UpdateUserPoolClient",
            "DeleteUserPoolClient",
            "CreateGroup",
            "UpdateGroup",
            "DeleteGroup",
            "CreateUserPoolDomain",
            "DeleteUserPoolDomain",
            "CreateResourceServer",
            "CreateIdentityProvider",
        ],
    ),
    ("UserToken", 120.0, &["RevokeToken"]),
    // Identity pools meter each operation on its own.
    ("Identity.GetId", 25.0, &["GetId"]),
    (
        "Identity.GetCredentialsForIdentity",
        200.0,
        &["GetCredentialsForIdentity"],
    ),
    ("Identity.GetOpenIdToken", 200.0, &["GetOpenIdToken"]),
    (
        "Identity.PoolManagement",
        25.0,
        &[
            "CreateIdentityPool",
            "DescribeIdentityPool",
            "ListIdentityPools",
            "DeleteIdentityPool",
            "SetIdentityPoolRoles",
            "GetIdentityPoolRoles",
        ],
    ),
];

/// The category an operation is metered in.
pub fn category_of(operation: &str) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .find(|(_, _, ops)| ops.contains(&operation))
        .map(|(name, _, _)| *name)
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
        let quotas = CATEGORIES
            .iter()
            .map(|(name, rate, _)| ((*name).to_owned(), Quota::per_second(*rate)))
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
        if !CATEGORIES.iter().any(|(n, _, _)| *n == category) {
            let names: Vec<&str> = CATEGORIES.iter().map(|(n, _, _)| *n).collect();
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

    /// Takes one request from the operation's bucket at `now_ms`; `false` when over quota.
    /// Operations outside every category, and everything while disabled, are admitted.
    pub fn admit(&self, operation: &str, now_ms: i64) -> bool {
        if !self.is_enabled() {
            return true;
        }
        let Some(category) = category_of(operation) else {
            return true;
        };
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
        let admitted = (0..200).filter(|_| t.admit("SignUp", 1_000)).count();
        assert_eq!(admitted, 50);
        assert!(
            !t.admit("ConfirmSignUp", 1_000),
            "the category shares one bucket"
        );
        assert_eq!(
            (0..100)
                .filter(|_| t.admit("AdminCreateUser", 2_000))
                .count(),
            50
        );
        assert_eq!(
            (0..100).filter(|_| t.admit("SignUp", 2_100)).count(),
            5,
            "a tenth of a second refills a tenth"
        );
    }

    #[test]
    fn every_operation_is_metered() {
        let unmetered: Vec<&str> = crate::ops::NAMES
            .iter()
            .chain(crate::identity::ops::NAMES)
            .copied()
            .filter(|op| category_of(op).is_none())
            .collect();
        assert!(unmetered.is_empty(), "no quota category: {unmetered:?}");
    }

    #[test]
    fn identity_pool_operations_have_their_own_buckets() {
        let t = on();
        assert_eq!((0..100).filter(|_| t.admit("GetId", 0)).count(), 25);
        assert_eq!(
            (0..300)
                .filter(|_| t.admit("GetCredentialsForIdentity", 0))
                .count(),
            200,
            "GetId running dry does not touch GetCredentialsForIdentity"
        );
        assert_eq!(
            category_of("GetOpenIdToken"),
            Some("Identity.GetOpenIdToken")
        );
        assert_eq!(
            category_of("DescribeUserPoolDomain"),
            Some("UserResourceRead")
        );
    }

    #[test]
    fn challenges_have_three_times_the_authentication_share() {
        let t = on();
        assert_eq!(
            (0..1000).filter(|_| t.admit("InitiateAuth", 0)).count(),
            120
        );
        assert_eq!(
            (0..1000)
                .filter(|_| t.admit("RespondToAuthChallenge", 0))
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
        assert!(!t.admit("InitiateAuth", 0));
        assert!(!t.admit("InitiateAuth", 3_600_000));
        t.set_quota(
            "UserRead",
            Quota {
                rate: 1.0,
                burst: Some(5.0),
            },
        )
        .unwrap();
        assert_eq!((0..10).filter(|_| t.admit("GetUser", 0)).count(), 5);
        assert!(t.set_quota("Nope", Quota::per_second(1.0)).is_err());
        assert!(t.set_quota("UserRead", Quota::per_second(-1.0)).is_err());
        assert!(t.admit("SomethingUnmetered", 0));
    }

    #[test]
    fn disabled_admits_everything() {
        let t = Throttle::default();
        assert_eq!((0..500).filter(|_| t.admit("SignUp", 0)).count(), 500);
    }
}
