//! The emulator as a child process: started on a free loopback port, with its CPU time and
//! resident memory read from /proc (Linux).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// From spawn to the "listening on" line.
    pub start: Duration,
}

impl Server {
    /// Spawns `bin serve --port 0` and waits for its endpoint.
    pub fn spawn(bin: &Path) -> Result<Self, String> {
        Self::spawn_with(bin, &[])
    }

    /// The same with extra environment variables (`COGNITO_MULTIPLIER=portable` …).
    pub fn spawn_with(bin: &Path, env: &[(&str, &str)]) -> Result<Self, String> {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0"])
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let endpoint = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.split("listening on ").nth(1) {
                        break rest.trim().to_owned();
                    }
                }
                _ => return Err(format!("{} exited before listening", bin.display())),
            }
        };
        let start = started.elapsed();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Self {
            child,
            endpoint,
            start,
        })
    }

    /// User + system CPU time consumed so far.
    pub fn cpu(&self) -> Duration {
        cpu_of(self.child.id()).unwrap_or_default()
    }

    /// Resident memory in bytes.
    pub fn rss(&self) -> u64 {
        rss_of(self.child.id()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Linux reports CPU time in clock ticks of 1/100 s (USER_HZ on every mainstream kernel).
const TICKS_PER_SEC: u64 = 100;

fn cpu_of(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis(
        (utime + stime) * 1000 / TICKS_PER_SEC,
    ))
}

fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
