//! The hosted UI's forms and the OAuth endpoints that take form bodies: the sign-in form, the
//! MFA form, `/oauth2/token` and `/oauth2/revoke`, through the router (the form decoder, then
//! the handlers). The first byte picks the route.
#![no_main]

use axum::body::Body;
use cognito_fuzz::{fixture, DOMAIN};
use tower::ServiceExt as _;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let routes = ["login", "mfa", "oauth2/token", "oauth2/revoke"];
    let route = routes[usize::from(pick) % routes.len()];
    let fx = fixture();
    let request = axum::http::Request::post(format!("/domains/{DOMAIN}/{route}"))
        .header("host", "127.0.0.1")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_vec()));
    let Ok(request) = request else { return };
    let router = fx.router.clone();
    fx.runtime.block_on(async move {
        let Ok(response) = router.oneshot(request).await;
        let _ = http_body_util::BodyExt::collect(response.into_body()).await;
    });
});
