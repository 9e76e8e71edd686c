//! ListIdentities: a pool's identities, paginated by id.

use cognito_protocol::wire::{ListIdentitiesRequest, ListIdentitiesResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{identity, ops};

pub fn handle(ctx: &Ctx, req: ListIdentitiesRequest) -> Result<ListIdentitiesResponse> {
    if !(1..=60).contains(&req.max_results) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60",
            req.max_results
        )));
    }
    let limit = usize::try_from(req.max_results).unwrap_or(60);
    ctx.store.with(|state| {
        identity::pool(state, &req.identity_pool_id)?;
        let all: Vec<_> = state
            .identity
            .identities
            .iter()
            .filter(|(_, i)| i.pool_id == req.identity_pool_id)
            .map(|(id, i)| (id.clone(), super::describe_identity::describe(id, i)))
            .collect();
        let (identities, next_token) = ops::paginate(&all, req.next_token.as_deref(), limit)?;
        Ok(ListIdentitiesResponse { identity_pool_id: Some(req.identity_pool_id.clone()), identities, next_token })
    })
}
