//! # cognito-scenarios
//!
//! Scenario files (TOML, in `scenarios/library/`) replay sign-up, challenge and refresh flows
//! end to end: the SDK under test talks to an in-process emulator over loopback while the
//! scenario moves the clocks, injects faults and quotas, and states what every step must
//! produce. `cargo test -p cognito-scenarios` replays every file and snapshots each request
//! journal; the `cognito-scenarios` command replays one or all and prints a report.

pub mod compare;
pub mod format;
mod runner;

pub use runner::{
    journal_line, replay, run, run_with, Client, Failure, Observed, Replay, Report, StepReport,
};

use std::path::Path;

/// Why a file could not be replayed at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Not readable.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// Not a scenario.
    #[error("{file}: {source}")]
    Parse {
        /// The file.
        file: String,
        /// The failure.
        #[source]
        source: toml::de::Error,
    },
}

/// Reads a scenario file.
pub fn load(path: &Path) -> Result<format::Scenario, LoadError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| LoadError::Parse { file, source })
}

/// The scenario files of a directory, sorted.
pub fn files(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    Ok(out)
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "PASS {} — {}", self.file, self.name)?;
        if !self.description.is_empty() {
            writeln!(f, "     {}", self.description.trim())?;
        }
        for s in &self.steps {
            writeln!(f, "  {:>2}. {:<48} {}", s.index, s.summary, s.observed)?;
        }
        writeln!(
            f,
            "     {} requests reached the emulator",
            self.journal.len()
        )
    }
}
