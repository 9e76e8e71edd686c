//! Use cases 4 and 18: sign in (SRP, or USER_PASSWORD_AUTH with `--password-auth`) and handle
//! every outcome; a first sign-in with a temporary password answers NEW_PASSWORD_REQUIRED with
//! `--new-password` and `--attr name=value` for the required attributes. The session is stored
//! in `--storage FILE` (default .cognito-session.json), where the `session` example finds it.
//! In a pool that tracks devices, `--remember-device NAME` confirms and remembers this device,
//! so later sign-ins from the same storage answer DEVICE_SRP_AUTH by themselves.
//!
//! `cargo run -p cognito-sdk --example sign_in -- http://127.0.0.1:9229 us-east-1_DemoPool1 democlient0000000000000001 demo 'DemoPassw0rd!'`

mod common;

use std::collections::BTreeMap;

use cognito_sdk::{AuthFlow, AuthOutcome, AuthenticationDetails, CognitoUserSession, Error};

fn print_session(s: &CognitoUserSession) {
    println!(
        "signed in as   {}",
        s.access_token().username().unwrap_or_default()
    );
    println!("sub            {}", s.id_token().sub().unwrap_or_default());
    println!(
        "expires at     {}",
        s.access_token().exp().unwrap_or_default()
    );
    println!("groups         {:?}", s.id_token().groups());
    if let Some(device) = s
        .access_token()
        .claim("device_key")
        .and_then(|v| v.as_str())
    {
        println!("device         {device}");
    }
    println!("id token       {}", s.id_token().raw());
}

#[tokio::main]
async fn main() {
    let args = common::Args::parse(
        "sign_in ENDPOINT POOL_ID CLIENT_ID USERNAME PASSWORD [--password-auth] [--new-password P --attr name=value…] [--remember-device NAME] [--storage FILE] [--secret S]",
        5,
    );
    let pool = args.pool().unwrap_or_else(|e| common::fail(e));
    let user = pool.user(&args.positional[3]);
    let mut details = AuthenticationDetails::new(&args.positional[3], &args.positional[4]);
    if args.has("password-auth") {
        details = details.flow(AuthFlow::UserPassword);
    }
    match user.authenticate(details).await {
        Ok(AuthOutcome::SignedIn(session)) => {
            print_session(&session);
            if let Some(name) = args.flag("remember-device") {
                match user.confirm_device(name, true).await {
                    Ok(device) => println!("remembered     {}", device.key),
                    Err(e) => common::fail(e),
                }
            }
        }
        Ok(AuthOutcome::NewPasswordRequired(challenge)) => {
            let Some(new_password) = args.flag("new-password") else {
                println!(
                    "a new password is required; required attributes: {:?}",
                    challenge.required_attributes
                );
                println!("run again with --new-password P and --attr name=value for each");
                std::process::exit(3);
            };
            let attrs: BTreeMap<String, String> = args
                .all("attr")
                .into_iter()
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (k.to_owned(), v.to_owned())
                })
                .collect();
            match user
                .complete_new_password(&challenge, new_password, &attrs)
                .await
            {
                Ok(AuthOutcome::SignedIn(session)) => print_session(&session),
                Ok(other) => println!("next step: {other:?}"),
                Err(e) => common::fail(e),
            }
        }
        Ok(other) => println!("next step: {other:?}"),
        Err(e @ Error::Service { .. }) => {
            let hint = match e.kind().map(|k| k.code()) {
                Some("UserNotConfirmedException") => "confirm the sign-up first (confirm_sign_up)",
                Some("NotAuthorizedException") => "wrong username or password",
                Some("UserNotFoundException") => "no such user",
                Some("PasswordResetRequiredException") => "the password must be reset",
                _ => "see the error",
            };
            eprintln!("{hint}");
            common::fail(e)
        }
        Err(e) => common::fail(e),
    }
}
