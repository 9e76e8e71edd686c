//! Restore the last signed-in user from storage, get a valid session (refreshing it when it has
//! expired, or always with `--force-refresh`), read the user's attributes (use case 5), and
//! optionally sign out (`--sign-out`, with `--revoke` to revoke the refresh token).
//! Prints one JSON object.
//!
//! `cargo run -p cognito-sdk --example session -- http://127.0.0.1:9229 us-east-1_DemoPool1 democlient0000000000000001`

mod common;

use serde_json::json;

#[tokio::main]
async fn main() {
    let args = common::Args::parse("session ENDPOINT POOL_ID CLIENT_ID [--storage FILE] [--force-refresh] [--sign-out] [--revoke]", 3);
    let pool = args.pool().unwrap_or_else(|e| common::fail(e));
    let Some(user) = pool
        .current_user()
        .await
        .unwrap_or_else(|e| common::fail(e))
    else {
        eprintln!("nobody is signed in (storage has no LastAuthUser)");
        std::process::exit(4);
    };
    let session = if args.has("force-refresh") {
        user.refresh_session().await
    } else {
        user.get_session().await
    }
    .unwrap_or_else(|e| common::fail(e));
    let attributes: serde_json::Map<String, serde_json::Value> = user
        .get_user_attributes()
        .await
        .unwrap_or_else(|e| common::fail(e))
        .into_iter()
        .map(|a| (a.name, json!(a.value.unwrap_or_default())))
        .collect();
    if args.has("sign-out") {
        user.sign_out(args.has("revoke"))
            .await
            .unwrap_or_else(|e| common::fail(e));
    }
    println!(
        "{}",
        json!({
            "username": user.username(),
            "accessToken": session.access_token().raw(),
            "idToken": session.id_token().raw(),
            "attributes": attributes,
        })
    );
}
