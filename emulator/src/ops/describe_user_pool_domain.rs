//! DescribeUserPoolDomain: the pool behind a domain prefix (an empty description when none).

use cognito_protocol::wire::{
    DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse, DomainDescriptionType,
};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: DescribeUserPoolDomainRequest) -> Result<DescribeUserPoolDomainResponse> {
    Ok(ctx.store.with(|state| DescribeUserPoolDomainResponse {
        domain_description: match state.domains.get(&req.domain) {
            Some(pool_id) => {
                let settings = state
                    .pools
                    .get(pool_id)
                    .and_then(|p| p.domain_settings.clone())
                    .unwrap_or_default();
                DomainDescriptionType {
                    user_pool_id: Some(pool_id.clone()),
                    domain: Some(req.domain.clone()),
                    status: Some("ACTIVE".into()),
                    cloud_front_distribution: Some(super::create_user_pool_domain::served_from(ctx)),
                    aws_account_id: Some(ctx.config.account_id.clone()),
                    managed_login_version: Some(settings.managed_login_version.unwrap_or(1)),
                    custom_domain_config: settings.custom_domain_config,
                    routing: settings.routing,
                }
            }
            None => DomainDescriptionType::default(),
        },
    }))
}
