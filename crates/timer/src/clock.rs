//! Time for the timer service: the OS clock, or loom's model clock.
//!
//! Real: an [`Instant`] is `std::time::Instant`. The service launches a
//! timer's OS thread [`LEAD`] before its deadline, and that thread waits for
//! the deadline itself ([`sleep_until`]), so the function starts on time
//! instead of one thread-creation late.
//!
//! Under loom: an [`Instant`] is a tick of `thread_core::park::model`'s
//! clock. A zero interval is due "now", any other interval "the next tick",
//! as for every other deadline of the workspace, so the model's clock thread
//! (`fire()` / `fire_final()`) decides where in the interleaving a timer
//! becomes due. There is no lead and no sleep.

use std::time::Duration;
use thread_core::shim::Deadline;

pub use thread_core::shim::{now, Instant};

/// How long before its deadline a timer's OS thread is created: more than
/// the time it takes to create a thread and for the service's own wake-up
/// to be late, so the thread is there, waiting, when the deadline comes.
#[cfg(not(loom))]
pub const LEAD: Duration = Duration::from_micros(500);

/// The last stretch before a deadline that [`sleep_until`] spends spinning
/// rather than sleeping: a sleep may end up to the kernel's timer slack
/// (50 µs by default on Linux) late, and a yield on a busy machine gives
/// the core away for a whole time slice.
#[cfg(not(loom))]
const SPIN: Duration = Duration::from_micros(120);

/// Intervals at least this long never expire under the model clock.
#[cfg(loom)]
const MODEL_FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// `interval` after `from`, or `None` when that is beyond what the clock can
/// represent: such a timer never fires (up to `Duration::MAX`, no overflow).
#[inline]
pub fn after(from: Instant, interval: Duration) -> Option<Instant> {
    #[cfg(not(loom))]
    {
        from.checked_add(interval)
    }
    #[cfg(loom)]
    {
        if interval >= MODEL_FOREVER {
            None
        } else {
            Some(if interval.is_zero() { from } else { from + 1 })
        }
    }
}

/// Whether the service must launch a timer due at `at`, the time being `now`.
#[inline]
pub fn is_due(at: Instant, now: Instant) -> bool {
    #[cfg(not(loom))]
    {
        at.checked_sub(LEAD).is_none_or(|launch| launch <= now)
    }
    #[cfg(loom)]
    {
        at <= now
    }
}

/// The deadline the service parks until when the earliest timer is due at
/// `at`: its launch time.
pub fn wake_deadline(at: Instant) -> Deadline {
    #[cfg(not(loom))]
    {
        Deadline::at(at.checked_sub(LEAD).unwrap_or(at))
    }
    #[cfg(loom)]
    {
        Deadline::at(at)
    }
}

/// Blocks the calling thread until `at`: a sleep for all but the last
/// `SPIN`, then a spin, so it wakes neither early nor a timer-slack late.
/// Only a timer's own thread calls it, once, just before its function.
pub fn sleep_until(at: Instant) {
    #[cfg(not(loom))]
    loop {
        let now = Instant::now();
        if now >= at {
            return;
        }
        let left = at - now;
        if left > SPIN {
            std::thread::sleep(left - SPIN);
        } else {
            std::hint::spin_loop();
        }
    }
    #[cfg(loom)]
    let _ = at;
}
