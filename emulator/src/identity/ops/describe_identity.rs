//! DescribeIdentity: an identity's linked providers and dates.

use cognito_protocol::wire::{IdentityDescription, IdentityIdRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::identity::Identity;

pub fn handle(ctx: &Ctx, req: IdentityIdRequest) -> Result<IdentityDescription> {
    ctx.store.with(|state| {
        let identity = state.identity.identities.get(&req.identity_id).ok_or_else(|| {
            CognitoError::resource_not_found(format!("Identity '{}' not found.", req.identity_id))
        })?;
        Ok(describe(&req.identity_id, identity))
    })
}

/// An identity as DescribeIdentity and ListIdentities show it: the providers of its logins.
pub(crate) fn describe(id: &str, identity: &Identity) -> IdentityDescription {
    let mut providers: Vec<String> = identity
        .logins
        .iter()
        .map(|l| l.split_once('|').map_or(l.as_str(), |(provider, _)| provider).to_owned())
        .collect();
    providers.dedup();
    IdentityDescription {
        identity_id: Some(id.to_owned()),
        logins: Some(providers),
        creation_date: Some(identity.created),
        last_modified_date: Some(identity.modified),
    }
}
