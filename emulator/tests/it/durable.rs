//! Durable mode in-process: what survives a restart, what a second emulator on the same
//! directory gets, export and import of the whole state, and idempotent seeds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::{err, ok, PoolIds};
use cognito_emulator::durable::records::Snapshot;
use cognito_emulator::{seed, Emulator, Issuer, SigningKey};
use cognito_protocol::wire::ErrorKind;
use serde_json::{json, Value};

fn tokens(emu: &Emulator, ids: &PoolIds, username: &str, password: &str) -> (String, String) {
    let r = crate::common::password_auth(emu, ids, username, password)
        .unwrap()
        .authentication_result
        .unwrap();
    (r.access_token.unwrap(), r.refresh_token.unwrap())
}

fn refresh(emu: &Emulator, ids: &PoolIds, token: &str) -> Result<Value, (ErrorKind, String)> {
    emu.call::<Value, Value>(
        "InitiateAuth",
        &json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": {"REFRESH_TOKEN": token}}),
    )
    .map_err(|e| (e.kind, e.message))
}

/// Each start gets a new port, so the issuer is fixed (as `--issuer aws` or a fixed port does
/// for a server): tokens name their issuer, and a new one would make them foreign.
async fn durable(dir: &std::path::Path) -> Emulator {
    Emulator::builder()
        .issuer(Issuer::Aws)
        .data_dir(dir)
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_durable_survives_a_restart_and_tokens_keep_verifying() {
    let dir = tempfile::tempdir().unwrap();
    let emu = durable(dir.path()).await;
    let ids = crate::common::pool(&emu, json!({"MfaConfiguration": "OPTIONAL"}), json!({}));
    crate::common::user(&emu, &ids.pool_id, "ada", "Passw0rd!");
    crate::common::user(&emu, &ids.pool_id, "gone", "Passw0rd!");
    crate::common::user(&emu, &ids.pool_id, "sms", "Passw0rd!");
    ok(
        &emu,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "sms",
               "UserAttributes": [{"Name": "phone_number", "Value": "+15555550100"}]}),
    );
    ok(
        &emu,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": ids.pool_id, "Username": "sms",
               "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    ok(
        &emu,
        "CreateGroup",
        json!({"UserPoolId": ids.pool_id, "GroupName": "admins", "Precedence": 1}),
    );
    ok(
        &emu,
        "AdminAddUserToGroup",
        json!({"UserPoolId": ids.pool_id, "Username": "ada", "GroupName": "admins"}),
    );
    let (access, refresh_token) = tokens(&emu, &ids, "ada", "Passw0rd!");
    let (revoked_access, revoked_refresh) = tokens(&emu, &ids, "ada", "Passw0rd!");
    ok(
        &emu,
        "RevokeToken",
        json!({"ClientId": ids.client_id, "Token": revoked_refresh}),
    );
    ok(
        &emu,
        "AdminDeleteUser",
        json!({"UserPoolId": ids.pool_id, "Username": "gone"}),
    );
    let identity_pool = ok(
        &emu,
        "CreateIdentityPool",
        json!({"IdentityPoolName": "ids", "AllowUnauthenticatedIdentities": true}),
    )["IdentityPoolId"]
        .as_str()
        .unwrap()
        .to_owned();
    let identity = ok(&emu, "GetId", json!({"IdentityPoolId": identity_pool}))["IdentityId"]
        .as_str()
        .unwrap()
        .to_owned();
    // A tracked device, confirmed with its verifier and remembered.
    let tracked = crate::common::pool(
        &emu,
        json!({"PoolName": "devices", "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": false, "DeviceOnlyRememberedOnUserPrompt": false}}),
        json!({}),
    );
    crate::common::user(&emu, &tracked.pool_id, "dev", "Passw0rd!");
    let signed_in = crate::common::password_auth(&emu, &tracked, "dev", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let meta = signed_in.new_device_metadata.unwrap();
    let device_key = meta.device_key.clone().unwrap();
    let verifier = cognito_protocol::srp::device_verifier(
        meta.device_group_key.as_deref().unwrap(),
        &device_key,
        &[7u8; 40],
        &[9u8; 16],
    );
    ok(
        &emu,
        "ConfirmDevice",
        json!({"AccessToken": signed_in.access_token.unwrap(), "DeviceKey": device_key,
               "DeviceName": "kept phone",
               "DeviceSecretVerifierConfig": {"Salt": verifier.salt_b64, "PasswordVerifier": verifier.verifier_b64}}),
    );
    let kid = emu.jwk().kid.clone();
    emu.stop().await;

    // Salts and verifiers are stored, never the password.
    let stored = std::fs::read(cognito_emulator::durable::database_path(dir.path())).unwrap();
    assert!(!stored.windows(9).any(|w| w == b"Passw0rd!"));

    let emu = durable(dir.path()).await;
    assert_eq!(emu.jwk().kid, kid, "the signing key is kept");
    let me = ok(&emu, "GetUser", json!({"AccessToken": access}));
    assert_eq!(me["Username"], "ada");
    let sms = ok(
        &emu,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "sms"}),
    );
    assert_eq!(sms["PreferredMfaSetting"], "SMS_MFA");
    assert!(refresh(&emu, &ids, &refresh_token).is_ok());
    assert_eq!(
        refresh(&emu, &ids, &revoked_refresh).unwrap_err().0,
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        err(&emu, "GetUser", json!({"AccessToken": revoked_access})).0,
        ErrorKind::NotAuthorized
    );
    let groups = ok(
        &emu,
        "AdminListGroupsForUser",
        json!({"UserPoolId": ids.pool_id, "Username": "ada"}),
    );
    assert_eq!(groups["Groups"][0]["GroupName"], "admins");
    assert_eq!(
        err(
            &emu,
            "AdminGetUser",
            json!({"UserPoolId": ids.pool_id, "Username": "gone"})
        )
        .0,
        ErrorKind::UserNotFound
    );
    // A sign-in with the stored verifier, and the alias index rebuilt (sign-in by sub).
    let sub = me["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "sub")
        .unwrap()["Value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(crate::common::srp_sign_in(&emu, &ids, &sub, "Passw0rd!").is_ok());
    ok(
        &emu,
        "DescribeIdentityPool",
        json!({"IdentityPoolId": identity_pool}),
    );
    let described = ok(&emu, "GetOpenIdToken", json!({"IdentityId": identity}));
    assert_eq!(described["IdentityId"], identity.as_str());
    let devices = ok(
        &emu,
        "AdminListDevices",
        json!({"UserPoolId": tracked.pool_id, "Username": "dev"}),
    );
    let device = &devices["Devices"][0];
    assert_eq!(device["DeviceKey"], device_key.as_str());
    let attrs = device["DeviceAttributes"].as_array().unwrap();
    let attr = |n: &str| attrs.iter().find(|a| a["Name"] == n).unwrap()["Value"].clone();
    assert_eq!(attr("device_name"), "kept phone");
    assert_eq!(attr("device_status"), "valid");

    // Deleting the pool deletes its users from storage too.
    ok(&emu, "DeleteUserPool", json!({"UserPoolId": ids.pool_id}));
    emu.stop().await;
    let emu = durable(dir.path()).await;
    let left = emu.export();
    let ids_left: Vec<&str> = left.pools.iter().map(|p| p.pool.id.as_str()).collect();
    assert_eq!(ids_left, [tracked.pool_id.as_str()]);
    assert_eq!(left.pools[0].users.len(), 1);
    assert_eq!(
        err(&emu, "GetUser", json!({"AccessToken": access})).0,
        ErrorKind::NotAuthorized
    );
    emu.stop().await;
    // The deleted pool's users are gone from storage, not just hidden.
    let db =
        rusqlite::Connection::open(cognito_emulator::durable::database_path(dir.path())).unwrap();
    let users: i64 = db
        .query_row(
            "SELECT count(*) FROM records WHERE kind = 'user'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(users, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_in_use_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let _first = durable(dir.path()).await;
    let second = Emulator::builder().data_dir(dir.path()).try_start().await;
    let message = second.unwrap_err().to_string();
    assert!(message.contains("in use by another emulator"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_record_stops_the_start_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let emu = durable(dir.path()).await;
    crate::common::pool(&emu, json!({}), json!({}));
    emu.stop().await;
    break_the_pool_record(dir.path());
    let started = Emulator::builder().data_dir(dir.path()).try_start().await;
    let message = started.unwrap_err().to_string();
    assert!(
        message.contains("cannot be read (pool "),
        "the message names the record: {message}"
    );
}

/// Overwrites the stored pool record with something that is not a pool (a server would refuse
/// to import it, so this writes the database directly).
fn break_the_pool_record(dir: &std::path::Path) {
    let mut db = cognito_emulator::durable::Database::open(dir).unwrap();
    let snapshot = db.load().unwrap();
    let pool_id = snapshot.pools[0].pool.id.clone();
    db.write(&[cognito_emulator::durable::records::Change::Put {
        kind: "pool",
        parent: String::new(),
        key: pool_id,
        value: "{\"not\": \"a pool\"}".into(),
    }])
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn export_and_import_move_the_whole_state_between_emulators() {
    let a = Emulator::builder().issuer(Issuer::Aws).start().await;
    let ids = crate::common::pool(&a, json!({}), json!({}));
    crate::common::user(&a, &ids.pool_id, "ada", "Passw0rd!");
    let (access, refresh_token) = tokens(&a, &ids, "ada", "Passw0rd!");

    let http = reqwest::Client::new();
    let exported: Value = http
        .get(format!("{}/_emulator/state", a.endpoint()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(exported["format_version"], 1);
    let snapshot: Snapshot = serde_json::from_value(exported.clone()).unwrap();
    let key = SigningKey::from_pem(snapshot.signing_key.as_deref().unwrap()).unwrap();

    // An emulator started with the exported key, holding a pool of its own.
    let b = Emulator::builder()
        .issuer(Issuer::Aws)
        .signing_key(Arc::new(key))
        .start()
        .await;
    let own = crate::common::pool(&b, json!({"PoolName": "own"}), json!({}));
    let put = |body: String| {
        http.put(format!("{}/_emulator/state", b.endpoint()))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let reply = put(exported.to_string()).await.unwrap();
    assert_eq!(reply.status(), 200);
    let reply: Value = reply.json().await.unwrap();
    assert_eq!(
        (reply["pools"].clone(), reply["users"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(reply["signingKey"], "same");

    assert_eq!(
        ok(&b, "GetUser", json!({"AccessToken": access}))["Username"],
        "ada"
    );
    assert!(refresh(&b, &ids, &refresh_token).is_ok());
    assert!(crate::common::srp_sign_in(&b, &ids, "ada", "Passw0rd!").is_ok());
    assert_eq!(
        err(&b, "DescribeUserPool", json!({"UserPoolId": own.pool_id})).0,
        ErrorKind::ResourceNotFound,
        "import replaces the state"
    );
    // Importing again changes nothing.
    assert_eq!(put(exported.to_string()).await.unwrap().status(), 200);
    assert_eq!(
        serde_json::to_value(b.export()).unwrap(),
        serde_json::to_value(a.export()).unwrap()
    );

    // Not an export: Cognito's error shape, nothing changed.
    for bad in [
        "not json".to_owned(),
        json!({"format_version": 99}).to_string(),
        json!({"format_version": 1, "pools": [{"id": 3}]}).to_string(),
    ] {
        let reply = put(bad).await.unwrap();
        assert_eq!(reply.status(), 400);
        let body: Value = reply.json().await.unwrap();
        assert_eq!(body["__type"], "InvalidParameterException", "{body}");
    }
    assert_eq!(b.export().pools.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_used_as_a_seed_adds_only_what_is_missing() {
    let a = Emulator::start().await;
    let ids = crate::common::pool(&a, json!({}), json!({}));
    crate::common::user(&a, &ids.pool_id, "ada", "Passw0rd!");
    let text = serde_json::to_string(&a.export()).unwrap();

    let b = Emulator::start().await;
    let seed::SeedFile::Snapshot(snapshot) = seed::parse_file(&text).unwrap() else {
        panic!("an export is recognised as one");
    };
    seed::apply_snapshot(&b, (*snapshot).clone()).unwrap();
    ok(
        &b,
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool_id, "Username": "ada", "Password": "Changed0!", "Permanent": true}),
    );
    seed::apply_snapshot(&b, *snapshot).unwrap();
    assert!(crate::common::srp_sign_in(&b, &ids, "ada", "Changed0!").is_ok());
    assert_eq!(b.export().pools[0].users.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn seeds_create_groups_mfa_and_quotas_and_applying_twice_changes_nothing() {
    let text = r#"{
      "Pools": [{
        "Id": "us-east-1_Seeded002", "PoolName": "app", "MfaConfiguration": "OPTIONAL",
        "Clients": [{"ClientId": "seededclient00000000000002", "ClientName": "web",
                     "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
        "Groups": [{"GroupName": "admins", "Precedence": 1, "RoleArn": "arn:aws:iam::000000000000:role/admin"}],
        "Users": [{"Username": "ada", "Password": "Passw0rd!", "Groups": ["admins"],
                   "Attributes": {"email": "ada@example.com", "email_verified": "true"},
                   "Mfa": {"TotpSecret": "JBSWY3DPEHPK3PXP", "Preferred": "SOFTWARE_TOKEN_MFA"}}]
      }],
      "Quotas": {"Enabled": true, "UserAuthentication": {"rate": 7, "burst": 9}}
    }"#;
    let seed::SeedFile::Seed(the_seed) = seed::parse_file(text).unwrap() else {
        panic!("a hand-written seed");
    };
    let emu = Emulator::start().await;
    let first = seed::apply(&emu, &the_seed).unwrap();
    assert!(first.pools[0].created);
    assert_eq!(first.pools[0].users_created, ["ada"]);
    assert!(emu.throttle().is_enabled());
    let quota = emu
        .throttle()
        .quotas()
        .into_iter()
        .find(|(n, _)| n == "UserAuthentication")
        .unwrap()
        .1;
    assert_eq!((quota.rate, quota.burst), (7.0, Some(9.0)));
    emu.throttle().set_enabled(false);

    let ids = PoolIds {
        pool_id: "us-east-1_Seeded002".into(),
        client_id: "seededclient00000000000002".into(),
    };
    // The TOTP factor from the seed: the sign-in asks for it and accepts its code.
    let started = crate::common::password_auth(&emu, &ids, "ada", "Passw0rd!").unwrap();
    assert_eq!(
        started.challenge_name.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
    let secret = cognito_emulator::totp::decode_secret("JBSWY3DPEHPK3PXP").unwrap();
    let code = cognito_emulator::totp::code_at(&secret, emu.clock().now_secs(), 6);
    let done = crate::common::respond(
        &emu,
        &ids,
        "SOFTWARE_TOKEN_MFA",
        [
            ("USERNAME".to_owned(), "ada".to_owned()),
            ("SOFTWARE_TOKEN_MFA_CODE".to_owned(), code),
        ]
        .into(),
        started.session.as_ref().map(|s| s.0.as_str()),
    )
    .unwrap();
    let id_token = done.authentication_result.unwrap().id_token.unwrap();
    assert_eq!(
        crate::common::claims(&id_token)["cognito:groups"],
        json!(["admins"])
    );

    // A change made after seeding survives seeding again; nothing is duplicated.
    ok(
        &emu,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": ids.pool_id, "Username": "ada",
               "UserAttributes": [{"Name": "name", "Value": "Ada"}]}),
    );
    let second = seed::apply(&emu, &the_seed).unwrap();
    assert!(!second.pools[0].created);
    assert!(second.pools[0].users_created.is_empty());
    assert_eq!(second.pools[0].clients, first.pools[0].clients);
    let user = ok(
        &emu,
        "AdminGetUser",
        json!({"UserPoolId": ids.pool_id, "Username": "ada"}),
    );
    assert!(user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["Name"] == "name" && a["Value"] == "Ada"));
    let listed = ok(&emu, "ListUserPools", json!({"MaxResults": 60}));
    assert_eq!(listed["UserPools"].as_array().unwrap().len(), 1);

    // Mistakes in a seed are errors that name the problem.
    for (bad, why) in [
        (
            r#"{"Pools": [{"PoolName": "x", "Users": [{"Username": "u", "Password": "Passw0rd!", "Groups": ["nope"]}]}]}"#,
            "Group nope",
        ),
        (
            r#"{"Pools": [{"PoolName": "y", "Users": [{"Username": "u", "Password": "Passw0rd!", "Mfa": {"TotpSecret": "!!"}}]}]}"#,
            "base32",
        ),
        (
            r#"{"Pools": [{"PoolName": "z", "Users": [{"Username": "u", "Password": "Passw0rd!", "Mfa": {"SmsEnabled": true}}]}]}"#,
            "phone_number",
        ),
    ] {
        let seed::SeedFile::Seed(s) = seed::parse_file(bad).unwrap() else {
            panic!()
        };
        let e = seed::apply(&emu, &s).unwrap_err();
        assert!(e.message.contains(why), "{}", e.message);
    }
    assert!(seed::parse_file("{\"Pools\": [}")
        .unwrap_err()
        .contains("line 1"));
}

#[tokio::test(flavor = "multi_thread")]
async fn rotated_refresh_token_families_and_grace_windows_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let emu = durable(dir.path()).await;
    let ids = crate::common::pool(
        &emu,
        json!({}),
        json!({"RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 60}}),
    );
    crate::common::user(&emu, &ids.pool_id, "rho", "Passw0rd!");
    let (_, first) = tokens(&emu, &ids, "rho", "Passw0rd!");
    let get = |emu: &Emulator, token: &str| {
        emu.call::<Value, Value>(
            "GetTokensFromRefreshToken",
            &json!({"ClientId": ids.client_id, "RefreshToken": token}),
        )
        .map(|v| {
            v["AuthenticationResult"]["RefreshToken"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .map_err(|e| e.kind)
    };
    let second = get(&emu, &first).unwrap();
    emu.stop().await;

    let emu = durable(dir.path()).await;
    // Still inside the grace period (the restart took well under a minute): both work.
    assert!(get(&emu, &first).is_ok());
    let third = get(&emu, &second).unwrap();
    // The grace window was kept: a minute after the first rotation the first token is refused.
    emu.clock().advance(std::time::Duration::from_secs(61));
    assert_eq!(get(&emu, &first).unwrap_err(), ErrorKind::RefreshTokenReuse);
    // And revoking one token of the family revokes the rest of it.
    ok(
        &emu,
        "RevokeToken",
        json!({"ClientId": ids.client_id, "Token": third}),
    );
    emu.stop().await;
    let emu = durable(dir.path()).await;
    assert_eq!(get(&emu, &second).unwrap_err(), ErrorKind::NotAuthorized);
    emu.stop().await;
}
