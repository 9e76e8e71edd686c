//! What a sign-in step can end with, and the data each next step carries: the details a user
//! signs in with, [`AuthOutcome`] and its challenges (new password, MFA, custom, choice-based),
//! and how a response's challenge becomes one. Plain data: the calls that answer each challenge
//! are methods of `CognitoUser` in the capability's module (`sign_in`, `mfa`, `choice`), which
//! all use this module and none of each other's types.

use std::collections::BTreeMap;

use crate::session::CognitoUserSession;
use crate::wire::{Sensitive, StringMap};

/// Which flow [`crate::CognitoUser::authenticate`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthFlow {
    /// USER_SRP_AUTH: the password never leaves the device (default).
    #[default]
    UserSrp,
    /// USER_PASSWORD_AUTH: the password is sent over TLS (the client must allow it).
    UserPassword,
    /// CUSTOM_AUTH: the pool's triggers ask custom challenges; the password is not used.
    Custom,
    /// CUSTOM_AUTH that starts with SRP_A: the password is proved by SRP when the pool's
    /// DefineAuthChallenge asks for PASSWORD_VERIFIER, then the custom challenges follow.
    CustomWithSrp,
    /// USER_AUTH (choice-based): the pool offers first factors; see
    /// [`AuthenticationDetails::preferred_challenge`] and [`crate::CognitoUser::select_challenge`].
    UserAuth,
}

/// What the user typed, and how to use it.
///
/// ```
/// use cognito_sdk::{AuthenticationDetails, AuthFlow};
/// let d = AuthenticationDetails::new("alice", "Passw0rd!")
///     .flow(AuthFlow::UserPassword)
///     .client_metadata("app", "ios");
/// assert_eq!(d.username(), "alice");
/// assert!(!format!("{d:?}").contains("Passw0rd"));
/// ```
#[derive(Debug, Clone)]
pub struct AuthenticationDetails {
    pub(crate) username: String,
    pub(crate) password: Sensitive<String>,
    pub(crate) flow: AuthFlow,
    pub(crate) client_metadata: StringMap,
    pub(crate) preferred: Option<FirstFactor>,
}

impl AuthenticationDetails {
    /// A username (or alias) and password; SRP by default.
    pub fn new(username: &str, password: &str) -> Self {
        Self {
            username: username.to_owned(),
            password: Sensitive(password.to_owned()),
            flow: AuthFlow::default(),
            client_metadata: StringMap::new(),
            preferred: None,
        }
    }
    /// Chooses the flow.
    pub fn flow(mut self, flow: AuthFlow) -> Self {
        self.flow = flow;
        self
    }
    /// Adds client metadata for the triggers.
    pub fn client_metadata(mut self, key: &str, value: &str) -> Self {
        self.client_metadata
            .insert(key.to_owned(), value.to_owned());
        self
    }
    /// For [`AuthFlow::UserAuth`]: the first factor to use if the pool offers it (otherwise
    /// the outcome is [`AuthOutcome::SelectChallenge`]).
    pub fn preferred_challenge(mut self, factor: FirstFactor) -> Self {
        self.preferred = Some(factor);
        self
    }
    /// The name the user signs in with.
    pub fn username(&self) -> &str {
        &self.username
    }
}

/// How a sign-in step ended: a session, or the next step Cognito asks for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AuthOutcome {
    /// Signed in; the session is stored. When the pool tracks devices and this one is new, its
    /// keys are stored too: [`crate::CognitoUser::confirm_device`] confirms (and remembers) it.
    SignedIn(CognitoUserSession),
    /// A temporary password must be replaced ([`crate::CognitoUser::complete_new_password`]).
    NewPasswordRequired(NewPasswordChallenge),
    /// A second factor is required: SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP
    /// ([`crate::CognitoUser::send_mfa_code`]).
    MfaRequired(MfaChallenge),
    /// The user chooses a second factor ([`crate::CognitoUser::select_mfa_type`]).
    SelectMfaType(SelectMfaChallenge),
    /// MFA is required and must be set up first
    /// ([`crate::CognitoUser::associate_software_token_for_setup`]).
    MfaSetup(MfaSetupChallenge),
    /// A challenge from the pool's custom-auth triggers
    /// ([`crate::CognitoUser::send_custom_challenge_answer`]).
    CustomChallenge(CustomChallenge),
    /// Choice-based sign-in asks for a first factor ([`crate::CognitoUser::select_challenge`]).
    SelectChallenge(SelectChallenge),
    /// Sign in with a passkey: hand [`WebAuthnChallenge::request_options`] to the platform
    /// authenticator and its assertion to [`crate::CognitoUser::send_webauthn_assertion`].
    WebAuthn(WebAuthnChallenge),
}

/// The WEB_AUTHN challenge.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WebAuthnChallenge {
    /// `PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get` (or any
    /// authenticator API that takes the standard JSON form).
    pub request_options: serde_json::Value,
    pub(crate) session: Sensitive<String>,
}

/// A CUSTOM_CHALLENGE.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CustomChallenge {
    /// The trigger's public challenge parameters.
    pub parameters: BTreeMap<String, String>,
    pub(crate) session: Sensitive<String>,
}

/// The NEW_PASSWORD_REQUIRED challenge.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewPasswordChallenge {
    /// Attributes the pool requires that the user does not have yet (names without the
    /// `userAttributes.` prefix).
    pub required_attributes: Vec<String>,
    /// The user's current attributes (without the read-only `*_verified` ones).
    pub user_attributes: BTreeMap<String, String>,
    pub(crate) session: Sensitive<String>,
}

/// A first factor of choice-based sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FirstFactor {
    /// The password, sent over TLS (PASSWORD).
    Password,
    /// The password, proved by SRP (PASSWORD_SRP).
    PasswordSrp,
    /// A one-time code by email (EMAIL_OTP).
    EmailOtp,
    /// A one-time code by SMS (SMS_OTP).
    SmsOtp,
    /// A passkey (WEB_AUTHN): the outcome is [`AuthOutcome::WebAuthn`].
    WebAuthn,
}

impl FirstFactor {
    /// The challenge name Cognito uses.
    ///
    /// ```
    /// assert_eq!(cognito_sdk::FirstFactor::EmailOtp.challenge_name(), "EMAIL_OTP");
    /// ```
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::PasswordSrp => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        [
            Self::Password,
            Self::PasswordSrp,
            Self::EmailOtp,
            Self::SmsOtp,
            Self::WebAuthn,
        ]
        .into_iter()
        .find(|f| f.challenge_name() == name)
    }
}

/// SELECT_CHALLENGE: the first factors on offer (those this SDK knows).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SelectChallenge {
    /// What the user may choose.
    pub available: Vec<FirstFactor>,
    pub(crate) session: Sensitive<String>,
}

pub(crate) fn select_outcome(available: &[String], session: Sensitive<String>) -> AuthOutcome {
    AuthOutcome::SelectChallenge(SelectChallenge {
        available: available
            .iter()
            .filter_map(|c| FirstFactor::from_name(c))
            .collect(),
        session,
    })
}

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MfaKind {
    /// A code sent by SMS.
    Sms,
    /// A code from an authenticator app (TOTP).
    SoftwareToken,
    /// A code sent by email (EMAIL_OTP), as a second factor or as the first factor of
    /// choice-based sign-in.
    Email,
    /// A one-time code by SMS as the first factor of choice-based sign-in (SMS_OTP).
    SmsOtp,
}

impl MfaKind {
    /// The challenge name (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
        }
    }

    pub(crate) fn code_key(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA_CODE",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA_CODE",
            Self::Email => "EMAIL_OTP_CODE",
            Self::SmsOtp => "SMS_OTP_CODE",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "SMS_MFA" => Some(Self::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(Self::SoftwareToken),
            "EMAIL_OTP" => Some(Self::Email),
            "SMS_OTP" => Some(Self::SmsOtp),
            _ => None,
        }
    }
}

/// SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP: answer with [`crate::CognitoUser::send_mfa_code`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaChallenge {
    /// Which factor.
    pub kind: MfaKind,
    /// Where an SMS code went (masked).
    pub destination: Option<String>,
    pub(crate) session: Sensitive<String>,
}

/// SELECT_MFA_TYPE: answer with [`crate::CognitoUser::select_mfa_type`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SelectMfaChallenge {
    /// The factors the user can choose from.
    pub options: Vec<MfaKind>,
    pub(crate) session: Sensitive<String>,
}

/// MFA_SETUP: MFA is required and the user has none; associate and verify a software token
/// with [`crate::CognitoUser::associate_software_token_for_setup`] and
/// [`crate::CognitoUser::verify_software_token_for_setup`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaSetupChallenge {
    /// The factors that can be set up.
    pub can_setup: Vec<MfaKind>,
    pub(crate) session: Sensitive<String>,
}

fn kinds(json: Option<&String>) -> Vec<MfaKind> {
    json.and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|n| MfaKind::from_name(n))
        .collect()
}

/// The outcome for an MFA challenge in a response, if it is one.
pub(crate) fn mfa_outcome(
    name: &str,
    params: &BTreeMap<String, String>,
    session: Sensitive<String>,
) -> Option<AuthOutcome> {
    Some(match name {
        "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" => {
            AuthOutcome::MfaRequired(MfaChallenge {
                kind: MfaKind::from_name(name)?,
                destination: params.get("CODE_DELIVERY_DESTINATION").cloned(),
                session,
            })
        }
        "SELECT_MFA_TYPE" => AuthOutcome::SelectMfaType(SelectMfaChallenge {
            options: kinds(params.get("MFAS_CAN_CHOOSE")),
            session,
        }),
        "MFA_SETUP" => AuthOutcome::MfaSetup(MfaSetupChallenge {
            can_setup: kinds(params.get("MFAS_CAN_SETUP")),
            session,
        }),
        _ => return None,
    })
}
