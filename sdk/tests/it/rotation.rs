//! Refresh the way Amplify v6 does it: GetTokensFromRefreshToken by default, refresh token
//! rotation stored in one write, REFRESH_TOKEN_AUTH by option, and two pools (two processes)
//! sharing one FileStorage that race to refresh, inside and outside the grace period, without
//! signing each other out.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cognito_sdk::storage::{FileStorage, Keys, Storage};
use cognito_sdk::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use cognito_sdk::wire::ErrorKind;
use cognito_sdk::{AuthenticationDetails, RefreshMethod};
use futures::future::BoxFuture;
use serde_json::json;
use tokio::sync::Notify;

use crate::common::*;

fn rotate(s: &Setup, grace: i64) {
    s.admin(
        "UpdateUserPoolClient",
        json!({"ClientId": s.client_id,
               "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
               "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}}),
    );
}

async fn stored_refresh(storage: &dyn Storage, s: &Setup, username: &str) -> Option<String> {
    storage
        .get(&Keys::new(&s.client_id).refresh_token(username))
        .await
        .unwrap()
}

#[tokio::test]
async fn rotated_refresh_tokens_are_stored_and_used_next_time() {
    let s = setup().await;
    s.confirmed_user("rosa", "Passw0rd!");
    rotate(&s, 0);
    let pool = s.pool();
    let user = pool.user("rosa");
    signed_in(
        user.authenticate(AuthenticationDetails::new("rosa", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let r0 = stored_refresh(s.storage.as_ref(), &s, "rosa")
        .await
        .unwrap();

    s.advance(3601);
    let first = user.get_session().await.unwrap();
    let r1 = stored_refresh(s.storage.as_ref(), &s, "rosa")
        .await
        .unwrap();
    assert_ne!(r1, r0, "the rotated refresh token is stored");
    assert_eq!(first.refresh_token(), Some(r1.as_str()));
    assert_eq!(s.emu.journal().count("GetTokensFromRefreshToken", None), 1);

    // With no grace period r0 is dead now; the next refresh must (and does) use r1.
    s.advance(3601);
    user.get_session().await.unwrap();
    let r2 = stored_refresh(s.storage.as_ref(), &s, "rosa")
        .await
        .unwrap();
    assert_ne!(r2, r1);
    assert_eq!(s.refreshes(), 2);
}

#[tokio::test]
async fn refresh_token_auth_by_option_and_refused_under_rotation_without_losing_tokens() {
    let s = setup().await;
    s.confirmed_user("ivo", "Passw0rd!");
    let pool = s
        .pool_builder(s.storage.clone())
        .refresh_method(RefreshMethod::RefreshTokenAuth)
        .build()
        .unwrap();
    let user = pool.user("ivo");
    signed_in(
        user.authenticate(AuthenticationDetails::new("ivo", "Passw0rd!"))
            .await
            .unwrap(),
    );
    s.advance(3601);
    user.get_session().await.unwrap();
    assert_eq!(
        s.emu
            .journal()
            .count("InitiateAuth", Some("REFRESH_TOKEN_AUTH")),
        1
    );
    assert_eq!(s.emu.journal().count("GetTokensFromRefreshToken", None), 0);

    rotate(&s, 30);
    s.advance(3601);
    let e = user.get_session().await.unwrap_err();
    assert_eq!(e.kind(), Some(&ErrorKind::InvalidParameter), "{e}");
    assert!(
        stored_refresh(s.storage.as_ref(), &s, "ivo")
            .await
            .is_some(),
        "a refused flow is not a reason to sign out"
    );
}

/// A transport that holds the first refresh request it sees until the test releases it, so
/// the two refreshers' requests reach the emulator in the order the test chooses.
#[derive(Debug)]
struct Gated {
    inner: ReqwestTransport,
    armed: AtomicBool,
    arrived: Notify,
    release: Notify,
}

impl Transport for Gated {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let refresh = request
                .headers
                .iter()
                .any(|(n, v)| n == "x-amz-target" && v.ends_with(".GetTokensFromRefreshToken"));
            if refresh && self.armed.swap(false, Ordering::SeqCst) {
                self.arrived.notify_one();
                self.release.notified().await;
            }
            self.inner.send(request).await
        })
    }
}

/// Two pools on one file: `laptop` refreshes while `phone`'s refresh, which read the same
/// refresh token, is held back; then `phone`'s request goes through.
async fn race(grace: i64) -> (Setup, String, String, tempfile::TempDir) {
    let s = setup().await;
    s.confirmed_user("kai", "Passw0rd!");
    rotate(&s, grace);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sessions.json");
    let laptop = s.pool_with(Arc::new(FileStorage::new(&path)));
    let gate = Arc::new(Gated {
        inner: ReqwestTransport::new(Duration::from_secs(5)).unwrap(),
        armed: AtomicBool::new(true),
        arrived: Notify::new(),
        release: Notify::new(),
    });
    let phone = s
        .pool_builder(Arc::new(FileStorage::new(&path)))
        .transport(gate.clone())
        .build()
        .unwrap();
    signed_in(
        laptop
            .user("kai")
            .authenticate(AuthenticationDetails::new("kai", "Passw0rd!"))
            .await
            .unwrap(),
    );
    s.advance(3601);

    let phone_user = phone.current_user().await.unwrap().unwrap();
    let held = tokio::spawn(async move { phone_user.get_session().await });
    gate.arrived.notified().await;
    let on_laptop = laptop
        .current_user()
        .await
        .unwrap()
        .unwrap()
        .get_session()
        .await
        .unwrap();
    gate.release.notify_one();
    let on_phone = held.await.unwrap().unwrap();
    (
        s,
        on_laptop.access_token().raw().to_owned(),
        on_phone.access_token().raw().to_owned(),
        dir,
    )
}

#[tokio::test]
async fn two_processes_refreshing_at_once_inside_the_grace_period_both_succeed() {
    let (s, laptop, phone) = {
        let (s, laptop, phone, _dir) = race(60).await;
        (s, laptop, phone)
    };
    assert_ne!(laptop, phone, "each got tokens of its own");
    assert_eq!(s.emu.journal().count("GetTokensFromRefreshToken", None), 2);
}

#[tokio::test]
async fn outside_the_grace_period_the_late_process_adopts_the_newer_tokens() {
    let (s, laptop, phone, dir) = race(0).await;
    assert_eq!(
        phone, laptop,
        "the phone took the laptop's tokens instead of signing out"
    );
    let journal = s.emu.journal().entries();
    let refreshes: Vec<_> = journal
        .iter()
        .filter(|e| e.operation() == "GetTokensFromRefreshToken")
        .map(|e| e.error.clone())
        .collect();
    assert_eq!(
        refreshes,
        vec![None, Some("RefreshTokenReuseException".to_owned())],
        "the phone's stale token was refused, and it did not try again"
    );
    // Both still have a session that refreshes later.
    let path = dir.path().join("sessions.json");
    s.advance(3601);
    let again = s.pool_with(Arc::new(FileStorage::new(&path)));
    again
        .current_user()
        .await
        .unwrap()
        .unwrap()
        .get_session()
        .await
        .unwrap();
}
