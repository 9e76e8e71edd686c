//! Sign-in: InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
//! AdminRespondToAuthChallenge, once the operation has found the pool and the client. This
//! module turns the wire's flow and challenge names into [`Flow`] and [`Challenge`] and hands
//! each to the one module that owns it:
//!
//! | module | owns |
//! |---|---|
//! | [`client`] | app-client checks: allowed flows, `SECRET_HASH`, session length, unknown users |
//! | [`srp`] | the server's SRP steps, once for the password and for devices |
//! | [`user_srp`] | USER_SRP_AUTH and PASSWORD_VERIFIER |
//! | [`password`] | USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, UserMigration, PreAuthentication |
//! | [`next_step`] | what follows a correct password: NEW_PASSWORD_REQUIRED, MFA, or the end |
//! | [`session`] | challenge sessions: made, looked up, the device they carry |
//! | [`finish`] | the end of every sign-in: DEVICE_SRP_AUTH or triggers and tokens |
//! | [`mfa`] | SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SMS_OTP, SELECT_MFA_TYPE, MFA_SETUP |
//! | [`new_password`] | NEW_PASSWORD_REQUIRED |
//! | [`refresh`] | REFRESH_TOKEN_AUTH (and the hosted UI's refresh grant) |
//! | [`custom`] | CUSTOM_AUTH and CUSTOM_CHALLENGE |
//! | [`devices`] | remembered devices: binding, ConfirmDevice, status, listing |
//! | [`device_srp`] | DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER |
//! | [`choice`] | USER_AUTH and SELECT_CHALLENGE (choice-based sign-in) |
//! | [`factors`] | what a user can sign in with (GetUserAuthFactors), from `choice` and `mfa`'s rules |
//!
//! Inside, calls run one way: this module → the flows (`user_srp`, `password`, `custom`,
//! `choice`, `new_password`, `refresh`, `mfa`, `device_srp`) → `next_step` → `mfa` → `finish` →
//! `devices`, `session`, `srp`, `client`. A flow that hands over to another flow returns to this
//! module, which makes the call (CUSTOM_AUTH after PASSWORD_VERIFIER).
//!
//! Below: `accounts`, `tokens`, `triggers`, `state`. Above: `ops`, `oauth`.

pub mod choice;
pub mod client;
pub mod custom;
pub mod device_srp;
pub mod devices;
pub mod events;
pub mod factors;
pub mod finish;
pub mod mfa;
pub mod new_password;
pub mod next_step;
pub mod password;
pub mod refresh;
pub mod session;
pub mod srp;
pub mod user_srp;
pub mod webauthn;

use cognito_protocol::wire::{AuthResponse, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub(crate) use client::app_request;
pub(crate) use mfa::mfa_setup_session;

/// Whether the request came through an `Admin*` operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// InitiateAuth / RespondToAuthChallenge.
    App,
    /// AdminInitiateAuth / AdminRespondToAuthChallenge.
    Admin,
}

/// The auth flows Cognito knows (InitiateAuth's `AuthFlow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// `USER_SRP_AUTH`.
    UserSrp,
    /// `REFRESH_TOKEN_AUTH`.
    RefreshTokenAuth,
    /// `REFRESH_TOKEN`, the older name of the same flow.
    RefreshToken,
    /// `CUSTOM_AUTH`.
    Custom,
    /// `ADMIN_NO_SRP_AUTH` (Admin operations only).
    AdminNoSrp,
    /// `USER_PASSWORD_AUTH`.
    UserPassword,
    /// `ADMIN_USER_PASSWORD_AUTH` (Admin operations only).
    AdminUserPassword,
    /// `USER_AUTH` (choice-based).
    UserAuth,
}

impl Flow {
    /// Every flow, in the order Cognito's validation message lists them.
    pub const ALL: [Flow; 8] = [
        Flow::UserSrp,
        Flow::RefreshTokenAuth,
        Flow::RefreshToken,
        Flow::Custom,
        Flow::AdminNoSrp,
        Flow::UserPassword,
        Flow::AdminUserPassword,
        Flow::UserAuth,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Flow::UserSrp => "USER_SRP_AUTH",
            Flow::RefreshTokenAuth => "REFRESH_TOKEN_AUTH",
            Flow::RefreshToken => "REFRESH_TOKEN",
            Flow::Custom => "CUSTOM_AUTH",
            Flow::AdminNoSrp => "ADMIN_NO_SRP_AUTH",
            Flow::UserPassword => "USER_PASSWORD_AUTH",
            Flow::AdminUserPassword => "ADMIN_USER_PASSWORD_AUTH",
            Flow::UserAuth => "USER_AUTH",
        }
    }

    /// The flow of a wire name, or Cognito's validation error.
    pub fn parse(name: &str) -> Result<Flow> {
        Self::ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| {
            let all: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
            CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value '{name}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                all.join(", ")
            ))
        })
    }

    /// Whether only AdminInitiateAuth may start it.
    pub fn admin_only(self) -> bool {
        matches!(self, Flow::AdminNoSrp | Flow::AdminUserPassword)
    }
}

/// The challenges this emulator answers (RespondToAuthChallenge's `ChallengeName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    /// `PASSWORD_VERIFIER`: the SRP claim.
    PasswordVerifier,
    /// `NEW_PASSWORD_REQUIRED`.
    NewPasswordRequired,
    /// `SOFTWARE_TOKEN_MFA`.
    SoftwareTokenMfa,
    /// `SMS_MFA`.
    SmsMfa,
    /// `EMAIL_OTP`.
    EmailOtp,
    /// `SMS_OTP`.
    SmsOtp,
    /// `SELECT_MFA_TYPE`.
    SelectMfaType,
    /// `SELECT_CHALLENGE` (USER_AUTH).
    Select,
    /// `MFA_SETUP`.
    MfaSetup,
    /// `CUSTOM_CHALLENGE`.
    Custom,
    /// `DEVICE_SRP_AUTH`.
    DeviceSrpAuth,
    /// `DEVICE_PASSWORD_VERIFIER`.
    DevicePasswordVerifier,
    /// `WEB_AUTHN` (USER_AUTH with a passkey).
    WebAuthn,
}

impl Challenge {
    const ALL: [Challenge; 13] = [
        Challenge::PasswordVerifier,
        Challenge::NewPasswordRequired,
        Challenge::SoftwareTokenMfa,
        Challenge::SmsMfa,
        Challenge::EmailOtp,
        Challenge::SmsOtp,
        Challenge::SelectMfaType,
        Challenge::Select,
        Challenge::MfaSetup,
        Challenge::Custom,
        Challenge::DeviceSrpAuth,
        Challenge::DevicePasswordVerifier,
        Challenge::WebAuthn,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Challenge::PasswordVerifier => "PASSWORD_VERIFIER",
            Challenge::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            Challenge::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            Challenge::SmsMfa => "SMS_MFA",
            Challenge::EmailOtp => "EMAIL_OTP",
            Challenge::SmsOtp => "SMS_OTP",
            Challenge::SelectMfaType => "SELECT_MFA_TYPE",
            Challenge::Select => "SELECT_CHALLENGE",
            Challenge::MfaSetup => "MFA_SETUP",
            Challenge::Custom => "CUSTOM_CHALLENGE",
            Challenge::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            Challenge::DevicePasswordVerifier => "DEVICE_PASSWORD_VERIFIER",
            Challenge::WebAuthn => "WEB_AUTHN",
        }
    }

    /// The challenge of a wire name, or the error for one this emulator does not answer.
    pub fn parse(name: &str) -> Result<Challenge> {
        Self::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| {
                CognitoError::invalid_parameter(format!(
                    "The {name} challenge is not supported by this emulator yet."
                ))
            })
    }
}

pub(crate) fn param<'a>(map: &'a StringMap, name: &str) -> Result<&'a str> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
        })
}

/// Runs an InitiateAuth-style request once the pool and client are known.
pub fn initiate(
    ctx: &Ctx,
    caller: Caller,
    pool_id: &str,
    client_id: &str,
    flow: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let flow = Flow::parse(flow)?;
    if flow.admin_only() && caller == Caller::App {
        return Err(CognitoError::invalid_parameter(format!(
            "Initiate Auth method not supported: {}",
            flow.name()
        )));
    }
    ctx.store.with(|state| -> Result<()> {
        let (_, client) = state.client_in(pool_id, client_id)?;
        client::check_flow_allowed(client, flow)
    })?;
    match flow {
        Flow::UserSrp => user_srp::start_srp(ctx, pool_id, client_id, params, metadata),
        Flow::Custom => custom::start_custom(ctx, pool_id, client_id, params, metadata),
        Flow::UserAuth => choice::start(ctx, pool_id, client_id, params, metadata),
        Flow::UserPassword | Flow::AdminUserPassword | Flow::AdminNoSrp => {
            password::password_auth(ctx, pool_id, client_id, params, metadata)
        }
        Flow::RefreshTokenAuth | Flow::RefreshToken => {
            refresh::refresh(ctx, pool_id, client_id, params, metadata)
        }
    }
}

/// Runs a RespondToAuthChallenge-style request once the pool and client are known.
pub fn respond(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    challenge: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let challenge = Challenge::parse(challenge)?;
    match challenge {
        Challenge::PasswordVerifier => {
            match user_srp::verify_srp(ctx, pool_id, client_id, session, responses, metadata)? {
                user_srp::Verified::Done(response) => Ok(response),
                user_srp::Verified::CustomAuth { user, history } => {
                    custom::custom_next(ctx, pool_id, client_id, &user, history, metadata, None)
                }
            }
        }
        Challenge::NewPasswordRequired => {
            new_password::new_password(ctx, pool_id, client_id, session, responses, metadata)
        }
        Challenge::SoftwareTokenMfa
        | Challenge::SmsMfa
        | Challenge::EmailOtp
        | Challenge::SmsOtp => mfa::answer_mfa(
            ctx,
            pool_id,
            client_id,
            challenge.name(),
            session,
            responses,
            metadata,
        ),
        Challenge::SelectMfaType => {
            mfa::select_mfa_type(ctx, pool_id, client_id, session, responses, metadata)
        }
        Challenge::Select => {
            choice::answer_select(ctx, pool_id, client_id, session, responses, metadata)
        }
        Challenge::MfaSetup => {
            mfa::finish_mfa_setup(ctx, pool_id, client_id, session, responses, metadata)
        }
        Challenge::Custom => {
            custom::answer_custom(ctx, pool_id, client_id, session, responses, metadata)
        }
        Challenge::DeviceSrpAuth => device_srp::start(ctx, pool_id, client_id, session, responses),
        Challenge::DevicePasswordVerifier => {
            device_srp::verify(ctx, pool_id, client_id, session, responses, metadata)
        }
        Challenge::WebAuthn => {
            choice::answer_web_authn(ctx, pool_id, client_id, session, responses, metadata)
        }
    }
}
