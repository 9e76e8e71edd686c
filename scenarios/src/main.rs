//! `cognito-scenarios [FILE…]`: replays scenario files (default: every file in
//! `scenarios/library`) and prints a report; exits 1 when any fails.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

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
        cli.files
    };
    let (mut passed, mut failed) = (0, 0);
    for path in &files {
        let scenario = match cognito_scenarios::load(path) {
            Ok(s) => s,
            Err(e) => {
                println!("FAIL {e}");
                failed += 1;
                continue;
            }
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match cognito_scenarios::run(&scenario, &name).await {
            Ok(report) => {
                print!("{report}");
                if cli.journal {
                    for line in &report.journal {
                        println!("       {line}");
                    }
                }
                passed += 1;
            }
            Err(failure) => {
                println!("FAIL {failure}");
                failed += 1;
            }
        }
    }
    println!("\n{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
