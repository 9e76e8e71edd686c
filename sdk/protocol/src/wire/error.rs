//! Cognito's error codes and the `{"__type", "message"}` body that carries them.

use serde::{Deserialize, Serialize};

macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident => $code:literal,)*) => {
        /// A Cognito exception, named as the service names it (without the `Exception` suffix).
        /// Codes this crate does not know are kept verbatim in [`ErrorKind::Other`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[$doc])* $variant,)*
            /// A code this crate does not know, kept as the service sent it.
            Other(String),
        }

        impl ErrorKind {
            /// The wire code, e.g. `NotAuthorizedException`.
            pub fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Other(code) => code,
                }
            }

            /// Reads a wire code; a `namespace#` prefix (as in `__type` or
            /// `x-amzn-ErrorType`) and a `:` suffix are ignored.
            ///
            /// ```
            /// use cognito_protocol::wire::ErrorKind;
            /// assert_eq!(
            ///     ErrorKind::from_code("com.amazonaws.cognito#NotAuthorizedException"),
            ///     ErrorKind::NotAuthorized,
            /// );
            /// assert_eq!(ErrorKind::from_code("Weird"), ErrorKind::Other("Weird".into()));
            /// ```
            pub fn from_code(raw: &str) -> Self {
                let code = raw.rsplit('#').next().unwrap_or(raw);
                let code = code.split(':').next().unwrap_or(code).trim();
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }
    };
}

error_kinds! {
    /// Wrong credentials, an invalid or revoked token, a disabled user, a missing `SECRET_HASH`.
    NotAuthorized => "NotAuthorizedException",
    /// The user does not exist.
    UserNotFound => "UserNotFoundException",
    /// The user has not confirmed the sign-up.
    UserNotConfirmed => "UserNotConfirmedException",
    /// The username is taken.
    UsernameExists => "UsernameExistsException",
    /// An alias (email, phone) belongs to another user.
    AliasExists => "AliasExistsException",
    /// A verification code does not match.
    CodeMismatch => "CodeMismatchException",
    /// A verification code has expired.
    ExpiredCode => "ExpiredCodeException",
    /// A password breaks the pool's password policy.
    InvalidPassword => "InvalidPasswordException",
    /// A request member is missing or invalid.
    InvalidParameter => "InvalidParameterException",
    /// The user must reset the password.
    PasswordResetRequired => "PasswordResetRequiredException",
    /// The request rate is over the quota.
    TooManyRequests => "TooManyRequestsException",
    /// A limit was exceeded (e.g. code requests).
    LimitExceeded => "LimitExceededException",
    /// Too many failed attempts.
    TooManyFailedAttempts => "TooManyFailedAttemptsException",
    /// The pool or app client does not exist.
    ResourceNotFound => "ResourceNotFoundException",
    /// An identity provider with that name already exists in the pool.
    DuplicateProvider => "DuplicateProviderException",
    /// An identity pool has no role for the kind of identity asking for credentials.
    InvalidIdentityPoolConfiguration => "InvalidIdentityPoolConfigurationException",
    /// The service failed.
    InternalError => "InternalErrorException",
    /// The user's state does not allow the operation.
    UnsupportedUserState => "UnsupportedUserStateException",
    /// The pool's configuration does not allow the operation.
    InvalidUserPoolConfiguration => "InvalidUserPoolConfigurationException",
    /// A code could not be delivered.
    CodeDeliveryFailure => "CodeDeliveryFailureException",
    /// A Lambda trigger refused the request.
    UserLambdaValidation => "UserLambdaValidationException",
    /// A Lambda trigger answered badly.
    InvalidLambdaResponse => "InvalidLambdaResponseException",
    /// A Lambda trigger failed unexpectedly.
    UnexpectedLambda => "UnexpectedLambdaException",
    /// The request is not authorized (e.g. a refresh token of another client).
    Unauthorized => "UnauthorizedException",
    /// The token type cannot be revoked.
    UnsupportedTokenType => "UnsupportedTokenTypeException",
    /// The operation is not supported (e.g. revocation disabled for the client).
    UnsupportedOperation => "UnsupportedOperationException",
    /// The request is forbidden (e.g. by AWS WAF).
    Forbidden => "ForbiddenException",
    /// A concurrent change conflicted with this one.
    ConcurrentModification => "ConcurrentModificationException",
    /// A group with that name exists.
    GroupExists => "GroupExistsException",
    /// A software-token code did not verify.
    EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
    /// No software token is associated.
    SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
    /// The MFA method is not set up.
    MfaMethodNotFound => "MFAMethodNotFoundException",
    /// A refresh token that rotation has invalidated (its grace period is over).
    RefreshTokenReuse => "RefreshTokenReuseException",
    /// The operation is not enabled for this client or pool.
    OperationNotEnabled => "OperationNotEnabledException",
    /// The `X-Amz-Target` names no operation of the service.
    UnknownOperation => "UnknownOperationException",
    /// The body is not valid JSON for the operation.
    Serialization => "SerializationException",
    /// An operation that needs AWS credentials was called without a signature.
    MissingAuthenticationToken => "MissingAuthenticationTokenException",
    /// The `Authorization` header is not a complete SigV4 authorization.
    IncompleteSignature => "IncompleteSignatureException",
    /// The SigV4 signature does not match, or its time is too far from the server's.
    InvalidSignature => "InvalidSignatureException",
    /// The access key (or its session token) is not known.
    UnrecognizedClient => "UnrecognizedClientException",
    /// The session token of temporary credentials has expired.
    ExpiredToken => "ExpiredTokenException",
    /// The pool's feature plan (tier) does not include the feature.
    FeatureUnavailableInTier => "FeatureUnavailableInTierException",
    /// Terms of that name already exist for the app client.
    TermsExists => "TermsExistsException",
    /// The app client already has a managed login branding style.
    ManagedLoginBrandingExists => "ManagedLoginBrandingExistsException",
    /// A precondition of the operation is not met (e.g. a job in the wrong state).
    PreconditionNotMet => "PreconditionNotMetException",
    /// The pool's threat protection (advanced security) is not turned on.
    UserPoolAddOnNotEnabled => "UserPoolAddOnNotEnabledException",
    /// A developer user identifier is already registered with another identity.
    DeveloperUserAlreadyRegistered => "DeveloperUserAlreadyRegisteredException",
    /// A conflicting change to the same resource (identity pools).
    ResourceConflict => "ResourceConflictException",
    /// Passkeys are not enabled for the user pool.
    WebAuthnNotEnabled => "WebAuthnNotEnabledException",
    /// The pool has no passkey relying party id and no domain.
    WebAuthnConfigurationMissing => "WebAuthnConfigurationMissingException",
    /// No passkey registration is in progress, or its challenge has expired.
    WebAuthnChallengeNotFound => "WebAuthnChallengeNotFoundException",
    /// The registration is completed from another app client than the one that started it.
    WebAuthnClientMismatch => "WebAuthnClientMismatchException",
    /// The credential was made on an origin the relying party id does not allow.
    WebAuthnOriginNotAllowed => "WebAuthnOriginNotAllowedException",
    /// The credential is for another relying party id.
    WebAuthnRelyingPartyMismatch => "WebAuthnRelyingPartyMismatchException",
    /// The authenticator or its response is not supported.
    WebAuthnCredentialNotSupported => "WebAuthnCredentialNotSupportedException",
}

impl ErrorKind {
    /// The HTTP status Cognito uses for this code: 500 for internal errors, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        if *self == Self::InternalError {
            500
        } else {
            400
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The error body: `{"__type": "NotAuthorizedException", "message": "..."}`.
/// Some services spell the message member `Message`; both are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The exception name, possibly with a `namespace#` prefix.
    #[serde(rename = "__type")]
    pub kind: String,
    /// The human-readable message.
    #[serde(alias = "Message", default)]
    pub message: String,
}
