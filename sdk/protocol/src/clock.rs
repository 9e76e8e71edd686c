//! Time as the SDK sees it, injected so tests move it instead of sleeping. The trait lives in the
//! protocol crate so that the emulator's clock can be the SDK's clock too: in a test, one
//! `advance` then moves both.
//!
//! ```
//! use cognito_protocol::clock::{Clock, ManualClock};
//! use std::time::Duration;
//!
//! let clock = ManualClock::at(1_800_000_000);
//! clock.advance(Duration::from_secs(60));
//! assert_eq!(clock.now_secs(), 1_800_000_060);
//! ```

use std::fmt::Debug;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time.
pub trait Clock: Send + Sync + Debug {
    /// Now.
    fn now(&self) -> SystemTime;

    /// Now, in Unix seconds.
    fn now_secs(&self) -> i64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// The system clock (the default).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    /// A clock showing a Unix time (seconds).
    pub fn at(unix_secs: i64) -> Self {
        let t = UNIX_EPOCH + Duration::from_secs(u64::try_from(unix_secs).unwrap_or(0));
        Self { now: Mutex::new(t) }
    }

    /// A clock showing the current system time, frozen.
    pub fn frozen_now() -> Self {
        Self {
            now: Mutex::new(SystemTime::now()),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    /// Sets the clock to a Unix time (seconds).
    pub fn set(&self, unix_secs: i64) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) =
            UNIX_EPOCH + Duration::from_secs(u64::try_from(unix_secs).unwrap_or(0));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The system clock plus an offset that tests and tools move: time passes as usual, and
/// `advance` jumps ahead (to expire tokens without waiting) without freezing it.
///
/// ```
/// use cognito_protocol::clock::{Clock, OffsetClock, SystemClock};
/// use std::time::Duration;
///
/// let clock = OffsetClock::new();
/// clock.advance(Duration::from_secs(3600));
/// assert!(clock.now_secs() >= SystemClock.now_secs() + 3599);
/// ```
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset: Mutex<Duration>,
}

impl OffsetClock {
    /// The system clock, no offset yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }

    /// How far ahead of the system clock it is.
    pub fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> SystemTime {
        SystemTime::now() + self.offset()
    }
}
