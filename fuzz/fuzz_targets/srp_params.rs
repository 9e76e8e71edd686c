//! SRP parameters as clients send them: `SRP_A` for InitiateAuth, then the PASSWORD_VERIFIER
//! answer (`PASSWORD_CLAIM_SECRET_BLOCK`, `TIMESTAMP`, `PASSWORD_CLAIM_SIGNATURE`) to a real
//! challenge; and the protocol crate's parsers of the same strings.
#![no_main]

use cognito_fuzz::{fields, fixture, CLIENT};
use cognito_protocol::srp;
use serde_json::json;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let f = fields(data, 5);
    let _ = srp::parse_hex(&f[0], "SRP_A");
    let _ = srp::pad_hex_signed(&f[0]);
    let _ = srp::parse_timestamp(&f[2]);
    let _ = srp::verify_claim_signature(&[0u8; 32], &f[3]);
    let handle = &fixture().handle;
    let started = handle.call_raw(
        "InitiateAuth",
        json!({"ClientId": CLIENT, "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": {"USERNAME": if f[4].is_empty() { "demo" } else { &f[4] }, "SRP_A": f[0]}})
        .to_string()
        .as_bytes(),
    );
    let block = match &started {
        Ok(v) => v["ChallengeParameters"]["SECRET_BLOCK"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        Err(_) => f[1].clone(),
    };
    let block = if f[1].is_empty() { block } else { f[1].clone() };
    let _ = handle.call_raw(
        "RespondToAuthChallenge",
        json!({"ClientId": CLIENT, "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": {"USERNAME": "demo", "PASSWORD_CLAIM_SECRET_BLOCK": block,
                "TIMESTAMP": f[2], "PASSWORD_CLAIM_SIGNATURE": f[3]}})
        .to_string()
        .as_bytes(),
    );
});
