//! DescribeUserPoolDomain: the pool behind a domain prefix (an empty description when none).

use cognito_protocol::wire::{
    DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse, DomainDescriptionType,
};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: DescribeUserPoolDomainRequest) -> Result<DescribeUserPoolDomainResponse> {
    Ok(ctx.store.with(|state| DescribeUserPoolDomainResponse {
        domain_description: match state.domains.get(&req.domain) {
            Some(pool_id) => DomainDescriptionType {
                user_pool_id: Some(pool_id.clone()),
                domain: Some(req.domain.clone()),
                status: Some("ACTIVE".into()),
                cloud_front_distribution: Some(format!(
                    "{}/domains/{}",
                    ctx.config.base_url, req.domain
                )),
                aws_account_id: Some(ctx.config.account_id.clone()),
            },
            None => DomainDescriptionType::default(),
        },
    }))
}
