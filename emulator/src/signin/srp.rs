//! The server side of SRP, once for every flow that uses it: USER_SRP_AUTH (and CUSTOM_AUTH's
//! PASSWORD_VERIFIER) here, DEVICE_SRP_AUTH in `devices`. The steps both share are [`client_a`]
//! (the client's A, checked), [`open_exchange`] (B and the `SECRET_BLOCK`), [`read_claim`] (the
//! block's MAC and the claim's timestamp) and [`claim_is_valid`] (the session key and the
//! claim signature).
//!
//! SRP state lives server-side. The `SECRET_BLOCK` handed to the client is a random id plus an
//! HMAC over it, the pool and the client: a forged block fails the MAC, a replayed one finds
//! nothing (the pending exchange is removed when first answered).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cognito_protocol::srp::{self, ServerEphemeral};
use cognito_protocol::wire::StringMap;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::{PendingSrp, State};

use super::param;

/// The client's public value A from `SRP_A`: hexadecimal, and not 0 mod N.
pub(crate) fn client_a(params: &StringMap) -> Result<BigUint> {
    let a_pub = srp::parse_hex(param(params, "SRP_A")?, "SRP_A")
        .map_err(|_| CognitoError::invalid_parameter("SRP_A is not a hexadecimal number."))?;
    if (&a_pub % &srp::group().n) == BigUint::default() {
        return Err(CognitoError::invalid_parameter(
            "SRP_A is invalid: A mod N is 0.",
        ));
    }
    Ok(a_pub)
}

/// The server's half of a new exchange, computed outside the store lock (B costs a modular
/// exponentiation): the ephemeral, the exchange id and the `SECRET_BLOCK` (id ‖ MAC) that names
/// it.
pub(crate) struct Opened {
    /// b, and B = k·v + g^b.
    pub server: ServerEphemeral,
    /// The key of the pending exchange.
    pub id: [u8; 32],
    /// The `SECRET_BLOCK` parameter, base64.
    pub block: String,
}

/// Draws b for a verifier and makes the block that will name the exchange.
pub(crate) fn open_exchange(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    verifier: &BigUint,
) -> Opened {
    let server = ServerEphemeral::from_private_bytes(&ids::bytes::<32>(), verifier);
    let id = ids::bytes::<32>();
    let mut block = id.to_vec();
    block.extend_from_slice(&block_tag(ctx, &id, pool_id, client_id));
    Opened {
        server,
        id,
        block: B64.encode(block),
    }
}

/// Keeps a pending exchange until it is answered or expires.
pub(crate) fn keep_exchange(state: &mut State, id: [u8; 32], pending: PendingSrp, now: i64) {
    state.srp_expiry.drop_expired(&mut state.srp_pending, now);
    let expires_at = pending.expires_at;
    state
        .srp_expiry
        .insert(&mut state.srp_pending, id, pending, expires_at);
}

/// A password claim as the client sent it (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER), its
/// block's MAC and its timestamp already checked.
pub(crate) struct Claim<'a> {
    /// The exchange the block names.
    pub id: [u8; 32],
    /// The decoded `PASSWORD_CLAIM_SECRET_BLOCK`.
    pub block: Vec<u8>,
    /// `PASSWORD_CLAIM_SIGNATURE`.
    pub signature: &'a str,
    /// `TIMESTAMP`.
    pub timestamp: &'a str,
}

/// Reads a claim: the three parameters, the block's MAC for this pool and client, and the
/// timestamp's format (and window, when one is set).
pub(crate) fn read_claim<'a>(
    ctx: &Ctx,
    responses: &'a StringMap,
    pool_id: &str,
    client_id: &str,
) -> Result<Claim<'a>> {
    let block_b64 = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let block = B64
        .decode(block_b64)
        .map_err(|_| CognitoError::wrong_credentials())?;
    let id = check_block(ctx, &block, pool_id, client_id)?;
    check_timestamp(ctx, timestamp)?;
    Ok(Claim {
        id,
        block,
        signature,
        timestamp,
    })
}

/// Whether the claim proves the password (or device secret): the session key from the spent
/// exchange, and the signature over realm ‖ user id ‖ block ‖ timestamp, compared in constant
/// time. `realm` is the pool name, or the device group key; `user_id` the username, or the
/// device key.
pub(crate) fn claim_is_valid(
    pending: &PendingSrp,
    realm: &str,
    user_id: &str,
    claim: &Claim<'_>,
) -> bool {
    let Ok(key) = pending
        .server
        .session_key(&pending.a_pub, &pending.verifier)
    else {
        return false;
    };
    let message = srp::claim_message(realm, user_id, &claim.block, claim.timestamp);
    srp::verify_claim_signature(&srp::claim_mac(&key, &message), claim.signature)
}

pub(crate) fn block_tag(ctx: &Ctx, id: &[u8; 32], pool_id: &str, client_id: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&ctx.block_key[..])
        .unwrap_or_else(|_| unreachable!());
    mac.update(id);
    mac.update(pool_id.as_bytes());
    mac.update(&[0]);
    mac.update(client_id.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Spends the SRP exchange of a secret block (a block answers once, right or wrong) and checks
/// that it is a user (or, with `device`, a device) exchange of this pool and client, still
/// open, and for the user the claim names.
pub(crate) fn spend_pending(
    state: &mut State,
    id: &[u8; 32],
    pool_id: &str,
    client_id: &str,
    same_user: Option<String>,
    now: i64,
    device: bool,
) -> Result<PendingSrp> {
    let pending = state
        .srp_pending
        .remove(id)
        .ok_or_else(CognitoError::wrong_credentials)?;
    if pending.device.is_some() != device {
        return Err(CognitoError::wrong_credentials());
    }
    if pending.client_id != client_id || pending.pool_id != pool_id {
        return Err(CognitoError::wrong_credentials());
    }
    if pending.expires_at <= now {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    if pending.username.is_none() || same_user != pending.username {
        return Err(CognitoError::wrong_credentials());
    }
    Ok(pending)
}

/// Checks a `SECRET_BLOCK` (id ‖ HMAC tag) and returns the exchange id.
pub(crate) fn check_block(
    ctx: &Ctx,
    block: &[u8],
    pool_id: &str,
    client_id: &str,
) -> Result<[u8; 32]> {
    if block.len() != 64 {
        return Err(CognitoError::wrong_credentials());
    }
    let mut id = [0u8; 32];
    let mut tag = [0u8; 32];
    id.copy_from_slice(&block[..32]);
    tag.copy_from_slice(&block[32..]);
    if !bool::from(block_tag(ctx, &id, pool_id, client_id).ct_eq(&tag)) {
        return Err(CognitoError::wrong_credentials());
    }
    Ok(id)
}

/// Checks a claim's `TIMESTAMP`: always its format, and the clock window when one is set.
pub(crate) fn check_timestamp(ctx: &Ctx, timestamp: &str) -> Result<()> {
    let secs = srp::parse_timestamp(timestamp).ok_or_else(|| {
        CognitoError::invalid_parameter(
            "TIMESTAMP is not in the format 'Sun Nov 1 01:02:03 UTC 2026'.",
        )
    })?;
    if let Some(window) = ctx.config.srp_timestamp_window {
        let skew = (secs - ctx.now()).unsigned_abs();
        if skew > window.as_secs() {
            return Err(CognitoError::not_authorized(
                "TIMESTAMP is outside the allowed clock skew.",
            ));
        }
    }
    Ok(())
}
