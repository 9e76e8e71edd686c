//! AddUserPoolClientSecret: a second secret for a confidential client, for rotation without
//! downtime. While both exist, SECRET_HASH, `ClientSecret` and the token endpoint accept either;
//! DeleteUserPoolClientSecret retires one. At most two are active.

use cognito_protocol::wire::{AddUserPoolClientSecretRequest, AddUserPoolClientSecretResponse, ClientSecretDescriptorType};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::ClientSecret;

pub fn handle(ctx: &Ctx, req: AddUserPoolClientSecretRequest) -> Result<AddUserPoolClientSecretResponse> {
    let value = match req.client_secret.map(cognito_protocol::wire::Sensitive::into_inner) {
        Some(given) => {
            let ok = (24..=64).contains(&given.len()) && given.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+');
            if !ok {
                return Err(CognitoError::invalid_parameter(
                    "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length between 24 and 64 and satisfy regular expression pattern: [\\w+]+",
                ));
            }
            given
        }
        None => ids::client_secret(),
    };
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let client = pool.client_mut(&req.client_id)?;
        if client.secret.is_none() {
            return Err(CognitoError::invalid_parameter("The app client has no secret: only confidential clients can have secrets added."));
        }
        if client.secrets().count() >= 2 {
            return Err(CognitoError {
                kind: cognito_protocol::wire::ErrorKind::LimitExceeded,
                message: "An app client can have at most 2 secrets.".into(),
            });
        }
        let id = client.secret_id(&value);
        client.more_secrets.push(ClientSecret { id: id.clone(), value: value.clone(), created: now });
        client.modified = now;
        Ok(AddUserPoolClientSecretResponse {
            client_secret_descriptor: ClientSecretDescriptorType {
                client_secret_id: Some(id),
                client_secret_value: Some(value.into()),
                client_secret_create_date: Some(now),
            },
        })
    })
}
