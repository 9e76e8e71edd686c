//! The SDK's one error type. Service errors keep Cognito's exception, message, request id and
//! HTTP status; transport failures keep their cause; nothing is ever an empty "unknown" error.
//!
//! ```
//! use cognito_sdk::{Error, wire::ErrorKind};
//!
//! let e = Error::service(ErrorKind::TooManyRequests, "Rate exceeded", Some("req-1".into()), 400);
//! assert!(e.is_retryable());
//! assert!(!e.invalidates_session());
//! assert_eq!(e.to_string(), "TooManyRequestsException: Rate exceeded (request id req-1)");
//! ```

use std::sync::Arc;
use std::time::Duration;

use crate::srp::SrpError;
use crate::wire::ErrorKind;

impl From<crate::sigv4::SigningError> for Error {
    fn from(e: crate::sigv4::SigningError) -> Self {
        Error::InvalidArgument(e.0)
    }
}

/// Shared, clonable cause.
pub type Cause = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to Cognito.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Cognito answered with an exception.
    #[error("{kind}: {message}{}", request_id.as_ref().map(|r| format!(" (request id {r})")).unwrap_or_default())]
    Service {
        /// The exception.
        kind: ErrorKind,
        /// Cognito's message.
        message: String,
        /// `x-amzn-RequestId`, when sent.
        request_id: Option<String>,
        /// The HTTP status.
        status: u16,
    },
    /// The request did not reach Cognito or the answer did not come back (connection refused
    /// or reset, DNS, TLS, a body cut short).
    #[error("network error talking to Cognito")]
    Network {
        /// The underlying failure.
        #[source]
        source: Cause,
    },
    /// No answer within the configured timeout.
    #[error("no answer from Cognito within {after:?}")]
    Timeout {
        /// The timeout that expired.
        after: Duration,
    },
    /// An answer that is not Cognito's (not JSON, truncated, a gateway's HTML page …).
    #[error("invalid response from Cognito (HTTP {status}): {reason}")]
    InvalidResponse {
        /// The HTTP status.
        status: u16,
        /// What was wrong with it.
        reason: String,
        /// The raw body (lossy UTF-8, at most 4 KiB).
        body: String,
        /// The parse error, when there was one.
        #[source]
        source: Option<Cause>,
    },
    /// The server's SRP values break the protocol (B mod N = 0, u = 0, bad hex).
    #[error("SRP protocol violation: {0}")]
    Srp(#[from] SrpError),
    /// The session storage failed.
    #[error("session storage failed")]
    Storage {
        /// The underlying failure.
        #[source]
        source: Cause,
    },
    /// No user is signed in (nothing in storage).
    #[error("no signed-in user: {0}")]
    NotSignedIn(String),
    /// A token could not be decoded or verified.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// Cognito asked for a challenge this call cannot answer.
    #[error("unexpected challenge {0}")]
    UnexpectedChallenge(String),
    /// A caller-supplied value is unusable (an endpoint that is not a URL …).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A call did not settle within its overall budget, retries included (the session call an
    /// app makes before each request: `get_session`). The tokens are kept.
    #[error("{waited_for} did not settle within {budget:?}")]
    Deadline {
        /// What the call was waiting for (for example "the refresh of alice's session").
        waited_for: String,
        /// The budget.
        budget: Duration,
        /// The last failure of a request made meanwhile (a reset, a timeout …), if there was one.
        #[source]
        source: Option<Cause>,
    },
}

impl Error {
    /// A service error.
    pub fn service(
        kind: ErrorKind,
        message: impl Into<String>,
        request_id: Option<String>,
        status: u16,
    ) -> Self {
        Self::Service {
            kind,
            message: message.into(),
            request_id,
            status,
        }
    }

    /// A stable name for the variant, for logs, metrics and test assertions: `Service`,
    /// `Network`, `Timeout`, `InvalidResponse`, `Srp`, `Storage`, `NotSignedIn`, `InvalidToken`,
    /// `UnexpectedChallenge`, `InvalidArgument` or `Deadline` (Cognito's exception of a
    /// `Service` error is [`Error::kind`]).
    ///
    /// ```
    /// use cognito_sdk::{Error, wire::ErrorKind};
    /// assert_eq!(Error::service(ErrorKind::NotAuthorized, "no", None, 400).variant(), "Service");
    /// assert_eq!(Error::NotSignedIn("alice".into()).variant(), "NotSignedIn");
    /// ```
    pub fn variant(&self) -> &'static str {
        match self {
            Self::Service { .. } => "Service",
            Self::Network { .. } => "Network",
            Self::Timeout { .. } => "Timeout",
            Self::InvalidResponse { .. } => "InvalidResponse",
            Self::Srp(_) => "Srp",
            Self::Storage { .. } => "Storage",
            Self::NotSignedIn(_) => "NotSignedIn",
            Self::InvalidToken(_) => "InvalidToken",
            Self::UnexpectedChallenge(_) => "UnexpectedChallenge",
            Self::InvalidArgument(_) => "InvalidArgument",
            Self::Deadline { .. } => "Deadline",
        }
    }

    /// Cognito's exception, for service errors.
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            Self::Service { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// The request id Cognito gave the failed request, when known.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: network errors, timeouts, throttling, and
    /// server-side (5xx) failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Network { .. } | Self::Timeout { .. } | Self::Deadline { .. } => true,
            Self::InvalidResponse { status, .. } => *status >= 500,
            Self::Service { kind, status, .. } => {
                *status >= 500
                    || matches!(
                        kind,
                        ErrorKind::TooManyRequests
                            | ErrorKind::InternalError
                            | ErrorKind::LimitExceeded
                    )
            }
            _ => false,
        }
    }

    /// Whether the service said the stored session is no good (the refresh token is invalid or
    /// revoked, the user is gone, disabled or must reset the password). Only these clear
    /// stored tokens; network errors, timeouts, throttling and 5xx never do.
    pub fn invalidates_session(&self) -> bool {
        matches!(
            self.kind(),
            Some(
                ErrorKind::NotAuthorized
                    | ErrorKind::UserNotFound
                    | ErrorKind::PasswordResetRequired
                    | ErrorKind::RefreshTokenReuse
            )
        )
    }

    /// Whether this is `NotAuthorizedException`.
    pub fn is_not_authorized(&self) -> bool {
        self.kind() == Some(&ErrorKind::NotAuthorized)
    }

    pub(crate) fn storage(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Storage {
            source: Arc::new(e),
        }
    }
}
