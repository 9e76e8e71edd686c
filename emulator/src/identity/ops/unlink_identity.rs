//! UnlinkIdentity: removes logins of the named providers from an identity. The caller proves it
//! holds the identity with current tokens of its logins (`Logins`), as GetCredentialsForIdentity
//! checks them; the providers in `LoginsToRemove` must be among them.

use cognito_protocol::wire::{Empty, UnlinkIdentityRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity;

pub fn handle(ctx: &Ctx, req: UnlinkIdentityRequest) -> Result<Empty> {
    let logins = req.logins.into_inner();
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let (pool_id, linked) = identity::find(state, &req.identity_id)?;
        let pool = identity::pool(state, &pool_id)?.clone();
        if logins.is_empty() {
            return Err(CognitoError::not_authorized("Logins are required to unlink an identity."));
        }
        identity::authorize(ctx, state, &pool, &req.identity_id, &linked, &logins)?;
        for provider in &req.logins_to_remove {
            if !logins.contains_key(provider) {
                return Err(CognitoError::invalid_parameter(format!(
                    "{provider} is in LoginsToRemove but not in Logins."
                )));
            }
        }
        let ids = &mut state.identity;
        let removed: Vec<String> = linked
            .iter()
            .filter(|l| {
                let provider = l.split_once('|').map_or(l.as_str(), |(p, _)| p);
                req.logins_to_remove.iter().any(|r| r == provider)
            })
            .cloned()
            .collect();
        if let Some(identity) = ids.identities.get_mut(&req.identity_id) {
            for login in &removed {
                identity.logins.remove(login);
            }
            identity.modified = now;
        }
        for login in removed {
            ids.by_login.remove(&(pool_id.clone(), login));
        }
        Ok(Empty {})
    })
}
