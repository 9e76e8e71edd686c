//! Calling an IAM-authorised API (API Gateway, AppSync, a Lambda function URL …) as the
//! signed-in user, or as a guest: each request is signed with the identity pool's credentials
//! (renewed with the user's session when they near expiry) and sent over the SDK's transport.
//!
//! ```no_run
//! # async fn run(pool: cognito_sdk::CognitoUserPool, user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
//! use cognito_sdk::sigv4::SigV4Signer;
//! use cognito_sdk::{CognitoCredentials, SigV4Client};
//!
//! let credentials = CognitoCredentials::new("us-east-1:1a2b3c4d-0000-0000-0000-123456789012", &pool);
//! let api = SigV4Client::new(&credentials, SigV4Signer::new("us-east-1", "execute-api"), Some(&user));
//! let request = http::Request::builder()
//!     .method("GET")
//!     .uri("https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets")
//!     .body(Vec::new())
//!     .unwrap();
//! let response = api.send(request).await?;
//! println!("{} {}", response.status, String::from_utf8_lossy(&response.body));
//! # Ok(()) }
//! ```

use crate::credentials::CognitoCredentials;
use crate::error::{Error, Result};
use crate::sigv4::SigV4Signer;
use crate::transport::{HttpRequest, HttpResponse, TransportError};
use crate::user::CognitoUser;

/// Sends SigV4-signed requests with an identity pool's credentials.
#[derive(Debug, Clone)]
pub struct SigV4Client {
    credentials: CognitoCredentials,
    signer: SigV4Signer,
    user: Option<CognitoUser>,
}

impl SigV4Client {
    /// Signs for `user` (authenticated role), or as a guest when `None` (unauthenticated role).
    pub fn new(
        credentials: &CognitoCredentials,
        signer: SigV4Signer,
        user: Option<&CognitoUser>,
    ) -> Self {
        Self {
            credentials: credentials.clone(),
            signer,
            user: user.cloned(),
        }
    }

    /// Signs and sends a request; any HTTP status comes back as the response.
    pub async fn send(&self, mut request: http::Request<Vec<u8>>) -> Result<HttpResponse> {
        let creds = match &self.user {
            Some(user) => self.credentials.for_user(user).await?,
            None => self.credentials.unauthenticated().await?,
        };
        self.signer
            .sign(&creds, self.credentials.clock().now_secs(), &mut request)?;
        let method = match request.method().as_str() {
            "GET" => "GET",
            "POST" => "POST",
            "PUT" => "PUT",
            "DELETE" => "DELETE",
            "PATCH" => "PATCH",
            "HEAD" => "HEAD",
            "OPTIONS" => "OPTIONS",
            other => {
                return Err(Error::InvalidArgument(format!(
                    "method {other} is not supported"
                )))
            }
        };
        let mut headers = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let value = value
                .to_str()
                .map_err(|_| Error::InvalidArgument(format!("header {name} is not text")))?;
            headers.push((name.as_str().to_owned(), value.to_owned()));
        }
        let url = request.uri().to_string();
        self.credentials
            .transport()
            .send(HttpRequest {
                method,
                url,
                headers,
                body: request.into_body(),
            })
            .await
            .map_err(|e| match e {
                TransportError::Timeout(after) => Error::Timeout { after },
                TransportError::Network(source) => Error::Network { source },
            })
    }
}
