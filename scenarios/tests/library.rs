//! Replays every scenario in `library/` (tokio's clock is paused, so backoffs, timeouts and
//! hangs cost no wall-clock time) and snapshots each request journal, so a change in what the
//! SDK sends shows up as a snapshot diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[tokio::test(start_paused = true)]
async fn every_scenario_in_the_library_passes_with_its_journal() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("library");
    let files = cognito_scenarios::files(&dir).unwrap();
    assert!(files.len() >= 10, "the library has {} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let scenario = cognito_scenarios::load(path).unwrap_or_else(|e| panic!("{e}"));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match cognito_scenarios::run(&scenario, &name).await {
            Ok(report) => {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                insta::assert_yaml_snapshot!(stem, report.journal);
            }
            Err(f) => failures.push(f.to_string()),
        }
    }
    assert!(
        failures.is_empty(),
        "failing scenarios:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(start_paused = true)]
async fn the_rust_sdk_behaves_as_every_catalogue_reproduction_expects() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let files = cognito_scenarios::files(&dir).unwrap();
    assert!(files.len() >= 10, "the catalogue has {} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let scenario = cognito_scenarios::load(path).unwrap_or_else(|e| panic!("{e}"));
        let source = scenario.source.clone().unwrap_or_default();
        assert!(
            source.starts_with("https://github.com/"),
            "{}: a catalogue file cites the public issue it reproduces",
            path.display()
        );
        assert!(!scenario.description.is_empty());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Err(f) = cognito_scenarios::run(&scenario, &name).await {
            failures.push(f.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "failing reproductions:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_step_names_the_file_the_step_and_the_difference() {
    let text = r#"
name = "deliberately wrong"

[[pools]]
Id = "us-east-1_Broken001"
PoolName = "p"

[[pools.Clients]]
ClientName = "c"

[[pools.Users]]
Username = "alice"
Password = "Passw0rd!"

[[steps]]
do = "sign_in"
user = "alice"
password = "Passw0rd!"

[[steps]]
do = "sign_in"
user = "alice"
password = "Wr0ng-Passw0rd!"
expect = { outcome = "signed_in" }
"#;
    let scenario: cognito_scenarios::format::Scenario = toml::from_str(text).unwrap();
    let failure = cognito_scenarios::run(&scenario, "broken.toml")
        .await
        .unwrap_err();
    assert_eq!(failure.step, 2);
    let message = failure.to_string();
    assert!(message.starts_with("broken.toml: step 2 (sign_in alice (srp)): expected signed_in, got error NotAuthorizedException"), "{message}");
    assert!(
        message.contains("Incorrect username or password."),
        "{message}"
    );
}

#[test]
fn malformed_files_are_refused_with_the_file_and_the_reason() {
    let dir = std::env::temp_dir().join(format!("scenario-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "name = \"x\"\npools = []\n[[steps]]\ndo = \"teleport\"\n",
    )
    .unwrap();
    let e = cognito_scenarios::load(&path).unwrap_err().to_string();
    assert!(e.contains("bad.toml") && e.contains("teleport"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
