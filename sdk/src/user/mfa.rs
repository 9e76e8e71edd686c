//! Multi-factor authentication on the client: answering SOFTWARE_TOKEN_MFA, SMS_MFA,
//! SELECT_MFA_TYPE and MFA_SETUP, and managing the user's software token and MFA preference.
//! Every answer carries the challenge's `Session` forward.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::user::outcome::{
    AuthOutcome, MfaChallenge, MfaKind, MfaSetupChallenge, SelectMfaChallenge,
};
use crate::user::CognitoUser;
use crate::wire::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, Empty, MfaSettingsType,
    Sensitive, SetUserMfaPreferenceRequest, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
};

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
            .map(cognito_protocol::wire::Sensitive::into_inner)
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
            .map(cognito_protocol::wire::Sensitive::into_inner)
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
                    web_authn_mfa_settings: None,
                    access_token,
                }
            })
            .await?;
        Ok(())
    }
}
