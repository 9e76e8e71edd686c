//! `cognito-scenarios [FILE…] [--client C] [--report FILE]`: replays scenario files (default:
//! every file in `scenarios/library`) against a client (default: the Rust SDK) and prints a
//! report; `--client all` replays against every shipped client and prints the comparison table.
//! Exits 1 when the client (with `all`: the Rust SDK, or a driver that cannot run) does not do
//! what the scenarios expect.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use cognito_scenarios::compare;

#[derive(Debug, Parser)]
#[command(
    name = "cognito-scenarios",
    version,
    about = "Replay Cognito scenario files against the emulator"
)]
struct Cli {
    /// Scenario files; default: every .toml file in --dir.
    files: Vec<PathBuf>,
    /// The directory of scenario files.
    #[arg(long, default_value = "scenarios/library")]
    dir: PathBuf,
    /// Print each scenario's request journal too.
    #[arg(long)]
    journal: bool,
    /// The client under test: `rust` (the SDK, in process), `identity-js`, `amplify`, `all`, or
    /// a command speaking the driver protocol (scenarios/README.md), e.g. "node my-driver.mjs".
    #[arg(long, default_value = "rust")]
    client: String,
    /// Also write the results as an HTML page with a timeline per scenario.
    #[arg(long)]
    report: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let files = if cli.files.is_empty() {
        match cognito_scenarios::files(&cli.dir) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("cannot read {}: {e}", cli.dir.display());
                return ExitCode::FAILURE;
            }
        }
    } else {
        cli.files.clone()
    };
    let clients = if cli.client == "all" {
        compare::all_clients()
    } else {
        vec![compare::client(&cli.client)]
    };
    let mut scenarios = Vec::new();
    for path in &files {
        match cognito_scenarios::load(path) {
            Ok(s) => scenarios.push((
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                s,
            )),
            Err(e) => {
                println!("FAIL {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let names: Vec<String> = scenarios.iter().map(|(n, _)| n.clone()).collect();
    let mut cells = Vec::new();
    let mut broken = false;
    for (k, client) in clients.iter().enumerate() {
        let mut column = Vec::new();
        let (mut passed, mut failed) = (0, 0);
        for (name, scenario) in &scenarios {
            let replay = cognito_scenarios::replay(scenario, name, client).await;
            if clients.len() == 1 {
                match &replay.failure {
                    None => {
                        print!("{}", replay.report);
                        if cli.journal {
                            for line in &replay.report.journal {
                                println!("       {line}");
                            }
                        }
                    }
                    Some(f) => println!("FAIL {f}"),
                }
            }
            match &replay.failure {
                None => passed += 1,
                Some(f) => {
                    failed += 1;
                    // The Rust SDK must pass; a driver that cannot start is broken.
                    broken |=
                        k == 0 && matches!(client, cognito_scenarios::Client::Rust) || f.step == 0;
                }
            }
            column.push(replay);
        }
        if clients.len() == 1 {
            println!("\n{passed} passed, {failed} failed");
            broken |= failed > 0;
        }
        cells.push(column);
    }
    let client_names: Vec<String> = clients.iter().map(|c| c.name().to_owned()).collect();
    if clients.len() > 1 {
        print!("{}", compare::table(&names, &client_names, &cells));
    }
    if let Some(path) = &cli.report {
        if let Err(e) = std::fs::write(path, compare::html(&names, &client_names, &cells)) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("report: {}", path.display());
    }
    if broken {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
