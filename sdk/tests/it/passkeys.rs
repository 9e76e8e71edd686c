//! Passkeys through the SDK with a software authenticator nobody here wrote (1Password's
//! passkey-rs: `passkey-client` over `passkey-authenticator`): the SDK's JSON creation options
//! go to the authenticator, its credential to CompleteWebAuthnRegistration; choice-based
//! sign-in offers WEB_AUTHN as an `AuthOutcome`, answered with the authenticator's assertion.
//! A lost passkey falls back to an email code.

use cognito_sdk::{AuthFlow, AuthOutcome, AuthenticationDetails, FirstFactor};
use passkey_authenticator::{Authenticator, MemoryStore, UiHint, UserCheck, UserValidationMethod};
use passkey_client::{Client, DefaultClientData};
use passkey_types::{ctap2, webauthn, Passkey};
use serde_json::{json, Value};

use crate::common::setup;

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

fn authenticator() -> SoftClient {
    let auth = Authenticator::new(
        ctap2::Aaguid::new_empty(),
        MemoryStore::new(),
        AlwaysThere,
        passkey_crypto::AvailableBackend,
    );
    Client::new(auth).allows_insecure_localhost(true)
}

fn origin() -> url::Url {
    url::Url::parse("http://localhost:8080").unwrap()
}

#[tokio::test]
async fn register_sign_in_lose_it_and_fall_back_to_an_email_code() {
    let s = setup().await;
    s.emu.call::<Value, Value>("UpdateUserPool", &json!({"UserPoolId": s.pool_id, "AutoVerifiedAttributes": ["email"],
        "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]}}})).unwrap();
    s.emu
        .call::<Value, Value>(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": s.pool_id, "MfaConfiguration": "OFF",
        "WebAuthnConfiguration": {"RelyingPartyId": "localhost", "UserVerification": "required"}}),
        )
        .unwrap();
    s.emu
        .call::<Value, Value>(
            "UpdateUserPoolClient",
            &json!({"UserPoolId": s.pool_id, "ClientId": s.client_id,
        "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .unwrap();
    s.confirmed_user("kai", "Passw0rd!");
    let user = s.pool().user("kai");
    let details = || AuthenticationDetails::new("kai", "Passw0rd!").flow(AuthFlow::UserAuth);
    assert!(matches!(
        user.authenticate(details().preferred_challenge(FirstFactor::Password))
            .await
            .unwrap(),
        AuthOutcome::SignedIn(_)
    ));

    // Register: the SDK's options in, the authenticator's credential out, both standard JSON.
    let mut device = authenticator();
    let options = user.start_webauthn_registration().await.unwrap();
    let request = webauthn::CredentialCreationOptions {
        public_key: serde_json::from_value(options).unwrap(),
    };
    let created = device
        .register(origin(), request, DefaultClientData)
        .await
        .unwrap();
    user.complete_webauthn_registration(&serde_json::to_value(&created).unwrap())
        .await
        .unwrap();
    let passkeys = user.list_webauthn_credentials().await.unwrap();
    assert_eq!(passkeys.len(), 1);
    assert_eq!(passkeys[0].relying_party_id, "localhost");

    // Sign out, then in with the passkey.
    user.sign_out(false).await.unwrap();
    let challenge = match user
        .authenticate(details().preferred_challenge(FirstFactor::WebAuthn))
        .await
        .unwrap()
    {
        AuthOutcome::WebAuthn(c) => c,
        other => panic!("{other:?}"),
    };
    let request = webauthn::CredentialRequestOptions {
        public_key: serde_json::from_value(challenge.request_options.clone()).unwrap(),
    };
    let asserted = device
        .authenticate(origin(), request, DefaultClientData)
        .await
        .unwrap();
    let assertion = serde_json::to_value(&asserted).unwrap();
    assert!(matches!(
        user.send_webauthn_assertion(&challenge, &assertion)
            .await
            .unwrap(),
        AuthOutcome::SignedIn(_)
    ));
    // The same assertion does not sign in twice.
    assert!(user
        .send_webauthn_assertion(&challenge, &assertion)
        .await
        .is_err());

    // Lose it: deleted, it is no longer offered; an email code still signs the user in.
    user.delete_webauthn_credential(&passkeys[0].credential_id)
        .await
        .unwrap();
    assert!(user.list_webauthn_credentials().await.unwrap().is_empty());
    user.sign_out(false).await.unwrap();
    let choice = match user
        .authenticate(AuthenticationDetails::new("kai", "").flow(AuthFlow::UserAuth))
        .await
        .unwrap()
    {
        AuthOutcome::SelectChallenge(c) => c,
        other => panic!("{other:?}"),
    };
    assert!(!choice.available.contains(&FirstFactor::WebAuthn));
    let code = match user
        .select_challenge(&choice, FirstFactor::EmailOtp, None)
        .await
        .unwrap()
    {
        AuthOutcome::MfaRequired(c) => c,
        other => panic!("{other:?}"),
    };
    let sent = s.emu.outbox().last_code(&s.pool_id, "kai").unwrap();
    assert!(matches!(
        user.send_mfa_code(&code, &sent).await.unwrap(),
        AuthOutcome::SignedIn(_)
    ));
}

#[tokio::test]
async fn a_verified_passkey_satisfies_a_pool_that_requires_mfa() {
    let s = setup().await;
    let webauthn = json!({"RelyingPartyId": "localhost", "UserVerification": "preferred",
        "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"});
    s.emu
        .call::<Value, Value>(
            "UpdateUserPool",
            &json!({"UserPoolId": s.pool_id, "AutoVerifiedAttributes": ["email"],
        "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}}),
        )
        .unwrap();
    let mfa = |mode: &str| {
        s.emu
            .call::<Value, Value>(
                "SetUserPoolMfaConfig",
                &json!({"UserPoolId": s.pool_id, "MfaConfiguration": mode,
                    "EmailMfaConfiguration": {}, "WebAuthnConfiguration": webauthn}),
            )
            .unwrap();
    };
    mfa("OPTIONAL");
    s.emu
        .call::<Value, Value>(
            "UpdateUserPoolClient",
            &json!({"UserPoolId": s.pool_id, "ClientId": s.client_id,
        "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .unwrap();
    s.confirmed_user("ivy", "Passw0rd!");
    let user = s.pool().user("ivy");
    let details = || AuthenticationDetails::new("ivy", "Passw0rd!").flow(AuthFlow::UserAuth);
    user.authenticate(details().preferred_challenge(FirstFactor::Password))
        .await
        .unwrap();
    let mut device = authenticator();
    let options = user.start_webauthn_registration().await.unwrap();
    let created = device
        .register(
            origin(),
            webauthn::CredentialCreationOptions {
                public_key: serde_json::from_value(options).unwrap(),
            },
            DefaultClientData,
        )
        .await
        .unwrap();
    user.complete_webauthn_registration(&serde_json::to_value(&created).unwrap())
        .await
        .unwrap();
    // Passkey MFA alone would lock the user out: refused until email MFA is on beside it.
    assert!(user.set_passkey_mfa(true).await.is_err());
    let on = cognito_sdk::MfaSetting {
        enabled: true,
        preferred: true,
    };
    user.set_user_mfa_preference(None, None, Some(on))
        .await
        .unwrap();
    user.set_passkey_mfa(true).await.unwrap();
    mfa("ON");
    user.sign_out(false).await.unwrap();

    // The password leads to the email code; the passkey (user verified) is enough.
    assert!(matches!(
        user.authenticate(details().preferred_challenge(FirstFactor::Password))
            .await
            .unwrap(),
        AuthOutcome::MfaRequired(_)
    ));
    let challenge = match user
        .authenticate(details().preferred_challenge(FirstFactor::WebAuthn))
        .await
        .unwrap()
    {
        AuthOutcome::WebAuthn(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(challenge.request_options["userVerification"], "required");
    let asserted = device
        .authenticate(
            origin(),
            webauthn::CredentialRequestOptions {
                public_key: serde_json::from_value(challenge.request_options.clone()).unwrap(),
            },
            DefaultClientData,
        )
        .await
        .unwrap();
    assert!(matches!(
        user.send_webauthn_assertion(&challenge, &serde_json::to_value(&asserted).unwrap())
            .await
            .unwrap(),
        AuthOutcome::SignedIn(_)
    ));
}
