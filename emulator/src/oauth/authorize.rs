//! `/oauth2/authorize` and `/login`: the sign-in page, the password check, the MFA step, and
//! the redirect back to the client with an authorization code.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State as AxumState};
use axum::response::{Html, IntoResponse, Response};

use super::{check, page, with_query, AuthCode, AuthorizeRequest, PendingLogin};
use crate::ctx::Ctx;
use crate::state::records::{User, UserStatus};
use crate::{accounts::password, accounts::users, ids};

/// Codes and pending sign-ins last five minutes.
const VALIDITY_SECS: i64 = 300;

/// GET: the sign-in page for a valid request, or the refusal.
pub async fn show(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Query(req): Query<AuthorizeRequest>,
) -> Response {
    match ctx.store.with(|state| check(state, &domain, &req)) {
        Ok(checked) if req.identity_provider.is_some() => {
            match federate(&ctx, &req, &checked.pool_id) {
                Ok(username) => {
                    redirect_with_code(&ctx, &req, &checked.pool_id, &username, &checked.scope)
                }
                Err(message) => (
                    axum::http::StatusCode::BAD_REQUEST,
                    Html(page::error(&message)),
                )
                    .into_response(),
            }
        }
        Ok(checked) => super::sign_in_page(&ctx, &domain, &req, &checked.pool_id, None, ""),
        Err(refusal) => refusal.into_response(),
    }
}

/// The federation stub: the external provider "signs in" the user its details name
/// (`emulator_subject`, `emulator_email`), who is created on first use as
/// `{provider}_{subject}` with status EXTERNAL_PROVIDER and an `identities` attribute.
fn federate(ctx: &Ctx, req: &AuthorizeRequest, pool_id: &str) -> Result<String, String> {
    let name = req.identity_provider.clone().unwrap_or_default();
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let supported = state
            .client_in(pool_id, &req.client_id)
            .map(|(_, c)| {
                c.settings
                    .supported_identity_providers
                    .clone()
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        let pool = state.pool_mut(pool_id).map_err(|e| e.message)?;
        let provider = pool
            .identity_providers
            .get(&name)
            .cloned()
            .filter(|_| supported.contains(&name))
            .ok_or_else(|| format!("{name} is not an identity provider of this app client."))?;
        let details = provider.provider_details.clone().unwrap_or_default();
        let subject = details
            .get("emulator_subject")
            .cloned()
            .unwrap_or_else(|| "external-user".into());
        // Linked by AdminLinkProviderForUser: the external user signs in as the native one.
        if let Some(native) = pool.provider_links.get(&format!("{name}|{subject}")) {
            if pool.find_user(native).is_some_and(|u| u.enabled) {
                return Ok(native.clone());
            }
        }
        let username = format!("{name}_{subject}");
        if pool.find_user(&username).is_none() {
            let sub = ids::uuid();
            let identities = serde_json::json!([{
                "userId": subject,
                "providerName": name,
                "providerType": provider.provider_type,
                "issuer": null,
                "primary": "true",
                "dateCreated": (now * 1000.0) as i64,
            }]);
            let mut attributes = vec![
                ("sub".to_owned(), sub.clone()),
                ("identities".to_owned(), identities.to_string()),
            ];
            if let Some(email) = details.get("emulator_email") {
                attributes.push(("email".to_owned(), email.clone()));
            }
            pool.insert_user(User::new(
                username.clone(),
                sub,
                attributes,
                UserStatus::ExternalProvider,
                now,
            ));
        }
        Ok(username)
    })
}

/// POST `/login`: checks the password; then MFA, or the code.
pub async fn sign_in(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let req = AuthorizeRequest::from_form(&form);
    let login = form.get("username").cloned().unwrap_or_default();
    let given = form.get("password").cloned().unwrap_or_default();
    let checked = match ctx.store.with(|state| check(state, &domain, &req)) {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    let again = |message: &str| {
        super::sign_in_page(&ctx, &domain, &req, &checked.pool_id, Some(message), &login)
    };
    let now = ctx.now();
    let user = ctx.store.with(|state| -> Result<User, String> {
        let pool = state.pool(&checked.pool_id).map_err(|e| e.message)?;
        let user = pool
            .find_user(&login)
            .cloned()
            .ok_or("Incorrect username or password.")?;
        state
            .check_sign_in_lock(&checked.pool_id, &user.username, now)
            .map_err(|e| e.message)?;
        let ok = user
            .password
            .as_ref()
            .is_some_and(|r| password::matches(r, &checked.pool_id, &user.username, &given));
        if !ok {
            state.sign_in_failed(&checked.pool_id, &user.username, now);
            return Err("Incorrect username or password.".into());
        }
        state.sign_in_succeeded(&checked.pool_id, &user.username);
        if !user.enabled {
            return Err("User is disabled.".into());
        }
        match user.status {
            UserStatus::Confirmed => Ok(user),
            UserStatus::Unconfirmed => Err("User is not confirmed.".into()),
            UserStatus::ForceChangePassword => Err(
                "A new password is required: set it through the API (NEW_PASSWORD_REQUIRED) first."
                    .into(),
            ),
            UserStatus::ResetRequired => Err("Password reset required for the user.".into()),
            UserStatus::ExternalProvider => Err("Incorrect username or password.".into()),
        }
    });
    let user = match user {
        Ok(u) => u,
        Err(message) => return again(&message),
    };
    match mfa_needed(&ctx, &checked.pool_id, &user) {
        Some(kind) => start_mfa(&ctx, &domain, req, checked.pool_id, user, kind),
        None => redirect_with_code(&ctx, &req, &checked.pool_id, &user.username, &checked.scope),
    }
}

/// The factor a hosted-UI sign-in must answer, if any (the preferred one, else the first).
fn mfa_needed(ctx: &Ctx, pool_id: &str, user: &User) -> Option<String> {
    let mode = ctx.store.with(|state| {
        state
            .pool(pool_id)
            .ok()
            .and_then(|p| p.settings.mfa_configuration.clone())
    });
    if mode.as_deref().unwrap_or("OFF") == "OFF" {
        return None;
    }
    let enabled = user.mfa.enabled();
    let preferred = user
        .mfa
        .preferred
        .as_deref()
        .filter(|p| enabled.contains(p));
    preferred
        .or_else(|| enabled.first().copied())
        .map(str::to_owned)
}

fn start_mfa(
    ctx: &Ctx,
    domain: &str,
    request: AuthorizeRequest,
    pool_id: String,
    user: User,
    kind: String,
) -> Response {
    let now = ctx.now();
    let mut outgoing = None;
    let code = if kind == "SOFTWARE_TOKEN_MFA" {
        None
    } else {
        let issued = ctx.store.with(|state| {
            state
                .pool(&pool_id)
                .ok()
                .map(|pool| users::send_mfa_code(ctx, pool, &user, &kind))
        });
        issued.map(|(code, _, message)| {
            outgoing = Some(message);
            crate::state::records::IssuedCode {
                code: code.code,
                expires_at: now + VALIDITY_SECS,
            }
        })
    };
    if let Some(message) = outgoing {
        let client = request.client_id.clone();
        if let Err(e) = users::deliver(ctx, Some(&client), vec![message], None) {
            return Html(page::error(&e.message)).into_response();
        }
    }
    let login = ids::uuid();
    ctx.store.with(|state| {
        state.oauth.pending.retain(|_, p| p.expires_at > now);
        state.oauth.pending.insert(
            login.clone(),
            PendingLogin {
                request,
                pool_id,
                username: user.username.clone(),
                kind: kind.clone(),
                code,
                webauthn_state: None,
                expires_at: now + VALIDITY_SECS,
            },
        );
    });
    Html(page::mfa(
        &super::action(domain, "mfa"),
        &login,
        &kind,
        None,
    ))
    .into_response()
}

/// POST `/mfa`: the second factor; the code on success, the form again on a wrong code.
pub async fn second_factor(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let login = form.get("login").cloned().unwrap_or_default();
    let given = form.get("code").cloned().unwrap_or_default();
    let now = ctx.now();
    let pending = ctx
        .store
        .with(|state| state.oauth.pending.get(&login).cloned());
    let Some(p) = pending.filter(|p| p.expires_at > now) else {
        return Html(page::error("This sign-in has expired. Start again.")).into_response();
    };
    let valid = ctx.store.with(|state| {
        let user = state.pool(&p.pool_id).ok()?.user(&p.username).ok()?.clone();
        let ok = match p.kind.as_str() {
            "SOFTWARE_TOKEN_MFA" => user
                .mfa
                .totp_secret
                .as_deref()
                .is_some_and(|s| crate::accounts::totp::verify(s, &given, now)),
            _ => users::check_code(p.code.as_ref(), &given, now).is_ok(),
        };
        Some(ok)
    });
    if valid != Some(true) {
        return Html(page::mfa(
            &super::action(&domain, "mfa"),
            &login,
            &p.kind,
            Some("Invalid code received for user"),
        ))
        .into_response();
    }
    ctx.store.with(|state| state.oauth.pending.remove(&login));
    let scope = match ctx.store.with(|state| check(state, &domain, &p.request)) {
        Ok(c) => c.scope,
        Err(refusal) => return refusal.into_response(),
    };
    redirect_with_code(&ctx, &p.request, &p.pool_id, &p.username, &scope)
}

pub(super) fn redirect_with_code(
    ctx: &Ctx,
    req: &AuthorizeRequest,
    pool_id: &str,
    username: &str,
    scope: &str,
) -> Response {
    let code = ids::uuid();
    let now = ctx.now();
    let challenge = req.code_challenge.clone().map(|c| {
        (
            c,
            req.code_challenge_method
                .clone()
                .unwrap_or_else(|| "plain".into()),
        )
    });
    ctx.store.with(|state| {
        state.oauth.codes.retain(|_, c| c.expires_at > now);
        state.oauth.codes.insert(
            code.clone(),
            AuthCode {
                pool_id: pool_id.to_owned(),
                client_id: req.client_id.clone(),
                username: username.to_owned(),
                redirect_uri: req.redirect_uri.clone(),
                scope: scope.to_owned(),
                challenge,
                nonce: req.nonce.clone(),
                expires_at: now + VALIDITY_SECS,
            },
        );
    });
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        pairs.push(("state", s.as_str()));
    }
    super::found(&with_query(&req.redirect_uri, &pairs))
}
