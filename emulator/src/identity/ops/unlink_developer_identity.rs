//! UnlinkDeveloperIdentity: removes a developer user identifier from its identity; seen again,
//! the developer user gets a new identity.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    identity_id: String,
    identity_pool_id: String,
    developer_provider_name: String,
    developer_user_identifier: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let provider = super::get_open_id_token_for_developer_identity::developer_provider_of(
            state,
            &req.identity_pool_id,
            Some(&req.developer_provider_name),
        )?;
        let login = format!("{provider}|{}", req.developer_user_identifier);
        let ids = &mut state.identity;
        let linked = ids
            .identities
            .get(&req.identity_id)
            .is_some_and(|i| i.pool_id == req.identity_pool_id && i.logins.contains(&login));
        if !linked {
            return Err(CognitoError::resource_conflict(
                "The developer user identifier is not linked to that identity.",
            ));
        }
        if let Some(identity) = ids.identities.get_mut(&req.identity_id) {
            identity.logins.remove(&login);
            identity.modified = now;
        }
        ids.by_login.remove(&(req.identity_pool_id.clone(), login));
        Ok(json!({}))
    })
}
