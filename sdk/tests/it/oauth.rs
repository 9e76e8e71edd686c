//! The hosted UI and OAuth endpoints end to end: `HostedUi` builds the authorize URL (state,
//! PKCE S256), a browser's requests are played over HTTP (the sign-in page, the form post, the
//! MFA step), and the redirect is completed into a stored session; refresh through the token
//! endpoint and through InitiateAuth; refused redirects, replayed codes, wrong verifiers and
//! states; userInfo, logout and client_credentials.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use crate::common::*;
use cognito_sdk::wire::ErrorKind;
use cognito_sdk::{Error, HostedUi};
use serde_json::{json, Value};

const CALLBACK: &str = "myapp://signed-in";

fn oauth_client(s: &Setup) -> String {
    s.admin("CreateUserPoolDomain", json!({"Domain": "myapp"}));
    s.admin(
        "UpdateUserPoolClient",
        json!({
            "ClientId": s.client_id,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "CallbackURLs": [CALLBACK],
            "LogoutURLs": ["myapp://signed-out"],
        }),
    );
    format!("{}/domains/myapp", s.emu.endpoint())
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The hidden inputs of the page's form, and its action.
fn form_of(html: &str) -> (String, BTreeMap<String, String>) {
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let mut fields = BTreeMap::new();
    for input in html.split("<input type=\"hidden\" ").skip(1) {
        let attr = |name: &str| {
            input
                .split(&format!("{name}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap()
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
        };
        fields.insert(attr("name"), attr("value"));
    }
    (action, fields)
}

/// What a browser does: open the authorize URL, fill in the form, and post it.
async fn browse(url: &str, username: &str, password: &str) -> reqwest::Response {
    let page = http().get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let (action, mut fields) = form_of(&page.text().await.unwrap());
    fields.insert("username".into(), username.into());
    fields.insert("password".into(), password.into());
    // The form posts to a path on the page's host, as a browser resolves it.
    let action = url::Url::parse(url).unwrap().join(&action).unwrap();
    http().post(action).form(&fields).send().await.unwrap()
}

fn location(resp: &reqwest::Response) -> String {
    assert_eq!(resp.status(), 302, "expected a redirect");
    resp.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn hosted_ui_code_flow_with_pkce_into_a_stored_session() {
    let s = setup().await;
    let domain = oauth_client(&s);
    s.confirmed_user("hana", "Passw0rd!");
    let pool = s.pool();
    let ui = HostedUi::new(&pool, &domain, CALLBACK).scopes(&["openid", "email"]);

    // A wrong password shows the page again with Cognito's message.
    let request = ui.authorize();
    let wrong = browse(&request.url, "hana", "nope").await;
    assert_eq!(wrong.status(), 200);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("Incorrect username or password."));

    let done = browse(&request.url, "hana", "Passw0rd!").await;
    let back = location(&done);
    assert!(back.starts_with("myapp://signed-in?code="), "{back}");
    let (user, session) = ui.complete(&request, &back).await.unwrap();
    assert_eq!(user.username(), "hana");
    assert_eq!(session.access_token().claims()["scope"], "openid email");
    assert_eq!(session.id_token().claims()["aud"], s.client_id);
    assert!(
        pool.current_user().await.unwrap().is_some(),
        "stored like any sign-in"
    );

    // A code works once.
    let replay = ui.complete(&request, &back).await.unwrap_err();
    assert_eq!(service_kind(&replay), ErrorKind::NotAuthorized);
    // Another request's state is refused before any exchange.
    let other = ui.authorize();
    assert!(matches!(
        ui.complete(&other, &back).await,
        Err(Error::InvalidArgument(_))
    ));
    // A code exchanged with another request's verifier is refused (PKCE).
    let second = browse(&other.url, "hana", "Passw0rd!").await;
    let forged = location(&second).replace(&other.state, &request.state);
    let e = ui.complete(&request, &forged).await.unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::NotAuthorized);

    // Refresh through the token endpoint, and through InitiateAuth, keeps the scopes.
    s.advance(3601);
    let renewed = ui.refresh(&user).await.unwrap();
    assert_eq!(renewed.access_token().claims()["scope"], "openid email");
    s.advance(3601);
    let again = user.get_session().await.unwrap();
    assert_eq!(again.access_token().claims()["scope"], "openid email");

    // userInfo answers for the access token.
    let info: Value = http()
        .get(format!("{domain}/oauth2/userInfo"))
        .bearer_auth(again.access_token().raw())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], "hana@example.com");
    assert_eq!(info["username"], "hana");

    // Logout goes back only to a registered URL.
    let out = http()
        .get(ui.logout_url("myapp://signed-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&out), "myapp://signed-out");
    let refused = http()
        .get(ui.logout_url("https://evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn refused_requests_never_redirect_anywhere_unregistered() {
    let s = setup().await;
    let domain = oauth_client(&s);
    let pool = s.pool();
    let evil = HostedUi::new(&pool, &domain, "https://evil.example/cb").authorize();
    let page = http().get(&evil.url).send().await.unwrap();
    assert_eq!(page.status(), 400);
    assert!(page.text().await.unwrap().contains("redirect_mismatch"));

    // A registered redirect gets the error back, with the state.
    let bad_scope = HostedUi::new(&pool, &domain, CALLBACK)
        .scopes(&["openid", "phone"])
        .authorize();
    let back = location(&http().get(&bad_scope.url).send().await.unwrap());
    assert!(
        back.starts_with("myapp://signed-in?error=invalid_scope"),
        "{back}"
    );
    assert!(back.contains(&format!("state={}", bad_scope.state)));
    let e = HostedUi::new(&pool, &domain, CALLBACK)
        .complete(&bad_scope, &back)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("invalid_scope"), "{e}");
}

#[tokio::test]
async fn the_mfa_step_takes_the_code_from_the_outbox() {
    let s = setup().await;
    let domain = oauth_client(&s);
    s.admin(
        "UpdateUserPool",
        json!({"MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"]}),
    );
    s.confirmed_user("mo", "Passw0rd!");
    s.admin("AdminUpdateUserAttributes", json!({"Username": "mo", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550111"}, {"Name": "phone_number_verified", "Value": "true"}]}));
    s.admin(
        "AdminSetUserMFAPreference",
        json!({"Username": "mo", "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    let pool = s.pool();
    let ui = HostedUi::new(&pool, &domain, CALLBACK);
    let request = ui.authorize();
    let step = browse(&request.url, "mo", "Passw0rd!").await;
    assert_eq!(step.status(), 200);
    let html = step.text().await.unwrap();
    let action = html
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let action = url::Url::parse(&request.url)
        .unwrap()
        .join(&action)
        .unwrap();
    let login = html
        .split("name=\"login\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let wrong = http()
        .post(action.clone())
        .form(&[("login", login.as_str()), ("code", "000000")])
        .send()
        .await
        .unwrap();
    assert!(wrong.text().await.unwrap().contains("Invalid code"));
    let code = s.emu.outbox().last_code(&s.pool_id, "mo").unwrap();
    let done = http()
        .post(action.clone())
        .form(&[("login", login.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    let (user, _) = ui.complete(&request, &location(&done)).await.unwrap();
    assert_eq!(user.username(), "mo");
}

#[tokio::test]
async fn client_credentials_grant_resource_server_scopes() {
    let s = setup().await;
    oauth_client(&s);
    s.admin(
        "CreateResourceServer",
        json!({"Identifier": "https://api.example.com", "Name": "api", "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]}),
    );
    let created: Value = s
        .emu
        .call(
            "CreateUserPoolClient",
            &json!({"UserPoolId": s.pool_id, "ClientName": "svc", "GenerateSecret": true,
                    "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"],
                    "AllowedOAuthScopes": ["https://api.example.com/read"]}),
        )
        .unwrap();
    let c = &created["UserPoolClient"];
    let (id, secret) = (
        c["ClientId"].as_str().unwrap(),
        c["ClientSecret"].as_str().unwrap(),
    );
    let url = format!("{}/domains/myapp/oauth2/token", s.emu.endpoint());
    let ok: Value = http()
        .post(&url)
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = cognito_sdk::Jwt::parse(ok["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(token.claims()["scope"], "https://api.example.com/read");
    assert_eq!(token.claims()["client_id"], id);
    let wrong = http()
        .post(&url)
        .basic_auth(id, Some("not-the-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let unknown_scope = http()
        .post(&url)
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "https://api.example.com/write"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_scope.status(), 400);
}

#[tokio::test]
async fn an_external_provider_signs_in_and_links_a_federated_user() {
    let s = setup().await;
    let domain = oauth_client(&s);
    s.admin(
        "CreateIdentityProvider",
        json!({"ProviderName": "Facebook", "ProviderType": "Facebook",
               "ProviderDetails": {"client_id": "fbapp", "client_secret": "fbsecret", "authorize_scopes": "email",
                                   "emulator_subject": "10001", "emulator_email": "fb@example.com"},
               "AttributeMapping": {"email": "email"}}),
    );
    let pool = s.pool();
    let ui = HostedUi::new(&pool, &domain, CALLBACK).identity_provider("Facebook");
    // Not yet a provider of this client.
    let refused = http().get(&ui.authorize().url).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    s.admin(
        "UpdateUserPoolClient",
        json!({"ClientId": s.client_id, "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
               "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
               "AllowedOAuthScopes": ["openid", "email"], "CallbackURLs": [CALLBACK],
               "SupportedIdentityProviders": ["COGNITO", "Facebook"]}),
    );
    let request = ui.authorize();
    let back = location(&http().get(&request.url).send().await.unwrap());
    let (user, session) = ui.complete(&request, &back).await.unwrap();
    assert_eq!(user.username(), "Facebook_10001");
    let identities = &session.id_token().claims()["identities"];
    assert_eq!(identities[0]["providerName"], "Facebook");
    assert_eq!(identities[0]["userId"], "10001");
    assert_eq!(session.id_token().claims()["email"], "fb@example.com");
    let listed = s.admin(
        "ListUsers",
        json!({"Filter": "username = \"Facebook_10001\""}),
    );
    assert_eq!(listed["Users"][0]["UserStatus"], "EXTERNAL_PROVIDER");
    // The same external user again is the same pool user.
    let again = ui.authorize();
    let back = location(&http().get(&again.url).send().await.unwrap());
    let (_, second) = ui.complete(&again, &back).await.unwrap();
    assert_eq!(second.id_token().sub(), session.id_token().sub());
}

#[tokio::test]
async fn plain_pkce_and_revocation_at_the_token_endpoint() {
    let s = setup().await;
    let domain = oauth_client(&s);
    s.confirmed_user("pia", "Passw0rd!");
    // A client that builds its own request with the plain method.
    let url = format!(
        "{domain}/oauth2/authorize?response_type=code&client_id={}&redirect_uri=myapp%3A%2F%2Fsigned-in&scope=openid&code_challenge=just-a-verifier-0123456789-0123456789-0123&code_challenge_method=plain",
        s.client_id
    );
    let back = location(&browse(&url, "pia", "Passw0rd!").await);
    let code = back
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let exchange = |verifier: &'static str, code: String| {
        let token_url = format!("{domain}/oauth2/token");
        let client_id = s.client_id.clone();
        async move {
            http()
                .post(token_url)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("client_id", client_id.as_str()),
                    ("code", code.as_str()),
                    ("redirect_uri", CALLBACK),
                    ("code_verifier", verifier),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let tokens: Value = exchange("just-a-verifier-0123456789-0123456789-0123", code)
        .await
        .json()
        .await
        .unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    // Revoked at /oauth2/revoke, the refresh token no longer works there.
    let revoked = http()
        .post(format!("{domain}/oauth2/revoke"))
        .form(&[
            ("token", refresh.as_str()),
            ("client_id", s.client_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let refused = http()
        .post(format!("{domain}/oauth2/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", s.client_id.as_str()),
            ("refresh_token", refresh.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}
