//! Passkeys: the emulator as a WebAuthn relying party. Registration (StartWebAuthnRegistration,
//! CompleteWebAuthnRegistration) and sign-in with a passkey (USER_AUTH's `WEB_AUTHN` challenge)
//! are verified by `webauthn_rp`, a pure-Rust relying party on RustCrypto (chosen over
//! webauthn-rs because that one links OpenSSL, which this workspace keeps out, and is MPL
//! licensed): attestation and assertion signatures over the authenticator data and the client
//! data hash, the challenge, the origin, the RP id hash, user presence and (when the pool
//! requires it) user verification, and sign counts that must grow. No CBOR or COSE is parsed
//! here.
//!
//! - The relying party id is the pool's `WebAuthnConfiguration.RelyingPartyId`, else its user
//!   pool domain's host (`{domain}.auth.{region}.amazoncognito.com`); without either, passkeys
//!   answer `WebAuthnConfigurationMissingException`.
//! - Allowed origins: `https://{rp id}` on any port, and `http://localhost` on any port when the
//!   RP id is `localhost` (browsers treat it as a secure context), which is how tests and local
//!   apps reach the emulator.
//! - Passkeys as MFA: where the pool's `FactorConfiguration` is
//!   `MULTI_FACTOR_WITH_USER_VERIFICATION` and the user turned on `WebAuthnMfaSettings`, the
//!   user's passkey sign-ins require user verification and count as MFA, so they stay on offer
//!   in a pool that requires MFA (where other users' passkeys are not).
//! - A user's handle is their `sub`'s 16 bytes. The ceremony in progress (one per user) and the
//!   credentials are kept in the user's record, so durable mode and export keep them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use serde_json::Value;
use webauthn_rp::bin::{Decode, Encode};
use webauthn_rp::request::auth::{
    AllowedCredential, AllowedCredentials, AuthenticationVerificationOptions,
};
use webauthn_rp::request::register::{
    CredProtect, PublicKeyCredentialUserEntity, RegistrationVerificationOptions, UserHandle,
};
use webauthn_rp::request::{
    AsciiDomain, Credentials as _, DomainOrigin, Port, PublicKeyCredentialDescriptor, RpId, Scheme,
    UserVerificationRequirement,
};
use webauthn_rp::response::register::{CompressedPubKey, DynamicState, StaticState};
use webauthn_rp::response::{AuthTransports, CredentialId};
use webauthn_rp::{
    AuthenticatedCredential, NonDiscoverableAuthentication16,
    NonDiscoverableAuthenticationServerState, NonDiscoverableCredentialRequestOptions,
    PublicKeyCredentialCreationOptions, Registration, RegistrationServerState,
};

use crate::error::{CognitoError, Result};
use crate::state::records::{Pool, State, User};
use crate::state::user::{PasskeyCeremony as Pending, PasskeyRecord as StoredCredential};
use cognito_protocol::wire::ErrorKind;

/// The user handle length: a `sub` (UUID) is 16 bytes.
const HANDLE: usize = 16;

fn error(kind: ErrorKind, message: impl Into<String>) -> CognitoError {
    CognitoError {
        kind,
        message: message.into(),
    }
}

fn b64(bytes: &[u8]) -> String {
    B64URL.encode(bytes)
}

fn unb64(text: &str) -> Result<Vec<u8>> {
    B64URL
        .decode(text)
        .map_err(|_| CognitoError::internal("a stored passkey record is damaged"))
}

/// The pool's passkey settings: RP id and whether user verification is required.
pub struct Settings {
    /// The relying party id.
    pub rp_id: String,
    /// `UserVerification` is `required` (the default) rather than `preferred`.
    pub verification_required: bool,
}

/// The pool's settings, or why passkeys cannot be used in it.
pub fn settings(pool: &Pool, region: &str) -> Result<Settings> {
    let config = pool
        .mfa_factors
        .as_ref()
        .and_then(|f| f.web_authn_configuration.as_ref());
    let rp_id = config
        .and_then(|c| c.relying_party_id.clone())
        .or_else(|| {
            pool.domain
                .as_ref()
                .map(|d| format!("{d}.auth.{region}.amazoncognito.com"))
        })
        .ok_or_else(|| {
            error(
                ErrorKind::WebAuthnConfigurationMissing,
                "The user pool has no passkey relying party id (SetUserPoolMfaConfig's WebAuthnConfiguration) and no domain.",
            )
        })?;
    let verification_required = config
        .and_then(|c| c.user_verification.as_deref())
        .is_none_or(|v| v == "required");
    Ok(Settings {
        rp_id,
        verification_required,
    })
}

/// The pool lets passkeys satisfy MFA: `FactorConfiguration` is
/// `MULTI_FACTOR_WITH_USER_VERIFICATION`.
pub fn pool_allows_passkey_mfa(pool: &Pool) -> bool {
    pool.mfa_factors
        .as_ref()
        .and_then(|f| f.web_authn_configuration.as_ref())
        .and_then(|c| c.factor_configuration.as_deref())
        == Some("MULTI_FACTOR_WITH_USER_VERIFICATION")
}

/// Passkey MFA applies to this user: the pool allows it and the user turned it on
/// (`WebAuthnMfaSettings`). Their passkey sign-ins then need user verification and satisfy MFA,
/// so they stay available where the pool requires MFA.
pub fn passkey_mfa(pool: &Pool, user: &User) -> bool {
    user.mfa.webauthn_enabled && pool_allows_passkey_mfa(pool)
}

/// The settings for a sign-in of `user`: the pool's, with user verification required where
/// passkey MFA applies to the user.
pub fn settings_for(pool: &Pool, region: &str, user: &User) -> Result<Settings> {
    let mut settings = settings(pool, region)?;
    settings.verification_required |= passkey_mfa(pool, user);
    Ok(settings)
}

fn rp(settings: &Settings) -> Result<RpId> {
    AsciiDomain::try_from(settings.rp_id.clone())
        .map(RpId::Domain)
        .map_err(|_| {
            CognitoError::invalid_parameter(format!(
                "{} is not a relying party id a browser accepts.",
                settings.rp_id
            ))
        })
}

fn origins(settings: &Settings) -> Vec<DomainOrigin<'static, '_>> {
    let mut out = vec![DomainOrigin {
        scheme: Scheme::Https,
        host: settings.rp_id.as_str(),
        port: Port::Any,
    }];
    if settings.rp_id == "localhost" {
        out.push(DomainOrigin {
            scheme: Scheme::Other("http"),
            host: settings.rp_id.as_str(),
            port: Port::Any,
        });
    }
    out
}

fn handle_of(user: &User) -> Result<UserHandle<HANDLE>> {
    let uuid = uuid::Uuid::parse_str(&user.sub)
        .map_err(|_| CognitoError::internal("the user's sub is not a UUID"))?;
    UserHandle::<HANDLE>::decode(*uuid.as_bytes())
        .map_err(|_| CognitoError::internal("the user handle could not be made"))
}

/// What a started ceremony hands out and keeps: the client's options in their JSON form (the
/// `publicKey` member's content) and the encoded server state (base64url).
fn ceremony<C: serde::Serialize, E: std::fmt::Display>(
    client: &C,
    state: std::result::Result<Vec<u8>, E>,
) -> Result<(Value, String)> {
    let mut json = serde_json::to_value(client)
        .map_err(|e| CognitoError::internal(format!("passkey options: {e}")))?;
    if let Some(public_key) = json.get_mut("publicKey").map(Value::take) {
        json = public_key;
    }
    let state = state.map_err(|e| CognitoError::internal(format!("passkey ceremony: {e}")))?;
    Ok((json, b64(&state)))
}

fn descriptor(c: &StoredCredential) -> Result<PublicKeyCredentialDescriptor<Vec<u8>>> {
    Ok(PublicKeyCredentialDescriptor {
        id: CredentialId::decode(unb64(&c.id)?)
            .map_err(|_| CognitoError::internal("a stored credential id is damaged"))?,
        transports: AuthTransports::decode(c.transports_bits)
            .map_err(|_| CognitoError::internal("stored transports are damaged"))?,
    })
}

/// StartWebAuthnRegistration: the options to hand to `navigator.credentials.create` (the
/// `PublicKeyCredentialCreationOptionsJSON` form), with the user's passkeys excluded, and the
/// ceremony to keep.
pub fn start_registration(
    settings: &Settings,
    user: &User,
    client_id: &str,
) -> Result<(Value, Pending)> {
    let rp_id = rp(settings)?;
    let handle = handle_of(user)?;
    let name = user.username.as_str().try_into().map_err(|_| {
        CognitoError::invalid_parameter("The username cannot be a passkey's user name.")
    })?;
    let display = user
        .attr("name")
        .or_else(|| user.attr("email"))
        .unwrap_or(user.username.as_str());
    let exclude = user
        .webauthn
        .iter()
        .map(descriptor)
        .collect::<Result<Vec<_>>>()?;
    let mut options = PublicKeyCredentialCreationOptions::passkey(
        &rp_id,
        PublicKeyCredentialUserEntity {
            name,
            id: &handle,
            display_name: display.try_into().ok(),
        },
        exclude,
    );
    // Cognito's options ask for no credProtect extension (an authenticator without it could
    // not register at all); user verification is asked for, and checked, on its own.
    options.extensions.cred_protect = CredProtect::None;
    if !settings.verification_required {
        options.authenticator_selection.user_verification = UserVerificationRequirement::Preferred;
    }
    let (server, client) = options
        .start_ceremony()
        .map_err(|e| CognitoError::internal(format!("passkey options: {e}")))?;
    let (json, state) = ceremony(&client, server.encode())?;
    Ok((
        json,
        Pending {
            client_id: client_id.to_owned(),
            state,
        },
    ))
}

fn registration_error(e: &webauthn_rp::response::register::error::RegCeremonyErr) -> CognitoError {
    use webauthn_rp::response::register::error::RegCeremonyErr as E;
    match e {
        E::Timeout | E::ChallengeMismatch => error(
            ErrorKind::WebAuthnChallengeNotFound,
            "The passkey registration challenge is unknown or has expired: start the registration again.",
        ),
        E::OriginMismatch | E::CrossOrigin | E::TopOriginMismatch => error(
            ErrorKind::WebAuthnOriginNotAllowed,
            "The credential was created on an origin the user pool's relying party id does not allow.",
        ),
        E::RpIdHashMismatch => error(
            ErrorKind::WebAuthnRelyingPartyMismatch,
            "The credential is for another relying party id than the user pool's.",
        ),
        other => error(
            ErrorKind::WebAuthnCredentialNotSupported,
            format!("The passkey registration was refused: {other}."),
        ),
    }
}

/// CompleteWebAuthnRegistration: the authenticator's registration response (the
/// `RegistrationResponseJSON` form) checked against the pending ceremony; the new credential.
pub fn complete_registration(
    settings: &Settings,
    pending: &Pending,
    response: &Value,
    now: f64,
) -> Result<StoredCredential> {
    let rp_id = rp(settings)?;
    let text =
        serde_json::to_vec(response).map_err(|e| CognitoError::invalid_parameter(e.to_string()))?;
    let registration = Registration::from_json_relaxed(&text).map_err(|e| {
        CognitoError::invalid_parameter(format!("Credential is not a registration response: {e}"))
    })?;
    let state = RegistrationServerState::<HANDLE>::decode(unb64(&pending.state)?.as_slice())
        .map_err(|_| CognitoError::internal("the pending passkey ceremony is damaged"))?;
    let allowed = origins(settings);
    let options = RegistrationVerificationOptions::<DomainOrigin<'_, '_>, &str> {
        allowed_origins: &allowed,
        ..Default::default()
    };
    let credential = state
        .verify(&rp_id, &registration, &options)
        .map_err(|e| registration_error(&e))?;
    let (id, transports, _user, static_state, dynamic_state, _metadata) = credential.into_parts();
    let static_state = static_state
        .encode()
        .map_err(|e| CognitoError::internal(format!("passkey key: {e}")))?;
    let dynamic_state = dynamic_state
        .encode()
        .map_err(|e| CognitoError::internal(format!("passkey state: {e}")))?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    Ok(StoredCredential {
        id: b64(id.as_ref()),
        relying_party_id: settings.rp_id.clone(),
        attachment: text(response.get("authenticatorAttachment")),
        transports: response
            .pointer("/response/transports")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        static_state: b64(&static_state),
        dynamic_state: b64(&dynamic_state),
        transports_bits: transports.encode().unwrap_or(0),
        created: now,
    })
}

/// The `WEB_AUTHN` challenge of a sign-in: the options for `navigator.credentials.get` (the
/// `PublicKeyCredentialRequestOptionsJSON` form) allowing the user's passkeys, and the ceremony.
pub fn start_authentication(settings: &Settings, user: &User) -> Result<(Value, String)> {
    let rp_id = rp(settings)?;
    let mut allowed = AllowedCredentials::with_capacity(user.webauthn.len());
    for c in &user.webauthn {
        allowed.push(AllowedCredential::from(descriptor(c)?));
    }
    let mut options = NonDiscoverableCredentialRequestOptions::second_factor(&rp_id, allowed)
        .map_err(|_| CognitoError::invalid_parameter("The user has no passkey."))?;
    options.options().user_verification = if settings.verification_required {
        UserVerificationRequirement::Required
    } else {
        UserVerificationRequirement::Preferred
    };
    let (server, client) = options
        .start_ceremony()
        .map_err(|e| CognitoError::internal(format!("passkey options: {e}")))?;
    let (json, state) = ceremony(&client, server.encode())?;
    Ok((json, state))
}

/// The answer to a `WEB_AUTHN` challenge (the `AuthenticationResponseJSON` form) checked against
/// the ceremony and the user's passkey; the credential's new state to keep.
pub fn finish_authentication(
    settings: &Settings,
    user: &User,
    state: &str,
    response: &str,
) -> Result<(String, String)> {
    let refused =
        |why: &str| CognitoError::not_authorized(format!("Passkey sign-in failed: {why}."));
    let rp_id = rp(settings)?;
    let authentication = NonDiscoverableAuthentication16::from_json_relaxed(response.as_bytes())
        .map_err(|e| {
            CognitoError::invalid_parameter(format!(
                "CREDENTIAL is not an authentication response: {e}"
            ))
        })?;
    let id = b64(authentication.raw_id().as_ref());
    let stored = user
        .webauthn
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| refused("the credential is not one of the user's passkeys"))?;
    let server = NonDiscoverableAuthenticationServerState::decode(unb64(state)?.as_slice())
        .map_err(|_| CognitoError::internal("the passkey ceremony is damaged"))?;
    let handle = handle_of(user)?;
    let id_bytes = unb64(&stored.id)?;
    let static_state =
        StaticState::<CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>>::decode(
            unb64(&stored.static_state)?.as_slice(),
        )
        .map_err(|_| CognitoError::internal("a stored passkey key is damaged"))?;
    let dynamic: [u8; 7] = unb64(&stored.dynamic_state)?
        .try_into()
        .map_err(|_| CognitoError::internal("a stored passkey state is damaged"))?;
    let dynamic_state = DynamicState::decode(dynamic)
        .map_err(|_| CognitoError::internal("a stored passkey state is damaged"))?;
    let credential_id = CredentialId::<&[u8]>::decode(id_bytes.as_slice())
        .map_err(|_| CognitoError::internal("a stored credential id is damaged"))?;
    let mut credential =
        AuthenticatedCredential::new(credential_id, &handle, static_state, dynamic_state)
            .map_err(|e| refused(&e.to_string()))?;
    let allowed = origins(settings);
    let options = AuthenticationVerificationOptions::<DomainOrigin<'_, '_>, &str> {
        allowed_origins: &allowed,
        ..Default::default()
    };
    server
        .verify(&rp_id, &authentication, &mut credential, &options)
        .map_err(|e| refused(&e.to_string()))?;
    let (_, _, _, dynamic_state) = credential.into_parts();
    let dynamic_state = dynamic_state
        .encode()
        .map_err(|e| CognitoError::internal(format!("passkey state: {e}")))?;
    Ok((stored.id.clone(), b64(&dynamic_state)))
}

/// A sign-in's passkey answer, for the API's WEB_AUTHN challenge and the hosted UI alike: the
/// user (enabled and confirmed), the pool's settings for them, the assertion checked against
/// `ceremony`, and the passkey's new state (its sign count) kept. The user, as before.
pub fn verify_sign_in(
    state: &mut State,
    pool_id: &str,
    username: &str,
    ceremony: &str,
    response: &str,
) -> Result<User> {
    let pool = state.pool(pool_id)?;
    let user = pool.user(username)?.clone();
    super::client::check_enabled_and_confirmed(&user)?;
    let region = pool_id.split('_').next().unwrap_or_default();
    let settings = settings_for(pool, region, &user)?;
    let (id, dynamic) = finish_authentication(&settings, &user, ceremony, response)?;
    let mut stored = state.pool_mut(pool_id)?.user_mut(&user.username)?;
    if let Some(c) = stored.webauthn.iter_mut().find(|c| c.id == id) {
        c.dynamic_state = dynamic;
    }
    Ok(user)
}
