//! ListUserPoolReplicas: the primary (the pool's own region) and its replicas.

use serde::Deserialize;
use serde_json::{json, Value};

use super::create_user_pool_replica::{home_region, view};
use super::paginate;
use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    next_token: Option<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let home = home_region(pool).to_owned();
        let mut all = vec![(String::new(), view(pool, &home, "ACTIVE"))];
        all.extend(
            pool.stored
                .replicas
                .iter()
                .map(|(region, status)| (region.clone(), view(pool, region, status))),
        );
        let (replicas, next) = paginate(&all, req.next_token.as_deref(), 60)?;
        let mut out = json!({ "UserPoolReplicas": replicas });
        if let Some(next) = next {
            out["NextToken"] = json!(next);
        }
        Ok(out)
    })
}
