//! What a test harness around the SDK needs: one clock for the emulator and the SDK, a session
//! call that settles within its budget against a server that never answers, a look at what a
//! storage holds, and a stable name for each error.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_emulator::faults::FaultSpec;
use cognito_sdk::clock::{Clock, OffsetClock, SystemClock};
use cognito_sdk::retry::RetryPolicy;
use cognito_sdk::storage::{FileStorage, Keys, StorageError};
use cognito_sdk::{AuthenticationDetails, CognitoUserPool, Error};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn the_emulators_clock_is_the_sdks_clock() {
    let s = setup().await;
    s.confirmed_user("cleo", "Passw0rd!");
    let pool = CognitoUserPool::builder(&s.pool_id, &s.client_id)
        .endpoint(&s.emu.endpoint())
        .clock(s.emu.shared_clock())
        .build()
        .unwrap();
    let user = pool.user("cleo");
    signed_in(
        user.authenticate(AuthenticationDetails::new("cleo", "Passw0rd!"))
            .await
            .unwrap(),
    );
    // One advance moves both: the SDK sees its tokens expired and refreshes, rather than sending
    // an access token the emulator calls expired.
    s.emu.clock().advance(Duration::from_secs(3600));
    let attributes = user.get_user_attributes().await.unwrap();
    assert!(attributes.iter().any(|a| a.name == "email"));
    assert_eq!(s.refreshes(), 1);
}

#[test]
fn an_offset_clock_runs_ahead_of_the_system_clock() {
    let clock = OffsetClock::new();
    clock.advance(Duration::from_secs(7200));
    let ahead = clock.now_secs() - SystemClock.now_secs();
    assert!((7199..=7201).contains(&ahead), "{ahead}");
    assert_eq!(clock.offset(), Duration::from_secs(7200));
}

#[tokio::test]
async fn get_session_settles_within_its_budget_when_the_server_never_answers() {
    let s = setup().await;
    s.confirmed_user("hana", "Passw0rd!");
    let pool = s
        .pool_builder(s.storage.clone())
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
        })
        .session_deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let user = pool.user("hana");
    signed_in(
        user.authenticate(AuthenticationDetails::new("hana", "Passw0rd!"))
            .await
            .unwrap(),
    );
    // The first attempt is reset, the second hangs: three attempts of 10 s would be 30 s.
    for fault in [json!({"kind": "reset_before"}), json!({"kind": "hang"})] {
        let spec: FaultSpec = serde_json::from_value(
            json!({"match": {"flow": "REFRESH_TOKEN_AUTH", "times": 1}, "fault": fault}),
        )
        .unwrap();
        s.emu.faults().add(spec).unwrap();
    }
    s.advance(3600);
    let started = Instant::now();
    let e = user.get_session().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "settled in {:?}",
        started.elapsed()
    );
    let Error::Deadline {
        waited_for,
        budget,
        source,
    } = &e
    else {
        panic!("not a deadline: {e:?}");
    };
    assert_eq!(*budget, Duration::from_millis(300));
    assert!(waited_for.contains("hana"), "{waited_for}");
    let cause = source.as_ref().expect("the reset is the cause");
    assert!(cause.to_string().contains("network"), "{cause}");
    assert_eq!(e.variant(), "Deadline");
    assert!(e.is_retryable() && !e.invalidates_session());
    assert!(
        s.storage
            .snapshot()
            .contains_key(&Keys::new(&s.client_id).refresh_token("hana")),
        "the tokens are kept"
    );
}

#[tokio::test]
async fn what_a_storage_holds_is_listed_through_the_pool() {
    let s = setup().await;
    s.confirmed_user("lior", "Passw0rd!");
    let keys = Keys::new(&s.client_id);
    let pool = s.pool();
    signed_in(
        pool.user("lior")
            .authenticate(AuthenticationDetails::new("lior", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let held = pool.storage().entries().await.unwrap();
    assert_eq!(
        held.get(&keys.last_auth_user()).map(String::as_str),
        Some("lior")
    );
    assert!(held.contains_key(&keys.access_token("lior")));

    let dir = tempfile::tempdir().unwrap();
    let on_disk = s.pool_with(Arc::new(FileStorage::new(dir.path().join("s.json"))));
    signed_in(
        on_disk
            .user("lior")
            .authenticate(AuthenticationDetails::new("lior", "Passw0rd!"))
            .await
            .unwrap(),
    );
    assert!(on_disk
        .storage()
        .entries()
        .await
        .unwrap()
        .contains_key(&keys.id_token("lior")));

    #[derive(Debug)]
    struct Opaque;
    impl cognito_sdk::storage::Storage for Opaque {
        fn get<'a>(
            &'a self,
            _: &'a str,
        ) -> futures::future::BoxFuture<'a, Result<Option<String>, StorageError>> {
            Box::pin(async { Ok(None) })
        }
        fn set<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
        ) -> futures::future::BoxFuture<'a, Result<(), StorageError>> {
            Box::pin(async { Ok(()) })
        }
        fn remove<'a>(
            &'a self,
            _: &'a str,
        ) -> futures::future::BoxFuture<'a, Result<(), StorageError>> {
            Box::pin(async { Ok(()) })
        }
        fn clear(&self) -> futures::future::BoxFuture<'_, Result<(), StorageError>> {
            Box::pin(async { Ok(()) })
        }
    }
    let opaque: &dyn cognito_sdk::storage::Storage = &Opaque;
    assert!(matches!(
        opaque.entries().await,
        Err(StorageError::Unsupported)
    ));
}

#[tokio::test]
async fn a_token_the_service_calls_expired_is_refreshed_once_and_the_drift_corrected() {
    let s = setup().await;
    s.confirmed_user("omar", "Passw0rd!");
    let pool = s.pool();
    let user = pool.user("omar");
    let first = signed_in(
        user.authenticate(AuthenticationDetails::new("omar", "Passw0rd!"))
            .await
            .unwrap(),
    );
    assert_eq!(first.clock_drift(), 0);
    // Only the service's clock moves: the SDK still thinks the token is fresh.
    s.emu.clock().advance(Duration::from_secs(3600));
    let attributes = user.get_user_attributes().await.unwrap();
    assert!(attributes.iter().any(|a| a.name == "email"));
    assert_eq!(s.refreshes(), 1, "one refresh, then the call again");
    assert_eq!(s.emu.journal().count("GetUser", None), 2);
    let now = user.get_session().await.unwrap();
    assert_eq!(
        now.clock_drift(),
        -3600,
        "the drift is measured anew from the new tokens"
    );
    // With the drift known, an hour later on both clocks the SDK sees the expiry itself: it
    // refreshes before the call, and no call is refused first.
    s.advance(3600);
    user.get_user_attributes().await.unwrap();
    assert_eq!(s.refreshes(), 2);
    assert_eq!(s.emu.journal().count("GetUser", None), 3);
}

#[tokio::test]
async fn file_storage_never_writes_through_a_planted_temporary_file() {
    use cognito_sdk::storage::Storage as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sessions.json");
    // Someone who can write to the directory plants a link where a predictable temporary file
    // (name and process id) would go, pointing at a file of theirs.
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    let planted = dir
        .path()
        .join(format!(".sessions.json.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let storage = FileStorage::new(&path);
    storage.set("k", "secret token").await.unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    assert_eq!(
        storage.get("k").await.unwrap().as_deref(),
        Some("secret token")
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && !n.contains(&std::process::id().to_string()))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
}

/// A transport that counts the JWKS fetches it forwards.
#[derive(Debug)]
struct CountingJwks {
    inner: cognito_sdk::transport::ReqwestTransport,
    fetches: std::sync::atomic::AtomicUsize,
}

impl cognito_sdk::transport::Transport for CountingJwks {
    fn send(
        &self,
        request: cognito_sdk::transport::HttpRequest,
    ) -> futures::future::BoxFuture<
        '_,
        Result<cognito_sdk::transport::HttpResponse, cognito_sdk::transport::TransportError>,
    > {
        if request.url.ends_with("/.well-known/jwks.json") {
            self.fetches
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        self.inner.send(request)
    }
}

#[tokio::test]
async fn the_jwks_is_not_fetched_for_every_unknown_key_and_tokens_need_iss_and_exp() {
    use cognito_sdk::jwks::{JwksVerifier, TokenUse};
    let s = setup().await;
    let counting = Arc::new(CountingJwks {
        inner: cognito_sdk::transport::ReqwestTransport::new(Duration::from_secs(5)).unwrap(),
        fetches: Default::default(),
    });
    let pool = s
        .pool_builder(s.storage.clone())
        .transport(counting.clone())
        .build()
        .unwrap();
    let verifier = pool.jwks_verifier();
    // The pool's own id-token key (its JWKS lists it first), read from an export.
    let jwks = s.emu.pool_jwks(&s.pool_id).unwrap();
    let exported = serde_json::to_value(s.emu.export()).unwrap();
    let pem = exported["pools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == s.pool_id.as_str())
        .unwrap()["signing_keys"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = cognito_emulator::SigningKey::from_pem(&pem).unwrap();
    assert_eq!(key.kid(), jwks[0].kid, "the pool's id-token key");
    let now = s.clock.now_secs();
    let sign = |claims: serde_json::Value, kid: Option<&str>| {
        let mut raw = key.sign(&claims).unwrap();
        if let Some(kid) = kid {
            // Re-sign is not possible with another kid; a header naming an unknown kid with
            // this signature is still a token the verifier must look the kid up for.
            let (_, rest) = raw.split_once('.').unwrap();
            let header = base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                serde_json::json!({"alg": "RS256", "kid": kid}).to_string(),
            );
            raw = format!("{header}.{rest}");
        }
        cognito_sdk::Jwt::parse(&raw).unwrap()
    };
    let good = json!({"iss": s.emu.issuer(&s.pool_id), "aud": s.client_id, "token_use": "id", "exp": now + 600});
    verifier
        .verify(&sign(good.clone(), None), TokenUse::Id)
        .await
        .unwrap();
    assert_eq!(
        counting.fetches.load(std::sync::atomic::Ordering::SeqCst),
        1
    );

    let mut no_iss = good.clone();
    no_iss.as_object_mut().unwrap().remove("iss");
    assert!(
        verifier
            .verify(&sign(no_iss, None), TokenUse::Id)
            .await
            .is_err(),
        "iss is required"
    );
    let mut no_exp = good.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    assert!(
        verifier
            .verify(&sign(no_exp, None), TokenUse::Id)
            .await
            .is_err(),
        "exp is required"
    );

    // Made-up key ids: at most one fetch per minute, however many tokens name them.
    for n in 0..20 {
        let kid = format!("made-up-{}", n % 4);
        assert!(verifier
            .verify(&sign(good.clone(), Some(&kid)), TokenUse::Id)
            .await
            .is_err());
    }
    assert_eq!(
        counting.fetches.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "no refetch within the minute"
    );
    s.advance(u64::try_from(JwksVerifier::REFETCH_SECS).unwrap());
    assert!(verifier
        .verify(&sign(good.clone(), Some("rotated-in")), TokenUse::Id)
        .await
        .is_err());
    assert_eq!(
        counting.fetches.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "a rotation is looked up after a minute"
    );
    assert!(verifier
        .verify(&sign(good, Some("rotated-in")), TokenUse::Id)
        .await
        .is_err());
    assert_eq!(
        counting.fetches.load(std::sync::atomic::Ordering::SeqCst),
        2
    );
}
