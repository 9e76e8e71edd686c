//! ListUserPoolClientSecrets: a client's active secrets, ids and dates only (never values).

use cognito_protocol::wire::{ClientSecretDescriptorType, ListUserPoolClientSecretsRequest, ListUserPoolClientSecretsResponse};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: ListUserPoolClientSecretsRequest) -> Result<ListUserPoolClientSecretsResponse> {
    ctx.store.with(|state| {
        let (_, client) = state.client_in(&req.user_pool_id, &req.client_id)?;
        let first = client.first_secret_id().map(|id| ClientSecretDescriptorType {
            client_secret_id: Some(id),
            client_secret_value: None,
            client_secret_create_date: Some(client.created),
        });
        let more = client.more_secrets.iter().map(|s| ClientSecretDescriptorType {
            client_secret_id: Some(s.id.clone()),
            client_secret_value: None,
            client_secret_create_date: Some(s.created),
        });
        Ok(ListUserPoolClientSecretsResponse { client_secrets: first.into_iter().chain(more).collect() })
    })
}
