//! Driving one operation with N concurrent workers for a while, and summarising what came back.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::process::Server;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    /// Latencies of successful requests, sorted (microseconds).
    pub latencies: Vec<u32>,
    /// The server's CPU time over the run, when the server is a process we can read.
    pub server_cpu: Option<Duration>,
    pub first_error: Option<String>,
}

impl Outcome {
    pub fn per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        Duration::from_micros(u64::from(self.latencies[rank]))
    }

    /// `Err` naming `what` when any request failed, with the first failure.
    pub fn all_ok(&self, what: &str) -> Result<(), String> {
        if self.errors == 0 {
            return Ok(());
        }
        Err(format!(
            "{what}: {} of {} requests failed, the first with {}",
            self.errors,
            self.requests,
            self.first_error.clone().unwrap_or_default()
        ))
    }

    /// Server CPU per successful request.
    pub fn cpu_per_request(&self) -> Option<Duration> {
        let cpu = self.server_cpu?;
        let n = u32::try_from(self.requests.saturating_sub(self.errors)).ok()?;
        (n > 0).then(|| cpu / n)
    }
}

/// Runs `op(worker, iteration)` on `workers` tasks until `duration` has passed (each worker
/// finishes its request in flight), at least `min_per_worker` times each. One request is one
/// call of `op`, which may make several HTTP requests (an SRP sign-in makes two).
pub async fn run<F, Fut>(
    workers: usize,
    duration: Duration,
    min_per_worker: usize,
    server: Option<&Server>,
    op: F,
) -> Outcome
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let op = Arc::new(op);
    let cpu_before = server.map(Server::cpu);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(workers);
    for w in 0..workers {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let (mut errors, mut first_error) = (0usize, None);
            let mut i = 0usize;
            while i < min_per_worker || started.elapsed() < duration {
                let t = Instant::now();
                match op(w, i).await {
                    Ok(()) => lat.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX)),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
                i += 1;
            }
            (lat, errors, first_error)
        }));
    }
    let mut latencies = Vec::new();
    let (mut errors, mut first_error) = (0, None);
    for t in tasks {
        if let Ok((lat, e, fe)) = t.await {
            latencies.extend(lat);
            errors += e;
            if first_error.is_none() {
                first_error = fe;
            }
        }
    }
    let elapsed = started.elapsed();
    let server_cpu = server
        .zip(cpu_before)
        .map(|(s, before)| s.cpu().saturating_sub(before));
    latencies.sort_unstable();
    Outcome {
        requests: latencies.len() + errors,
        errors,
        elapsed,
        latencies,
        server_cpu,
        first_error,
    }
}
