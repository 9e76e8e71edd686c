//! StartUserImportJob: a `Created` job with its CSV uploaded becomes `Pending` and runs a
//! second later on the emulator clock (see `accounts::import`).

use serde_json::Value;

use super::describe_user_import_job::{with_job, Input};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    with_job(ctx, &req, |job, now| {
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
        Ok(())
    })
}
