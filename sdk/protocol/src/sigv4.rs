//! Signing AWS requests with Signature Version 4, for calls made with the credentials an
//! identity pool hands out (API Gateway, AppSync, S3 …). The canonicalisation and the
//! signature come from the official `aws-sigv4` crate; this module chooses its settings, applies
//! the result to `http` requests and URLs, and adds S3's presigned POST policy.
//!
//! ```
//! use cognito_protocol::sigv4::{AwsCredentials, SigV4Signer};
//!
//! let creds = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let signer = SigV4Signer::new("us-east-1", "execute-api");
//! let mut request = http::Request::builder()
//!     .method("GET")
//!     .uri("https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets")
//!     .body(Vec::new())
//!     .unwrap();
//! signer.sign(&creds, 1_440_938_160, &mut request).unwrap();
//! let auth = request.headers()["authorization"].to_str().unwrap();
//! assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request"));
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SignatureLocation, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::DateTime;

use crate::wire::Sensitive;

/// Why a request could not be signed: a setting or a part of the request that SigV4 cannot
/// express (a time before 1970, a header that is not visible ASCII, a URL without a host).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SigningError(pub String);

type Result<T> = std::result::Result<T, SigningError>;

/// AWS credentials: an access key, its secret, and for temporary credentials a session token
/// and an expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    /// `AKIA…` or, for temporary credentials, `ASIA…`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Sensitive<String>,
    /// The session token of temporary credentials.
    pub session_token: Option<Sensitive<String>>,
    /// When temporary credentials expire (Unix seconds).
    pub expiration: Option<i64>,
}

impl AwsCredentials {
    /// Credentials from their parts.
    pub fn new(access_key_id: &str, secret_access_key: &str, session_token: Option<&str>) -> Self {
        Self {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: Sensitive(secret_access_key.to_owned()),
            session_token: session_token.map(|t| Sensitive(t.to_owned())),
            expiration: None,
        }
    }

    fn identity(&self) -> aws_smithy_runtime_api::client::identity::Identity {
        Credentials::new(
            &self.access_key_id,
            self.secret_access_key.expose(),
            self.session_token.as_ref().map(|t| t.expose().clone()),
            self.expiration
                .and_then(|e| u64::try_from(e).ok())
                .map(|e| UNIX_EPOCH + Duration::from_secs(e)),
            "cognito-sdk",
        )
        .into()
    }
}

/// Signs requests for one region and service.
#[derive(Debug, Clone)]
pub struct SigV4Signer {
    region: String,
    service: String,
    encode_twice: bool,
    sign_payload: bool,
    presign_unsigned: bool,
    normalize_path: bool,
    session_token_signed: bool,
}

impl SigV4Signer {
    /// A signer for a service (`execute-api` for API Gateway, `appsync`, …): paths are
    /// normalised and encoded twice, as every service but S3 expects.
    pub fn new(region: &str, service: &str) -> Self {
        Self {
            region: region.to_owned(),
            service: service.to_owned(),
            encode_twice: true,
            sign_payload: false,
            presign_unsigned: false,
            normalize_path: true,
            session_token_signed: true,
        }
    }

    /// A signer for S3: paths are used as they are, the payload's SHA-256 is sent and signed
    /// in `x-amz-content-sha256`, and presigned URLs sign `UNSIGNED-PAYLOAD`.
    pub fn s3(region: &str) -> Self {
        Self {
            encode_twice: false,
            sign_payload: true,
            presign_unsigned: true,
            normalize_path: false,
            ..Self::new(region, "s3")
        }
    }

    /// Also sends and signs the payload hash (`x-amz-content-sha256`).
    pub fn sign_payload(mut self, yes: bool) -> Self {
        self.sign_payload = yes;
        self
    }

    /// Whether the canonical request encodes the (already percent-encoded) path once more, as
    /// every service but S3 expects.
    pub fn encode_path_twice(mut self, yes: bool) -> Self {
        self.encode_twice = yes;
        self
    }

    /// Whether to normalise `.` and `..` segments of the path before signing.
    pub fn normalize_path(mut self, yes: bool) -> Self {
        self.normalize_path = yes;
        self
    }

    /// Whether the session token is part of the signature (the default) or only added
    /// after it, as a few services (IoT, for example) require.
    pub fn sign_session_token(mut self, yes: bool) -> Self {
        self.session_token_signed = yes;
        self
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service.
    pub fn service(&self) -> &str {
        &self.service
    }

    fn settings(&self, location: SignatureLocation, expires: Option<Duration>) -> SigningSettings {
        let mut s = SigningSettings::default();
        s.signature_location = location;
        s.expires_in = expires;
        s.percent_encoding_mode = if self.encode_twice {
            PercentEncodingMode::Double
        } else {
            PercentEncodingMode::Single
        };
        s.uri_path_normalization_mode = if self.normalize_path {
            UriPathNormalizationMode::Enabled
        } else {
            UriPathNormalizationMode::Disabled
        };
        s.payload_checksum_kind = if self.sign_payload {
            PayloadChecksumKind::XAmzSha256
        } else {
            PayloadChecksumKind::NoHeader
        };
        s.session_token_mode = if self.session_token_signed {
            SessionTokenMode::Include
        } else {
            SessionTokenMode::Exclude
        };
        s
    }

    fn apply(
        &self,
        creds: &AwsCredentials,
        at_unix_secs: i64,
        request: &mut http::Request<Vec<u8>>,
        location: SignatureLocation,
        expires: Option<Duration>,
    ) -> Result<()> {
        let unsigned = location == SignatureLocation::QueryParams && self.presign_unsigned;
        let identity = creds.identity();
        let time = UNIX_EPOCH
            + Duration::from_secs(u64::try_from(at_unix_secs).map_err(|_| {
                SigningError(format!("signing time {at_unix_secs} is before 1970"))
            })?);
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(time)
            .settings(self.settings(location, expires))
            .build()
            .map_err(|e| SigningError(format!("SigV4 parameters: {e}")))?
            .into();
        let mut headers = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let value = value
                .to_str()
                .map_err(|_| SigningError(format!("header {name} is not visible ASCII")))?;
            headers.push((name.as_str(), value));
        }
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(
            request.method().as_str(),
            uri,
            headers.into_iter(),
            if unsigned {
                SignableBody::UnsignedPayload
            } else {
                SignableBody::Bytes(request.body())
            },
        )
        .map_err(|e| SigningError(format!("cannot sign this request: {e}")))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| SigningError(format!("cannot sign this request: {e}")))?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }

    /// Signs a request in place at a time (Unix seconds): adds `Authorization`, `X-Amz-Date`,
    /// `X-Amz-Security-Token` for temporary credentials, and `x-amz-content-sha256` when the
    /// payload is signed. A `host` header is taken from the URI when absent.
    pub fn sign(
        &self,
        creds: &AwsCredentials,
        at_unix_secs: i64,
        request: &mut http::Request<Vec<u8>>,
    ) -> Result<()> {
        add_host(request)?;
        self.apply(
            creds,
            at_unix_secs,
            request,
            SignatureLocation::Headers,
            None,
        )
    }

    /// A presigned URL for `method` on `url`, valid for `expires` from `at_unix_secs`
    /// (S3 allows up to seven days). Anyone holding it can make that one request.
    ///
    /// ```
    /// use cognito_protocol::sigv4::{AwsCredentials, SigV4Signer};
    /// use std::time::Duration;
    /// let creds = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
    /// let url = SigV4Signer::s3("us-east-1")
    ///     .presign(&creds, 1_440_938_160, "GET", "https://bucket.s3.amazonaws.com/photo.jpg", Duration::from_secs(900))
    ///     .unwrap();
    /// assert!(url.contains("X-Amz-Expires=900") && url.contains("X-Amz-Signature="));
    /// ```
    pub fn presign(
        &self,
        creds: &AwsCredentials,
        at_unix_secs: i64,
        method: &str,
        url: &str,
        expires: Duration,
    ) -> Result<String> {
        let mut request = http::Request::builder()
            .method(method)
            .uri(url)
            .body(Vec::new())
            .map_err(|e| SigningError(format!("cannot presign {url}: {e}")))?;
        self.presign_request(creds, at_unix_secs, &mut request, expires)?;
        Ok(request.uri().to_string())
    }

    /// Presigns a request in place: the signature and credential go into its query string,
    /// and its headers (which the holder must then send as they are) are signed.
    pub fn presign_request(
        &self,
        creds: &AwsCredentials,
        at_unix_secs: i64,
        request: &mut http::Request<Vec<u8>>,
        expires: Duration,
    ) -> Result<()> {
        add_host(request)?;
        // A presigned URL cannot carry the payload hash header; S3 takes UNSIGNED-PAYLOAD.
        let signer = Self {
            sign_payload: false,
            ..self.clone()
        };
        signer.apply(
            creds,
            at_unix_secs,
            request,
            SignatureLocation::QueryParams,
            Some(expires),
        )
    }
}

fn add_host(request: &mut http::Request<Vec<u8>>) -> Result<()> {
    if request.headers().contains_key(http::header::HOST) {
        return Ok(());
    }
    let authority = request
        .uri()
        .authority()
        .ok_or_else(|| SigningError(format!("{} has no host", request.uri())))?
        .as_str()
        .to_owned();
    let value = http::HeaderValue::from_str(&authority)
        .map_err(|_| SigningError(format!("bad host {authority}")))?;
    request.headers_mut().insert(http::header::HOST, value);
    Ok(())
}

/// The form fields of an S3 presigned POST (browser upload): the policy (base64), its
/// signature and the credential fields. Post them with the file as `multipart/form-data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedPost {
    /// `https://{bucket}.s3.{region}.amazonaws.com/`
    pub url: String,
    /// Form fields, in the order they should be sent (`file` goes last).
    pub fields: BTreeMap<String, String>,
}

/// Builds an S3 presigned POST for `key` in `bucket`, valid for `expires` from
/// `at_unix_secs`, with extra policy `conditions` (JSON values such as
/// `["content-length-range", 0, 1048576]` or `{"acl": "private"}`).
///
/// ```
/// use cognito_protocol::sigv4::{presigned_post, AwsCredentials};
/// use std::time::Duration;
/// let creds = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
/// let post = presigned_post(&creds, "us-east-1", "uploads", "u/alice.png", 1_440_938_160, Duration::from_secs(600), &[]).unwrap();
/// assert_eq!(post.fields["key"], "u/alice.png");
/// assert_eq!(post.fields["x-amz-algorithm"], "AWS4-HMAC-SHA256");
/// assert_eq!(post.fields["x-amz-signature"].len(), 64);
/// ```
pub fn presigned_post(
    creds: &AwsCredentials,
    region: &str,
    bucket: &str,
    key: &str,
    at_unix_secs: i64,
    expires: Duration,
    conditions: &[serde_json::Value],
) -> Result<PresignedPost> {
    let at = DateTime::from_timestamp(at_unix_secs, 0)
        .ok_or_else(|| SigningError(format!("signing time {at_unix_secs} is out of range")))?;
    let until = DateTime::from_timestamp(
        at_unix_secs + i64::try_from(expires.as_secs()).unwrap_or(i64::MAX / 2),
        0,
    )
    .ok_or_else(|| SigningError("expiry out of range".into()))?;
    let date = at.format("%Y%m%d").to_string();
    let amz_date = at.format("%Y%m%dT%H%M%SZ").to_string();
    let credential = format!("{}/{date}/{region}/s3/aws4_request", creds.access_key_id);
    let mut fields = BTreeMap::from([
        ("key".to_owned(), key.to_owned()),
        ("x-amz-algorithm".to_owned(), "AWS4-HMAC-SHA256".to_owned()),
        ("x-amz-credential".to_owned(), credential),
        ("x-amz-date".to_owned(), amz_date),
    ]);
    if let Some(token) = &creds.session_token {
        fields.insert("x-amz-security-token".into(), token.expose().clone());
    }
    let mut all_conditions = vec![
        serde_json::json!({"bucket": bucket}),
        serde_json::json!({"key": key}),
    ];
    all_conditions.extend(conditions.iter().cloned());
    for (k, v) in fields.iter().filter(|(k, _)| k.starts_with("x-amz-")) {
        all_conditions.push(serde_json::json!({ k: v }));
    }
    let policy = serde_json::json!({
        "expiration": until.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "conditions": all_conditions,
    });
    let policy_b64 = B64.encode(policy.to_string());
    let time = SystemTime::from(at);
    let signing_key =
        v4::generate_signing_key(creds.secret_access_key.expose(), time, region, "s3");
    let signature = v4::calculate_signature(signing_key, policy_b64.as_bytes());
    fields.insert("policy".into(), policy_b64);
    fields.insert("x-amz-signature".into(), signature);
    Ok(PresignedPost {
        url: format!("https://{bucket}.s3.{region}.amazonaws.com/"),
        fields,
    })
}
