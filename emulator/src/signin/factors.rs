//! The authentication factors a user has configured, for GetUserAuthFactors and
//! AdminGetUserAuthFactors: the first factors USER_AUTH offers this user in this pool
//! (PASSWORD, EMAIL_OTP, SMS_OTP, as the sign-in itself computes them) and the MFA factors the
//! user has enabled and the pool allows (SOFTWARE_TOKEN; EMAIL_OTP and SMS_OTP as MFA too).

use cognito_protocol::wire::UserAuthFactorsResponse;

use crate::state::records::Pool;
use crate::state::user::User;

/// The answer for one user.
pub fn of(pool: &Pool, user: &User) -> UserAuthFactorsResponse {
    let mut factors: Vec<String> = Vec::new();
    let mut add = |f: &str| {
        if !factors.iter().any(|x| x == f) {
            factors.push(f.to_owned());
        }
    };
    for first in super::choice::available(pool, user) {
        if first != "PASSWORD_SRP" {
            add(first);
        }
    }
    let mfa: Vec<&str> = user
        .mfa
        .enabled()
        .into_iter()
        .filter(|f| pool.allows_mfa(f))
        .collect();
    for factor in &mfa {
        match *factor {
            "SOFTWARE_TOKEN_MFA" => add("SOFTWARE_TOKEN"),
            "SMS_MFA" => add("SMS_OTP"),
            "EMAIL_OTP" => add("EMAIL_OTP"),
            _ => {}
        }
    }
    UserAuthFactorsResponse {
        username: user.username.clone(),
        preferred_mfa_setting: user.mfa.preferred.clone(),
        user_mfa_setting_list: Some(mfa.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>())
            .filter(|l| !l.is_empty()),
        configured_user_auth_factors: Some(factors),
    }
}
