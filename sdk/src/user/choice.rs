//! Choice-based sign-in (USER_AUTH): the pool offers first factors (password, SRP, one-time
//! codes by email or SMS); the client prefers one up front
//! ([`AuthenticationDetails::preferred_challenge`]) or picks from SELECT_CHALLENGE
//! ([`CognitoUser::select_challenge`]). One-time codes are then answered with
//! [`CognitoUser::send_mfa_code`].

use std::collections::BTreeMap;

use crate::error::Result;
use crate::user::outcome::{AuthOutcome, AuthenticationDetails, FirstFactor, SelectChallenge};
use crate::user::CognitoUser;
use crate::wire::StringMap;

impl CognitoUser {
    /// USER_AUTH: starts choice-based sign-in with the details' preferred factor, if any.
    pub(crate) async fn choice_sign_in(
        &self,
        details: &AuthenticationDetails,
    ) -> Result<AuthOutcome> {
        let mut params = BTreeMap::from([("USERNAME".to_owned(), details.username().to_owned())]);
        let mut ephemeral = None;
        if let Some(factor) = details.preferred {
            params.insert("PREFERRED_CHALLENGE".into(), factor.challenge_name().into());
            match factor {
                FirstFactor::Password => {
                    params.insert("PASSWORD".into(), details.password.expose().clone());
                }
                FirstFactor::PasswordSrp => {
                    let e = ephemeral.insert(self.new_ephemeral());
                    params.insert("SRP_A".into(), e.public_hex());
                }
                FirstFactor::EmailOtp | FirstFactor::SmsOtp | FirstFactor::WebAuthn => {}
            }
        }
        let out = self
            .initiate_auth(
                "USER_AUTH",
                params,
                details.username(),
                Some(details.client_metadata.clone()),
            )
            .await?;
        self.answer_password_verifier(
            ephemeral.as_ref(),
            out,
            details.password.expose(),
            &details.client_metadata,
        )
        .await
    }

    /// Answers SELECT_CHALLENGE. `password` is needed for [`FirstFactor::Password`] and
    /// [`FirstFactor::PasswordSrp`]; for the one-time codes the outcome is
    /// [`AuthOutcome::MfaRequired`], answered with [`CognitoUser::send_mfa_code`].
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// use cognito_sdk::{AuthenticationDetails, AuthFlow, AuthOutcome, FirstFactor};
    /// let details = AuthenticationDetails::new("alice", "").flow(AuthFlow::UserAuth);
    /// if let AuthOutcome::SelectChallenge(choice) = user.authenticate(details).await? {
    ///     if let AuthOutcome::MfaRequired(code) = user.select_challenge(&choice, FirstFactor::EmailOtp, None).await? {
    ///         user.send_mfa_code(&code, "12345678").await?;
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn select_challenge(
        &self,
        challenge: &SelectChallenge,
        factor: FirstFactor,
        password: Option<&str>,
    ) -> Result<AuthOutcome> {
        let mut ephemeral = None;
        let mut responses =
            BTreeMap::from([("ANSWER".to_owned(), factor.challenge_name().to_owned())]);
        match factor {
            FirstFactor::Password => {
                responses.insert("PASSWORD".into(), password.unwrap_or_default().to_owned());
            }
            FirstFactor::PasswordSrp => {
                let e = ephemeral.insert(self.new_ephemeral());
                responses.insert("SRP_A".into(), e.public_hex());
            }
            FirstFactor::EmailOtp | FirstFactor::SmsOtp | FirstFactor::WebAuthn => {}
        }
        let out = self
            .respond_to_challenge(
                "SELECT_CHALLENGE",
                Some(challenge.session.clone()),
                responses,
                None,
            )
            .await?;
        self.answer_password_verifier(
            ephemeral.as_ref(),
            out,
            password.unwrap_or_default(),
            &StringMap::new(),
        )
        .await
    }
}
