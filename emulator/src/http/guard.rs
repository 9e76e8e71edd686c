//! The boundary around the control plane (`/_emulator/*`: the state with the signing key and
//! every verifier, the outbox's codes, the clock, faults, quotas, the console) and the CORS of
//! everything else. A web page a developer happens to visit must not read or change a running
//! emulator, so for the control plane:
//!
//! - no CORS headers at all, and no preflight answered: a page on another origin cannot read
//!   an answer, and cannot send anything but a "simple" request;
//! - `POST` and `PUT` must be `Content-Type: application/json`, which no simple request can be:
//!   a cross-origin page that tries is stopped by its browser's preflight, and a form or a
//!   `text/plain` fetch is refused here (415) before anything changes;
//! - the `Host` must be a loopback name or address, the host the server was bound to, or one
//!   given with `--allowed-host`: a DNS-rebinding page, whose requests carry its own domain,
//!   gets 403;
//! - with `--admin-token`, every control request (the health check aside) must carry it in
//!   `X-Emulator-Admin-Token` or `Authorization: Bearer`, or as `?token=` for the console page.
//!
//! The Cognito API (`POST /`), the JWKS and the hosted UI answer CORS as Cognito does, since
//! browsers call them from pages: `Access-Control-Allow-Origin: *` and a fixed list of allowed
//! request headers (the preflight no longer echoes whatever a page asks for).

use std::net::IpAddr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use subtle::ConstantTimeEq as _;

use crate::ctx::Ctx;

/// The request headers a page may send to the Cognito API (what the AWS SDKs and Amplify send).
pub const API_REQUEST_HEADERS: &str = "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control";

/// Whether a path belongs to the control plane.
pub fn is_control(path: &str) -> bool {
    path == "/_emulator" || path.starts_with("/_emulator/")
}

fn refuse(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({"__type": code, "message": message}))).into_response()
}

/// Whether the `Host` a request names may reach the control plane.
fn host_allowed(ctx: &Ctx, headers: &HeaderMap) -> Result<(), String> {
    // A request without Host cannot come from a browser (HTTP/1.1 clients always send it).
    let Some(host) = headers.get(header::HOST) else {
        return Ok(());
    };
    let host = host
        .to_str()
        .map_err(|_| "the Host header is not text".to_owned())?;
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    }
    .to_ascii_lowercase();
    let loopback = name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback
        || ctx
            .config
            .allowed_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(&name))
    {
        Ok(())
    } else {
        Err(format!(
            "Host {name} may not reach the control plane; allow it with --allowed-host {name}"
        ))
    }
}

fn token_given(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    header("x-emulator-admin-token")
        .map(str::to_owned)
        .or_else(|| {
            header("authorization")
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned)
        })
        .or_else(|| {
            query?
                .split('&')
                .find_map(|pair| pair.strip_prefix("token="))
                .map(str::to_owned)
        })
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// The middleware: the control plane's rules, and CORS for the rest.
pub async fn guard(State(ctx): State<Ctx>, request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !is_control(&path) {
        let mut response = next.run(request).await;
        let h = response.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(
                "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date",
            ),
        );
        return response;
    }
    let headers = request.headers();
    if let Err(message) = host_allowed(&ctx, headers) {
        return refuse(StatusCode::FORBIDDEN, "ForbiddenException", message);
    }
    if let Some(expected) = ctx.config.admin_token.as_deref() {
        let query = (path == "/_emulator/console")
            .then(|| request.uri().query())
            .flatten();
        let given = token_given(headers, query).unwrap_or_default();
        let ok = bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
        if !ok && path != "/_emulator/health" {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "NotAuthorizedException",
                "The control plane needs the admin token (X-Emulator-Admin-Token).".into(),
            );
        }
    }
    let changes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH
    );
    if changes && !is_json(headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeException",
            "Control requests that change the emulator must be Content-Type: application/json."
                .into(),
        );
    }
    next.run(request).await
}
