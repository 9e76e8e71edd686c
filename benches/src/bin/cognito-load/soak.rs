//! `--soak SECONDS`: minutes of mixed traffic against one server process, its resident memory
//! sampled as it goes, to show that what each request leaves behind is bounded.
//!
//! Every worker cycles through sessions an app makes (password sign-in, GetUser, refresh,
//! sometimes a global sign-out), full SRP sign-ins, SRP sign-ins abandoned after the first
//! step, wrong passwords (on users kept apart, so lockouts do not spill over), forgotten-password
//! codes (messages into the outbox) and, now and then, a SignUp: the one thing that is meant to
//! grow the state. Meanwhile the emulator's clock moves an hour each second, so tokens, codes
//! and exchanges reach their expiry within the run, as they would over weeks of real use.
//!
//! At the end the cost of one user is measured by adding filler users, and the report splits
//! the growth after warm-up into what the new users explain and what they do not.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::api::{self, Api, Target};
use crate::process::Server;
use crate::workload;

const WORKERS: usize = 8;

/// Errors the clock's moves cause by design (a token issued just before a move of an hour
/// and used just after it), counted apart from failures.
fn caused_by_the_clock(e: &str) -> bool {
    e.contains("NotAuthorizedException") || e.contains("ExpiredCodeException")
}

pub async fn run(bin: &std::path::Path, seconds: f64) -> Result<(), String> {
    let server = Server::spawn(bin)?;
    let api = Api::new(&server.endpoint);
    let target = api::target(&api).await?;
    // Refresh tokens live an hour and access tokens a day, so that both expire within the run.
    api.call(
        "UpdateUserPoolClient",
        &json!({"UserPoolId": target.pool_id, "ClientId": target.client_id,
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "RefreshTokenValidity": 60, "AccessTokenValidity": 24, "IdTokenValidity": 24,
            "TokenValidityUnits": {"RefreshToken": "minutes", "AccessToken": "hours", "IdToken": "hours"}}),
    )
    .await?;
    let users = Arc::new(api::users(&api, &target, 64).await?);
    let victims: Vec<String> = (0..WORKERS).map(|w| format!("victim{w}")).collect();
    for v in &victims {
        api.call(
            "AdminCreateUser",
            &json!({"UserPoolId": target.pool_id, "Username": v, "MessageAction": "SUPPRESS"}),
        )
        .await?;
    }
    let victims = Arc::new(victims);

    let duration = Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let sign_ups = Arc::new(AtomicUsize::new(0));
    let clock_errors = Arc::new(AtomicUsize::new(0));

    let ticker = {
        let (api, stop) = (Api::new(&server.endpoint), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let _ = api
                    .post_path("_emulator/clock", &json!({"advanceSeconds": 3600}))
                    .await;
            }
        })
    };

    let run_id = Arc::new(api::chrono_suffix());
    let conns: Arc<Vec<Api>> = Arc::new((0..WORKERS).map(|_| Api::new(&server.endpoint)).collect());
    let work = {
        let (t, users, victims, requests, sign_ups, clock_errors) = (
            target.clone(),
            users.clone(),
            victims.clone(),
            requests.clone(),
            sign_ups.clone(),
            clock_errors.clone(),
        );
        workload::run(WORKERS, duration, 1, None, move |w, i| {
            let (api, t, users, victims, run_id) = (
                conns[w].clone(),
                t.clone(),
                users.clone(),
                victims.clone(),
                run_id.clone(),
            );
            let (requests, sign_ups, clock_errors) =
                (requests.clone(), sign_ups.clone(), clock_errors.clone());
            async move {
                let user = &users[(w * 7919 + i) % users.len()];
                let result = step(&api, &t, user, &victims[w], w, i, &run_id).await;
                requests.fetch_add(1, Ordering::Relaxed);
                if i % 20 == 9 && result.is_ok() {
                    sign_ups.fetch_add(1, Ordering::Relaxed);
                }
                match result {
                    Err(e) if caused_by_the_clock(&e) => {
                        clock_errors.fetch_add(1, Ordering::Relaxed);
                        Ok(())
                    }
                    other => other,
                }
            }
        })
    };
    let sampler = {
        let (requests, sign_ups) = (requests.clone(), sign_ups.clone());
        let every = (duration / 12).max(Duration::from_millis(200));
        let server = &server;
        async move {
            let mut samples = Vec::new();
            while started.elapsed() < duration {
                tokio::time::sleep(every).await;
                samples.push(Sample {
                    at: started.elapsed(),
                    requests: requests.load(Ordering::Relaxed),
                    sign_ups: sign_ups.load(Ordering::Relaxed),
                    rss: server.rss(),
                });
            }
            samples
        }
    };
    let (out, samples) = tokio::join!(work, sampler);
    stop.store(true, Ordering::Relaxed);
    let _ = ticker.await;
    out.all_ok("soak")?;

    // The cost of one user in this process: add filler users and see what they take.
    let before = server.rss();
    let filled = api
        .post_path(
            "_emulator/users/fill",
            &json!({"poolId": target.pool_id, "count": 20_000}),
        )
        .await?;
    let added = filled["added"].as_u64().unwrap_or(0).max(1);
    let per_user = server.rss().saturating_sub(before) as f64 / added as f64;

    println!("## Soak: {WORKERS} workers of mixed traffic for {seconds:.0} s, the emulator's clock an hour ahead each second\n");
    println!("| time | steps | new users | resident memory |\n|---|---|---|---|");
    for s in &samples {
        println!(
            "| {:.0} s | {} | {} | {:.1} MB |",
            s.at.as_secs_f64(),
            s.requests,
            s.sign_ups,
            s.rss as f64 / 1e6
        );
    }
    let warm = samples.len() / 2;
    if let (Some(w), Some(last)) = (samples.get(warm), samples.last()) {
        let grown = last.rss as f64 - w.rss as f64;
        let explained = (last.sign_ups - w.sign_ups) as f64 * per_user;
        println!(
            "\nAfter warm-up ({:.0} s): resident memory grew {:.1} MB while {} users signed up; at {:.0} B per user (measured after the run by adding {added} users) they explain {:.1} MB; unexplained growth {:.1} MB over {} steps. {} steps met a token the clock had just expired (counted, not failed).\n",
            w.at.as_secs_f64(),
            grown / 1e6,
            last.sign_ups - w.sign_ups,
            per_user,
            explained / 1e6,
            (grown - explained) / 1e6,
            last.requests - w.requests,
            clock_errors.load(Ordering::Relaxed),
        );
    }
    Ok(())
}

struct Sample {
    at: Duration,
    requests: usize,
    sign_ups: usize,
    rss: u64,
}

/// One step of the mix; which one depends on the iteration.
async fn step(
    api: &Api,
    t: &Target,
    user: &str,
    victim: &str,
    w: usize,
    i: usize,
    run_id: &str,
) -> Result<(), String> {
    match i % 20 {
        // An app's session: sign in, read the user, refresh, sometimes sign out everywhere.
        0..=5 => {
            let (access, refresh) = api::password_sign_in(api, t, user).await?;
            api.call("GetUser", &json!({"AccessToken": access})).await?;
            api.call(
                "InitiateAuth",
                &json!({"ClientId": t.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": refresh}}),
            )
            .await?;
            if i % 20 == 5 {
                api.call("GlobalSignOut", &json!({"AccessToken": access})).await?;
            }
            Ok(())
        }
        6..=8 => {
            let mut a = [0u8; 128];
            for (j, b) in a.iter_mut().enumerate() {
                *b = (j as u8).wrapping_mul(13).wrapping_add((w * 31 + i) as u8) | 1;
            }
            api::srp_sign_in(api, t, user, &a).await
        }
        9 => api
            .call(
                "SignUp",
                &json!({"ClientId": t.client_id, "Username": format!("soak{run_id}w{w}n{i}"), "Password": api::PASSWORD}),
            )
            .await
            .map(|_| ()),
        // Abandoned after the first step: the exchange waits for its expiry.
        10..=12 => {
            let client = cognito_protocol::srp::ClientEphemeral::from_private_bytes(&[7u8; 128])
                .map_err(|e| e.to_string())?;
            api.call(
                "InitiateAuth",
                &json!({"ClientId": t.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": user, "SRP_A": client.public_hex()}}),
            )
            .await
            .map(|_| ())
        }
        // Wrong passwords, on a user no other step signs in as.
        13..=15 => {
            let wrong = api
                .call(
                    "InitiateAuth",
                    &json!({"ClientId": t.client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": victim, "PASSWORD": "Wrong-Passw0rd!"}}),
                )
                .await;
            match wrong {
                Err(e) if e.contains("NotAuthorizedException") => Ok(()),
                Err(e) => Err(e),
                Ok(_) => Err("a wrong password signed in".into()),
            }
        }
        // A forgotten-password code: a message into the outbox.
        _ => {
            let sent = api
                .call(
                    "ForgotPassword",
                    &json!({"ClientId": t.client_id, "Username": user}),
                )
                .await;
            match sent {
                Err(e) if e.contains("LimitExceededException") => Ok(()),
                other => other.map(|_| ()),
            }
        }
    }
}
