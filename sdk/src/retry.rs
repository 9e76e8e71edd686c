//! Bounded retries with jittered exponential backoff, for the failures worth retrying
//! (network errors, timeouts, throttling, 5xx).
//!
//! ```
//! use cognito_sdk::retry::RetryPolicy;
//! use std::time::Duration;
//!
//! let policy = RetryPolicy::default();
//! assert_eq!(policy.max_attempts, 3);
//! let none = RetryPolicy::none();
//! assert_eq!(none.max_attempts, 1);
//! assert!(policy.delay_before(2, 0.5) <= Duration::from_millis(400));
//! ```

use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The backoff before the second attempt; it doubles each time.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `attempt` (2 = the first retry), given a jitter draw in [0, 1):
    /// "full jitter", a uniform share of the capped exponential backoff.
    pub fn delay_before(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(2).min(20);
        let ceiling = self.base_delay.saturating_mul(1 << exp).min(self.max_delay);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
    }
}
