//! Multi-factor authentication on the client: answering SOFTWARE_TOKEN_MFA, SMS_MFA,
//! SELECT_MFA_TYPE and MFA_SETUP, and managing the user's software token and MFA preference.
//! Every answer carries the challenge's `Session` forward.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::user::sign_in::AuthOutcome;
use crate::user::CognitoUser;
use crate::wire::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, Empty, MfaSettingsType,
    Sensitive, SetUserMfaPreferenceRequest, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
};

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

    fn code_key(self) -> &'static str {
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

/// SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP: answer with [`CognitoUser::send_mfa_code`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaChallenge {
    /// Which factor.
    pub kind: MfaKind,
    /// Where an SMS code went (masked).
    pub destination: Option<String>,
    pub(crate) session: Sensitive<String>,
}

/// SELECT_MFA_TYPE: answer with [`CognitoUser::select_mfa_type`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SelectMfaChallenge {
    /// The factors the user can choose from.
    pub options: Vec<MfaKind>,
    pub(crate) session: Sensitive<String>,
}

/// MFA_SETUP: MFA is required and the user has none; associate and verify a software token
/// with [`CognitoUser::associate_software_token_for_setup`] and
/// [`CognitoUser::verify_software_token_for_setup`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaSetupChallenge {
    /// The factors that can be set up.
    pub can_setup: Vec<MfaKind>,
    pub(crate) session: Sensitive<String>,
}

/// One factor's setting for [`CognitoUser::set_user_mfa_preference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MfaSetting {
    /// Enable (or disable) it.
    pub enabled: bool,
    /// Make it the preferred factor.
    pub preferred: bool,
}

impl From<MfaSetting> for MfaSettingsType {
    fn from(s: MfaSetting) -> Self {
        MfaSettingsType {
            enabled: Some(s.enabled),
            preferred_mfa: Some(s.preferred),
        }
    }
}

fn kinds(json: Option<&String>) -> Vec<MfaKind> {
    json.and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|n| MfaKind::from_name(n))
        .collect()
}

/// The outcome for an MFA challenge in a response, if it is one.
pub(crate) fn outcome(
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

impl CognitoUser {
    async fn answer(
        &self,
        challenge: &str,
        session: &Sensitive<String>,
        responses: BTreeMap<String, String>,
    ) -> Result<AuthOutcome> {
        let out = self
            .respond_to_challenge(challenge, Some(session.clone()), responses, None)
            .await?;
        self.handle_auth_response(out).await
    }

    /// Answers SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP with the code.
    pub async fn send_mfa_code(&self, challenge: &MfaChallenge, code: &str) -> Result<AuthOutcome> {
        let key = challenge.kind.code_key();
        self.answer(
            challenge.kind.challenge_name(),
            &challenge.session,
            BTreeMap::from([(key.to_owned(), code.to_owned())]),
        )
        .await
    }

    /// Answers SELECT_MFA_TYPE; the outcome is that factor's challenge.
    pub async fn select_mfa_type(
        &self,
        challenge: &SelectMfaChallenge,
        kind: MfaKind,
    ) -> Result<AuthOutcome> {
        self.answer(
            "SELECT_MFA_TYPE",
            &challenge.session,
            BTreeMap::from([("ANSWER".to_owned(), kind.challenge_name().to_owned())]),
        )
        .await
    }

    /// MFA_SETUP, first step: a new TOTP secret (base32) to show in an authenticator app.
    pub async fn associate_software_token_for_setup(
        &self,
        challenge: &mut MfaSetupChallenge,
    ) -> Result<String> {
        let out: AssociateSoftwareTokenResponse = self
            .pool
            .inner
            .client
            .call(
                "AssociateSoftwareToken",
                &AssociateSoftwareTokenRequest {
                    access_token: None,
                    session: Some(challenge.session.clone()),
                },
            )
            .await?;
        if let Some(s) = out.session {
            challenge.session = s;
        }
        out.secret_code
            .map(|s| s.0)
            .ok_or_else(|| Error::InvalidResponse {
                status: 200,
                reason: "no SecretCode".into(),
                body: String::new(),
                source: None,
            })
    }

    /// MFA_SETUP, second step: verifies a code from the authenticator and completes the
    /// challenge (usually signing the user in).
    pub async fn verify_software_token_for_setup(
        &self,
        challenge: &mut MfaSetupChallenge,
        code: &str,
        friendly_name: Option<&str>,
    ) -> Result<AuthOutcome> {
        let out: VerifySoftwareTokenResponse = self
            .pool
            .inner
            .client
            .call(
                "VerifySoftwareToken",
                &VerifySoftwareTokenRequest {
                    access_token: None,
                    session: Some(challenge.session.clone()),
                    user_code: code.to_owned(),
                    friendly_device_name: friendly_name.map(str::to_owned),
                },
            )
            .await?;
        if let Some(s) = out.session {
            challenge.session = s;
        }
        self.answer("MFA_SETUP", &challenge.session, BTreeMap::new())
            .await
    }

    /// For a signed-in user: a new TOTP secret (base32) to show in an authenticator app.
    pub async fn associate_software_token(&self) -> Result<String> {
        let out: AssociateSoftwareTokenResponse = self
            .authorized("AssociateSoftwareToken", |access_token| {
                AssociateSoftwareTokenRequest {
                    access_token: Some(access_token),
                    session: None,
                }
            })
            .await?;
        out.secret_code
            .map(|s| s.0)
            .ok_or_else(|| Error::InvalidResponse {
                status: 200,
                reason: "no SecretCode".into(),
                body: String::new(),
                source: None,
            })
    }

    /// For a signed-in user: verifies a code from the authenticator (then enable it with
    /// [`CognitoUser::set_user_mfa_preference`]).
    pub async fn verify_software_token(
        &self,
        code: &str,
        friendly_name: Option<&str>,
    ) -> Result<()> {
        let _: VerifySoftwareTokenResponse = self
            .authorized("VerifySoftwareToken", |access_token| {
                VerifySoftwareTokenRequest {
                    access_token: Some(access_token),
                    session: None,
                    user_code: code.to_owned(),
                    friendly_device_name: friendly_name.map(str::to_owned),
                }
            })
            .await?;
        Ok(())
    }

    /// Enables, disables and prefers factors (use cases 9 and 10); `None` leaves a factor as
    /// it is.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// use cognito_sdk::MfaSetting;
    /// let on = MfaSetting { enabled: true, preferred: true };
    /// user.set_user_mfa_preference(None, None, Some(on)).await?; // email codes, preferred
    /// # Ok(()) }
    /// ```
    pub async fn set_user_mfa_preference(
        &self,
        sms: Option<MfaSetting>,
        software_token: Option<MfaSetting>,
        email: Option<MfaSetting>,
    ) -> Result<()> {
        let _: Empty = self
            .authorized("SetUserMFAPreference", |access_token| {
                SetUserMfaPreferenceRequest {
                    sms_mfa_settings: sms.map(Into::into),
                    software_token_mfa_settings: software_token.map(Into::into),
                    email_mfa_settings: email.map(Into::into),
                    access_token,
                }
            })
            .await?;
        Ok(())
    }
}
