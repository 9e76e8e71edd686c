//! Record and replay: a library scenario is run, the emulator's journal is turned into a
//! scenario file (`GET /_emulator/journal?format=scenario`), the password is filled in where the
//! recording says `CHANGE-ME`, and the recorded file replays to the same requests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

async fn round_trip(file: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("library")
        .join(file);
    let original = cognito_scenarios::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let first = cognito_scenarios::run(&original, file)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let recorded = first.recorded.replace("CHANGE-ME", "Passw0rd!");
    let scenario: cognito_scenarios::format::Scenario =
        toml::from_str(&recorded).unwrap_or_else(|e| panic!("{e}\n{recorded}"));
    let again = cognito_scenarios::run(&scenario, "recorded.toml")
        .await
        .unwrap_or_else(|e| panic!("{e}\n{recorded}"));
    // The same requests with the same outcomes (request ids and latencies aside).
    let shape = |journal: &[String]| -> Vec<String> {
        journal
            .iter()
            .map(|l| l.split(" (").next().unwrap_or(l).to_owned())
            .collect()
    };
    assert_eq!(shape(&again.journal), shape(&first.journal), "{recorded}");
}

#[tokio::test(start_paused = true)]
async fn a_recorded_sign_up_and_sign_in_replays() {
    round_trip("01-sign-up-confirm-sign-in.toml").await;
}

#[tokio::test(start_paused = true)]
async fn a_recorded_refresh_after_an_hour_replays() {
    round_trip("04-expiry-and-refresh.toml").await;
}

#[tokio::test(start_paused = true)]
async fn a_recorded_offline_refresh_with_its_fault_replays() {
    round_trip("10-offline-25-hours.toml").await;
}
