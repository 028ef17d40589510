//! The clock that every deadline of the workspace is measured on: the OS's
//! monotonic clock, or under `cfg(loom)` the model clock.
//!
//! Loom never lets a timed wait expire on its own, so under the model time
//! is a counter of *ticks* that a model's clock thread advances
//! (`__private::model::fire`, which also times out the parked threads that
//! are then due). One rule turns a timeout into a tick, for every deadline
//! of the workspace, the timer service's included ([`after`]): a zero
//! timeout is "now" (it polls), any other finite timeout "the next tick",
//! so loom chooses where, among a primitive's own steps, the timeout
//! fires; a timeout of a century or more never expires.
//!
//! This module is a leaf: the parking layer's model backend reads and
//! advances the tick here, not the other way round.

use std::time::Duration;

/// A point on the clock: `std::time::Instant`, or under loom a tick.
#[cfg(not(loom))]
pub type Instant = std::time::Instant;
/// A point on the clock: `std::time::Instant`, or under loom a tick.
#[cfg(loom)]
pub type Instant = u64;

#[cfg(loom)]
loom::lazy_static! {
    /// The model clock's tick, one per model execution.
    static ref TICK: loom::sync::atomic::AtomicU64 = loom::sync::atomic::AtomicU64::new(0);
}

/// Timeouts at least this long never expire under the model clock, as
/// they never do in practice with the real one.
#[cfg(loom)]
const MODEL_FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The current point on the clock.
#[inline]
pub fn now() -> Instant {
    #[cfg(not(loom))]
    {
        std::time::Instant::now()
    }
    #[cfg(loom)]
    {
        TICK.load(loom::sync::atomic::Ordering::SeqCst)
    }
}

/// Moves the model clock to `tick` (never backwards); returns the tick it
/// is at. Only the model backend of the parking layer calls it, under its
/// table lock.
#[cfg(loom)]
pub(crate) fn advance_to(tick: u64) -> u64 {
    use loom::sync::atomic::Ordering::SeqCst;
    TICK.fetch_max(tick, SeqCst).max(tick)
}

/// `timeout` after `from`, or `None` when that is beyond what the clock can
/// represent (up to `Duration::MAX`: it never overflows). Under loom, the
/// tick rule of the module documentation.
#[inline]
pub fn after(from: Instant, timeout: Duration) -> Option<Instant> {
    #[cfg(not(loom))]
    {
        from.checked_add(timeout)
    }
    #[cfg(loom)]
    {
        if timeout >= MODEL_FOREVER {
            None
        } else {
            Some(if timeout.is_zero() { from } else { from + 1 })
        }
    }
}

/// A point in time a blocking call gives up at, or "never".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline: wait as long as it takes.
    pub const NEVER: Deadline = Deadline(None);

    /// The deadline `timeout` from now. A timeout too large to represent
    /// (up to `Duration::MAX`) is [`Deadline::NEVER`].
    #[inline]
    pub fn after(timeout: Duration) -> Deadline {
        Deadline(after(now(), timeout))
    }

    /// The deadline at a given point of the clock (for a caller that keeps
    /// its own deadlines, such as a timer queue).
    #[inline]
    pub fn at(instant: Instant) -> Deadline {
        Deadline(Some(instant))
    }

    /// Whether the deadline has been reached.
    #[inline]
    pub fn has_passed(&self) -> bool {
        self.0.is_some_and(|at| now() >= at)
    }

    /// The point on the clock, if any.
    #[inline]
    pub fn instant(&self) -> Option<Instant> {
        self.0
    }
}
