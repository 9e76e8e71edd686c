//! MergeDeveloperIdentities: the source developer user's identity joins the destination's:
//! every login of the source identity moves to the destination identity and the source
//! identity is gone. Two identities with different users of the same other provider cannot be
//! merged (`ResourceConflictException`), nor more than 20 logins.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    source_user_identifier: String,
    destination_user_identifier: String,
    developer_provider_name: String,
    identity_pool_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let provider = super::get_open_id_token_for_developer_identity::developer_provider_of(
            state,
            &req.identity_pool_id,
            Some(&req.developer_provider_name),
        )?;
        let ids = &mut state.identity;
        let identity_of = |user: &str| {
            ids.by_login
                .get(&(req.identity_pool_id.clone(), format!("{provider}|{user}")))
                .cloned()
                .ok_or_else(|| CognitoError::resource_not_found(format!("Developer user '{user}' not found.")))
        };
        let source = identity_of(&req.source_user_identifier)?;
        let destination = identity_of(&req.destination_user_identifier)?;
        if source == destination {
            return Ok(json!({ "IdentityId": destination }));
        }
        let moving = ids.identities.get(&source).map(|i| i.logins.clone()).unwrap_or_default();
        let staying = ids.identities.get(&destination).map(|i| i.logins.clone()).unwrap_or_default();
        let provider_of = |l: &String| l.split_once('|').map(|(p, _)| p.to_owned()).unwrap_or_default();
        let clash = moving.iter().any(|m| {
            let p = provider_of(m);
            p != provider && staying.iter().any(|s| provider_of(s) == p && s != m)
        });
        if clash {
            return Err(CognitoError::resource_conflict(
                "The identities are linked to different users of the same provider.",
            ));
        }
        if moving.union(&staying).count() > 20 {
            return Err(CognitoError::limit_exceeded("An identity can have at most 20 linked logins."));
        }
        ids.identities.remove(&source);
        if let Some(target) = ids.identities.get_mut(&destination) {
            target.logins.extend(moving.iter().cloned());
            target.modified = now;
        }
        for login in moving {
            ids.by_login.insert((req.identity_pool_id.clone(), login), destination.clone());
        }
        Ok(json!({ "IdentityId": destination }))
    })
}
