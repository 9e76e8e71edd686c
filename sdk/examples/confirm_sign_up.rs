//! Use case 2: confirm a registration with the code that was sent.
//!
//! `cargo run -p cognito-sdk --example confirm_sign_up -- http://127.0.0.1:9229 us-east-1_DemoPool1 democlient0000000000000001 alice 123456`

mod common;

#[tokio::main]
async fn main() {
    let args = common::Args::parse(
        "confirm_sign_up ENDPOINT POOL_ID CLIENT_ID USERNAME CODE [--force-alias-creation]",
        5,
    );
    let pool = args.pool().unwrap_or_else(|e| common::fail(e));
    let user = pool.user(&args.positional[3]);
    user.confirm_registration(&args.positional[4], args.has("force-alias-creation"))
        .await
        .unwrap_or_else(|e| common::fail(e));
    println!("confirmed {}", user.username());
}
