//! The SDK against the in-process emulator: use cases 1–4 and 18 (sign up, confirm, resend,
//! sign in with every outcome, new password required), session restore, expiry and refresh by
//! advancing both clocks, single-flight refresh, faults that must not lose tokens, sign-out.
//! The signed-in user's account, MFA and the challenge flows are in `account`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::Arc;

use cognito_sdk::clock::ManualClock;
use cognito_sdk::retry::RetryPolicy;
use cognito_sdk::storage::{FileStorage, Keys, MemoryStorage};
use cognito_sdk::wire::ErrorKind;
use cognito_sdk::{AuthFlow, AuthOutcome, AuthenticationDetails, CognitoUserPool, Error, SignUp};
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn sign_up_confirm_resend_and_sign_in() {
    let s = setup().await;
    let pool = s.pool();
    let out = pool
        .sign_up(
            SignUp::new("alice", "Passw0rd!")
                .attribute("email", "alice@example.com")
                .validation_data("invite", "x")
                .client_metadata("k", "v"),
        )
        .await
        .unwrap();
    assert!(!out.user_confirmed);
    assert_eq!(
        out.code_delivery.as_ref().unwrap().destination.as_deref(),
        Some("a***@e***")
    );
    let user = out.user;
    let e = user
        .authenticate(AuthenticationDetails::new("alice", "Passw0rd!"))
        .await
        .unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::UserNotConfirmed);
    let first = s.emu.outbox().last_code(&s.pool_id, "alice").unwrap();
    let delivery = user.resend_confirmation_code().await.unwrap().unwrap();
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
    let second = s.emu.outbox().last_code(&s.pool_id, "alice").unwrap();
    if first != second {
        assert_eq!(
            service_kind(&user.confirm_registration(&first, false).await.unwrap_err()),
            ErrorKind::CodeMismatch
        );
    }
    user.confirm_registration(&second, false).await.unwrap();
    let session = signed_in(
        user.authenticate(AuthenticationDetails::new("alice", "Passw0rd!"))
            .await
            .unwrap(),
    );
    assert_eq!(session.id_token().username(), Some("alice"));
    assert_eq!(
        session.id_token().claim("email_verified"),
        Some(&json!(true))
    );
    assert_eq!(session.clock_drift(), 0);
    assert!(session.is_valid_at(s.clock.now_secs_for_test(), 30));
    assert_eq!(
        s.emu
            .journal()
            .count("RespondToAuthChallenge", Some("PASSWORD_VERIFIER")),
        2,
        "the unconfirmed attempt and this one"
    );

    let keys = Keys::new(&s.client_id);
    let stored = s.storage.snapshot();
    assert_eq!(stored[&keys.last_auth_user()], "alice");
    assert_eq!(stored[&keys.id_token("alice")], session.id_token().raw());
    assert_eq!(
        stored[&keys.refresh_token("alice")],
        session.refresh_token().unwrap()
    );
    assert_eq!(stored[&keys.clock_drift("alice")], "0");
}

trait NowForTest {
    fn now_secs_for_test(&self) -> i64;
}
impl NowForTest for ManualClock {
    fn now_secs_for_test(&self) -> i64 {
        cognito_sdk::clock::Clock::now_secs(self)
    }
}

#[tokio::test]
async fn every_sign_in_outcome_is_distinct() {
    let s = setup().await;
    let pool = s.pool();
    s.confirmed_user("bob", "Passw0rd!");
    let wrong = pool
        .user("bob")
        .authenticate(AuthenticationDetails::new("bob", "nope-Passw0rd!"))
        .await
        .unwrap_err();
    assert_eq!(service_kind(&wrong), ErrorKind::NotAuthorized);
    assert!(wrong.request_id().is_some());
    assert!(!wrong.is_retryable());
    let unknown = pool
        .user("nobody")
        .authenticate(AuthenticationDetails::new("nobody", "Passw0rd!"))
        .await
        .unwrap_err();
    assert_eq!(service_kind(&unknown), ErrorKind::UserNotFound);
    let by_password = pool
        .user("bob")
        .authenticate(AuthenticationDetails::new("bob", "Passw0rd!").flow(AuthFlow::UserPassword))
        .await
        .unwrap();
    signed_in(by_password);
    assert_eq!(
        s.emu
            .journal()
            .count("InitiateAuth", Some("USER_PASSWORD_AUTH")),
        1
    );
}

#[tokio::test]
async fn new_password_required_with_required_attributes() {
    let s = setup_with(
        false,
        json!({"Schema": [{"Name": "name", "Required": true}]}),
    )
    .await;
    s.admin("AdminCreateUser", json!({"Username": "carol", "TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": "c@example.com"}, {"Name": "email_verified", "Value": "true"}]}));
    let user = s.pool().user("carol");
    let challenge = match user
        .authenticate(AuthenticationDetails::new("carol", "Temp0rary!"))
        .await
        .unwrap()
    {
        AuthOutcome::NewPasswordRequired(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(challenge.required_attributes, vec!["name".to_owned()]);
    assert_eq!(
        challenge.user_attributes.get("email").map(String::as_str),
        Some("c@example.com")
    );
    assert!(!challenge.user_attributes.contains_key("email_verified"));
    let missing = user
        .complete_new_password(&challenge, "N3w-Password!", &BTreeMap::new())
        .await
        .unwrap_err();
    assert_eq!(service_kind(&missing), ErrorKind::InvalidParameter);
    let session = signed_in(
        user.complete_new_password(
            &challenge,
            "N3w-Password!",
            &BTreeMap::from([("name".to_owned(), "Carol".to_owned())]),
        )
        .await
        .unwrap(),
    );
    assert_eq!(session.id_token().claim("name"), Some(&json!("Carol")));
    signed_in(
        s.pool()
            .user("carol")
            .authenticate(AuthenticationDetails::new("carol", "N3w-Password!"))
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn session_is_restored_from_storage_and_refreshed_after_expiry() {
    let s = setup().await;
    s.confirmed_user("dave", "Passw0rd!");
    let first = signed_in(
        s.pool()
            .user("dave")
            .authenticate(AuthenticationDetails::new("dave", "Passw0rd!"))
            .await
            .unwrap(),
    );

    // A new pool object (an app restart) finds the user and the cached session.
    let pool = s.pool();
    let user = pool.current_user().await.unwrap().expect("restored");
    assert_eq!(user.username(), "dave");
    let cached = user.get_session().await.unwrap();
    assert_eq!(cached.access_token().raw(), first.access_token().raw());
    assert_eq!(s.refreshes(), 0);

    s.advance(3600);
    let refreshed = user.get_session().await.unwrap();
    assert_eq!(s.refreshes(), 1);
    assert_ne!(refreshed.access_token().raw(), first.access_token().raw());
    assert_eq!(
        refreshed.refresh_token(),
        first.refresh_token(),
        "kept when not rotated"
    );
    assert_eq!(
        refreshed.access_token().origin_jti(),
        first.access_token().origin_jti()
    );
    assert_eq!(
        refreshed.access_token().auth_time(),
        first.access_token().auth_time()
    );
    // And it is cached again.
    user.get_session().await.unwrap();
    assert_eq!(s.refreshes(), 1);
    let attrs = user.get_user_attributes().await.unwrap();
    assert!(attrs
        .iter()
        .any(|a| a.name == "email" && a.value.as_deref() == Some("dave@example.com")));
    // A forced refresh goes to the server even with valid tokens.
    user.refresh_session().await.unwrap();
    assert_eq!(s.refreshes(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_get_sessions_make_one_refresh() {
    let s = setup().await;
    s.confirmed_user("erin", "Passw0rd!");
    let pool = s.pool();
    signed_in(
        pool.user("erin")
            .authenticate(AuthenticationDetails::new("erin", "Passw0rd!"))
            .await
            .unwrap(),
    );
    s.advance(3600);
    let user = pool.current_user().await.unwrap().unwrap();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let u = user.clone();
            tokio::spawn(async move { u.get_session().await })
        })
        .collect();
    let mut tokens = std::collections::HashSet::new();
    for t in tasks {
        tokens.insert(t.await.unwrap().unwrap().access_token().raw().to_owned());
    }
    assert_eq!(
        s.refreshes(),
        1,
        "exactly one REFRESH_TOKEN_AUTH reached the emulator"
    );
    assert_eq!(
        tokens.len(),
        1,
        "every caller got the same refreshed session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_failure_too() {
    let s = setup().await;
    s.confirmed_user("fred", "Passw0rd!");
    let pool = s.pool();
    signed_in(
        pool.user("fred")
            .authenticate(AuthenticationDetails::new("fred", "Passw0rd!"))
            .await
            .unwrap(),
    );
    s.admin("AdminUserGlobalSignOut", json!({"Username": "fred"}));
    s.advance(3600);
    let user = pool.current_user().await.unwrap().unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let u = user.clone();
            tokio::spawn(async move { u.get_session().await })
        })
        .collect();
    for t in tasks {
        let e = t.await.unwrap().unwrap_err();
        assert!(
            matches!(e, Error::Service { .. } | Error::NotSignedIn(_)),
            "{e:?}"
        );
    }
    assert_eq!(s.refreshes(), 1);
}

#[tokio::test]
async fn a_network_failure_during_refresh_keeps_the_tokens() {
    let s = setup().await;
    s.confirmed_user("gina", "Passw0rd!");
    let pool = s.pool();
    signed_in(
        pool.user("gina")
            .authenticate(AuthenticationDetails::new("gina", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let before = s.storage.snapshot();
    s.advance(25 * 3600); // the app opens after 25 hours offline
    let user = pool.current_user().await.unwrap().unwrap();
    // Take the network away: stop the emulator, so its port refuses connections.
    let Setup { emu, storage, .. } = s;
    emu.stop().await;
    let e = user.get_session().await.unwrap_err();
    assert!(matches!(e, Error::Network { .. }), "{e:?}");
    assert!(e.is_retryable());
    assert!(!e.invalidates_session());
    assert!(std::error::Error::source(&e).is_some(), "the cause is kept");
    assert_eq!(storage.snapshot(), before, "tokens are still stored");
    assert!(pool.current_user().await.unwrap().is_some());
}

#[tokio::test]
async fn a_revoked_refresh_token_signs_the_user_out() {
    let s = setup().await;
    s.confirmed_user("hank", "Passw0rd!");
    let pool = s.pool();
    signed_in(
        pool.user("hank")
            .authenticate(AuthenticationDetails::new("hank", "Passw0rd!"))
            .await
            .unwrap(),
    );
    s.admin("AdminUserGlobalSignOut", json!({"Username": "hank"}));
    s.advance(3600);
    let user = pool.current_user().await.unwrap().unwrap();
    let e = user.get_session().await.unwrap_err();
    assert!(e.is_not_authorized(), "{e:?}");
    assert!(e.to_string().contains("Refresh Token has been revoked"));
    assert!(
        s.storage.snapshot().is_empty(),
        "tokens and LastAuthUser cleared: {:?}",
        s.storage.snapshot()
    );
    assert!(pool.current_user().await.unwrap().is_none());
    assert!(matches!(
        user.get_session().await.unwrap_err(),
        Error::NotSignedIn(_)
    ));
}

#[tokio::test]
async fn sign_out_locally_and_with_revocation() {
    let s = setup().await;
    s.confirmed_user("ivy", "Passw0rd!");
    let pool = s.pool();
    let session = signed_in(
        pool.user("ivy")
            .authenticate(AuthenticationDetails::new("ivy", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let user = pool.current_user().await.unwrap().unwrap();
    user.sign_out(true).await.unwrap();
    assert_eq!(s.emu.journal().count("RevokeToken", None), 1);
    assert!(s.storage.snapshot().is_empty());
    let e = s.emu.call::<Value, Value>("InitiateAuth", &json!({"ClientId": s.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": session.refresh_token()}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotAuthorized);

    signed_in(
        pool.user("ivy")
            .authenticate(AuthenticationDetails::new("ivy", "Passw0rd!"))
            .await
            .unwrap(),
    );
    pool.current_user()
        .await
        .unwrap()
        .unwrap()
        .sign_out(false)
        .await
        .unwrap();
    assert_eq!(s.emu.journal().count("RevokeToken", None), 1);
    assert!(pool.current_user().await.unwrap().is_none());
}

#[tokio::test]
async fn a_client_secret_is_hashed_into_every_call() {
    let s = setup_with(true, json!({})).await;
    assert!(s.secret.is_some());
    let pool = s.pool();
    let out = pool
        .sign_up(SignUp::new("jack", "Passw0rd!").attribute("email", "jack@example.com"))
        .await
        .unwrap();
    let code = s.emu.outbox().last_code(&s.pool_id, "jack").unwrap();
    out.user.resend_confirmation_code().await.unwrap();
    let code = s.emu.outbox().last_code(&s.pool_id, "jack").unwrap_or(code);
    out.user.confirm_registration(&code, false).await.unwrap();
    signed_in(
        out.user
            .authenticate(AuthenticationDetails::new("jack", "Passw0rd!"))
            .await
            .unwrap(),
    );
    signed_in(
        pool.user("jack")
            .authenticate(
                AuthenticationDetails::new("jack", "Passw0rd!").flow(AuthFlow::UserPassword),
            )
            .await
            .unwrap(),
    );
    s.advance(3600);
    pool.current_user()
        .await
        .unwrap()
        .unwrap()
        .get_session()
        .await
        .unwrap();
    assert_eq!(s.refreshes(), 1);
    pool.current_user()
        .await
        .unwrap()
        .unwrap()
        .sign_out(true)
        .await
        .unwrap();

    // Without the secret, the same client refuses.
    let bare = CognitoUserPool::builder(&s.pool_id, &s.client_id)
        .endpoint(&s.emu.endpoint())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = bare
        .user("jack")
        .authenticate(AuthenticationDetails::new("jack", "Passw0rd!"))
        .await
        .unwrap_err();
    assert!(e.is_not_authorized());
}

#[tokio::test]
async fn sign_in_by_email_rekeys_the_user_to_the_canonical_name() {
    let s = setup_with(false, json!({"UsernameAttributes": ["email"]})).await;
    let pool = s.pool();
    let out = pool
        .sign_up(SignUp::new("kim@example.com", "Passw0rd!"))
        .await
        .unwrap();
    let code = s
        .emu
        .outbox()
        .last_code(&s.pool_id, "kim@example.com")
        .unwrap();
    out.user.confirm_registration(&code, false).await.unwrap();
    let user = pool.user("kim@example.com");
    signed_in(
        user.authenticate(AuthenticationDetails::new("kim@example.com", "Passw0rd!"))
            .await
            .unwrap(),
    );
    assert_eq!(user.username(), out.user_sub);
    assert_eq!(
        pool.current_user().await.unwrap().unwrap().username(),
        out.user_sub
    );
}

#[tokio::test]
async fn file_storage_survives_a_restart_and_is_owner_only() {
    let s = setup().await;
    s.confirmed_user("lena", "Passw0rd!");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let pool = s.pool_with(Arc::new(FileStorage::new(&path)));
    let first = signed_in(
        pool.user("lena")
            .authenticate(AuthenticationDetails::new("lena", "Passw0rd!"))
            .await
            .unwrap(),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let file: BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        file[&Keys::new(&s.client_id).access_token("lena")],
        first.access_token().raw()
    );
    // The store and its lock file (`sessions.json.lock`), and no temporary file.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".lock"))
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");

    let restarted = s.pool_with(Arc::new(FileStorage::new(&path)));
    let user = restarted.current_user().await.unwrap().unwrap();
    assert_eq!(
        user.get_session().await.unwrap().access_token().raw(),
        first.access_token().raw()
    );

    std::fs::write(&path, b"{not json").unwrap();
    let broken = s.pool_with(Arc::new(FileStorage::new(&path)));
    let e = broken.current_user().await.unwrap_err();
    assert!(matches!(e, Error::Storage { .. }), "{e:?}");
    assert!(std::error::Error::source(&e)
        .unwrap()
        .to_string()
        .contains("session.json"));
}

#[tokio::test]
async fn tokens_verify_against_the_pools_jwks() {
    use cognito_sdk::jwks::TokenUse;
    let s = setup().await;
    s.confirmed_user("mia", "Passw0rd!");
    let pool = s.pool();
    let session = signed_in(
        pool.user("mia")
            .authenticate(AuthenticationDetails::new("mia", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let verifier = pool.jwks_verifier();
    assert_eq!(verifier.issuer(), s.emu.issuer(&s.pool_id));
    verifier
        .verify(session.id_token(), TokenUse::Id)
        .await
        .unwrap();
    verifier
        .verify(session.access_token(), TokenUse::Access)
        .await
        .unwrap();
    assert!(matches!(
        verifier.verify(session.id_token(), TokenUse::Access).await,
        Err(Error::InvalidToken(_))
    ));

    let raw = session.access_token().raw();
    let (head, sig) = raw.rsplit_once('.').unwrap();
    let flipped = format!(
        "{head}.{}{}",
        if sig.starts_with('A') { 'B' } else { 'A' },
        &sig[1..]
    );
    let forged = cognito_sdk::Jwt::parse(&flipped).unwrap();
    assert!(matches!(
        verifier.verify(&forged, TokenUse::Access).await,
        Err(Error::InvalidToken(_))
    ));

    let other_client = CognitoUserPool::builder(&s.pool_id, "someotherclient00000000001")
        .endpoint(&s.emu.endpoint())
        .clock(s.clock.clone())
        .build()
        .unwrap();
    assert!(other_client
        .jwks_verifier()
        .verify(session.id_token(), TokenUse::Id)
        .await
        .is_err());
    let wrong_issuer = CognitoUserPool::builder(&s.pool_id, &s.client_id)
        .endpoint(&s.emu.endpoint())
        .issuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other0000")
        .build()
        .unwrap();
    assert!(wrong_issuer
        .jwks_verifier()
        .verify(session.id_token(), TokenUse::Id)
        .await
        .is_err());

    s.advance(3601);
    let e = verifier
        .verify(session.id_token(), TokenUse::Id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("expired"), "{e}");
}

#[tokio::test]
async fn global_sign_out_ends_every_session_of_the_user() {
    let s = setup().await;
    s.confirmed_user("noa", "Passw0rd!");
    let phone = s.pool();
    let laptop = s.pool_with(Arc::new(MemoryStorage::default()));
    signed_in(
        phone
            .user("noa")
            .authenticate(AuthenticationDetails::new("noa", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let laptop_session = signed_in(
        laptop
            .user("noa")
            .authenticate(AuthenticationDetails::new("noa", "Passw0rd!"))
            .await
            .unwrap(),
    );
    phone
        .current_user()
        .await
        .unwrap()
        .unwrap()
        .global_sign_out()
        .await
        .unwrap();
    assert!(phone.current_user().await.unwrap().is_none());
    // The laptop's tokens are revoked server-side: its next refresh is refused and clears it.
    let e = s
        .emu
        .call::<Value, Value>(
            "GetUser",
            &json!({"AccessToken": laptop_session.access_token().raw()}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotAuthorized);
    s.advance(3600);
    let err = laptop
        .current_user()
        .await
        .unwrap()
        .unwrap()
        .get_session()
        .await
        .unwrap_err();
    assert!(err.is_not_authorized());
    assert!(laptop.current_user().await.unwrap().is_none());
}
