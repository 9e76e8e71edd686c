//! GetTokensFromRefreshToken and refresh token rotation: without rotation it answers like
//! REFRESH_TOKEN_AUTH; with rotation every refresh returns a new refresh token, the old one keeps
//! working for the grace period on the emulator clock and is refused with
//! RefreshTokenReuseException after it; REFRESH_TOKEN_AUTH is refused for such a client;
//! ClientSecret instead of SECRET_HASH; revocation covers the rotated family; the client's
//! settings are validated and described; faults written for the refresh flow catch it.

use std::time::Duration;

use cognito_emulator::faults::FaultSpec;
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

use crate::common::*;

fn rotating(grace: i64) -> Value {
    json!({"RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}})
}

fn signed_in(app: &App, client_extra: Value) -> (PoolIds, String) {
    let ids = pool(&app.handle, json!({}), client_extra);
    user(&app.handle, &ids.pool_id, "rita", "Passw0rd!");
    let tokens = password_auth(&app.handle, &ids, "rita", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    (ids, tokens.refresh_token.unwrap())
}

fn get_tokens(app: &App, ids: &PoolIds, token: &str) -> Result<Value, (ErrorKind, String)> {
    app.handle
        .call::<Value, Value>(
            "GetTokensFromRefreshToken",
            &json!({"ClientId": ids.client_id, "RefreshToken": token}),
        )
        .map(|v| v["AuthenticationResult"].clone())
        .map_err(|e| (e.kind, e.message))
}

#[test]
fn without_rotation_it_refreshes_like_refresh_token_auth() {
    let app = app();
    let (ids, refresh) = signed_in(&app, json!({}));
    let first = get_tokens(&app, &ids, &refresh).unwrap();
    assert!(
        first["RefreshToken"].is_null(),
        "no rotation, no new refresh token"
    );
    let claims = claims(first["AccessToken"].as_str().unwrap());
    assert_eq!(claims["username"], "rita");
    // The same token keeps working, as often as needed.
    get_tokens(&app, &ids, &refresh).unwrap();
    let described = ok(
        &app.handle,
        "DescribeUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id}),
    );
    assert!(described["UserPoolClient"]["RefreshTokenRotation"].is_null());
    let (kind, _) = get_tokens(&app, &ids, "not-a-token").unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
}

#[test]
fn rotation_issues_a_new_token_and_the_old_one_lives_for_the_grace_period() {
    let app = app();
    let (ids, first) = signed_in(&app, rotating(30));
    let described = ok(
        &app.handle,
        "DescribeUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id}),
    );
    assert_eq!(
        described["UserPoolClient"]["RefreshTokenRotation"],
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 30})
    );
    let answer = get_tokens(&app, &ids, &first).unwrap();
    let second = answer["RefreshToken"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    let origin = claims(answer["AccessToken"].as_str().unwrap())["origin_jti"].clone();

    // Inside the grace period the old token still works (a retry after a lost answer).
    app.handle.clock().advance(Duration::from_secs(29));
    let retried = get_tokens(&app, &ids, &first).unwrap();
    assert!(retried["RefreshToken"].is_string());
    assert_eq!(
        claims(retried["AccessToken"].as_str().unwrap())["origin_jti"],
        origin
    );

    // After it, the old one is refused and the new one works.
    app.handle.clock().advance(Duration::from_secs(1));
    let (kind, message) = get_tokens(&app, &ids, &first).unwrap_err();
    assert_eq!(kind, ErrorKind::RefreshTokenReuse, "{message}");
    let third = get_tokens(&app, &ids, &second).unwrap();
    assert_eq!(
        claims(third["AccessToken"].as_str().unwrap())["origin_jti"],
        origin
    );
}

#[test]
fn a_zero_grace_period_refuses_the_old_token_at_once() {
    let app = app();
    let (ids, first) = signed_in(&app, rotating(0));
    get_tokens(&app, &ids, &first).unwrap();
    assert_eq!(
        get_tokens(&app, &ids, &first).unwrap_err().0,
        ErrorKind::RefreshTokenReuse
    );
}

#[test]
fn refresh_token_auth_is_refused_for_a_rotating_client() {
    let app = app();
    let (ids, refresh) = signed_in(&app, rotating(10));
    let (kind, message) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
               "AuthParameters": {"REFRESH_TOKEN": refresh}}),
    );
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(message.contains("GetTokensFromRefreshToken"), "{message}");
}

#[test]
fn revocation_and_global_sign_out_cover_the_whole_rotated_family() {
    let app = app();
    let (ids, first) = signed_in(&app, rotating(60));
    let second = get_tokens(&app, &ids, &first).unwrap()["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // Revoking the first token (still in its grace period) ends the second too.
    ok(
        &app.handle,
        "RevokeToken",
        json!({"ClientId": ids.client_id, "Token": first}),
    );
    let (kind, message) = get_tokens(&app, &ids, &second).unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(message.contains("revoked"), "{message}");

    let a = password_auth(&app.handle, &ids, "rita", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let b = get_tokens(&app, &ids, a.refresh_token.as_deref().unwrap()).unwrap();
    ok(
        &app.handle,
        "GlobalSignOut",
        json!({"AccessToken": b["AccessToken"]}),
    );
    for token in [
        a.refresh_token.unwrap(),
        b["RefreshToken"].as_str().unwrap().to_owned(),
    ] {
        assert_eq!(
            get_tokens(&app, &ids, &token).unwrap_err().0,
            ErrorKind::NotAuthorized
        );
    }
}

#[test]
fn a_client_with_a_secret_sends_the_secret_itself() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({"GenerateSecret": true}));
    user(&app.handle, &ids.pool_id, "sam", "Passw0rd!");
    let secret = ok(
        &app.handle,
        "DescribeUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id}),
    )["UserPoolClient"]["ClientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let hash = cognito_protocol::wire::secret_hash(&secret, "sam", &ids.client_id);
    let tokens = app
        .handle
        .call::<Value, Value>(
            "InitiateAuth",
            &json!({"ClientId": ids.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": "sam", "PASSWORD": "Passw0rd!", "SECRET_HASH": hash}}),
        )
        .unwrap();
    let refresh = tokens["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap();
    let call = |secret: Option<&str>| {
        let mut body = json!({"ClientId": ids.client_id, "RefreshToken": refresh});
        if let Some(s) = secret {
            body["ClientSecret"] = json!(s);
        }
        app.handle
            .call::<Value, Value>("GetTokensFromRefreshToken", &body)
    };
    let missing = call(None).unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotAuthorized);
    assert!(
        missing.message.contains("secret was not received"),
        "{}",
        missing.message
    );
    assert_eq!(
        call(Some("wrongsecretoftherightlength")).unwrap_err().kind,
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        call(Some(&hash)).unwrap_err().kind,
        ErrorKind::InvalidParameter,
        "a SECRET_HASH is not the secret (its base64 `=` breaks ClientSecret's pattern)"
    );
    call(Some(&secret)).unwrap();
}

#[test]
fn disabled_and_deleted_users_and_expired_tokens_are_refused() {
    let app = app();
    let (ids, refresh) = signed_in(&app, rotating(5));
    ok(
        &app.handle,
        "AdminDisableUser",
        json!({"UserPoolId": ids.pool_id, "Username": "rita"}),
    );
    assert_eq!(
        get_tokens(&app, &ids, &refresh).unwrap_err().0,
        ErrorKind::NotAuthorized
    );
    ok(
        &app.handle,
        "AdminEnableUser",
        json!({"UserPoolId": ids.pool_id, "Username": "rita"}),
    );
    get_tokens(&app, &ids, &refresh).unwrap();
    ok(
        &app.handle,
        "AdminDeleteUser",
        json!({"UserPoolId": ids.pool_id, "Username": "rita"}),
    );
    assert!(get_tokens(&app, &ids, &refresh).is_err());

    let (ids, refresh) = signed_in(&app, json!({}));
    app.handle.clock().advance(Duration::from_secs(31 * 86_400));
    let (kind, message) = get_tokens(&app, &ids, &refresh).unwrap_err();
    assert_eq!(kind, ErrorKind::NotAuthorized);
    assert!(message.contains("expired"), "{message}");
}

#[test]
fn rotation_settings_are_validated() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    for bad in [
        json!({"Feature": "MAYBE"}),
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 61}),
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": -1}),
    ] {
        let (kind, _) = err(
            &app.handle,
            "CreateUserPoolClient",
            json!({"UserPoolId": ids.pool_id, "ClientName": "x", "RefreshTokenRotation": bad}),
        );
        assert_eq!(kind, ErrorKind::InvalidParameter);
    }
    let updated = ok(
        &app.handle,
        "UpdateUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id,
               "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}}),
    );
    assert_eq!(
        updated["UserPoolClient"]["RefreshTokenRotation"]["Feature"],
        "ENABLED"
    );
}

#[tokio::test]
async fn a_fault_rule_for_the_refresh_flow_catches_get_tokens_from_refresh_token() {
    let app = app();
    let (ids, refresh) = signed_in(&app, json!({}));
    let spec: FaultSpec = serde_json::from_value(json!({
        "match": {"flow": "REFRESH_TOKEN_AUTH"},
        "fault": {"kind": "internal_error"},
    }))
    .unwrap();
    app.handle.faults().add(spec).unwrap();
    let body = json!({"ClientId": ids.client_id, "RefreshToken": refresh});
    let hit = call(&app.router, "GetTokensFromRefreshToken", body.clone()).await;
    assert_eq!(hit.status, 500, "{}", hit.body);
    let signed = call(
        &app.router,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "rita", "PASSWORD": "Passw0rd!"}}),
    )
    .await;
    assert_eq!(signed.status, 200, "a sign-in is not a refresh");
    let entries = app.handle.journal().entries();
    let last = entries
        .iter()
        .rev()
        .find(|e| e.operation() == "GetTokensFromRefreshToken")
        .unwrap();
    assert_eq!(last.fault.as_deref(), Some("internal_error"));
    app.handle.faults().clear();
    let answered = call(&app.router, "GetTokensFromRefreshToken", body).await;
    assert_eq!(answered.status, 200, "{}", answered.body);
}

#[test]
fn pre_token_generation_sees_the_refresh_source() {
    use std::sync::{Arc, Mutex};
    let app = app();
    let (ids, refresh) = signed_in(&app, rotating(10));
    let sources = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = sources.clone();
    app.handle.triggers().set_fn(
        &ids.pool_id,
        cognito_emulator::triggers::TriggerKind::PreTokenGeneration,
        move |event| {
            seen.lock().unwrap().push(
                event["triggerSource"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
            Ok(json!({"claimsOverrideDetails": {"claimsToAddOrOverride": {"refreshed": "yes"}}}))
        },
    );
    let answer = get_tokens(&app, &ids, &refresh).unwrap();
    assert_eq!(
        sources.lock().unwrap().as_slice(),
        ["TokenGeneration_RefreshTokens"]
    );
    assert_eq!(
        claims(answer["IdToken"].as_str().unwrap())["refreshed"],
        "yes"
    );
}

#[tokio::test]
async fn the_hosted_uis_refresh_grant_rotates_too() {
    let app = app();
    let (ids, first) = signed_in(&app, rotating(0));
    ok(
        &app.handle,
        "CreateUserPoolDomain",
        json!({"UserPoolId": ids.pool_id, "Domain": "rotating"}),
    );
    let grant = |token: String| {
        let router = app.router.clone();
        let client_id = ids.client_id.clone();
        async move {
            let body =
                format!("grant_type=refresh_token&client_id={client_id}&refresh_token={token}");
            let request = axum::http::Request::post("/domains/rotating/oauth2/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(body))
                .unwrap();
            let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
            let status = response.status().as_u16();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (
                status,
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = grant(first.clone()).await;
    assert_eq!(status, 200, "{body}");
    let second = body["refresh_token"]
        .as_str()
        .expect("a rotated refresh token")
        .to_owned();
    assert_ne!(second, first);
    let (status, body) = grant(first).await;
    assert_eq!(status, 400, "the rotated-out token is refused: {body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(grant(second).await.0, 200);
}
