//! How requests reach Cognito. The protocol code builds an [`HttpRequest`] and reads an
//! [`HttpResponse`]; a [`Transport`] moves them. The default is [`ReqwestTransport`] (rustls,
//! a timeout on every request); tests and apps can plug in their own.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;

/// A request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A response received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request got no response.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No response within the timeout.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The connection failed or broke.
    #[error("{0}")]
    Network(Arc<dyn std::error::Error + Send + Sync>),
}

/// Sends requests.
pub trait Transport: Send + Sync + Debug {
    /// Sends one request and waits for the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// The default transport: reqwest with rustls, and a timeout on every request so that a hung
/// connection cannot freeze the caller (or every caller waiting on the same refresh). Redirects
/// are not followed (Cognito never redirects an API call, and a redirect must not carry tokens
/// elsewhere), and an answer larger than [`ReqwestTransport::MAX_RESPONSE_BYTES`] is refused
/// rather than read into memory.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    timeout: Duration,
}

impl ReqwestTransport {
    /// The largest answer read (Cognito's are a few kilobytes).
    pub const MAX_RESPONSE_BYTES: usize = 4 << 20;

    /// A transport with a per-request timeout (connect, send and read together). Fails when the
    /// HTTP client cannot be built (its TLS set-up), rather than going on without the timeout.
    pub fn new(timeout: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| TransportError::Network(Arc::new(e)))?;
        Ok(Self { client, timeout })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let classify = |e: reqwest::Error| {
                if e.is_timeout() {
                    TransportError::Timeout(self.timeout)
                } else {
                    TransportError::Network(Arc::new(e))
                }
            };
            let method = if request.method == "GET" {
                reqwest::Method::GET
            } else {
                reqwest::Method::POST
            };
            let mut builder = self.client.request(method, &request.url).body(request.body);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            let response = builder.send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut response = response;
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if body.len() + chunk.len() > Self::MAX_RESPONSE_BYTES {
                    return Err(TransportError::Network(Arc::new(std::io::Error::other(
                        format!(
                            "the answer is larger than {} bytes",
                            Self::MAX_RESPONSE_BYTES
                        ),
                    ))));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}
