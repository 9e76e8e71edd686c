//! StopUserImportJob: a started job that has not run yet stops (its rows are counted as
//! skipped); a job in any other state cannot be stopped.

use serde_json::Value;

use super::describe_user_import_job::{with_job, Input};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    with_job(ctx, &req, |job, now| {
        if job.status != "Pending" {
            return Err(CognitoError::precondition_not_met(format!(
                "Import job {} is {}: only a started job that has not finished can be stopped.",
                job.id, job.status
            )));
        }
        let rows = job.csv.take().map_or(0, |csv| {
            csv.lines().skip(1).filter(|l| !l.trim().is_empty()).count()
        });
        job.skipped = i64::try_from(rows).unwrap_or(i64::MAX);
        job.status = "Stopped".into();
        job.completed = Some(now);
        job.message = Some("ImportJobStopped".into());
        Ok(())
    })
}
