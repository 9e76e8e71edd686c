//! StopUserImportJob: a started job that has not run yet stops (its rows are counted as
//! skipped); a job in any other state cannot be stopped.

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
        if job.status != "Pending" {
            return Err(CognitoError::precondition_not_met(format!(
                "Import job {} is {}: only a started job that has not finished can be stopped.",
                job.id, job.status
            )));
        }
        let rows = job.csv.take().map_or(0, |csv| csv.lines().skip(1).filter(|l| !l.trim().is_empty()).count());
        job.skipped = i64::try_from(rows).unwrap_or(i64::MAX);
        job.status = "Stopped".into();
        job.completed = Some(now);
        job.message = Some("ImportJobStopped".into());
        Ok(json!({ "UserImportJob": super::create_user_import_job::view(ctx, &pool_id, job) }))
    })
}
