//! Device tracking: which devices a pool remembers, device authentication, and the views the
//! device operations return.
//!
//! When a pool has a `DeviceConfiguration`, every sign-in that does not name a known device
//! gets `NewDeviceMetadata` (a device key and group key). ConfirmDevice stores the device's SRP
//! salt and verifier (the device password never reaches the emulator). A later password
//! sign-in that sends a confirmed `DEVICE_KEY` answers DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER, the SRP exchange again with the group key as realm and the device
//! key as user; a remembered device skips MFA when the pool's `ChallengeRequiredOnNewDevice`
//! says so. Tokens of such a sign-in are bound to the device: refresh must name it, and
//! forgetting the device ends them.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cognito_protocol::wire::{
    AttributeType, AuthResponse, DeviceConfigurationType, DeviceType, NewDeviceMetadataType,
    Sensitive, StringMap,
};
use num_bigint::BigUint;

use super::session::set_session_device;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::{Device, Pool, State, User};

/// The pool's device configuration, when it tracks devices.
pub fn tracking(pool: &Pool) -> Option<DeviceConfigurationType> {
    pool.settings.device_configuration
}

/// `DEVICE_KEY` from auth parameters or challenge responses, when given and non-empty.
pub fn given(map: &StringMap) -> Option<String> {
    map.get("DEVICE_KEY").filter(|k| !k.is_empty()).cloned()
}

/// `ResourceNotFoundException` for a device the user does not have.
pub fn not_found() -> CognitoError {
    CognitoError::resource_not_found("Device does not exist.")
}

/// Refuses a `DEVICE_KEY` that is not one of the user's devices (clients then forget it and
/// sign in again without it). Pools that do not track devices ignore the parameter.
pub fn check_known(pool: &Pool, user: &User, key: Option<&str>) -> Result<()> {
    match key {
        Some(k) if tracking(pool).is_some() && !user.devices.contains_key(k) => Err(not_found()),
        _ => Ok(()),
    }
}

fn confirmed<'u>(pool: &Pool, user: &'u User, key: Option<&str>) -> Option<&'u Device> {
    tracking(pool)?;
    user.devices
        .get(key?)
        .filter(|device| device.verifier.is_some())
}

/// Whether the device replaces MFA: confirmed, remembered, and the pool lets remembered
/// devices sign in with device authentication instead of a second factor.
pub fn replaces_mfa(pool: &Pool, user: &User, key: Option<&str>) -> bool {
    let allowed = tracking(pool).and_then(|c| c.challenge_required_on_new_device) == Some(true);
    allowed && confirmed(pool, user, key).is_some_and(|d| d.remembered == Some(true))
}

/// DEVICE_SRP_AUTH, when the sign-in names a confirmed device of the user.
pub fn challenge(
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    user: &User,
    key: Option<&str>,
    expires_at: i64,
) -> Result<Option<AuthResponse>> {
    let Some(device) = confirmed(state.pool(pool_id)?, user, key) else {
        return Ok(None);
    };
    let device_key = device.key.clone();
    let session = super::session::new_session(
        state,
        pool_id,
        client_id,
        &user.username,
        "DEVICE_SRP_AUTH",
        expires_at,
    );
    set_session_device(state, &session, Some(device_key));
    Ok(Some(AuthResponse {
        challenge_name: Some("DEVICE_SRP_AUTH".into()),
        session: Some(Sensitive(session)),
        challenge_parameters: Some(BTreeMap::from([(
            "USERNAME".to_owned(),
            user.username.clone(),
        )])),
        ..Default::default()
    }))
}

/// Whether a sign-in with this `DEVICE_KEY` would be from a device the pool does not know yet
/// (what PostAuthentication's `newDeviceUsed` says).
pub fn is_new(pool: &Pool, user: &User, key: Option<&str>) -> bool {
    tracking(pool).is_some() && key.is_none_or(|k| !user.devices.contains_key(k))
}

/// At token issue: the device the tokens are bound to, and `NewDeviceMetadata` for a sign-in
/// from a device the pool does not know yet.
pub fn bind(
    ctx: &Ctx,
    state: &mut State,
    pool_id: &str,
    username: &str,
    key: Option<&str>,
) -> Result<(Option<String>, Option<NewDeviceMetadataType>)> {
    let now = ctx.clock.now_epoch_f64();
    let pool = state.pool_mut(pool_id)?;
    if tracking(pool).is_none() {
        return Ok((None, None));
    }
    let region = pool_id.split('_').next().unwrap_or("us-east-1").to_owned();
    let mut user = pool.user_mut(username)?;
    if let Some(device) = key.and_then(|k| user.devices.get_mut(k)) {
        device.last_authenticated = now;
        return Ok((Some(device.key.clone()), None));
    }
    let device = Device {
        key: format!("{region}_{}", ids::uuid()),
        group_key: group_key(),
        name: None,
        verifier: None,
        remembered: None,
        created: now,
        modified: now,
        last_authenticated: now,
    };
    let metadata = NewDeviceMetadataType {
        device_key: Some(device.key.clone()),
        device_group_key: Some(device.group_key.clone()),
    };
    user.devices.insert(device.key.clone(), device);
    Ok((metadata.device_key.clone(), Some(metadata)))
}

/// A group key shaped like Cognito's: `-` and nine letters and digits.
fn group_key() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let picks = ids::bytes::<9>();
    let mut out = String::from("-");
    out.extend(
        picks
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])),
    );
    out
}

/// Whether a refresh token bound to `bound` may be used with the `DEVICE_KEY` given: the same
/// device, still tracked.
pub fn refresh_allowed(user: &User, bound: Option<&str>, given: Option<&str>) -> bool {
    match bound {
        None => true,
        Some(b) => given == Some(b) && user.devices.contains_key(b),
    }
}

/// ConfirmDevice: stores the device's salt and verifier and its name. Returns whether the user
/// must still be asked to remember it.
pub fn confirm(
    ctx: &Ctx,
    pool: &mut Pool,
    username: &str,
    key: &str,
    salt_b64: Option<&str>,
    verifier_b64: Option<&str>,
    name: Option<&str>,
) -> Result<bool> {
    let prompt = tracking(pool)
        .ok_or_else(not_found)?
        .device_only_remembered_on_user_prompt
        == Some(true);
    let decode = |value: Option<&str>, member: &str| -> Result<BigUint> {
        let bytes = value
            .and_then(|v| B64.decode(v).ok())
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                CognitoError::invalid_parameter(format!(
                    "DeviceSecretVerifierConfig.{member} must be base64 of a non-empty number."
                ))
            })?;
        Ok(BigUint::from_bytes_be(&bytes))
    };
    let salt = decode(salt_b64, "Salt")?;
    let verifier = decode(verifier_b64, "PasswordVerifier")?;
    if (&verifier % &cognito_protocol::srp::group().n) == BigUint::default() {
        return Err(CognitoError::invalid_parameter(
            "DeviceSecretVerifierConfig.PasswordVerifier is 0 mod N.",
        ));
    }
    if let Some(n) = name {
        if n.is_empty() || n.chars().count() > 1024 {
            return Err(CognitoError::invalid_parameter(
                "1 validation error detected: Value at 'deviceName' failed to satisfy constraint: Member must have length between 1 and 1024",
            ));
        }
    }
    let now = ctx.clock.now_epoch_f64();
    let mut user = pool.user_mut(username)?;
    let device = user.devices.get_mut(key).ok_or_else(not_found)?;
    device.verifier = Some((salt, verifier));
    device.name = name.map(str::to_owned);
    device.modified = now;
    if !prompt {
        device.remembered = Some(true);
    }
    Ok(prompt)
}

/// UpdateDeviceStatus: remembers or stops remembering a device.
pub fn set_status(ctx: &Ctx, user: &mut User, key: &str, status: Option<&str>) -> Result<()> {
    let remembered = match status {
        Some("remembered") => true,
        Some("not_remembered") => false,
        Some(other) => {
            return Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]"
            )))
        }
        None => {
            return Err(CognitoError::invalid_parameter(
                "DeviceRememberedStatus is required.",
            ))
        }
    };
    let device = user.devices.get_mut(key).ok_or_else(not_found)?;
    device.remembered = Some(remembered);
    device.modified = ctx.clock.now_epoch_f64();
    Ok(())
}

/// ForgetDevice: the device is gone, and so are the refresh tokens bound to it.
pub fn forget(user: &mut User, key: &str) -> Result<()> {
    user.devices.remove(key).map(|_| ()).ok_or_else(not_found)
}

/// A confirmed device of the user (GetDevice).
pub fn get(user: &User, key: &str) -> Result<DeviceType> {
    user.devices
        .get(key)
        .filter(|d| d.verifier.is_some())
        .map(view)
        .ok_or_else(not_found)
}

/// The user's confirmed devices, by key, for paging (ListDevices).
pub fn listed(user: &User) -> Vec<(String, DeviceType)> {
    user.devices
        .values()
        .filter(|d| d.verifier.is_some())
        .map(|d| (d.key.clone(), view(d)))
        .collect()
}

/// A device as the operations show it.
pub fn view(device: &Device) -> DeviceType {
    let mut attributes = vec![AttributeType::new("device_status", "valid")];
    if let Some(name) = &device.name {
        attributes.push(AttributeType::new("device_name", name.clone()));
    }
    if let Some(remembered) = device.remembered {
        attributes.push(AttributeType::new(
            "dev:device_remembered_status",
            if remembered {
                "remembered"
            } else {
                "not_remembered"
            },
        ));
    }
    DeviceType {
        device_key: Some(device.key.clone()),
        device_attributes: Some(attributes),
        device_create_date: Some(device.created),
        device_last_modified_date: Some(device.modified),
        device_last_authenticated_date: Some(device.last_authenticated),
    }
}
