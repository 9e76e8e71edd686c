//! Replays the library and the catalogue against the shipped drivers (amazon-cognito-identity-js
//! and aws-amplify v6, run by Node from scenarios/drivers) and snapshots what each client did,
//! step by step, so that a client upgrade that changes behaviour shows up as a snapshot diff.
//! Real time (the drivers live outside the runtime's clock). Needs `npm ci` in
//! scenarios/drivers: without it the test says so and passes, unless CI_REQUIRE_DRIVERS=1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use cognito_scenarios::compare;

fn drivers_installed() -> bool {
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    node && compare::drivers_dir().join("node_modules").is_dir()
}

async fn replay_dir(
    dir: &str,
    client: &cognito_scenarios::Client,
) -> Vec<cognito_scenarios::Replay> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    for path in cognito_scenarios::files(&dir).unwrap() {
        let scenario = cognito_scenarios::load(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push(cognito_scenarios::replay(&scenario, &name, client).await);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_client_replays_the_library_and_the_catalogue() {
    if !drivers_installed() {
        assert!(
            std::env::var("CI_REQUIRE_DRIVERS").as_deref() != Ok("1"),
            "CI_REQUIRE_DRIVERS=1 but Node or scenarios/drivers/node_modules is missing (npm ci there)"
        );
        eprintln!(
            "skipped: run `npm ci` in scenarios/drivers to replay against identity-js and Amplify"
        );
        return;
    }
    let runs = compare::SHIPPED.iter().map(|(name, _)| async move {
        let client = compare::client(name);
        let library = replay_dir("library", &client).await;
        let catalogue = replay_dir("catalogue", &client).await;
        (name, library, catalogue)
    });
    for (name, library, catalogue) in futures::future::join_all(runs).await {
        // A driver that cannot start fails at set-up (step 0) everywhere.
        for r in library.iter().chain(&catalogue) {
            if let Some(f) = &r.failure {
                assert_ne!(f.step, 0, "{name} could not replay {}: {f}", r.report.file);
            }
        }
        insta::assert_yaml_snapshot!(format!("{name}-library"), compare::outcomes(&library));
        insta::assert_yaml_snapshot!(format!("{name}-catalogue"), compare::outcomes(&catalogue));
    }
}
