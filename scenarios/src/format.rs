//! The scenario file format (TOML): the pools to seed (the emulator's seed format), SDK
//! settings, quotas and fault rules in force at the start, and the steps to replay, each with
//! what it must produce.

use std::collections::BTreeMap;

use cognito_emulator::faults::{Fault, Match};
use cognito_emulator::seed::SeedPool;
use serde::{Deserialize, Deserializer};

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A one-line title.
    pub name: String,
    /// The behaviour promised.
    #[serde(default)]
    pub description: String,
    /// The public report a catalogue scenario reproduces (an issue's address).
    #[serde(default)]
    pub source: Option<String>,
    /// How the SDK under test is configured.
    #[serde(default)]
    pub sdk: SdkSettings,
    /// Pools, clients and users to create first (the emulator's seed format).
    pub pools: Vec<SeedPool>,
    /// Quotas in force from the start.
    #[serde(default)]
    pub quotas: Option<cognito_emulator::seed::SeedQuotas>,
    /// Fault rules in force from the start.
    #[serde(default)]
    pub faults: Vec<FaultRule>,
    /// What happens, in order.
    pub steps: Vec<Step>,
}

/// The SDK's settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkSettings {
    /// The pool to use (default: the first).
    pub pool: Option<String>,
    /// The app client to use (default: the pool's first).
    pub client: Option<String>,
    /// Per-request timeout in milliseconds (default 2000).
    pub timeout_ms: Option<u64>,
    /// Retries (default: 3 attempts, 100 ms base, 1 s cap).
    pub retry: Option<RetrySettings>,
}

/// Retry settings.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySettings {
    /// Attempts in all.
    pub max_attempts: u32,
    /// First backoff, in milliseconds.
    #[serde(default)]
    pub base_delay_ms: u64,
    /// Longest backoff, in milliseconds.
    #[serde(default)]
    pub max_delay_ms: u64,
}

/// A fault rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// Which requests.
    #[serde(rename = "match", default)]
    pub when: Match,
    /// What happens to them.
    pub fault: Fault,
}

/// A step: an action, the device it runs on, and what it must produce (default: success).
#[derive(Debug, Clone)]
pub struct Step {
    /// What to do.
    pub action: Action,
    /// What must come of it.
    pub expect: Option<Expect>,
    /// The device (default `main`): each device has its own session storage; all share the
    /// clock, the pool and the app client.
    pub device: Option<String>,
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut table = toml::Table::deserialize(d)?;
        let expect = table
            .remove("expect")
            .map(toml::Value::try_into::<Expect>)
            .transpose()
            .map_err(|e| D::Error::custom(format!("expect: {e}")))?;
        let device = match table.remove("device") {
            Some(toml::Value::String(d)) => Some(d),
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "device must be a string, not {other}"
                )))
            }
            None => None,
        };
        let action = toml::Value::Table(table)
            .try_into::<Action>()
            .map_err(D::Error::custom)?;
        Ok(Step {
            action,
            expect,
            device,
        })
    }
}

/// The actions a step can take.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// SignUp through the SDK.
    SignUp {
        /// Username.
        user: String,
        /// Password.
        password: String,
        /// Attributes.
        #[serde(default)]
        attributes: BTreeMap<String, String>,
    },
    /// ConfirmSignUp; the code is the last one in the outbox unless given.
    ConfirmSignUp {
        /// Username.
        user: String,
        /// The code (default: from the outbox).
        #[serde(default)]
        code: Option<String>,
    },
    /// ResendConfirmationCode.
    ResendCode {
        /// Username.
        user: String,
    },
    /// Sign in (SRP unless `flow` says otherwise).
    SignIn {
        /// Username.
        user: String,
        /// Password.
        password: String,
        /// `srp` (default), `password`, `custom` (CUSTOM_AUTH), `custom_srp` (CUSTOM_AUTH
        /// that proves the password by SRP first) or `user_auth` (choice-based).
        #[serde(default)]
        flow: Option<String>,
        /// With `user_auth`: the first factor asked for (`password`, `password_srp`,
        /// `email_otp`, `sms_otp`, `web_authn`); without, the outcome is `select_challenge`.
        #[serde(default)]
        factor: Option<String>,
    },
    /// Register a passkey for the signed-in user with this step's device's authenticator.
    RegisterPasskey {
        /// Username.
        user: String,
    },
    /// Answer the user's pending WEB_AUTHN challenge with this step's device's authenticator.
    AnswerPasskey {
        /// Username.
        user: String,
    },
    /// This step's device loses its authenticator (and every passkey on it).
    LosePasskey,
    /// The signed-in user deletes every passkey registered to their account.
    DeletePasskeys {
        /// Username.
        user: String,
    },
    /// Answer the user's pending SMS_MFA, EMAIL_OTP or SMS_OTP challenge.
    SendMfaCode {
        /// Username.
        user: String,
        /// The code (default: the user's last one in the outbox).
        #[serde(default)]
        code: Option<String>,
    },
    /// Answer the user's pending CUSTOM_CHALLENGE.
    AnswerCustomChallenge {
        /// Username.
        user: String,
        /// The answer.
        answer: String,
    },
    /// Answer NEW_PASSWORD_REQUIRED from the user's last sign-in.
    CompleteNewPassword {
        /// Username.
        user: String,
        /// The new password.
        password: String,
        /// Required attributes.
        #[serde(default)]
        attributes: BTreeMap<String, String>,
    },
    /// `get_session` of a user (default: the current user restored from storage).
    GetSession {
        /// Username.
        #[serde(default)]
        user: Option<String>,
    },
    /// `refresh_session`.
    RefreshSession {
        /// Username.
        #[serde(default)]
        user: Option<String>,
    },
    /// `copy_session`: this step's device takes a copy of everything another device's session
    /// storage holds (a session restored from a backup, or shared by two tabs): both then hold
    /// refresh tokens of one family.
    CopySession {
        /// The device to copy from.
        from: String,
    },
    /// `global_sign_out`: sign the user out on every device.
    GlobalSignOut {
        /// Username.
        #[serde(default)]
        user: Option<String>,
    },
    /// `get_user_attributes`.
    GetUserAttributes {
        /// Username.
        #[serde(default)]
        user: Option<String>,
    },
    /// `sign_out`.
    SignOut {
        /// Username.
        #[serde(default)]
        user: Option<String>,
        /// Revoke the refresh token too.
        #[serde(default)]
        revoke: bool,
    },
    /// `confirm_device`: confirm (and by default remember) the device the user's last sign-in
    /// on this step's device was issued.
    ConfirmDevice {
        /// Username.
        user: String,
        /// The device's name.
        name: String,
        /// Remember it (default true).
        #[serde(default = "yes")]
        remember: bool,
    },
    /// `forget_device`: forget this step's device for the user.
    ForgetDevice {
        /// Username.
        user: String,
    },
    /// Move the emulator's and the SDK's clocks forward together.
    AdvanceClock {
        /// Seconds.
        seconds: u64,
    },
    /// Add a fault rule.
    AddFault {
        /// Which requests.
        #[serde(rename = "match", default)]
        when: Match,
        /// What happens to them.
        fault: Fault,
    },
    /// Remove every fault rule.
    ClearFaults,
    /// Turn metering on or off.
    Throttling {
        /// On or off.
        enabled: bool,
    },
    /// Set a quota.
    SetQuota {
        /// The category.
        category: String,
        /// Requests per second.
        rate: f64,
        /// Bucket size.
        #[serde(default)]
        burst: Option<f64>,
    },
    /// Call an emulator operation directly (set-up and administration, not through HTTP).
    Admin {
        /// The operation.
        operation: String,
        /// Its input (JSON-shaped).
        #[serde(default)]
        input: serde_json::Value,
    },
    /// Run `count` copies of a step at once; the expectation applies to each.
    Concurrent {
        /// How many.
        count: usize,
        /// The step.
        step: Box<Action>,
    },
    /// The journal must hold `count` requests of this operation (and flow, and error).
    ExpectJournal {
        /// The operation; `refresh` counts refreshes whichever operation makes them.
        operation: String,
        /// The auth flow or challenge.
        #[serde(default)]
        flow: Option<String>,
        /// The exception (or `none` for successes).
        #[serde(default)]
        error: Option<String>,
        /// How many.
        count: usize,
    },
    /// The user's tokens must be `present` in storage, or `absent`.
    ExpectStorage {
        /// Username (default: the last signed-in user).
        #[serde(default)]
        user: Option<String>,
        /// `present` or `absent`.
        tokens: String,
    },
}

/// What a step must produce.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `ok`, `signed_in`, `new_password_required`, `mfa_required`, `select_mfa_type`,
    /// `mfa_setup`, `custom_challenge`, `select_challenge` or `passkey` (a WEB_AUTHN challenge).
    #[serde(default)]
    pub outcome: Option<String>,
    /// A Cognito exception (`NotAuthorizedException`), or `network`, `timeout`,
    /// `invalid_response`, `not_signed_in`, `srp`, `storage`, `authenticator` (the device's
    /// passkey authenticator could not answer).
    #[serde(default)]
    pub error: Option<String>,
    /// A part of the error's message.
    #[serde(default)]
    pub message_contains: Option<String>,
    /// Whether the error is retryable.
    #[serde(default)]
    pub retryable: Option<bool>,
}

fn yes() -> bool {
    true
}
