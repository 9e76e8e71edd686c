//! The hosted UI's passkey sign-in, offered beside the password form where the pool allows
//! `WEB_AUTHN` as a first factor and has a relying party: POST `/passkey` names the user and
//! answers a page whose one script hands the request options to `navigator.credentials.get`;
//! POST `/passkey/answer` takes the browser's assertion, checks it as USER_AUTH's WEB_AUTHN
//! challenge does (same relying party, origins, user-verification and sign-count rules, one
//! answer per ceremony) and redirects back to the app client with a code.

use std::collections::HashMap;

use axum::extract::{Form, Path, State as AxumState};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

use super::authorize::redirect_with_code;
use super::{check, page, AuthorizeRequest, PendingLogin};
use crate::ctx::Ctx;
use crate::ids;
use crate::signin::{choice, webauthn};
use crate::state::records::{Pool, User};

/// A passkey sign-in waits five minutes for the browser.
const VALIDITY_SECS: i64 = 300;

/// Whether the sign-in page offers passkeys in this pool.
pub(super) fn offered(ctx: &Ctx, pool_id: &str) -> bool {
    ctx.store.with(|state| {
        state.pool(pool_id).is_ok_and(|pool| {
            choice::allowed_first_factors(pool)
                .iter()
                .any(|f| f == "WEB_AUTHN")
                && webauthn::settings(pool, region(pool_id)).is_ok()
        })
    })
}

fn region(pool_id: &str) -> &str {
    pool_id.split('_').next().unwrap_or_default()
}

/// The user may start a passkey sign-in: known, not locked out, enabled, confirmed, with a
/// passkey on offer to them (as USER_AUTH computes it).
fn eligible(pool: &Pool, user: &User) -> Result<(), String> {
    crate::signin::client::check_enabled_and_confirmed(user).map_err(|e| e.message)?;
    if !choice::available(pool, user).contains(&"WEB_AUTHN") {
        return Err("No passkey sign-in is available for this user.".into());
    }
    Ok(())
}

/// POST `/passkey`: the request options for the named user's passkeys, on a page that asks the
/// browser for an assertion.
pub async fn start(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let req = AuthorizeRequest::from_form(&form);
    let login = form.get("username").cloned().unwrap_or_default();
    let checked = match ctx.store.with(|state| check(state, &domain, &req)) {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    let again = |message: &str| {
        super::sign_in_page(&ctx, &domain, &req, &checked.pool_id, Some(message), &login)
    };
    let now = ctx.now();
    let started = ctx
        .store
        .with(|state| -> Result<(User, String, String), String> {
            let pool = state.pool(&checked.pool_id).map_err(|e| e.message)?;
            let user = pool
                .find_user(&login)
                .cloned()
                .ok_or("No passkey sign-in is available for this user.")?;
            state
                .check_sign_in_lock(&checked.pool_id, &user.username, now)
                .map_err(|e| e.message)?;
            eligible(pool, &user)?;
            let settings = webauthn::settings_for(pool, region(&checked.pool_id), &user)
                .map_err(|e| e.message)?;
            let (options, ceremony) =
                webauthn::start_authentication(&settings, &user).map_err(|e| e.message)?;
            Ok((user, options.to_string(), ceremony))
        });
    let (user, options, ceremony) = match started {
        Ok(s) => s,
        Err(message) => return again(&message),
    };
    let login_id = ids::uuid();
    ctx.store.with(|state| {
        state.oauth.pending.retain(|_, p| p.expires_at > now);
        state.oauth.pending.insert(
            login_id.clone(),
            PendingLogin {
                request: req,
                pool_id: checked.pool_id,
                username: user.username.clone(),
                kind: "WEB_AUTHN".into(),
                code: None,
                webauthn_state: Some(ceremony),
                expires_at: now + VALIDITY_SECS,
            },
        );
    });
    let html = page::passkey(
        &super::action(&domain, "passkey/answer"),
        &login_id,
        &user.username,
        &options,
    );
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(page::passkey_policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// POST `/passkey/answer`: the browser's assertion (the `AuthenticationResponseJSON` form),
/// checked once; the code on success, the sign-in page with the reason otherwise.
pub async fn finish(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let login = form.get("login").cloned().unwrap_or_default();
    let credential = form.get("credential").cloned().unwrap_or_default();
    let now = ctx.now();
    // One answer per ceremony, right or wrong.
    let pending = ctx
        .store
        .with(|state| state.oauth.pending.remove(&login))
        .filter(|p| p.expires_at > now && p.kind == "WEB_AUTHN");
    let Some(p) = pending else {
        return Html(page::error("This sign-in has expired. Start again.")).into_response();
    };
    let verified = ctx.store.with(|state| {
        let ceremony = p.webauthn_state.as_deref().unwrap_or_default();
        webauthn::verify_sign_in(state, &p.pool_id, &p.username, ceremony, &credential)
    });
    if let Err(e) = verified {
        return super::sign_in_page(
            &ctx,
            &domain,
            &p.request,
            &p.pool_id,
            Some(&e.message),
            &p.username,
        );
    }
    let scope = match ctx.store.with(|state| check(state, &domain, &p.request)) {
        Ok(c) => c.scope,
        Err(refusal) => return refusal.into_response(),
    };
    redirect_with_code(&ctx, &p.request, &p.pool_id, &p.username, &scope)
}
