//! The emulator's clock: wall time plus an offset, or frozen at an instant.
//!
//! Every time the emulator uses (token `iat`/`exp`, code expiry, session expiry, the optional
//! SRP timestamp window) is read from one [`EmulatorClock`], which tests and scenarios move
//! through [`crate::Emulator::clock`] or `POST /_emulator/clock`. Nothing in the emulator reads
//! the system time directly.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Default, Clone, Copy)]
struct State {
    /// When frozen, the instant (Unix milliseconds) the clock shows.
    frozen_at: Option<i64>,
    /// Added to the wall time when not frozen.
    offset_ms: i64,
}

/// A clock that tests control. Starts on the wall time, not frozen.
///
/// ```
/// use cognito_emulator::EmulatorClock;
/// use std::time::Duration;
///
/// let clock = EmulatorClock::default();
/// clock.freeze_at(1_800_000_000);
/// clock.advance(Duration::from_secs(3600));
/// assert_eq!(clock.now_secs(), 1_800_003_600);
/// ```
#[derive(Debug, Default)]
pub struct EmulatorClock {
    state: Mutex<State>,
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl EmulatorClock {
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }

    /// The current instant in Unix milliseconds.
    pub fn now_millis(&self) -> i64 {
        self.with(|s| s.frozen_at.unwrap_or_else(|| wall_ms() + s.offset_ms))
    }

    /// The current instant in Unix seconds.
    pub fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// The current instant as epoch seconds with a fraction, as the API's timestamps are.
    pub fn now_epoch_f64(&self) -> f64 {
        self.now_millis() as f64 / 1000.0
    }

    /// Moves the clock forward (frozen or not).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.with(|s| match s.frozen_at.as_mut() {
            Some(at) => *at = at.saturating_add(ms),
            None => s.offset_ms = s.offset_ms.saturating_add(ms),
        });
    }

    /// Stops the clock where it is.
    pub fn freeze(&self) {
        let now = self.now_millis();
        self.with(|s| s.frozen_at = Some(now));
    }

    /// Stops the clock at a Unix time (seconds).
    pub fn freeze_at(&self, unix_secs: i64) {
        self.with(|s| s.frozen_at = Some(unix_secs.saturating_mul(1000)));
    }

    /// Lets the clock run again from where it shows now.
    pub fn unfreeze(&self) {
        self.with(|s| {
            if let Some(at) = s.frozen_at.take() {
                s.offset_ms = at - wall_ms();
            }
        });
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.with(|s| s.frozen_at.is_some())
    }
}

/// The emulator's clock is a clock the SDK can read: give the SDK
/// [`crate::Handle::shared_clock`] and one `advance` moves both.
impl cognito_protocol::clock::Clock for EmulatorClock {
    fn now(&self) -> SystemTime {
        let ms = u64::try_from(self.now_millis()).unwrap_or(0);
        UNIX_EPOCH + Duration::from_millis(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_a_running_clock_shifts_it() {
        let clock = EmulatorClock::default();
        let before = clock.now_secs();
        clock.advance(Duration::from_secs(86_400));
        assert!(clock.now_secs() >= before + 86_400);
    }

    #[test]
    fn unfreeze_keeps_the_shown_time() {
        let clock = EmulatorClock::default();
        clock.freeze_at(2_000_000_000);
        clock.unfreeze();
        assert!(!clock.is_frozen());
        let now = clock.now_secs();
        assert!((2_000_000_000..2_000_000_100).contains(&now));
    }
}
