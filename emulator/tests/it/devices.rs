//! Device tracking: NewDeviceMetadata, ConfirmDevice, device SRP (DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER) with the SDK's client math, remembered devices replacing MFA,
//! device-bound refresh tokens, and the device operations with their Admin twins.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use crate::common::*;
use cognito_protocol::srp::{self, ClaimInput, ClientEphemeral, DeviceVerifier};
use cognito_protocol::wire::{AuthResponse, ErrorKind, NewDeviceMetadataType};
use serde_json::{json, Value};

const PW: &str = "Passw0rd!";

fn tracked_pool(app: &App, mfa: &str, on_prompt: bool) -> PoolIds {
    pool(
        &app.handle,
        json!({
            "MfaConfiguration": mfa,
            "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": on_prompt},
        }),
        json!({}),
    )
}

/// A user with SMS MFA enabled.
fn sms_user(app: &App, ids: &PoolIds, name: &str) {
    user(&app.handle, &ids.pool_id, name, PW);
    ok(
        &app.handle,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": name, "UserAttributes": [{"Name": "phone_number", "Value": "+15555550100"}, {"Name": "phone_number_verified", "Value": "true"}]}),
    );
    ok(
        &app.handle,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": name, "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
}

/// A device the client keeps: its keys and the random password behind its verifier.
struct Kept {
    key: String,
    group: String,
    verifier: DeviceVerifier,
}

/// Signs in by SRP (sending `device` when given) and answers SMS MFA from the outbox.
fn sign_in(app: &App, ids: &PoolIds, name: &str, device: Option<&str>) -> AuthResponse {
    let extra: Vec<(&str, String)> = device
        .map(|d| vec![("DEVICE_KEY", d.to_owned())])
        .unwrap_or_default();
    let attempt = srp_start(&app.handle, ids, name, &extra).unwrap();
    let mut answer = srp_answer(ids, &attempt, PW, &now_timestamp());
    if let Some(d) = device {
        answer.insert("DEVICE_KEY".into(), d.to_owned());
    }
    let out = respond(&app.handle, ids, "PASSWORD_VERIFIER", answer, None).unwrap();
    if out.challenge_name.as_deref() != Some("SMS_MFA") {
        return out;
    }
    let code = app.handle.outbox().messages().pop().unwrap().code;
    respond(
        &app.handle,
        ids,
        "SMS_MFA",
        BTreeMap::from([
            ("USERNAME".to_owned(), name.to_owned()),
            ("SMS_MFA_CODE".to_owned(), code),
        ]),
        out.session.as_ref().map(|s| s.0.as_str()),
    )
    .unwrap()
}

fn tokens_of(out: &AuthResponse) -> (String, Option<String>, Option<NewDeviceMetadataType>) {
    let result = out.authentication_result.clone().expect("tokens");
    (
        result.access_token.unwrap(),
        result.refresh_token,
        result.new_device_metadata,
    )
}

fn confirm(app: &App, access: &str, meta: &NewDeviceMetadataType) -> (Kept, Value) {
    let key = meta.device_key.clone().unwrap();
    let group = meta.device_group_key.clone().unwrap();
    let verifier = srp::device_verifier(&group, &key, &[7u8; 40], &rand_bytes()[..16]);
    let out = ok(
        &app.handle,
        "ConfirmDevice",
        json!({
            "AccessToken": access, "DeviceKey": key, "DeviceName": "test phone",
            "DeviceSecretVerifierConfig": {"Salt": verifier.salt_b64, "PasswordVerifier": verifier.verifier_b64},
        }),
    );
    (
        Kept {
            key,
            group,
            verifier,
        },
        out,
    )
}

/// Answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the device's password.
fn device_auth(
    app: &App,
    ids: &PoolIds,
    name: &str,
    challenge: &AuthResponse,
    device: &Kept,
    password: &str,
    with_session: bool,
) -> Result<AuthResponse, (ErrorKind, String)> {
    assert_eq!(challenge.challenge_name.as_deref(), Some("DEVICE_SRP_AUTH"));
    let client = ClientEphemeral::from_private_bytes(&rand_bytes()).unwrap();
    let session = challenge
        .session
        .as_ref()
        .map(|s| s.0.as_str())
        .filter(|_| with_session);
    let step = respond(
        &app.handle,
        ids,
        "DEVICE_SRP_AUTH",
        BTreeMap::from([
            ("USERNAME".to_owned(), name.to_owned()),
            ("DEVICE_KEY".to_owned(), device.key.clone()),
            ("SRP_A".to_owned(), client.public_hex()),
        ]),
        session,
    )?;
    assert_eq!(
        step.challenge_name.as_deref(),
        Some("DEVICE_PASSWORD_VERIFIER")
    );
    let p = step.challenge_parameters.clone().unwrap();
    assert_eq!(p["USERNAME"], name);
    let timestamp = now_timestamp();
    let signature = client
        .password_claim(&ClaimInput {
            realm: &device.group,
            user_id: &device.key,
            password,
            salt_hex: &p["SALT"],
            srp_b_hex: &p["SRP_B"],
            secret_block_b64: &p["SECRET_BLOCK"],
            timestamp: &timestamp,
        })
        .unwrap();
    respond(
        &app.handle,
        ids,
        "DEVICE_PASSWORD_VERIFIER",
        BTreeMap::from([
            ("USERNAME".to_owned(), name.to_owned()),
            ("DEVICE_KEY".to_owned(), device.key.clone()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                p["SECRET_BLOCK"].clone(),
            ),
            ("TIMESTAMP".to_owned(), timestamp),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
        ]),
        step.session
            .as_ref()
            .map(|s| s.0.as_str())
            .filter(|_| with_session),
    )
}

fn refresh(
    app: &App,
    ids: &PoolIds,
    token: &str,
    device: Option<&str>,
) -> Result<AuthResponse, (ErrorKind, String)> {
    let mut params = json!({"REFRESH_TOKEN": token});
    if let Some(d) = device {
        params["DEVICE_KEY"] = json!(d);
    }
    app.handle
        .call::<Value, AuthResponse>(
            "InitiateAuth",
            &json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": params}),
        )
        .map_err(|e| (e.kind, e.message))
}

#[test]
fn remembered_device_signs_in_by_device_srp_instead_of_mfa() {
    let app = app();
    let ids = tracked_pool(&app, "ON", false);
    sms_user(&app, &ids, "dana");

    // A new device: MFA, then tokens with NewDeviceMetadata and the device in the access token.
    let first = sign_in(&app, &ids, "dana", None);
    let (access, _, meta) = tokens_of(&first);
    let meta = meta.expect("NewDeviceMetadata");
    let key = meta.device_key.clone().unwrap();
    let region = ids.pool_id.split('_').next().unwrap();
    assert!(key.starts_with(&format!("{region}_")), "{key}");
    assert_eq!(key.len(), region.len() + 1 + 36);
    let group = meta.device_group_key.clone().unwrap();
    assert!(group.starts_with('-') && group.len() == 10, "{group}");
    assert_eq!(claims(&access)["device_key"], key);

    // Not listed until confirmed; remembered at once in an "always" pool.
    let listed = ok(&app.handle, "ListDevices", json!({"AccessToken": access}));
    assert_eq!(listed["Devices"], json!([]));
    let (device, out) = confirm(&app, &access, &meta);
    assert_eq!(out["UserConfirmationNecessary"], false);
    let listed = ok(&app.handle, "ListDevices", json!({"AccessToken": access}));
    let d = &listed["Devices"][0];
    assert_eq!(d["DeviceKey"], key);
    let attrs: BTreeMap<String, String> = d["DeviceAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().to_owned(),
                a["Value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(attrs["device_name"], "test phone");
    assert_eq!(attrs["dev:device_remembered_status"], "remembered");
    assert_eq!(attrs["device_status"], "valid");
    assert!(d["DeviceLastAuthenticatedDate"].is_number());

    // The next sign-in from the device: no SMS, DEVICE_SRP_AUTH instead.
    let sent = app.handle.outbox().messages().len();
    let second = sign_in(&app, &ids, "dana", Some(&key));
    assert_eq!(app.handle.outbox().messages().len(), sent, "no MFA code");
    let password = device.verifier.random_password.clone();
    let done = device_auth(&app, &ids, "dana", &second, &device, &password, true).unwrap();
    let (access2, refresh2, meta2) = tokens_of(&done);
    assert!(meta2.is_none(), "a known device gets no new metadata");
    assert_eq!(claims(&access2)["device_key"], key);
    assert!(refresh2.is_some());

    // The wrong device password fails like a wrong password.
    let third = sign_in(&app, &ids, "dana", Some(&key));
    let wrong = device_auth(&app, &ids, "dana", &third, &device, "not it", true).unwrap_err();
    assert_eq!(
        wrong,
        (
            ErrorKind::NotAuthorized,
            "Incorrect username or password.".into()
        )
    );
}

#[test]
fn device_srp_without_session_matches_the_pending_challenge() {
    // pycognito answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER without a Session.
    let app = app();
    let ids = tracked_pool(&app, "OFF", false);
    user(&app.handle, &ids.pool_id, "eli", PW);
    let (access, _, meta) = tokens_of(&sign_in(&app, &ids, "eli", None));
    let (device, _) = confirm(&app, &access, &meta.unwrap());
    let password = device.verifier.random_password.clone();

    // Without a password sign-in first, DEVICE_SRP_AUTH has nothing to continue.
    let lone = ClientEphemeral::from_private_bytes(&rand_bytes()).unwrap();
    let refused = respond(
        &app.handle,
        &ids,
        "DEVICE_SRP_AUTH",
        BTreeMap::from([
            ("USERNAME".to_owned(), "eli".to_owned()),
            ("DEVICE_KEY".to_owned(), device.key.clone()),
            ("SRP_A".to_owned(), lone.public_hex()),
        ]),
        None,
    )
    .unwrap_err();
    assert_eq!(refused.0, ErrorKind::NotAuthorized);

    // MFA is off, but a confirmed device still proves itself.
    let challenge = sign_in(&app, &ids, "eli", Some(&device.key));
    let done = device_auth(&app, &ids, "eli", &challenge, &device, &password, false).unwrap();
    assert!(done.authentication_result.is_some());
    // The challenge was used once.
    let again = device_auth(&app, &ids, "eli", &challenge, &device, &password, false);
    assert_eq!(again.unwrap_err().0, ErrorKind::NotAuthorized);
}

#[test]
fn device_srp_refuses_a_zero_a_and_a_claim_for_another_device() {
    let app = app();
    let ids = tracked_pool(&app, "OFF", false);
    user(&app.handle, &ids.pool_id, "fay", PW);
    let (access, _, meta) = tokens_of(&sign_in(&app, &ids, "fay", None));
    let (device, _) = confirm(&app, &access, &meta.unwrap());
    let challenge = sign_in(&app, &ids, "fay", Some(&device.key));
    let session = challenge.session.clone().unwrap().into_inner();
    let zero = respond(
        &app.handle,
        &ids,
        "DEVICE_SRP_AUTH",
        BTreeMap::from([
            ("USERNAME".to_owned(), "fay".to_owned()),
            ("DEVICE_KEY".to_owned(), device.key.clone()),
            ("SRP_A".to_owned(), srp::group().n.to_str_radix(16)),
        ]),
        Some(&session),
    )
    .unwrap_err();
    assert_eq!(zero.0, ErrorKind::InvalidParameter);
    // A different device key than the challenge's.
    let other = respond(
        &app.handle,
        &ids,
        "DEVICE_SRP_AUTH",
        BTreeMap::from([
            ("USERNAME".to_owned(), "fay".to_owned()),
            ("DEVICE_KEY".to_owned(), "us-east-1_nope".to_owned()),
            (
                "SRP_A".to_owned(),
                ClientEphemeral::from_private_bytes(&rand_bytes())
                    .unwrap()
                    .public_hex(),
            ),
        ]),
        Some(&session),
    )
    .unwrap_err();
    assert_eq!(other.0, ErrorKind::NotAuthorized);
}

#[test]
fn unknown_device_key_is_refused_and_the_same_claim_works_without_it() {
    let app = app();
    let ids = tracked_pool(&app, "OFF", false);
    user(&app.handle, &ids.pool_id, "gus", PW);
    let attempt = srp_start(&app.handle, &ids, "gus", &[]).unwrap();
    let mut answer = srp_answer(&ids, &attempt, PW, &now_timestamp());
    answer.insert("DEVICE_KEY".into(), "us-east-1_forgotten".into());
    let refused = respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer.clone(), None);
    assert_eq!(
        refused.unwrap_err(),
        (ErrorKind::ResourceNotFound, "Device does not exist.".into())
    );
    answer.remove("DEVICE_KEY");
    let out = respond(&app.handle, &ids, "PASSWORD_VERIFIER", answer, None).unwrap();
    assert!(tokens_of(&out).2.is_some(), "a new device instead");

    // USER_PASSWORD_AUTH refuses it too.
    let refused = app
        .handle
        .call::<Value, AuthResponse>(
            "InitiateAuth",
            &json!({"ClientId": ids.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": "gus", "PASSWORD": PW, "DEVICE_KEY": "us-east-1_forgotten"}}),
        )
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::ResourceNotFound);
}

#[test]
fn refresh_tokens_are_bound_to_their_device_until_it_is_forgotten() {
    let app = app();
    let ids = tracked_pool(&app, "OFF", false);
    user(&app.handle, &ids.pool_id, "hal", PW);
    let (access, refresh_token, meta) = tokens_of(&sign_in(&app, &ids, "hal", None));
    let refresh_token = refresh_token.unwrap();
    let key = meta.clone().unwrap().device_key.unwrap();
    // Unconfirmed devices still bind their tokens.
    let invalid = (ErrorKind::NotAuthorized, "Invalid Refresh Token".to_owned());
    assert_eq!(
        refresh(&app, &ids, &refresh_token, None).unwrap_err(),
        invalid
    );
    assert_eq!(
        refresh(&app, &ids, &refresh_token, Some("us-east-1_other")).unwrap_err(),
        invalid
    );
    let fresh = refresh(&app, &ids, &refresh_token, Some(&key)).unwrap();
    assert_eq!(claims(&tokens_of(&fresh).0)["device_key"], key);

    confirm(&app, &access, &meta.unwrap());
    assert_eq!(
        ok(
            &app.handle,
            "GetDevice",
            json!({"AccessToken": access, "DeviceKey": key})
        )["Device"]["DeviceKey"],
        key
    );
    ok(
        &app.handle,
        "ForgetDevice",
        json!({"AccessToken": access, "DeviceKey": key}),
    );
    assert_eq!(
        refresh(&app, &ids, &refresh_token, Some(&key)).unwrap_err(),
        invalid
    );
    assert_eq!(
        err(
            &app.handle,
            "GetDevice",
            json!({"AccessToken": access, "DeviceKey": key})
        ),
        (ErrorKind::ResourceNotFound, "Device does not exist.".into())
    );
    assert_eq!(
        err(
            &app.handle,
            "ForgetDevice",
            json!({"AccessToken": access, "DeviceKey": key})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
}

#[test]
fn on_prompt_pools_remember_only_after_update_device_status() {
    let app = app();
    let ids = tracked_pool(&app, "ON", true);
    sms_user(&app, &ids, "ivy");
    let (access, _, meta) = tokens_of(&sign_in(&app, &ids, "ivy", None));
    let (device, out) = confirm(&app, &access, &meta.unwrap());
    assert_eq!(out["UserConfirmationNecessary"], true);
    let got = ok(
        &app.handle,
        "AdminGetDevice",
        json!({"UserPoolId": ids.pool_id, "Username": "ivy", "DeviceKey": device.key}),
    );
    let names: Vec<&str> = got["Device"]["DeviceAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"dev:device_remembered_status"),
        "{names:?}"
    );

    // Confirmed but not remembered: MFA still asked, then device SRP.
    let sent = app.handle.outbox().messages().len();
    let challenge = sign_in(&app, &ids, "ivy", Some(&device.key));
    assert_eq!(app.handle.outbox().messages().len(), sent + 1, "MFA code");
    let pw = device.verifier.random_password.clone();
    device_auth(&app, &ids, "ivy", &challenge, &device, &pw, true).unwrap();

    assert_eq!(
        err(
            &app.handle,
            "UpdateDeviceStatus",
            json!({"AccessToken": access, "DeviceKey": device.key, "DeviceRememberedStatus": "forever"})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    ok(
        &app.handle,
        "UpdateDeviceStatus",
        json!({"AccessToken": access, "DeviceKey": device.key, "DeviceRememberedStatus": "remembered"}),
    );
    let challenge = sign_in(&app, &ids, "ivy", Some(&device.key));
    assert_eq!(
        app.handle.outbox().messages().len(),
        sent + 1,
        "no MFA code"
    );
    device_auth(&app, &ids, "ivy", &challenge, &device, &pw, true).unwrap();

    // An administrator stops remembering it: MFA is back.
    ok(
        &app.handle,
        "AdminUpdateDeviceStatus",
        json!({"UserPoolId": ids.pool_id, "Username": "ivy", "DeviceKey": device.key, "DeviceRememberedStatus": "not_remembered"}),
    );
    sign_in(&app, &ids, "ivy", Some(&device.key));
    assert_eq!(app.handle.outbox().messages().len(), sent + 2, "MFA again");

    let listed = ok(
        &app.handle,
        "AdminListDevices",
        json!({"UserPoolId": ids.pool_id, "Username": "ivy", "Limit": 1}),
    );
    assert_eq!(listed["Devices"].as_array().unwrap().len(), 1);
    ok(
        &app.handle,
        "AdminForgetDevice",
        json!({"UserPoolId": ids.pool_id, "Username": "ivy", "DeviceKey": device.key}),
    );
    let listed = ok(
        &app.handle,
        "AdminListDevices",
        json!({"UserPoolId": ids.pool_id, "Username": "ivy"}),
    );
    assert_eq!(listed["Devices"], json!([]));
}

#[test]
fn list_devices_pages() {
    let app = app();
    let ids = tracked_pool(&app, "OFF", false);
    user(&app.handle, &ids.pool_id, "jo", PW);
    let mut access = String::new();
    for _ in 0..3 {
        let (a, _, meta) = tokens_of(&sign_in(&app, &ids, "jo", None));
        confirm(&app, &a, &meta.unwrap());
        access = a;
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"AccessToken": access, "Limit": 2});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let page = ok(&app.handle, "ListDevices", body);
        seen.extend(
            page["Devices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["DeviceKey"].as_str().unwrap().to_owned()),
        );
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3);
    let mut sorted = seen.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 3);
    assert_eq!(
        err(
            &app.handle,
            "ListDevices",
            json!({"AccessToken": access, "Limit": 61})
        )
        .0,
        ErrorKind::InvalidParameter
    );
}

#[test]
fn confirm_device_checks_its_input() {
    let app = app();
    let ids = tracked_pool(&app, "OFF", false);
    user(&app.handle, &ids.pool_id, "kim", PW);
    let (access, _, meta) = tokens_of(&sign_in(&app, &ids, "kim", None));
    let key = meta.unwrap().device_key.unwrap();
    let zero = base64_of(&srp::group().n.to_bytes_be());
    for (config, kind) in [
        (
            json!({"Salt": "AAEC", "PasswordVerifier": zero}),
            ErrorKind::InvalidParameter,
        ),
        (json!({"Salt": "AAEC"}), ErrorKind::InvalidParameter),
        (
            json!({"Salt": "not base64!", "PasswordVerifier": "AAEC"}),
            ErrorKind::InvalidParameter,
        ),
    ] {
        assert_eq!(
            err(
                &app.handle,
                "ConfirmDevice",
                json!({"AccessToken": access, "DeviceKey": key, "DeviceSecretVerifierConfig": config})
            )
            .0,
            kind
        );
    }
    assert_eq!(
        err(
            &app.handle,
            "ConfirmDevice",
            json!({"AccessToken": access, "DeviceKey": "us-east-1_0000aaaa-0000-4000-8000-000000000000", "DeviceSecretVerifierConfig": {"Salt": "AAEC", "PasswordVerifier": "AAEC"}})
        ),
        (ErrorKind::ResourceNotFound, "Device does not exist.".into())
    );
    assert_eq!(
        err(
            &app.handle,
            "ConfirmDevice",
            json!({"AccessToken": "garbage", "DeviceKey": key})
        )
        .0,
        ErrorKind::NotAuthorized
    );
}

#[test]
fn pools_without_tracking_issue_no_devices_and_ignore_device_keys() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "lu", PW);
    let out = sign_in(&app, &ids, "lu", Some("us-east-1_whatever"));
    let (access, refresh_token, meta) = tokens_of(&out);
    assert!(meta.is_none());
    assert!(claims(&access).get("device_key").is_none());
    refresh(&app, &ids, &refresh_token.unwrap(), None).unwrap();
    let described = ok(
        &app.handle,
        "DescribeUserPool",
        json!({"UserPoolId": ids.pool_id}),
    );
    assert!(described["UserPool"].get("DeviceConfiguration").is_none());
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
