//! The one error type of every handler, named after Cognito's exceptions, and the one place
//! that turns it into Cognito's error response: HTTP 400 (500 for `InternalErrorException`)
//! with `{"__type", "message"}` and `x-amzn-ErrorType`.

use cognito_protocol::wire::{ErrorBody, ErrorKind};

/// A Cognito exception with its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct CognitoError {
    /// The exception.
    pub kind: ErrorKind,
    /// The message shown to the client.
    pub message: String,
}

/// Handler results.
pub type Result<T> = std::result::Result<T, CognitoError>;

macro_rules! constructors {
    ($($fn_name:ident => $kind:ident,)*) => {
        impl CognitoError {
            $(
                #[doc = concat!("A `", stringify!($kind), "` error.")]
                pub fn $fn_name(message: impl Into<String>) -> Self {
                    Self { kind: ErrorKind::$kind, message: message.into() }
                }
            )*
        }
    };
}

constructors! {
    not_authorized => NotAuthorized,
    user_not_found => UserNotFound,
    user_not_confirmed => UserNotConfirmed,
    username_exists => UsernameExists,
    alias_exists => AliasExists,
    code_mismatch => CodeMismatch,
    expired_code => ExpiredCode,
    invalid_password => InvalidPassword,
    invalid_parameter => InvalidParameter,
    password_reset_required => PasswordResetRequired,
    resource_not_found => ResourceNotFound,
    duplicate_provider => DuplicateProvider,
    invalid_identity_pool_configuration => InvalidIdentityPoolConfiguration,
    internal => InternalError,
    unsupported_operation => UnsupportedOperation,
    unsupported_token_type => UnsupportedTokenType,
    unauthorized => Unauthorized,
    group_exists => GroupExists,
    unknown_operation => UnknownOperation,
    serialization => Serialization,
    limit_exceeded => LimitExceeded,
    operation_not_enabled => OperationNotEnabled,
    feature_unavailable_in_tier => FeatureUnavailableInTier,
    terms_exists => TermsExists,
    managed_login_branding_exists => ManagedLoginBrandingExists,
    precondition_not_met => PreconditionNotMet,
    user_pool_add_on_not_enabled => UserPoolAddOnNotEnabled,
    developer_user_already_registered => DeveloperUserAlreadyRegistered,
    resource_conflict => ResourceConflict,
}

impl CognitoError {
    /// `NotAuthorizedException: Incorrect username or password.`
    pub fn wrong_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            kind: self.kind.code().to_owned(),
            message: self.message.clone(),
        }
    }
}
