//! DescribeUserImportJob: a job, brought up to the emulator clock first (a started job runs a
//! second after it started; see `accounts::import`).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::accounts::import;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    job_id: String,
}

/// `ResourceNotFoundException` for a job that does not exist.
pub(crate) fn missing(id: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Import job {id} does not exist."))
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        import::settle(ctx, pool, now);
        let job = pool.stored.import_jobs.get(&req.job_id).ok_or_else(|| missing(&req.job_id))?;
        Ok(json!({ "UserImportJob": super::create_user_import_job::view(ctx, &pool.id, job) }))
    })
}
