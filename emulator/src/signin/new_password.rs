//! NEW_PASSWORD_REQUIRED: a user with a temporary password sets a permanent one (and any
//! required attributes) and signs in.

use cognito_protocol::wire::{self, AuthResponse, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::{accounts::attributes, accounts::password};

use super::client::check_secret_hash;
use super::next_step::after_password;
use super::param;
use super::session::take_session;

/// NEW_PASSWORD_REQUIRED: sets the permanent password and required attributes, then issues
/// tokens. The session stays usable after a policy or attribute error, so the user can retry.
pub(crate) fn new_password(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let login = param(responses, "USERNAME")?;
    let new_pw = param(responses, "NEW_PASSWORD")?;
    let (username, device) = ctx
        .store
        .with(|state| -> Result<(String, Option<String>)> {
            let sess = take_session(
                state,
                session,
                pool_id,
                client_id,
                "NEW_PASSWORD_REQUIRED",
                now,
            )?;
            let (pool, client) = state.client_in(pool_id, client_id)?;
            check_secret_hash(
                client,
                responses.get("SECRET_HASH").map(String::as_str),
                &[login],
            )?;
            let user = pool
                .find_user(login)
                .ok_or_else(|| CognitoError::not_authorized("Invalid session for the user."))?;
            if user.username != sess.username {
                return Err(CognitoError::not_authorized(
                    "Invalid session for the user.",
                ));
            }
            let given: Vec<wire::AttributeType> = responses
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("userAttributes.")
                        .map(|n| wire::AttributeType::new(n, v.clone()))
                })
                .collect();
            attributes::validate(pool, &given)?;
            let mut merged = user.attributes.clone();
            for a in &given {
                let value = a.value.clone().unwrap_or_default();
                match merged.iter_mut().find(|(n, _)| *n == a.name) {
                    Some(slot) => slot.1 = value,
                    None => merged.push((a.name.clone(), value)),
                }
            }
            attributes::check_required(pool, &merged)?;
            password::check_policy(&password::policy(pool), new_pw)?;
            let record = password::record(pool_id, &user.username, new_pw, None);
            let username = user.username.clone();
            let modified = ctx.clock.now_epoch_f64();
            {
                let mut user = state.pool_mut(pool_id)?.user_mut(&username)?;
                user.attributes = merged;
                user.password = Some(record);
                user.status = UserStatus::Confirmed;
                user.modified = modified;
            }
            if let Some(s) = session {
                state.sessions.remove(s);
            }
            Ok((username, sess.device_key))
        })?;
    after_password(
        ctx,
        pool_id,
        client_id,
        &username,
        "TokenGeneration_NewPasswordChallenge",
        metadata,
        device,
    )
}
