//! `PUT /user-import/{job id}?X-Amz-Signature=…`: where a user import job's pre-signed URL
//! points (Cognito gives an S3 URL). The signature is the job's secret upload token, compared
//! in constant time; the body (up to `--max-import-bytes`) must be UTF-8 text and is kept with
//! the job until StartUserImportJob. Only a job still `Created` takes an upload; a second
//! upload replaces the first, as a second PUT to the same S3 key does. Errors are S3-shaped
//! (XML `<Error><Code>…`) since that is what upload scripts expect from the URL.

use axum::body::{to_bytes, Body};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::Router;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;

/// The route.
pub fn routes() -> Router<Ctx> {
    Router::new().route("/user-import/{job_id}", put(upload))
}

#[derive(Debug, Deserialize)]
struct Signature {
    #[serde(rename = "X-Amz-Signature")]
    signature: Option<String>,
}

fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

async fn upload(
    State(ctx): State<Ctx>,
    Path(job_id): Path<String>,
    Query(query): Query<Signature>,
    body: Body,
) -> Response {
    let denied = || s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Access Denied");
    let Some(given) = query.signature else {
        return denied();
    };
    let limit = ctx.config.limits.max_import_bytes;
    let Ok(bytes) = to_bytes(body, limit).await else {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            &format!("Your proposed upload exceeds the maximum allowed size ({limit} bytes)."),
        );
    };
    let Ok(csv) = String::from_utf8(bytes.to_vec()) else {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "The CSV file must be UTF-8 text.",
        );
    };
    let now = ctx.clock.now_epoch_f64();
    // `Some(message)` refuses the upload.
    let refused: Option<&str> = ctx.store.with(|state| {
        let denied = Some("Access Denied");
        let Some(pool_id) = state
            .pools
            .iter()
            .find(|(_, p)| p.stored.import_jobs.contains_key(&job_id))
            .map(|(id, _)| id.clone())
        else {
            return denied;
        };
        let Ok(pool) = state.pool_mut(&pool_id) else {
            return denied;
        };
        crate::accounts::import::settle(&ctx, pool, now);
        let Some(job) = pool.stored.import_jobs.get_mut(&job_id) else {
            return denied;
        };
        let ok: bool = job.upload_token.as_bytes().ct_eq(given.as_bytes()).into();
        if !ok {
            return denied;
        }
        if job.status != "Created" {
            return Some("The import job has already been started, stopped or expired.");
        }
        job.csv = Some(csv);
        None
    });
    match refused {
        None => StatusCode::OK.into_response(),
        Some(message) => s3_error(StatusCode::FORBIDDEN, "AccessDenied", message),
    }
}
