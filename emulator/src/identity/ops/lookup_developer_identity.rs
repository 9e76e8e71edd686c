//! LookupDeveloperIdentity: the identity of a developer user identifier, or the developer
//! user identifiers linked to an identity (paginated), or both checked against each other
//! (`ResourceConflictException` when they do not belong together).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity;
use crate::ops::paginate;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    identity_pool_id: String,
    identity_id: Option<String>,
    developer_user_identifier: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let limit = req.max_results.and_then(|n| usize::try_from(n).ok()).unwrap_or(60);
    ctx.store.with(|state| {
        let provider = super::get_open_id_token_for_developer_identity::developer_provider_of(
            state,
            &req.identity_pool_id,
            None,
        )?;
        let by_user = match &req.developer_user_identifier {
            Some(user) => Some(
                state
                    .identity
                    .by_login
                    .get(&(req.identity_pool_id.clone(), format!("{provider}|{user}")))
                    .cloned()
                    .ok_or_else(|| CognitoError::resource_not_found(format!("Developer user '{user}' not found.")))?,
            ),
            None => None,
        };
        let identity_id = match (&req.identity_id, by_user) {
            (Some(given), Some(found)) if *given != found => {
                return Err(CognitoError::resource_conflict(
                    "The developer user identifier does not belong to that identity.",
                ))
            }
            (Some(given), _) => given.clone(),
            (None, Some(found)) => found,
            (None, None) => {
                return Err(CognitoError::invalid_parameter(
                    "Either IdentityId or DeveloperUserIdentifier is required.",
                ))
            }
        };
        let (pool_of, linked) = identity::find(state, &identity_id)?;
        if pool_of != req.identity_pool_id {
            return Err(CognitoError::resource_not_found(format!("Identity '{identity_id}' not found.")));
        }
        let prefix = format!("{provider}|");
        let users: Vec<(String, String)> = linked
            .iter()
            .filter_map(|l| l.strip_prefix(&prefix))
            .map(|u| (u.to_owned(), u.to_owned()))
            .collect();
        let (page, next) = paginate(&users, req.next_token.as_deref(), limit)?;
        let mut out = json!({ "IdentityId": identity_id, "DeveloperUserIdentifierList": page });
        if let Some(next) = next {
            out["NextToken"] = json!(next);
        }
        Ok(out)
    })
}
