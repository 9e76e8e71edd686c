//! Checking SigV4 signatures made with credentials the identity pools handed out, the way an
//! AWS service (API Gateway with IAM auth, say) checks them: `/_emulator/sigv4/…` answers 200
//! with the identity behind a valid signature and 403 with the reason otherwise. The request is
//! signed again with the issued secret (through `cognito_protocol::sigv4`, on the official
//! aws-sigv4 signer) over exactly the headers the client signed, and the signatures are compared
//! in constant time.

use chrono::NaiveDateTime;
use cognito_protocol::sigv4::{AwsCredentials, SigV4Signer};
use http::HeaderMap;
use subtle::ConstantTimeEq;

use crate::ctx::Ctx;

/// Who signed a valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The identity the credentials were issued to.
    pub identity_id: String,
    /// The role they stand for.
    pub role_arn: String,
    /// The access key.
    pub access_key_id: String,
}

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
struct Authorization {
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
}

fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("Authorization is not AWS4-HMAC-SHA256")?;
    let mut credential = None;
    let mut signed = None;
    for part in rest.split(',').map(str::trim) {
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        }
    }
    let credential = credential.ok_or("Authorization has no Credential")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err("the credential scope is not KEY/DATE/REGION/SERVICE/aws4_request".into());
    };
    Ok(Authorization {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers: signed
            .ok_or("Authorization has no SignedHeaders")?
            .split(';')
            .map(str::to_owned)
            .collect(),
    })
}

/// Checks a request's signature. `path_and_query` is as received.
pub fn check(
    ctx: &Ctx,
    method: &str,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Signer, String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let given = header("authorization").ok_or("Missing Authentication Token")?;
    let auth = parse_authorization(given)?;
    let issued = ctx
        .store
        .with(|state| state.identity.credentials.get(&auth.access_key_id).cloned())
        .ok_or("The security token included in the request is invalid.")?;
    let now = ctx.now();
    if issued.expires_at <= now {
        return Err("The security token included in the request is expired".into());
    }
    let token = header("x-amz-security-token").unwrap_or_default();
    if !bool::from(token.as_bytes().ct_eq(issued.session_token.as_bytes())) {
        return Err("The security token included in the request is invalid.".into());
    }
    let amz_date = header("x-amz-date").ok_or("Missing X-Amz-Date")?;
    let at = NaiveDateTime::parse_from_str(amz_date, "%Y%m%dT%H%M%SZ")
        .map_err(|_| "X-Amz-Date is not YYYYMMDDTHHMMSSZ")?
        .and_utc()
        .timestamp();
    if (at - now).abs() > 300 {
        return Err("Signature expired: the request time is more than 5 minutes from now.".into());
    }
    if !amz_date.starts_with(&auth.date) {
        return Err("The credential scope date does not match X-Amz-Date.".into());
    }
    let host = header("host").ok_or("Missing Host")?;
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("http://{host}{path_and_query}"));
    for name in &auth.signed_headers {
        if matches!(name.as_str(), "x-amz-date" | "x-amz-security-token") {
            continue;
        }
        for value in headers.get_all(name.as_str()) {
            request = request.header(name.as_str(), value);
        }
    }
    let mut request = request
        .body(body.to_vec())
        .map_err(|e| format!("cannot rebuild the request: {e}"))?;
    let creds = AwsCredentials::new(
        &auth.access_key_id,
        &issued.secret,
        Some(&issued.session_token),
    );
    SigV4Signer::new(&auth.region, &auth.service)
        .sign(&creds, at, &mut request)
        .map_err(|e| e.to_string())?;
    let expected = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return Err(
            "The request signature we calculated does not match the signature you provided.".into(),
        );
    }
    Ok(Signer {
        identity_id: issued.identity_id,
        role_arn: issued.role_arn,
        access_key_id: auth.access_key_id,
    })
}
