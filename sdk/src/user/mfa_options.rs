//! The legacy SMS MFA switch (use cases 9 and 10) as amazon-cognito-identity-js offers it:
//! `enable_mfa` / `disable_mfa` send SetUserSettings with the SMS option on `phone_number` or
//! none, and `get_mfa_options` reads GetUser's `MFAOptions`. For software tokens and preferred
//! factors use [`CognitoUser::set_user_mfa_preference`].

use crate::error::Result;
use crate::user::CognitoUser;
use crate::wire::{Empty, MfaOptionType, SetUserSettingsRequest};

impl CognitoUser {
    /// Turns SMS MFA on for the signed-in user (the user needs a `phone_number`).
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// user.enable_mfa().await?;
    /// let options = user.get_mfa_options().await?;
    /// assert_eq!(options[0].delivery_medium.as_deref(), Some("SMS"));
    /// # Ok(()) }
    /// ```
    pub async fn enable_mfa(&self) -> Result<()> {
        self.set_mfa_options(vec![MfaOptionType {
            delivery_medium: Some("SMS".into()),
            attribute_name: Some("phone_number".into()),
        }])
        .await
    }

    /// Turns SMS MFA off for the signed-in user.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// user.disable_mfa().await?;
    /// assert!(user.get_mfa_options().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn disable_mfa(&self) -> Result<()> {
        self.set_mfa_options(Vec::new()).await
    }

    /// The user's legacy MFA options (GetUser's `MFAOptions`); empty when SMS MFA is off.
    pub async fn get_mfa_options(&self) -> Result<Vec<MfaOptionType>> {
        Ok(self.get_user().await?.mfa_options.unwrap_or_default())
    }

    async fn set_mfa_options(&self, mfa_options: Vec<MfaOptionType>) -> Result<()> {
        let _: Empty = self
            .authorized("SetUserSettings", |access_token| SetUserSettingsRequest {
                access_token,
                mfa_options: mfa_options.clone(),
            })
            .await?;
        Ok(())
    }
}
