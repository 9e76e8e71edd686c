//! Tokens presented to the emulator: access tokens (GetUser, GetUserAttributeVerificationCode)
//! and refresh tokens (REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken, RevokeToken). The first
//! byte says what the rest is: text used as the token (0), or edits to a real access (1) or
//! refresh (2) token of the fixture, so that mutations start from the real shape (three
//! base64url parts, a JSON header and claims, a signature).
#![no_main]

use cognito_fuzz::{fixture, CLIENT};
use serde_json::json;

/// Applies `edits` (pairs of position, byte) to `token`.
fn edited(token: &str, edits: &[u8]) -> String {
    let mut bytes = token.as_bytes().to_vec();
    for pair in edits.chunks(2) {
        if let [at, byte] = pair {
            if !bytes.is_empty() {
                let i = usize::from(*at) * bytes.len() / 256;
                bytes[i] = *byte;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let fx = fixture();
    let token = match mode % 3 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => edited(&fx.access_token, rest),
        _ => edited(&fx.refresh_token, rest),
    };
    let calls = [
        ("GetUser", json!({"AccessToken": token})),
        (
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": token, "AttributeName": "email"}),
        ),
        (
            "InitiateAuth",
            json!({"ClientId": CLIENT, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": token}}),
        ),
        (
            "GetTokensFromRefreshToken",
            json!({"ClientId": CLIENT, "RefreshToken": token}),
        ),
    ];
    for (operation, body) in calls {
        let _ = fx.handle.call_raw(operation, body.to_string().as_bytes());
    }
});
