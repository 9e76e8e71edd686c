//! Checking SigV4 signatures, in the two places the emulator stands in for AWS's front door:
//!
//! - `--require-sigv4`: the operations that need AWS credentials in Cognito (everything the
//!   service model does not mark unauthenticated: the Admin and configuration operations) are
//!   refused unless signed with one of the configured key pairs, with the errors AWS's JSON
//!   services give ([`verify`], called from [`super::api`]).
//! - `/_emulator/sigv4/…`: answers 200 with the identity behind a request signed with
//!   credentials the identity pools handed out, the way an IAM-authorised API Gateway would
//!   ([`check`]).
//!
//! Either way the request is signed again with the known secret (through
//! `cognito_protocol::sigv4`, on the official aws-sigv4 signer, so the canonicalisation is AWS's
//! own) over exactly the headers the client signed, and the two `Authorization` values are
//! compared in constant time. Nothing here canonicalises by hand.

use chrono::{DateTime, NaiveDateTime};
use cognito_protocol::sigv4::{AwsCredentials, SigV4Signer};
use cognito_protocol::wire::ErrorKind;
use http::HeaderMap;
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;
use crate::error::CognitoError;

/// How far a request's `X-Amz-Date` may be from the server's time, as AWS allows.
const SKEW_SECONDS: i64 = 300;

/// Why a signature was refused: the AWS error code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `MissingAuthenticationTokenException`, `InvalidSignatureException`, …
    pub kind: ErrorKind,
    /// The message, worded as AWS words it.
    pub message: String,
}

impl Refusal {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    fn unrecognized() -> Self {
        Self::new(
            ErrorKind::UnrecognizedClient,
            "The security token included in the request is invalid.",
        )
    }

    fn incomplete(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::IncompleteSignature, message)
    }
}

impl From<Refusal> for CognitoError {
    fn from(r: Refusal) -> Self {
        CognitoError {
            kind: r.kind,
            message: r.message,
        }
    }
}

/// What the server knows about an access key.
#[derive(Debug, Clone)]
pub struct KnownKey {
    /// The secret access key.
    pub secret: String,
    /// The session token temporary credentials must present; `None` for long-term keys,
    /// which must present none.
    pub session_token: Option<String>,
    /// When temporary credentials expire (Unix seconds, on the clock `now` is read from).
    pub expires_at: Option<i64>,
}

/// A request as received.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    /// `POST`, `GET`, …
    pub method: &'a str,
    /// The path and query as received.
    pub path_and_query: &'a str,
    /// Every header.
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a [u8],
}

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
struct Authorization {
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
}

fn parse_authorization(value: &str) -> Result<Authorization, Refusal> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
        Refusal::incomplete(format!(
            "Authorization header requires the AWS4-HMAC-SHA256 algorithm, not '{}'.",
            value.split(' ').next().unwrap_or_default()
        ))
    })?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',').map(str::trim) {
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let missing = |name: &str| {
        Refusal::incomplete(format!(
            "Authorization header requires '{name}' parameter. Authorization={value}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err(Refusal::incomplete(format!(
            "Credential should have the form KEY/DATE/REGION/SERVICE/aws4_request, not '{credential}'."
        )));
    };
    Ok(Authorization {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers: signed.split(';').map(str::to_owned).collect(),
    })
}

fn amz(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// Verifies a request's SigV4 signature. `service`, when given, is the signing name the
/// credential scope must carry (`cognito-idp`); `now` is the server's time in Unix seconds;
/// `known` finds an access key. Returns the access key that signed.
pub fn verify(
    request: Signed<'_>,
    service: Option<&str>,
    now: i64,
    known: impl FnOnce(&str) -> Option<KnownKey>,
) -> Result<String, Refusal> {
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    let given = header("authorization").ok_or_else(|| {
        Refusal::new(
            ErrorKind::MissingAuthenticationToken,
            "Missing Authentication Token",
        )
    })?;
    let auth = parse_authorization(given)?;
    let amz_date = header("x-amz-date").ok_or_else(|| {
        Refusal::incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    let at = NaiveDateTime::parse_from_str(amz_date, "%Y%m%dT%H%M%SZ")
        .map_err(|_| {
            Refusal::incomplete(format!(
                "X-Amz-Date '{amz_date}' is not ISO-8601 basic format."
            ))
        })?
        .and_utc()
        .timestamp();
    let key = known(&auth.access_key_id).ok_or_else(Refusal::unrecognized)?;
    let token = header("x-amz-security-token");
    match (&key.session_token, token) {
        (None, None) => {}
        (Some(expected), Some(token))
            if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) => {}
        _ => return Err(Refusal::unrecognized()),
    }
    if key.expires_at.is_some_and(|e| e <= now) {
        return Err(Refusal::new(
            ErrorKind::ExpiredToken,
            "The security token included in the request is expired",
        ));
    }
    if let Some(service) = service.filter(|s| *s != auth.service) {
        return Err(Refusal::new(
            ErrorKind::InvalidSignature,
            format!("Credential should be scoped to correct service: '{service}'. "),
        ));
    }
    if at < now - SKEW_SECONDS {
        return Err(Refusal::new(
            ErrorKind::InvalidSignature,
            format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - 5 min.)",
                amz(now - SKEW_SECONDS),
                amz(now)
            ),
        ));
    }
    if at > now + SKEW_SECONDS {
        return Err(Refusal::new(
            ErrorKind::InvalidSignature,
            format!(
                "Signature not yet current: {amz_date} is still later than {} ({} + 5 min.)",
                amz(now + SKEW_SECONDS),
                amz(now)
            ),
        ));
    }
    if !amz_date.starts_with(&auth.date) {
        return Err(Refusal::new(
            ErrorKind::InvalidSignature,
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
                auth.date,
                &amz_date[..amz_date.len().min(8)]
            ),
        ));
    }
    let host = header("host").ok_or_else(|| {
        Refusal::incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
    })?;
    let mut rebuilt = http::Request::builder()
        .method(request.method)
        .uri(format!("http://{host}{}", request.path_and_query));
    for name in &auth.signed_headers {
        if matches!(
            name.as_str(),
            "x-amz-date" | "x-amz-security-token" | "authorization"
        ) {
            continue;
        }
        for value in request.headers.get_all(name.as_str()) {
            rebuilt = rebuilt.header(name.as_str(), value);
        }
    }
    let mismatch = || {
        Refusal::new(
            ErrorKind::InvalidSignature,
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        )
    };
    let mut rebuilt = rebuilt
        .body(request.body.to_vec())
        .map_err(|_| mismatch())?;
    let creds = AwsCredentials::new(
        &auth.access_key_id,
        &key.secret,
        key.session_token.as_deref(),
    );
    SigV4Signer::new(&auth.region, &auth.service)
        .sign(&creds, at, &mut rebuilt)
        .map_err(|_| mismatch())?;
    let expected = rebuilt
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return Err(mismatch());
    }
    Ok(auth.access_key_id)
}

/// Who signed a valid request to the echo endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The identity the credentials were issued to.
    pub identity_id: String,
    /// The role they stand for.
    pub role_arn: String,
    /// The access key.
    pub access_key_id: String,
}

/// Checks a request signed with credentials the identity pools issued, on the emulator's clock
/// (which is the clock their expiry was set on). `path_and_query` is as received.
pub fn check(ctx: &Ctx, request: Signed<'_>) -> Result<Signer, Refusal> {
    let mut found = None;
    let access_key_id = verify(request, None, ctx.now(), |key| {
        let issued = ctx
            .store
            .with(|state| state.identity.credentials.get(key).cloned())?;
        let known = KnownKey {
            secret: issued.secret.clone(),
            session_token: Some(issued.session_token.clone()),
            expires_at: Some(issued.expires_at),
        };
        found = Some(issued);
        Some(known)
    })?;
    let issued = found.ok_or_else(Refusal::unrecognized)?;
    Ok(Signer {
        identity_id: issued.identity_id,
        role_arn: issued.role_arn,
        access_key_id,
    })
}

/// The `--require-sigv4` check for one API call: nothing when the emulator does not require
/// signatures or the operation is one Cognito serves unauthenticated; otherwise the request must
/// be signed for `service` with a configured key pair, on the wall clock (clients sign with
/// their machine's time, which moving the emulator's clock does not change).
pub fn require(
    ctx: &Ctx,
    needs_credentials: bool,
    service: &str,
    request: Signed<'_>,
) -> Result<(), CognitoError> {
    let Some(keys) = ctx.config.sigv4_keys.as_ref() else {
        return Ok(());
    };
    if !needs_credentials {
        return Ok(());
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    verify(request, Some(service), now, |key| {
        keys.get(key).map(|secret| KnownKey {
            secret: secret.clone(),
            session_token: None,
            expires_at: None,
        })
    })?;
    Ok(())
}
