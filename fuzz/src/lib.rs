//! What the fuzz targets share: one emulator per process with the demo pool (so inputs that
//! name it reach past the lookups), a hosted-UI domain and a user signed in, and a runtime for
//! the targets that go through the HTTP router.
//!
//! Every target's property is the same: whatever the bytes, the emulator answers (a value or
//! Cognito's error) and never panics; a panic is what libFuzzer reports as a crash.

use std::sync::{Arc, OnceLock};

use cognito_emulator::{EmulatorBuilder, Handle, SigningKey};
use serde_json::{json, Value};

/// The demo pool's ids, as `cognito-emulator serve` creates them.
pub const POOL: &str = "us-east-1_DemoPool1";
/// The demo app client.
pub const CLIENT: &str = "democlient0000000000000001";
/// The hosted-UI domain the setup adds.
pub const DOMAIN: &str = "fuzz";

/// The signing key every pool of the fixture uses: the four-prime test key checked in beside
/// the RS256 signer's tests. Pinning it means no key is generated: generating the emulator's
/// own key and the demo pool's two under the fuzz build's coverage instrumentation took about
/// 17 s on the 2-core CI machine, and libFuzzer's 20-second timeout for one input caught the
/// first input of a target that made the fixture (so srp_params and hosted_ui_forms ran one or
/// two inputs instead of 4,000).
const KEY_PEM: &str = include_str!("../../emulator/rs256/tests/data/four-prime-key.pem");

/// The shared emulator.
pub struct Fixture {
    /// Calls operations directly.
    pub handle: Handle,
    /// The HTTP surface, for the hosted UI.
    pub router: axum::Router,
    /// A current-thread runtime to drive the router.
    pub runtime: tokio::runtime::Runtime,
    /// Tokens of one sign-in of the demo user (seeds for the token target).
    pub access_token: String,
    /// Its refresh token.
    pub refresh_token: String,
}

/// The process's fixture, made on first use.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let key = SigningKey::from_pem(KEY_PEM).expect("the checked-in test key loads");
        let (router, handle) = EmulatorBuilder::default()
            .signing_key(Arc::new(key))
            .into_router();
        cognito_emulator::seed::apply(&handle, &cognito_emulator::seed::demo())
            .expect("the demo seed applies");
        let call = |op: &str, body: Value| -> Value {
            handle.call_raw(op, body.to_string().as_bytes()).expect(op)
        };
        call(
            "UpdateUserPoolClient",
            json!({"UserPoolId": POOL, "ClientId": CLIENT, "CallbackURLs": ["https://app.example/cb"],
                "AllowedOAuthFlows": ["code", "implicit"], "AllowedOAuthScopes": ["openid", "email"],
                "AllowedOAuthFlowsUserPoolClient": true, "SupportedIdentityProviders": ["COGNITO"],
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"]}),
        );
        call("CreateUserPoolDomain", json!({"UserPoolId": POOL, "Domain": DOMAIN}));
        let signed_in = call(
            "InitiateAuth",
            json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "demo", "PASSWORD": "DemoPassw0rd!"}}),
        );
        let result = &signed_in["AuthenticationResult"];
        let text = |k: &str| result[k].as_str().unwrap_or_default().to_owned();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        Fixture {
            access_token: text("AccessToken"),
            refresh_token: text("RefreshToken"),
            handle,
            router,
            runtime,
        }
    })
}

/// Splits fuzz input into `n` text fields at 0xFF bytes (invalid UTF-8 is replaced, so the
/// fields are always text; the raw-bytes targets test the decoder itself).
pub fn fields(data: &[u8], n: usize) -> Vec<String> {
    let mut out: Vec<String> = data
        .splitn(n, |b| *b == 0xFF)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    out.resize(n, String::new());
    out
}
