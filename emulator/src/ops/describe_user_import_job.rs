//! DescribeUserImportJob: a job, brought up to the emulator clock first (a started job runs a
//! second after it started; see `accounts::import`).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::accounts::import;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

/// The input of DescribeUserImportJob, StartUserImportJob and StopUserImportJob.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    job_id: String,
}

/// Brings the pool's jobs up to the emulator clock, then lets `change` act on the job and
/// answers with it (`ResourceNotFoundException` when there is no such job).
pub(crate) fn with_job(
    ctx: &Ctx,
    req: &Input,
    change: impl FnOnce(&mut crate::state::records::ImportJob, f64) -> Result<()>,
) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        import::settle(ctx, pool, now);
        let pool_id = pool.id.clone();
        let job = pool
            .stored
            .import_jobs
            .get_mut(&req.job_id)
            .ok_or_else(|| missing(&req.job_id))?;
        change(job, now)?;
        Ok(json!({ "UserImportJob": super::create_user_import_job::view(ctx, &pool_id, job) }))
    })
}

/// `ResourceNotFoundException` for a job that does not exist.
pub(crate) fn missing(id: &str) -> CognitoError {
    CognitoError::resource_not_found(format!("Import job {id} does not exist."))
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    with_job(ctx, &req, |_, _| Ok(()))
}
