//! StartUserImportJob: a `Created` job with its CSV uploaded becomes `Pending` and runs a
//! second later on the emulator clock (see `accounts::import`).

use serde::Deserialize;
use serde_json::{json, Value};

use super::describe_user_import_job::missing;
use crate::accounts::import;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    user_pool_id: String,
    job_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        import::settle(ctx, pool, now);
        let pool_id = pool.id.clone();
        let job = pool.stored.import_jobs.get_mut(&req.job_id).ok_or_else(|| missing(&req.job_id))?;
        if job.status != "Created" {
            return Err(CognitoError::precondition_not_met(format!(
                "Import job {} is {}: only a Created job can be started.",
                job.id, job.status
            )));
        }
        if job.csv.is_none() {
            return Err(CognitoError::precondition_not_met(
                "No CSV file has been uploaded to the job's pre-signed URL.",
            ));
        }
        job.status = "Pending".into();
        job.started = Some(now);
        Ok(json!({ "UserImportJob": super::create_user_import_job::view(ctx, &pool_id, job) }))
    })
}
