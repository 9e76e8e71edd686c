//! Use case 3: send the confirmation code again.
//!
//! `cargo run -p cognito-sdk --example resend_code -- http://127.0.0.1:9229 us-east-1_DemoPool1 democlient0000000000000001 alice`

mod common;

#[tokio::main]
async fn main() {
    let args = common::Args::parse("resend_code ENDPOINT POOL_ID CLIENT_ID USERNAME", 4);
    let pool = args.pool().unwrap_or_else(|e| common::fail(e));
    match pool
        .user(&args.positional[3])
        .resend_confirmation_code()
        .await
        .unwrap_or_else(|e| common::fail(e))
    {
        Some(d) => println!(
            "code sent to {} ({})",
            d.destination.unwrap_or_default(),
            d.delivery_medium.unwrap_or_default()
        ),
        None => println!("code sent"),
    }
}
