//! CreateTerms: a terms-of-use or privacy-policy document (links by language) for an app
//! client; one of each name per client. The hosted UI's sign-up page shows the links.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    client_id: String,
    terms_name: String,
    terms_source: String,
    enforcement: String,
    links: Option<Map<String, Value>>,
}

/// Fails if the client already has terms of this name (other than `except`).
pub(crate) fn name_free(
    terms: &std::collections::BTreeMap<String, Value>,
    client_id: &str,
    name: &str,
    except: Option<&str>,
) -> Result<()> {
    let taken = terms.iter().any(|(id, t)| {
        Some(id.as_str()) != except && t["ClientId"] == client_id && t["TermsName"] == name
    });
    if taken {
        return Err(CognitoError::terms_exists(format!(
            "Terms named {name} already exist for client {client_id}."
        )));
    }
    Ok(())
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.client_mut(&req.client_id)?;
        name_free(&pool.stored.terms, &req.client_id, &req.terms_name, None)?;
        let id = crate::ids::uuid();
        let terms = json!({
            "TermsId": id,
            "UserPoolId": pool.id,
            "ClientId": req.client_id,
            "TermsName": req.terms_name,
            "TermsSource": req.terms_source,
            "Enforcement": req.enforcement,
            "Links": req.links.unwrap_or_default(),
            "CreationDate": now,
            "LastModifiedDate": now,
        });
        pool.stored.terms.insert(id, terms.clone());
        Ok(json!({ "Terms": terms }))
    })
}
