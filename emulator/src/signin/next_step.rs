//! What follows a correct password (SRP or plain, a new password, a migrated user): refusal
//! for disabled, unconfirmed or reset users, NEW_PASSWORD_REQUIRED for a temporary password,
//! the MFA step the pool and the user call for, or the end of the sign-in.

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};

use crate::accounts::attributes;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{User, UserStatus};

use super::client::session_minutes;
use super::finish::device_or_finish;
use super::mfa::mfa_step;
use super::session::{new_session, Step};

/// What follows a correct password: refusal for disabled, unconfirmed or reset users, the
/// NEW_PASSWORD_REQUIRED challenge for a temporary password, or (after the PostAuthentication and
/// PreTokenGeneration triggers, run outside the store lock) tokens.
pub(crate) fn after_password(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    username: &str,
    token_source: &str,
    metadata: Option<&StringMap>,
    device: Option<String>,
) -> Result<AuthResponse> {
    let now = ctx.now();
    let next = ctx
        .store
        .with(|state| -> Result<std::result::Result<User, Step>> {
            let (pool, client) = state.client_in(pool_id, client_id)?;
            let minutes = session_minutes(client);
            let user = pool.user(username)?.clone();
            if !user.enabled {
                return Err(CognitoError::not_authorized("User is disabled."));
            }
            match user.status {
                UserStatus::Unconfirmed => {
                    Err(CognitoError::user_not_confirmed("User is not confirmed."))
                }
                // Federated users have no password here; they sign in at their provider.
                UserStatus::ExternalProvider => Err(CognitoError::wrong_credentials()),
                UserStatus::ResetRequired => Err(CognitoError::password_reset_required(
                    "Password reset required for the user",
                )),
                UserStatus::ForceChangePassword => {
                    let expired = user
                        .password
                        .as_ref()
                        .and_then(|p| p.temporary_until)
                        .is_some_and(|until| until <= now);
                    if expired {
                        return Err(CognitoError::not_authorized(
                            "Temporary password has expired and must be reset by an administrator.",
                        ));
                    }
                    let required: Vec<String> = attributes::required_names(pool)
                        .into_iter()
                        .filter(|n| user.attr(n).is_none())
                        .map(|n| format!("userAttributes.{n}"))
                        .collect();
                    let current: serde_json::Map<String, serde_json::Value> = user
                        .attributes
                        .iter()
                        .filter(|(n, _)| n != "sub")
                        .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
                        .collect();
                    let session = new_session(
                        state,
                        pool_id,
                        client_id,
                        &user.username,
                        "NEW_PASSWORD_REQUIRED",
                        now + minutes * 60,
                    );
                    super::session::set_session_device(state, &session, device.clone());
                    Ok(Err(Step::from(AuthResponse {
                        challenge_name: Some("NEW_PASSWORD_REQUIRED".into()),
                        session: Some(Sensitive(session)),
                        challenge_parameters: Some(BTreeMap::from([
                            ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
                            (
                                "requiredAttributes".to_owned(),
                                serde_json::to_string(&required).unwrap_or_default(),
                            ),
                            (
                                "userAttributes".to_owned(),
                                serde_json::Value::Object(current).to_string(),
                            ),
                        ])),
                        ..Default::default()
                    })))
                }
                UserStatus::Confirmed => mfa_step(
                    ctx,
                    state,
                    pool_id,
                    client_id,
                    user,
                    now + minutes * 60,
                    device.as_deref(),
                ),
            }
        })?;
    let user = match next {
        Ok(user) => user,
        Err(step) => return step.send(ctx, client_id, metadata),
    };
    device_or_finish(
        ctx,
        pool_id,
        client_id,
        &user,
        token_source,
        metadata,
        device,
    )
}
