//! The hosted UI's sign-up: GET `/signup` shows the form (with the app client's terms links and
//! look), POST `/signup` signs the user up as the SignUp operation does (password policy,
//! required attributes, the PreSignUp trigger, the confirmation code by email), POST `/confirm`
//! takes the code as ConfirmSignUp does; a confirmed user goes back to the app client with an
//! authorization code, as the hosted UI signs a new user in. Refused where the pool lets only
//! administrators create users.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State as AxumState};
use axum::response::{Html, IntoResponse, Response};
use cognito_protocol::wire::{
    secret_hash, AttributeType, ConfirmSignUpRequest, Sensitive, SignUpRequest,
};

use super::authorize::redirect_with_code;
use super::{action, check, page, AuthorizeRequest};
use crate::ctx::Ctx;
use crate::ops::{confirm_sign_up, sign_up};
use crate::state::records::Pool;

/// Users may sign themselves up in this pool (`AllowAdminCreateUserOnly` is not set).
pub(super) fn allowed(pool: &Pool) -> bool {
    !pool
        .settings
        .admin_create_user_config
        .as_ref()
        .and_then(|c| c.allow_admin_create_user_only)
        .unwrap_or(false)
}

/// The client's look, whether sign-up is allowed, and its `SECRET_HASH` for `username`.
fn client_view(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    username: &str,
) -> (page::Look, bool, Option<Sensitive<String>>) {
    ctx.store
        .with(|state| match state.client_in(pool_id, client_id) {
            Ok((pool, client)) => (
                page::Look::of(pool, client_id),
                allowed(pool),
                client
                    .secrets()
                    .next()
                    .map(|s| Sensitive(secret_hash(s, username, client_id))),
            ),
            Err(_) => Default::default(),
        })
}

/// The user's username for the code (an email or phone number signs up under a generated name
/// in pools with `UsernameAttributes`).
fn username_of(ctx: &Ctx, pool_id: &str, login: &str) -> String {
    ctx.store.with(|state| {
        state
            .pool(pool_id)
            .ok()
            .and_then(|p| p.find_user(login).map(|u| u.username.clone()))
            .unwrap_or_else(|| login.to_owned())
    })
}

/// GET: the sign-up form.
pub async fn show(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Query(req): Query<AuthorizeRequest>,
) -> Response {
    let checked = match ctx.store.with(|state| check(state, &domain, &req)) {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    let (look, allowed, _) = client_view(&ctx, &checked.pool_id, &req.client_id, "");
    if !allowed {
        return Html(page::error("SignUp is not permitted for this user pool.")).into_response();
    }
    Html(page::sign_up(
        &action(&domain, "signup"),
        &req.fields(),
        None,
        "",
        "",
        &look,
    ))
    .into_response()
}

/// POST `/signup`: SignUp; the code form, or the code for a user confirmed at once.
pub async fn submit(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let req = AuthorizeRequest::from_form(&form);
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (username, email, password) = (field("username"), field("email"), field("password"));
    let checked = match ctx.store.with(|state| check(state, &domain, &req)) {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    let (look, allowed, hash) = client_view(&ctx, &checked.pool_id, &req.client_id, &username);
    if !allowed {
        return Html(page::error("SignUp is not permitted for this user pool.")).into_response();
    }
    let attributes = (!email.is_empty()).then(|| {
        vec![AttributeType {
            name: "email".into(),
            value: Some(email.clone()),
        }]
    });
    let signed_up = sign_up::handle(
        &ctx,
        SignUpRequest {
            client_id: req.client_id.clone(),
            secret_hash: hash,
            username: username.clone(),
            password: Some(Sensitive(password)),
            user_attributes: attributes,
            ..Default::default()
        },
    );
    match signed_up {
        Ok(done) if done.user_confirmed => {
            let username = username_of(&ctx, &checked.pool_id, &username);
            redirect_with_code(&ctx, &req, &checked.pool_id, &username, &checked.scope)
        }
        Ok(done) => {
            let destination = done
                .code_delivery_details
                .and_then(|d| d.destination)
                .unwrap_or_default();
            Html(page::confirm(
                &action(&domain, "confirm"),
                &req.fields(),
                &username,
                &destination,
                None,
                &look,
            ))
            .into_response()
        }
        Err(e) => Html(page::sign_up(
            &action(&domain, "signup"),
            &req.fields(),
            Some(&e.message),
            &username,
            &email,
            &look,
        ))
        .into_response(),
    }
}

/// POST `/confirm`: ConfirmSignUp; the code to the app client, or the form again.
pub async fn confirm(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let req = AuthorizeRequest::from_form(&form);
    let username = form.get("username").cloned().unwrap_or_default();
    let code = form.get("code").cloned().unwrap_or_default();
    let checked = match ctx.store.with(|state| check(state, &domain, &req)) {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    let (look, _, hash) = client_view(&ctx, &checked.pool_id, &req.client_id, &username);
    let confirmed = confirm_sign_up::handle(
        &ctx,
        ConfirmSignUpRequest {
            client_id: req.client_id.clone(),
            secret_hash: hash,
            username: username.clone(),
            confirmation_code: code,
            ..Default::default()
        },
    );
    match confirmed {
        Ok(_) => {
            let username = username_of(&ctx, &checked.pool_id, &username);
            redirect_with_code(&ctx, &req, &checked.pool_id, &username, &checked.scope)
        }
        Err(e) => Html(page::confirm(
            &action(&domain, "confirm"),
            &req.fields(),
            &username,
            "",
            Some(&e.message),
            &look,
        ))
        .into_response(),
    }
}
