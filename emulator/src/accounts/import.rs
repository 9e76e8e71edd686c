//! User import jobs: the CSV a job's pre-signed URL received, turned into users by Cognito's
//! rules, and the job's life on the emulator clock.
//!
//! - The header names `cognito:username`, `cognito:mfa_enabled` and every attribute the schema
//!   requires; each other column must be a schema attribute (not `sub`). A header that breaks
//!   this fails the job (`Failed`, `InvalidCSVHeader`) and imports nobody.
//! - Each row is one user in status `RESET_REQUIRED` with no password: they set one through
//!   ForgotPassword (so an imported user needs a verified email or phone to get in). A row
//!   fails (counted in `FailedUsers`, the rest go on) when its username or attributes are
//!   invalid, a required attribute is empty, `cognito:mfa_enabled` is not `true`/`false` (or is
//!   `true` without a phone number), or the user already exists (in the pool or earlier in the
//!   file). No message goes to imported users; the UserMigration trigger is not involved.
//! - A started job runs one second after StartUserImportJob on the emulator clock (Cognito runs
//!   it in the background; move the clock to see it finish), and a job never started expires a
//!   day after it was created. Reads settle what is due before they answer.

use cognito_protocol::wire::AttributeType;

use crate::ctx::Ctx;
use crate::state::records::{ImportJob, Pool};
use crate::state::user::UserStatus;

/// Seconds after StartUserImportJob at which a job runs.
pub const RUN_AFTER_SECONDS: f64 = 1.0;
/// Seconds after creation at which a job never started expires.
pub const EXPIRE_AFTER_SECONDS: f64 = 86_400.0;

/// Brings a pool's jobs up to `now`: runs the started ones that are due, expires the stale.
pub fn settle(ctx: &Ctx, pool: &mut Pool, now: f64) {
    let due: Vec<String> = pool
        .stored
        .import_jobs
        .values()
        .filter(|j| {
            (j.status == "Pending" && j.started.is_some_and(|s| now >= s + RUN_AFTER_SECONDS))
                || (j.status == "Created" && now >= j.created + EXPIRE_AFTER_SECONDS)
        })
        .map(|j| j.id.clone())
        .collect();
    for id in due {
        let Some(mut job) = pool.stored.import_jobs.remove(&id) else {
            continue;
        };
        if job.status == "Created" {
            job.status = "Expired".into();
            job.completed = Some(job.created + EXPIRE_AFTER_SECONDS);
        } else {
            let csv = job.csv.take().unwrap_or_default();
            run(ctx, pool, &mut job, &csv);
            job.completed = job.started.map(|s| s + RUN_AFTER_SECONDS);
        }
        pool.stored.import_jobs.insert(id, job);
    }
}

/// The columns every CSV must have in this pool.
fn required_columns(pool: &Pool) -> Vec<String> {
    let mut out = vec![
        "cognito:username".to_owned(),
        "cognito:mfa_enabled".to_owned(),
    ];
    out.extend(
        pool.schema
            .iter()
            .filter(|a| a.required == Some(true))
            .filter_map(|a| a.name.clone())
            .filter(|n| n != "sub"),
    );
    out
}

fn run(ctx: &Ctx, pool: &mut Pool, job: &mut ImportJob, csv: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::None)
        .from_reader(csv.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(_) => Vec::new(),
    };
    let known = |c: &str| {
        c == "cognito:username"
            || c == "cognito:mfa_enabled"
            || (c != "sub" && pool.schema.iter().any(|a| a.name.as_deref() == Some(c)))
    };
    let header_ok = !header.is_empty()
        && header.iter().all(|c| known(c))
        && required_columns(pool).iter().all(|r| header.contains(r));
    if !header_ok {
        job.status = "Failed".into();
        job.message = Some("InvalidCSVHeader".into());
        return;
    }
    for row in reader.records() {
        let imported = row
            .ok()
            .and_then(|row| import_row(ctx, pool, &header, &row));
        match imported {
            Some(()) => job.imported += 1,
            None => job.failed += 1,
        }
    }
    job.status = "Succeeded".into();
    job.message = Some("ImportJobCompleted".into());
}

/// Imports one row; `None` when it fails.
fn import_row(
    ctx: &Ctx,
    pool: &mut Pool,
    header: &[String],
    row: &csv::StringRecord,
) -> Option<()> {
    let mut username = None;
    let mut mfa = false;
    let mut attrs = Vec::new();
    for (column, value) in header.iter().zip(row.iter()) {
        match column.as_str() {
            "cognito:username" => username = Some(value.to_owned()),
            "cognito:mfa_enabled" => {
                mfa = match value.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            _ if value.is_empty() => {}
            name => attrs.push(AttributeType {
                name: name.to_owned(),
                value: Some(value.to_owned()),
            }),
        }
    }
    let username = username.filter(|u| !u.is_empty())?;
    if mfa && !attrs.iter().any(|a| a.name == "phone_number") {
        return None;
    }
    let mut user =
        super::users::build(ctx, pool, &username, &attrs, UserStatus::ResetRequired).ok()?;
    super::attributes::check_required(pool, &user.attributes).ok()?;
    if pool.users.contains_key(&pool.user_key(&user.username)) {
        return None;
    }
    user.mfa.sms_enabled = mfa;
    pool.insert_user(user);
    Some(())
}
