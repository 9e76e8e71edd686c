//! The OAuth 2.0 endpoints and hosted UI of a user pool domain, served at
//! `{endpoint}/domains/{domain}`: `/oauth2/authorize` (and `/login`) with a sign-in page and an
//! MFA step, passkey sign-in and a sign-up page, `/oauth2/token` (authorization_code with PKCE S256 or plain, refresh_token,
//! client_credentials with resource-server scopes), `/oauth2/userInfo`, `/oauth2/revoke` and
//! `/logout`. Redirects go only to the app client's registered callback and logout URLs.

mod authorize;
mod endpoints;
mod look;
mod page;
mod passkey;
mod sign_up;
mod token;

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::ctx::Ctx;
pub use crate::state::oauth::{AuthCode, AuthorizeRequest, PendingLogin};
use crate::state::records::{AppClient, State};

/// The routes, to be merged into the emulator's router.
pub fn routes() -> Router<Ctx> {
    Router::new()
        .route("/domains/{domain}/oauth2/authorize", get(authorize::show))
        .route(
            "/domains/{domain}/login",
            get(authorize::show).post(authorize::sign_in),
        )
        .route("/domains/{domain}/mfa", post(authorize::second_factor))
        .route(
            "/domains/{domain}/signup",
            get(sign_up::show).post(sign_up::submit),
        )
        .route("/domains/{domain}/confirm", post(sign_up::confirm))
        .route("/domains/{domain}/passkey", post(passkey::start))
        .route("/domains/{domain}/passkey/answer", post(passkey::finish))
        .route("/domains/{domain}/oauth2/token", post(token::handle))
        .route(
            "/domains/{domain}/oauth2/userInfo",
            get(endpoints::user_info),
        )
        .route("/domains/{domain}/oauth2/revoke", post(endpoints::revoke))
        .route("/domains/{domain}/logout", get(endpoints::logout))
}

/// The sign-in page for a checked request: the password form, the passkey form where the pool
/// offers passkeys, and the sign-up link where users may sign themselves up, in the client's
/// look (its managed login branding).
fn sign_in_page(
    ctx: &Ctx,
    domain: &str,
    req: &AuthorizeRequest,
    pool_id: &str,
    error: Option<&str>,
    username: &str,
) -> Response {
    let (look, self_sign_up) = ctx.store.with(|state| {
        state
            .pool(pool_id)
            .map(|p| (page::Look::of(p, &req.client_id), sign_up::allowed(p)))
            .unwrap_or_default()
    });
    let passkey = passkey::offered(ctx, pool_id).then(|| action(domain, "passkey"));
    let fields = req.fields();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let sign_up = self_sign_up.then(|| with_query(&action(domain, "signup"), &pairs));
    Html(page::sign_in(
        &action(domain, "login"),
        &fields,
        error,
        username,
        passkey.as_deref(),
        sign_up.as_deref(),
        &look,
    ))
    .into_response()
}

/// A form's action on the domain: a path on whatever host the browser used, so that a page
/// opened on `http://localhost` (a passkey relying party) stays there.
fn action(domain: &str, path: &str) -> String {
    format!("/domains/{domain}/{path}")
}

impl AuthorizeRequest {
    /// The OAuth request a sign-in form carried along in its hidden fields.
    fn from_form(form: &HashMap<String, String>) -> Self {
        let field = |k: &str| form.get(k).cloned();
        Self {
            client_id: field("client_id").unwrap_or_default(),
            redirect_uri: field("redirect_uri").unwrap_or_default(),
            response_type: field("response_type").unwrap_or_default(),
            state: field("state"),
            scope: field("scope"),
            code_challenge: field("code_challenge"),
            code_challenge_method: field("code_challenge_method"),
            nonce: field("nonce"),
            identity_provider: None,
        }
    }

    /// The fields the sign-in form carries along.
    fn fields(&self) -> BTreeMap<String, String> {
        let mut f = BTreeMap::from([
            ("client_id".to_owned(), self.client_id.clone()),
            ("redirect_uri".to_owned(), self.redirect_uri.clone()),
            ("response_type".to_owned(), self.response_type.clone()),
        ]);
        for (k, v) in [
            ("state", &self.state),
            ("scope", &self.scope),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
            ("nonce", &self.nonce),
        ] {
            if let Some(v) = v {
                f.insert(k.to_owned(), v.clone());
            }
        }
        f
    }
}

/// A request that was understood: the pool, and the scopes granted.
#[derive(Debug, Clone)]
struct Checked {
    pool_id: String,
    scope: String,
}

/// Where a refused request goes: an error page (nothing to redirect to safely) or back to
/// the client with `error`.
enum Refusal {
    Page(String),
    Redirect(String),
}

impl Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Page(m) => (StatusCode::BAD_REQUEST, Html(page::error(&m))).into_response(),
            Refusal::Redirect(url) => found(&url),
        }
    }
}

/// `302 Found` to `url`, as the hosted UI redirects.
fn found(url: &str) -> Response {
    (
        StatusCode::FOUND,
        [(axum::http::header::LOCATION, url.to_owned())],
    )
        .into_response()
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = base.to_owned();
    for (i, (k, v)) in pairs.iter().enumerate() {
        url.push(if i == 0 && !base.contains('?') {
            '?'
        } else {
            '&'
        });
        url.push_str(k);
        url.push('=');
        url.push_str(&urlencode(v));
    }
    url
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Checks an authorize request against the domain's pool and the client's OAuth settings.
fn check(state: &State, domain: &str, req: &AuthorizeRequest) -> Result<Checked, Refusal> {
    let pool_id = state
        .domains
        .get(domain)
        .cloned()
        .ok_or_else(|| Refusal::Page(format!("No user pool has the domain {domain}.")))?;
    let client = state
        .client_in(&pool_id, &req.client_id)
        .map(|(_, c)| c.clone())
        .map_err(|_| Refusal::Page("Invalid client_id.".into()))?;
    let settings = &client.settings;
    let registered = settings
        .callback_urls
        .as_deref()
        .unwrap_or_default()
        .contains(&req.redirect_uri);
    if !registered {
        return Err(Refusal::Page(
            "redirect_mismatch: the redirect_uri is not a callback URL of this app client.".into(),
        ));
    }
    let back = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(s) = &req.state {
            pairs.push(("state", s.as_str()));
        }
        Refusal::Redirect(with_query(&req.redirect_uri, &pairs))
    };
    if settings.allowed_oauth_flows_user_pool_client != Some(true) {
        return Err(back(
            "unauthorized_client",
            "OAuth flows are not enabled for this client.",
        ));
    }
    let flows = settings.allowed_oauth_flows.as_deref().unwrap_or_default();
    if req.response_type != "code" || !flows.iter().any(|f| f == "code") {
        return Err(back(
            "unsupported_response_type",
            "Only response_type=code is allowed for this client.",
        ));
    }
    let allowed = settings.allowed_oauth_scopes.as_deref().unwrap_or_default();
    let scope = match &req.scope {
        Some(s) => {
            let asked: Vec<&str> = s.split_whitespace().collect();
            if let Some(bad) = asked.iter().find(|a| !allowed.iter().any(|x| x == *a)) {
                return Err(back(
                    "invalid_scope",
                    &format!("{bad} is not allowed for this client."),
                ));
            }
            asked.join(" ")
        }
        None => allowed.join(" "),
    };
    match (
        req.code_challenge.as_deref(),
        req.code_challenge_method.as_deref(),
    ) {
        (None, Some(_)) => {
            return Err(back(
                "invalid_request",
                "code_challenge_method without code_challenge.",
            ))
        }
        (Some(_), Some(m)) if m != "S256" && m != "plain" => {
            return Err(back(
                "invalid_request",
                "code_challenge_method must be S256 or plain.",
            ))
        }
        _ => {}
    }
    Ok(Checked { pool_id, scope })
}

/// HTTP Basic or form client authentication for the token and revoke endpoints; the client
/// id and, for clients with a secret, whether it was proven.
fn client_auth(
    state: &State,
    pool_id: &str,
    headers: &axum::http::HeaderMap,
    form: &HashMap<String, String>,
) -> Result<AppClient, (StatusCode, &'static str)> {
    use base64::Engine as _;
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())));
    let (id, secret) = match basic {
        Some((id, secret)) => (id, Some(secret)),
        None => (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned(),
        ),
    };
    let client = state
        .client_in(pool_id, &id)
        .map(|(_, c)| c.clone())
        .map_err(|_| (StatusCode::UNAUTHORIZED, "invalid_client"))?;
    if client.secret.is_some() && !client.secret_matches(&secret.unwrap_or_default()) {
        return Err((StatusCode::UNAUTHORIZED, "invalid_client"));
    }
    Ok(client)
}

/// `{"error": …}` with a status, as the token endpoint answers.
fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, axum::Json(serde_json::json!({"error": error}))).into_response()
}

fn pool_of(ctx: &Ctx, domain: &str) -> Option<String> {
    ctx.store.with(|state| state.domains.get(domain).cloned())
}
