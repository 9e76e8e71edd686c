//! DeleteIdentities: 1–60 identities and their links go; ids that do not exist are simply not
//! there afterwards (nothing is reported unprocessed for them).

use cognito_protocol::wire::{DeleteIdentitiesRequest, DeleteIdentitiesResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: DeleteIdentitiesRequest) -> Result<DeleteIdentitiesResponse> {
    let n = req.identity_ids_to_delete.len();
    if !(1..=60).contains(&n) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value at 'identityIdsToDelete' failed to satisfy constraint: Member must have length between 1 and 60 (given {n})"
        )));
    }
    ctx.store.with(|state| {
        let ids = &mut state.identity;
        for id in &req.identity_ids_to_delete {
            if let Some(identity) = ids.identities.remove(id) {
                for login in identity.logins {
                    ids.by_login.remove(&(identity.pool_id.clone(), login));
                }
            }
        }
        Ok(DeleteIdentitiesResponse { unprocessed_identity_ids: Vec::new() })
    })
}
