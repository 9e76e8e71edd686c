//! The passkey authenticator a scenario device holds: 1Password's passkey-rs (a CTAP2
//! authenticator in memory behind a WebAuthn client), whose user is always present and verified,
//! on the origin `http://localhost:8080` (the pool's relying party must be `localhost`). It takes
//! the SDK's standard JSON options and gives back standard JSON credentials; losing the device
//! replaces it with an empty one.

use passkey_authenticator::{Authenticator, MemoryStore, UiHint, UserCheck, UserValidationMethod};
use passkey_client::{Client, DefaultClientData};
use passkey_types::{ctap2, webauthn, Passkey};
use serde_json::Value;

/// A user who is always there and always verified (a device with a fingerprint reader).
struct AlwaysThere;

#[async_trait::async_trait]
impl UserValidationMethod for AlwaysThere {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Passkey>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, ctap2::Ctap2Error> {
        Ok(UserCheck {
            presence,
            verification,
        })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

type SoftClient = Client<
    MemoryStore,
    AlwaysThere,
    passkey_crypto::AvailableBackend,
    public_suffix::PublicSuffixList,
    (),
>;

/// A device's authenticator.
pub(super) struct SoftAuthenticator(SoftClient);

impl SoftAuthenticator {
    /// An authenticator with no passkeys.
    pub(super) fn new() -> Self {
        let auth = Authenticator::new(
            ctap2::Aaguid::new_empty(),
            MemoryStore::new(),
            AlwaysThere,
            passkey_crypto::AvailableBackend,
        );
        Self(Client::new(auth).allows_insecure_localhost(true))
    }

    fn origin() -> Result<url::Url, String> {
        url::Url::parse("http://localhost:8080").map_err(|e| e.to_string())
    }

    /// `navigator.credentials.create`: a new passkey for these creation options.
    pub(super) async fn create(&mut self, options: Value) -> Result<Value, String> {
        let request = webauthn::CredentialCreationOptions {
            public_key: serde_json::from_value(options).map_err(|e| e.to_string())?,
        };
        let created = self
            .0
            .register(Self::origin()?, request, DefaultClientData)
            .await
            .map_err(|e| format!("{e:?}"))?;
        serde_json::to_value(&created).map_err(|e| e.to_string())
    }

    /// `navigator.credentials.get`: an assertion for these request options.
    pub(super) async fn get(&mut self, options: Value) -> Result<Value, String> {
        let request = webauthn::CredentialRequestOptions {
            public_key: serde_json::from_value(options).map_err(|e| e.to_string())?,
        };
        let asserted = self
            .0
            .authenticate(Self::origin()?, request, DefaultClientData)
            .await
            .map_err(|e| format!("{e:?}"))?;
        serde_json::to_value(&asserted).map_err(|e| e.to_string())
    }
}
