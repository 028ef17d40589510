//! Time for the timer service: the OS clock, or loom's model clock.
//!
//! Real: an [`Instant`] is `std::time::Instant`. The service launches a
//! timer's OS thread [`LEAD`] before its deadline, and that thread waits for
//! the deadline itself ([`sleep_until`]), so the function starts on time
//! instead of one thread-creation late.
//!
//! Under loom: an [`Instant`] is a tick of the model clock, and [`after`]
//! is the workspace's one rule for it: a zero interval is due "now", any
//! other interval "the next tick", so the model's clock thread
//! (`fire()` / `fire_final()`) decides where in the interleaving a timer
//! becomes due. There is no lead and no sleep.

#[cfg(not(loom))]
use std::time::Duration;
use thread_core::__private::Deadline;

pub(crate) use thread_core::__private::clock::{after, now, Instant};

/// How long before its deadline a timer's OS thread is created: more than
/// the time it takes to create a thread and for the service's own wake-up
/// to be late, so the thread is there, waiting, when the deadline comes.
#[cfg(not(loom))]
pub(crate) const LEAD: Duration = Duration::from_micros(500);

/// The last stretch before a deadline that [`sleep_until`] spends spinning
/// rather than sleeping: a sleep may end up to the kernel's timer slack
/// (50 µs by default on Linux) late, and a yield on a busy machine gives
/// the core away for a whole time slice.
#[cfg(not(loom))]
const SPIN: Duration = Duration::from_micros(120);

/// Whether the service must launch a timer due at `at`, the time being `now`.
#[inline]
pub(crate) fn is_due(at: Instant, now: Instant) -> bool {
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
pub(crate) fn wake_deadline(at: Instant) -> Deadline {
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
pub(crate) fn sleep_until(at: Instant) {
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
