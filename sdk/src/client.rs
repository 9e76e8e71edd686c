//! The low-level caller: one Cognito operation as an AWS JSON 1.1 request, its answer parsed
//! into the output type or a typed [`Error`], with bounded, jittered retries of the failures
//! worth retrying.

use std::sync::Arc;

use rand::Rng as _;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::wire::{self, ErrorBody, ErrorKind};

/// Calls Cognito operations.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub endpoint: String,
    /// `AWSCognitoIdentityProviderService` (user pools) or `AWSCognitoIdentityService`.
    pub target_prefix: &'static str,
    pub transport: Arc<dyn Transport>,
    pub retry: RetryPolicy,
    /// The latest failed attempt, so that a caller that gives up waiting (a deadline) can say
    /// what went wrong meanwhile.
    pub last_failure: Arc<std::sync::Mutex<Option<Error>>>,
}

const MAX_BODY_IN_ERROR: usize = 4096;

/// At most 4 KiB of a body that could not be parsed, for the error, with anything that could be
/// a credential taken out: JWTs (`eyJ….….…`) and the string values of members whose names say
/// token, secret, password, session or code. A truncated or corrupted answer to a sign-in or a
/// refresh can hold tokens, and errors end up in logs.
fn lossy(body: &[u8]) -> String {
    let cut = &body[..body.len().min(MAX_BODY_IN_ERROR)];
    redact(&String::from_utf8_lossy(cut))
}

fn redact(text: &str) -> String {
    const SECRET_NAMES: [&str; 6] = ["token", "secret", "password", "session", "code", "block"];
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last_key = String::new();
    while i < bytes.len() {
        // A JWT: three base64url segments starting with `eyJ`.
        if text[i..].starts_with("eyJ") {
            let len = text[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(text.len() - i);
            if text[i..i + len].matches('.').count() >= 2 {
                out.push_str("[redacted JWT]");
                i += len;
                continue;
            }
        }
        if bytes[i] == b'"' {
            // A JSON string: a member name (followed by `:`) or a value.
            let end = text[i + 1..].find('"').map_or(text.len(), |e| i + 1 + e);
            let content = &text[(i + 1).min(end)..end];
            let after = text[(end + 1).min(text.len())..].trim_start();
            if after.starts_with(':') {
                last_key = content.to_ascii_lowercase();
                out.push_str(&text[i..(end + 1).min(text.len())]);
            } else if last_key != "tokentype"
                && SECRET_NAMES.iter().any(|n| last_key.contains(n))
                && !content.is_empty()
            {
                out.push_str("\"[redacted]\"");
                last_key.clear();
            } else {
                out.push('"');
                out.push_str(&redact(content));
                if end < text.len() {
                    out.push('"');
                }
                last_key.clear();
            }
            i = end + 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Turns a response into the output or an error.
pub(crate) fn parse<O: DeserializeOwned>(response: &HttpResponse) -> Result<O> {
    let request_id = response.header("x-amzn-requestid").map(str::to_owned);
    if response.status == 200 {
        return serde_json::from_slice(&response.body).map_err(|e| Error::InvalidResponse {
            status: 200,
            reason: format!("the body is not the expected JSON: {e}"),
            body: lossy(&response.body),
            source: Some(Arc::new(e)),
        });
    }
    let parsed = serde_json::from_slice::<ErrorBody>(&response.body);
    let code = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| parsed.as_ref().ok().map(|b| b.kind.clone()))
        .filter(|c| !c.is_empty());
    match (code, parsed) {
        (Some(code), parsed) => {
            let message = parsed.map(|b| b.message).unwrap_or_default();
            let message = if message.is_empty() {
                format!("HTTP {} without a message", response.status)
            } else {
                message
            };
            Err(Error::service(
                ErrorKind::from_code(&code),
                message,
                request_id,
                response.status,
            ))
        }
        (None, parsed) => Err(Error::InvalidResponse {
            status: response.status,
            reason: "an error without Cognito's error shape".into(),
            body: lossy(&response.body),
            source: parsed.err().map(|e| Arc::new(e) as crate::error::Cause),
        }),
    }
}

impl Client {
    /// The request for an operation.
    pub(crate) fn request<I: Serialize>(&self, operation: &str, input: &I) -> Result<HttpRequest> {
        let body = serde_json::to_vec(input)
            .map_err(|e| Error::InvalidArgument(format!("cannot encode {operation}: {e}")))?;
        Ok(HttpRequest {
            method: "POST",
            url: self.endpoint.clone(),
            headers: vec![
                ("content-type".into(), wire::CONTENT_TYPE.into()),
                (
                    "x-amz-target".into(),
                    format!("{}.{operation}", self.target_prefix),
                ),
                (
                    "x-amz-user-agent".into(),
                    concat!("cognito-sdk-rust/", env!("CARGO_PKG_VERSION")).into(),
                ),
            ],
            body,
        })
    }

    /// Calls an operation, retrying what is retryable.
    pub(crate) async fn call<I: Serialize, O: DeserializeOwned>(
        &self,
        operation: &str,
        input: &I,
    ) -> Result<O> {
        let request = self.request(operation, input)?;
        let mut attempt = 1;
        loop {
            let outcome = match self.transport.send(request.clone()).await {
                Ok(response) => parse(&response),
                Err(TransportError::Timeout(after)) => Err(Error::Timeout { after }),
                Err(TransportError::Network(source)) => Err(Error::Network { source }),
            };
            if let Err(e) = &outcome {
                *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.clone());
            }
            match outcome {
                Err(e) if e.is_retryable() && attempt < self.retry.max_attempts => {
                    attempt += 1;
                    let delay = self
                        .retry
                        .delay_before(attempt, rand::thread_rng().gen::<f64>());
                    tracing::debug!(operation, attempt, ?delay, error = %e, "retrying");
                    tokio::time::sleep(delay).await;
                }
                other => return other,
            }
        }
    }

    /// A plain GET (JWKS).
    pub(crate) async fn get_json(&self, url: &str) -> Result<serde_json::Value> {
        let request = HttpRequest {
            method: "GET",
            url: url.to_owned(),
            headers: vec![],
            body: vec![],
        };
        let response = self.transport.send(request).await.map_err(|e| match e {
            TransportError::Timeout(after) => Error::Timeout { after },
            TransportError::Network(source) => Error::Network { source },
        })?;
        if response.status != 200 {
            return Err(Error::InvalidResponse {
                status: response.status,
                reason: format!("GET {url} failed"),
                body: lossy(&response.body),
                source: None,
            });
        }
        parse(&response)
    }
}

#[cfg(test)]
mod redaction {
    use super::redact;

    #[test]
    fn tokens_and_secrets_leave_error_bodies() {
        let body = r#"{"AuthenticationResult": {"AccessToken": "abc.def", "IdToken": "eyJhbGciOi.eyJzdWIi.c2ln", "ExpiresIn": 3600, "TokenType": "Bearer"}, "Session": "AYAB", "note": "see eyJa.eyJb.cc here"}"#;
        let shown = redact(body);
        for secret in ["abc.def", "eyJhbGciOi", "AYAB", "eyJa.eyJb.cc"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains(r#""ExpiresIn": 3600"#), "{shown}");
        assert!(shown.contains("[redacted JWT]"), "{shown}");
        assert_eq!(
            redact("<html>502 Bad Gateway</html>"),
            "<html>502 Bad Gateway</html>"
        );
        // A body cut in the middle of a string is still shown, redacted.
        assert!(!redact(r#"{"RefreshToken": "abcdef"#).contains("abcdef"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn service_errors_keep_code_message_and_request_id() {
        let r = response(
            400,
            &[("x-amzn-RequestId", "abc")],
            r#"{"__type":"com.amazonaws#NotAuthorizedException","message":"Incorrect username or password."}"#,
        );
        let e = parse::<serde_json::Value>(&r).unwrap_err();
        assert!(e.is_not_authorized());
        assert_eq!(e.request_id(), Some("abc"));
        assert!(e.to_string().contains("Incorrect username or password."));
    }

    #[test]
    fn header_error_type_wins_and_messages_are_never_empty() {
        let r = response(
            400,
            &[(
                "x-amzn-ErrorType",
                "TooManyRequestsException:http://internal",
            )],
            "{}",
        );
        let e = parse::<serde_json::Value>(&r).unwrap_err();
        assert_eq!(e.kind(), Some(&ErrorKind::TooManyRequests));
        assert!(e.is_retryable());
        assert!(!e.to_string().ends_with(": "));
    }

    #[test]
    fn gateway_pages_and_truncated_bodies_are_invalid_responses_with_the_body() {
        let e = parse::<serde_json::Value>(&response(502, &[], "<html>Bad Gateway</html>"))
            .unwrap_err();
        match &e {
            Error::InvalidResponse { status, body, .. } => {
                assert_eq!(*status, 502);
                assert!(body.contains("Bad Gateway"));
            }
            other => panic!("{other:?}"),
        }
        assert!(e.is_retryable());
        let e = parse::<wire::AuthResponse>(&response(
            200,
            &[],
            r#"{"AuthenticationResult": {"AccessTo"#,
        ))
        .unwrap_err();
        assert!(matches!(e, Error::InvalidResponse { status: 200, .. }));
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.invalidates_session());
    }
}
