//! The signed-in user's account (use cases 5–8 and 11–13): attributes and their verification,
//! password change and reset, deletion. Every call that needs the user's access token gets it
//! through [`CognitoUser::get_session`], so expired tokens are refreshed first.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::user::CognitoUser;
use crate::wire::{
    AccessTokenRequest, AttributeType, ChangePasswordRequest, CodeDeliveryDetailsType,
    CodeDeliveryResponse, ConfirmForgotPasswordRequest, DeleteUserAttributesRequest, Empty,
    ForgotPasswordRequest, GetUserAttributeVerificationCodeRequest, RevokeTokenRequest, Sensitive,
    StringMap, UpdateUserAttributesRequest, UpdateUserAttributesResponse,
    VerifyUserAttributeRequest,
};

fn metadata(m: &StringMap) -> Option<StringMap> {
    (!m.is_empty()).then(|| m.clone())
}

impl CognitoUser {
    /// Updates attributes (use case 8). A changed email or phone number must be verified
    /// again; the returned details say where the codes went.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// use std::collections::BTreeMap;
    /// let attrs = BTreeMap::from([("nickname".to_owned(), "al".to_owned())]);
    /// let sent = user.update_attributes(&attrs, &BTreeMap::new()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_attributes(
        &self,
        attributes: &BTreeMap<String, String>,
        client_metadata: &StringMap,
    ) -> Result<Vec<CodeDeliveryDetailsType>> {
        let out: UpdateUserAttributesResponse = self
            .authorized("UpdateUserAttributes", |access_token| {
                UpdateUserAttributesRequest {
                    user_attributes: attributes
                        .iter()
                        .map(|(k, v)| AttributeType::new(k, v.clone()))
                        .collect(),
                    access_token,
                    client_metadata: metadata(client_metadata),
                }
            })
            .await?;
        Ok(out.code_delivery_details_list.unwrap_or_default())
    }

    /// Deletes attributes (use case 7).
    pub async fn delete_attributes(&self, names: &[&str]) -> Result<()> {
        let _: Empty = self
            .authorized("DeleteUserAttributes", |access_token| {
                DeleteUserAttributesRequest {
                    user_attribute_names: names.iter().map(|n| (*n).to_owned()).collect(),
                    access_token,
                }
            })
            .await?;
        Ok(())
    }

    /// Sends a code to verify `email` or `phone_number` (use case 6, first half).
    pub async fn get_attribute_verification_code(
        &self,
        attribute: &str,
        client_metadata: &StringMap,
    ) -> Result<Option<CodeDeliveryDetailsType>> {
        let out: CodeDeliveryResponse = self
            .authorized("GetUserAttributeVerificationCode", |access_token| {
                GetUserAttributeVerificationCodeRequest {
                    access_token,
                    attribute_name: attribute.to_owned(),
                    client_metadata: metadata(client_metadata),
                }
            })
            .await?;
        Ok(out.code_delivery_details)
    }

    /// Verifies `email` or `phone_number` with the code that was sent (use case 6).
    pub async fn verify_attribute(&self, attribute: &str, code: &str) -> Result<()> {
        let _: Empty = self
            .authorized("VerifyUserAttribute", |access_token| {
                VerifyUserAttributeRequest {
                    access_token,
                    attribute_name: attribute.to_owned(),
                    code: code.to_owned(),
                }
            })
            .await?;
        Ok(())
    }

    /// Changes the password of the signed-in user (use case 11).
    pub async fn change_password(&self, old_password: &str, new_password: &str) -> Result<()> {
        let _: Empty = self
            .authorized("ChangePassword", |access_token| ChangePasswordRequest {
                previous_password: Some(Sensitive(old_password.to_owned())),
                proposed_password: Sensitive(new_password.to_owned()),
                access_token,
            })
            .await?;
        Ok(())
    }

    /// Starts a password reset: a code goes to the user's verified email or phone (use case
    /// 12, first half). Needs no session.
    pub async fn forgot_password(
        &self,
        client_metadata: &StringMap,
    ) -> Result<Option<CodeDeliveryDetailsType>> {
        let inner = &self.pool.inner;
        let username = self.username();
        let out: CodeDeliveryResponse = inner
            .client
            .call(
                "ForgotPassword",
                &ForgotPasswordRequest {
                    client_id: inner.client_id.clone(),
                    secret_hash: inner.secret_hash(&username).map(Sensitive),
                    username,
                    client_metadata: metadata(client_metadata),
                },
            )
            .await?;
        Ok(out.code_delivery_details)
    }

    /// Sets a new password with the reset code (use case 12).
    pub async fn confirm_password(
        &self,
        code: &str,
        new_password: &str,
        client_metadata: &StringMap,
    ) -> Result<()> {
        let inner = &self.pool.inner;
        let username = self.username();
        let _: Empty = inner
            .client
            .call(
                "ConfirmForgotPassword",
                &ConfirmForgotPasswordRequest {
                    client_id: inner.client_id.clone(),
                    secret_hash: inner.secret_hash(&username).map(Sensitive),
                    username,
                    confirmation_code: code.to_owned(),
                    password: Sensitive(new_password.to_owned()),
                    client_metadata: metadata(client_metadata),
                },
            )
            .await?;
        Ok(())
    }

    /// Deletes the signed-in user (use case 13) and clears the local session.
    pub async fn delete_user(&self) -> Result<()> {
        let _: Empty = self
            .authorized("DeleteUser", |access_token| AccessTokenRequest {
                access_token,
            })
            .await?;
        self.clear_cached_tokens().await
    }

    /// Revokes the stored refresh token (and the access tokens issued with it) without
    /// clearing local state; [`CognitoUser::sign_out`] with `true` does both.
    pub async fn revoke_token(&self) -> Result<()> {
        let inner = &self.pool.inner;
        let Some(token) = self
            .stored_session()
            .await?
            .and_then(|s| s.refresh_token().map(str::to_owned))
        else {
            return Err(crate::Error::NotSignedIn(format!(
                "no refresh token stored for {}",
                self.username()
            )));
        };
        let _: Empty = inner
            .client
            .call(
                "RevokeToken",
                &RevokeTokenRequest {
                    token: Sensitive(token),
                    client_id: inner.client_id.clone(),
                    client_secret: inner.client_secret.clone(),
                },
            )
            .await?;
        Ok(())
    }
}
