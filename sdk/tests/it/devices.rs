//! Remembered devices through the SDK against the in-process emulator: the device kept from
//! `NewDeviceMetadata`, `confirm_device`, DEVICE_SRP_AUTH answered by itself (instead of MFA for
//! a remembered device), device-bound refresh, listing and forgetting, and a device the pool
//! forgot being dropped and the sign-in retried.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::*;
use cognito_sdk::storage::{Keys, Storage};
use cognito_sdk::wire::ErrorKind;
use cognito_sdk::{AuthFlow, AuthOutcome, AuthenticationDetails, CognitoUser, MfaKind};
use serde_json::json;

const PW: &str = "Passw0rd!";

/// A pool that tracks devices (remembered ones replace MFA) with `mfa`, and an SMS-MFA user.
async fn device_pool(mfa: &str, on_prompt: bool) -> Setup {
    let s = setup().await;
    s.admin(
        "UpdateUserPool",
        json!({
            "MfaConfiguration": mfa, "AutoVerifiedAttributes": ["email"],
            "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": on_prompt},
        }),
    );
    s.confirmed_user("dev", PW);
    s.admin("AdminUpdateUserAttributes", json!({"Username": "dev", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550142"}, {"Name": "phone_number_verified", "Value": "true"}]}));
    s.admin(
        "AdminSetUserMFAPreference",
        json!({"Username": "dev", "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    s
}

/// Signs in, answering SMS MFA from the outbox when asked; says whether MFA was asked.
async fn sign_in(s: &Setup, user: &CognitoUser, flow: AuthFlow) -> bool {
    let out = user
        .authenticate(AuthenticationDetails::new("dev", PW).flow(flow))
        .await
        .unwrap();
    match out {
        AuthOutcome::SignedIn(_) => false,
        AuthOutcome::MfaRequired(c) => {
            assert_eq!(c.kind, MfaKind::Sms);
            let code = s.emu.outbox().last_code(&s.pool_id, "dev").unwrap();
            signed_in(user.send_mfa_code(&c, &code).await.unwrap());
            true
        }
        other => panic!("{other:?}"),
    }
}

async fn stored(s: &Setup, what: fn(&Keys, &str) -> String) -> Option<String> {
    s.storage
        .get(&what(&Keys::new(&s.client_id), "dev"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_confirmed_remembered_device_replaces_mfa() {
    let s = device_pool("ON", false).await;
    let user = s.pool().user("dev");
    assert!(
        sign_in(&s, &user, AuthFlow::UserSrp).await,
        "a new device gets MFA"
    );

    // The issued device is kept at once (its refresh token is bound to it), unconfirmed.
    let key = user.device_key().await.unwrap().expect("device kept");
    assert_eq!(stored(&s, Keys::device_key).await.as_deref(), Some(&*key));
    assert!(stored(&s, Keys::device_group_key).await.is_some());
    assert!(stored(&s, Keys::random_password_key).await.is_none());
    assert!(user
        .list_devices(None, None)
        .await
        .unwrap()
        .devices
        .is_empty());

    let confirmed = user.confirm_device("laptop", true).await.unwrap();
    assert_eq!(
        (confirmed.key.as_str(), confirmed.remembered),
        (&*key, true)
    );
    assert!(stored(&s, Keys::random_password_key).await.is_some());
    let here = user.get_device(None).await.unwrap();
    assert_eq!(here.name.as_deref(), Some("laptop"));
    assert_eq!(here.remembered, Some(true));
    assert_eq!(here.attributes["device_status"], "valid");

    // Next time: no MFA, the device proves itself instead.
    user.sign_out(false).await.unwrap();
    assert!(!sign_in(&s, &user, AuthFlow::UserSrp).await, "no MFA");
    assert_eq!(
        s.emu
            .journal()
            .count("RespondToAuthChallenge", Some("DEVICE_PASSWORD_VERIFIER")),
        1
    );
    let session = user.get_session().await.unwrap();
    assert_eq!(session.access_token().claims()["device_key"], key);

    // Refresh sends the device key (a device-bound refresh token needs it).
    s.advance(3601);
    let refreshed = user.get_session().await.unwrap();
    assert_eq!(s.refreshes(), 1);
    assert_eq!(refreshed.access_token().claims()["device_key"], key);

    // Not remembered any more: MFA first, then the device proves itself.
    user.set_device_remembered(false).await.unwrap();
    assert_eq!(user.get_device(None).await.unwrap().remembered, Some(false));
    assert!(sign_in(&s, &user, AuthFlow::UserSrp).await, "MFA again");
    assert_eq!(
        s.emu
            .journal()
            .count("RespondToAuthChallenge", Some("DEVICE_PASSWORD_VERIFIER")),
        2
    );
}

#[tokio::test]
async fn a_device_the_pool_forgot_is_dropped_and_the_sign_in_retried() {
    let s = device_pool("OFF", false).await;
    let user = s.pool().user("dev");
    sign_in(&s, &user, AuthFlow::UserSrp).await;
    let old = user.confirm_device("phone", true).await.unwrap().key;
    s.admin(
        "AdminForgetDevice",
        json!({"Username": "dev", "DeviceKey": old}),
    );

    // SRP: PASSWORD_VERIFIER is refused for the device, sent again without it.
    sign_in(&s, &user, AuthFlow::UserSrp).await;
    let new = user.device_key().await.unwrap().expect("a new device");
    assert_ne!(new, old);
    assert!(stored(&s, Keys::random_password_key).await.is_none());

    // USER_PASSWORD_AUTH likewise.
    user.confirm_device("phone", true).await.unwrap();
    s.admin(
        "AdminForgetDevice",
        json!({"Username": "dev", "DeviceKey": new}),
    );
    sign_in(&s, &user, AuthFlow::UserPassword).await;
    let newer = user.device_key().await.unwrap().unwrap();
    assert!(newer != new && newer != old);
}

#[tokio::test]
async fn forgetting_this_device_clears_it_and_ends_its_refresh_token() {
    let s = device_pool("OFF", false).await;
    let user = s.pool().user("dev");
    sign_in(&s, &user, AuthFlow::UserSrp).await;
    user.confirm_device("tablet", true).await.unwrap();
    user.forget_device(None).await.unwrap();
    assert_eq!(user.device_key().await.unwrap(), None);
    assert!(stored(&s, Keys::device_group_key).await.is_none());
    assert!(stored(&s, Keys::random_password_key).await.is_none());

    // The refresh token was bound to the device: Cognito refuses it, the session is over.
    s.advance(3601);
    let e = user.get_session().await.unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::NotAuthorized);
    assert!(user.stored_session().await.unwrap().is_none());

    // Nothing to forget, get or remember now.
    assert!(matches!(
        user.set_device_remembered(true).await.unwrap_err(),
        cognito_sdk::Error::InvalidArgument(_)
    ));
}

#[tokio::test]
async fn devices_are_listed_a_page_at_a_time() {
    let s = device_pool("OFF", true).await;
    let mut keys = Vec::new();
    for _ in 0..3 {
        // A fresh storage is a fresh device.
        let pool = s.pool_with(std::sync::Arc::new(
            cognito_sdk::storage::MemoryStorage::default(),
        ));
        let user = pool.user("dev");
        signed_in(
            user.authenticate(AuthenticationDetails::new("dev", PW))
                .await
                .unwrap(),
        );
        let confirmed = user.confirm_device("browser", false).await.unwrap();
        assert!(!confirmed.remembered);
        keys.push(confirmed.key);
    }
    let user = s.pool().user("dev");
    signed_in(
        user.authenticate(AuthenticationDetails::new("dev", PW))
            .await
            .unwrap(),
    );
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = user.list_devices(Some(2), token.as_deref()).await.unwrap();
        assert!(page.devices.len() <= 2);
        seen.extend(page.devices.into_iter().map(|d| {
            assert_eq!(d.remembered, Some(false));
            d.key
        }));
        match page.pagination_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    keys.sort();
    seen.sort();
    assert_eq!(seen, keys);
    let one = user.get_device(Some(&keys[0])).await.unwrap();
    assert_eq!(one.name.as_deref(), Some("browser"));
    user.forget_device(Some(&keys[0])).await.unwrap();
    let e = user.get_device(Some(&keys[0])).await.unwrap_err();
    assert_eq!(service_kind(&e), ErrorKind::ResourceNotFound);
    // This device (still unconfirmed) is untouched.
    assert!(user.device_key().await.unwrap().is_some());
}
