//! DeleteUserPoolClientSecret: retires one of a client's secrets; the last one cannot go.
//! Deleting the first secret makes the added one the client's secret (DescribeUserPoolClient's
//! `ClientSecret`).

use cognito_protocol::wire::{DeleteUserPoolClientSecretRequest, Empty};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: DeleteUserPoolClientSecretRequest) -> Result<Empty> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let client = pool.client_mut(&req.client_id)?;
        let is_first = client.first_secret_id().as_deref() == Some(req.client_secret_id.as_str());
        let added = client.more_secrets.iter().position(|s| s.id == req.client_secret_id);
        if !is_first && added.is_none() {
            return Err(CognitoError::resource_not_found(format!("Client secret {} does not exist.", req.client_secret_id)));
        }
        if client.secrets().count() < 2 {
            return Err(CognitoError::invalid_parameter("The last secret of an app client cannot be deleted."));
        }
        match added {
            Some(i) => {
                client.more_secrets.remove(i);
            }
            None => {
                let next = client.more_secrets.remove(0);
                client.secret = Some(next.value);
            }
        }
        client.modified = now;
        Ok(Empty {})
    })
}
