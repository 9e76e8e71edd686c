//! The console's page and its overview endpoint (the page itself is driven in headless
//! Chromium by the Python interop suite).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::{app, get, ok};
use serde_json::json;

#[tokio::test]
async fn the_page_is_self_contained_and_the_overview_pages_users_by_prefix() {
    let app = app();
    let page = get(&app.router, "/_emulator/console").await;
    assert_eq!(page.status, 200);
    assert!(page.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");

    let ids = crate::common::pool(
        &app.handle,
        json!({"UsernameConfiguration": {"CaseSensitive": false}}),
        json!({}),
    );
    for name in ["Ann", "anna", "bob"] {
        crate::common::user(&app.handle, &ids.pool_id, name, "Passw0rd!");
    }
    ok(
        &app.handle,
        "CreateGroup",
        json!({"UserPoolId": ids.pool_id, "GroupName": "g"}),
    );
    ok(
        &app.handle,
        "AdminAddUserToGroup",
        json!({"UserPoolId": ids.pool_id, "Username": "bob", "GroupName": "g"}),
    );
    let journaled = app.handle.journal().entries().len();

    let all = get(&app.router, "/_emulator/overview").await.body;
    let pool = &all["pools"][0];
    assert_eq!(pool["userCount"], 3);
    assert_eq!(pool["groups"], json!(["g"]));
    assert_eq!(pool["clients"][0]["id"], ids.client_id.as_str());
    let bob = &pool["users"][2];
    assert_eq!(
        (
            bob["username"].clone(),
            bob["status"].clone(),
            bob["groups"].clone()
        ),
        (json!("bob"), json!("CONFIRMED"), json!(["g"]))
    );
    assert_eq!(bob["mfa"]["enabled"], json!([]));
    assert_eq!(bob["attributes"]["email"], "bob@example.com");
    assert_eq!(all["durable"], false);

    // The pool is case-insensitive: the prefix matches both spellings, and nothing else.
    let some = get(&app.router, "/_emulator/overview?filter=AN").await.body;
    let names: Vec<&str> = some["pools"][0]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ann", "anna"]);
    assert_eq!(
        app.handle.journal().entries().len(),
        journaled,
        "looking does not journal"
    );
}

/// A user's passkeys show in the overview (here from an imported state, as durable mode and
/// export keep them).
#[tokio::test]
async fn the_overview_lists_a_users_passkeys() {
    let app = app();
    let ids = crate::common::pool(&app.handle, json!({}), json!({}));
    crate::common::user(&app.handle, &ids.pool_id, "pia", "Passw0rd!");
    let mut state = serde_json::to_value(app.handle.export()).unwrap();
    let users = state["pools"][0]["users"].as_array_mut().unwrap();
    users[0]["webauthn"] = json!([{
        "id": "cGFzc2tleS1vZi1waWE", "relying_party_id": "localhost", "attachment": "platform",
        "transports": ["internal"], "static_state": "AA", "dynamic_state": "AA", "transports_bits": 16,
        "created": 1.0
    }]);
    app.handle
        .import(serde_json::from_value(state).unwrap())
        .unwrap();
    let overview = get(&app.router, "/_emulator/overview").await.body;
    let passkeys = &overview["pools"][0]["users"][0]["passkeys"];
    assert_eq!(passkeys[0]["id"], "cGFzc2tleS1vZi1waWE");
    assert_eq!(passkeys[0]["relyingPartyId"], "localhost");
    assert_eq!(passkeys[0]["attachment"], "platform");
}
