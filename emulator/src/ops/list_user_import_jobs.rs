//! ListUserImportJobs: the pool's jobs, oldest first, brought up to the emulator clock first.

use serde::Deserialize;
use serde_json::{json, Value};

use super::paginate;
use crate::accounts::import;
use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    max_results: i64,
    pagination_token: Option<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    let limit = usize::try_from(req.max_results).unwrap_or(60);
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        import::settle(ctx, pool, now);
        let mut all: Vec<(String, Value)> = pool
            .stored
            .import_jobs
            .values()
            .map(|j| {
                // Creation order.
                let key = format!("{:020}", j.seq);
                (key, super::create_user_import_job::view(ctx, &pool.id, j))
            })
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let (jobs, next) = paginate(&all, req.pagination_token.as_deref(), limit)?;
        let mut out = json!({ "UserImportJobs": jobs });
        if let Some(next) = next {
            out["PaginationToken"] = json!(next);
        }
        Ok(out)
    })
}
