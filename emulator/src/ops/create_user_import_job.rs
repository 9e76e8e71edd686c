//! CreateUserImportJob: a job in status `Created` whose `PreSignedUrl` points at the emulator
//! (`PUT {base}/user-import/{job id}?X-Amz-Signature=…`, standing in for the S3 URL Cognito
//! gives), where a script uploads the CSV with plain HTTP. See `accounts::import`.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::state::records::ImportJob;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    job_name: String,
    user_pool_id: String,
    cloud_watch_logs_role_arn: String,
    password_hashing_algorithm: Option<String>,
}

/// A job as the API shows it.
pub(crate) fn view(ctx: &Ctx, pool_id: &str, job: &ImportJob) -> Value {
    let base = ctx.config.base_url.trim_end_matches('/');
    let mut v = json!({
        "JobName": job.name,
        "JobId": job.id,
        "UserPoolId": pool_id,
        "PreSignedUrl": format!("{base}/user-import/{}?X-Amz-Signature={}", job.id, job.upload_token),
        "CreationDate": job.created,
        "Status": job.status,
        "CloudWatchLogsRoleArn": job.role_arn,
        "ImportedUsers": job.imported,
        "SkippedUsers": job.skipped,
        "FailedUsers": job.failed,
    });
    for (member, value) in [
        ("StartDate", job.started.map(Value::from)),
        ("CompletionDate", job.completed.map(Value::from)),
        ("CompletionMessage", job.message.clone().map(Value::from)),
        ("PasswordHashingAlgorithm", job.hashing_algorithm.clone().map(Value::from)),
    ] {
        if let Some(value) = value {
            v[member] = value;
        }
    }
    v
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        let id = format!("import-{}", crate::ids::lower_alnum(10));
        let job = ImportJob {
            id: id.clone(),
            name: req.job_name,
            status: "Created".into(),
            created: now,
            seq: pool.stored.import_jobs.values().map(|j| j.seq + 1).max().unwrap_or(0),
            started: None,
            completed: None,
            role_arn: req.cloud_watch_logs_role_arn,
            hashing_algorithm: req.password_hashing_algorithm,
            imported: 0,
            failed: 0,
            skipped: 0,
            message: None,
            upload_token: hex::encode(crate::ids::bytes::<32>()),
            csv: None,
        };
        let out = json!({ "UserImportJob": view(ctx, &pool.id, &job) });
        pool.stored.import_jobs.insert(id, job);
        Ok(out)
    })
}
