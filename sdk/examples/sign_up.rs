//! Use case 1: register a user with attributes and validation data.
//!
//! `cargo run -p cognito-sdk --example sign_up -- http://127.0.0.1:9229 us-east-1_DemoPool1 democlient0000000000000001 alice 'Passw0rd!' --attr email=alice@example.com`

mod common;

use cognito_sdk::SignUp;

#[tokio::main]
async fn main() {
    let args = common::Args::parse("sign_up ENDPOINT POOL_ID CLIENT_ID USERNAME PASSWORD [--attr name=value]… [--validation name=value]…", 5);
    let pool = args.pool().unwrap_or_else(|e| common::fail(e));
    let mut request = SignUp::new(&args.positional[3], &args.positional[4]);
    for kv in args.all("attr") {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        request = request.attribute(k, v);
    }
    for kv in args.all("validation") {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        request = request.validation_data(k, v);
    }
    let out = pool
        .sign_up(request)
        .await
        .unwrap_or_else(|e| common::fail(e));
    println!("user sub:       {}", out.user_sub);
    println!("confirmed:      {}", out.user_confirmed);
    if let Some(d) = out.code_delivery {
        println!(
            "code sent to:   {} ({})",
            d.destination.unwrap_or_default(),
            d.delivery_medium.unwrap_or_default()
        );
    }
}
