//! Passkeys (WebAuthn): registering one for the signed-in user, listing and deleting them, and
//! answering the WEB_AUTHN challenge of choice-based sign-in. The SDK speaks the standard JSON
//! forms (`PublicKeyCredentialCreationOptionsJSON`, `RegistrationResponseJSON`,
//! `PublicKeyCredentialRequestOptionsJSON`, `AuthenticationResponseJSON`), so an app hands them
//! to whatever authenticator it has (a browser, the OS, a security key library) unchanged.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::Result;
use crate::user::outcome::{AuthOutcome, WebAuthnChallenge};
use crate::user::CognitoUser;
use crate::wire::Sensitive;

/// A registered passkey, as ListWebAuthnCredentials describes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WebAuthnCredential {
    /// The credential id (base64url).
    pub credential_id: String,
    /// A name for people (the provider's, or the kind of authenticator).
    pub friendly_credential_name: Option<String>,
    /// The relying party it was registered for.
    pub relying_party_id: String,
    /// `platform` or `cross-platform`, when the authenticator said.
    pub authenticator_attachment: Option<String>,
    /// How the client reaches the authenticator (`internal`, `usb`, `hybrid` …).
    #[serde(default)]
    pub authenticator_transports: Vec<String>,
    /// When it was registered (epoch seconds).
    pub created_at: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Started {
    credential_creation_options: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Listed {
    #[serde(default)]
    credentials: Vec<WebAuthnCredential>,
    next_token: Option<String>,
}

impl CognitoUser {
    /// StartWebAuthnRegistration: the options (`PublicKeyCredentialCreationOptionsJSON`) to
    /// give the authenticator that makes the passkey.
    pub async fn start_webauthn_registration(&self) -> Result<Value> {
        let started: Started = self
            .authorized(
                "StartWebAuthnRegistration",
                |access_token| json!({ "AccessToken": access_token.expose() }),
            )
            .await?;
        Ok(started.credential_creation_options)
    }

    /// CompleteWebAuthnRegistration: the authenticator's answer (`RegistrationResponseJSON`,
    /// as `PublicKeyCredential.toJSON()` gives it).
    pub async fn complete_webauthn_registration(&self, credential: &Value) -> Result<()> {
        let _: Value = self
            .authorized("CompleteWebAuthnRegistration", |access_token| {
                json!({ "AccessToken": access_token.expose(), "Credential": credential })
            })
            .await?;
        Ok(())
    }

    /// ListWebAuthnCredentials: every passkey of the signed-in user.
    pub async fn list_webauthn_credentials(&self) -> Result<Vec<WebAuthnCredential>> {
        let mut all = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let token = next.clone();
            let page: Listed = self
                .authorized("ListWebAuthnCredentials", |access_token| {
                    let mut input = json!({ "AccessToken": access_token.expose() });
                    if let Some(t) = &token {
                        input["NextToken"] = json!(t);
                    }
                    input
                })
                .await?;
            all.extend(page.credentials);
            match page.next_token {
                Some(t) => next = Some(t),
                None => return Ok(all),
            }
        }
    }

    /// DeleteWebAuthnCredential: removes one of the signed-in user's passkeys.
    pub async fn delete_webauthn_credential(&self, credential_id: &str) -> Result<()> {
        let _: Value = self
            .authorized("DeleteWebAuthnCredential", |access_token| {
                json!({ "AccessToken": access_token.expose(), "CredentialId": credential_id })
            })
            .await?;
        Ok(())
    }

    /// SetUserMFAPreference's `WebAuthnMfaSettings`: turns passkey MFA on or off for the
    /// signed-in user. Where the pool's `FactorConfiguration` is
    /// `MULTI_FACTOR_WITH_USER_VERIFICATION`, the user's passkey sign-ins then require user
    /// verification and satisfy MFA; Cognito wants another MFA method enabled beside it.
    pub async fn set_passkey_mfa(&self, enabled: bool) -> Result<()> {
        let _: Value = self
            .authorized("SetUserMFAPreference", |access_token| {
                json!({ "AccessToken": access_token.expose(), "WebAuthnMfaSettings": { "Enabled": enabled } })
            })
            .await?;
        Ok(())
    }

    /// Answers [`AuthOutcome::WebAuthn`] with the authenticator's assertion
    /// (`AuthenticationResponseJSON`); the outcome is usually [`AuthOutcome::SignedIn`].
    pub async fn send_webauthn_assertion(
        &self,
        challenge: &WebAuthnChallenge,
        assertion: &Value,
    ) -> Result<AuthOutcome> {
        let responses = BTreeMap::from([("CREDENTIAL".to_owned(), assertion.to_string())]);
        let out = self
            .respond_to_challenge(
                "WEB_AUTHN",
                Some(Sensitive(challenge.session.expose().clone())),
                responses,
                None,
            )
            .await?;
        self.handle_auth_response(out).await
    }
}
