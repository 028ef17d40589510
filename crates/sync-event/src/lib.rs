//! Python's `threading.Event` for Rust: a flag that threads set, clear and
//! wait for.
//!
//! The book's chapter: [Signalling between threads:
//! Event](../../book/event.html); and [this crate's
//! page](../../book/crates/sync-event.html). `cargo xtask book` builds the
//! book from `docs/` into `target/book/`, beside this documentation when that
//! is built into the default `target/doc/` (the links are relative).
//!
//! An [`Event`] is one atomic word. [`is_set`](Event::is_set) is one load;
//! [`set`](Event::set) with nobody waiting is one compare-and-swap and no
//! system call; [`wait`](Event::wait) spins for a few microseconds (enough to
//! catch a `set` from a thread running on another core) and then parks, so a
//! thread waiting for an event that never comes uses no CPU.
//!
//! This crate depends only on `thread-core`; the facade crate `threading`
//! re-exports it as `threading::Event`.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use sync_event::Event;
//!
//! let ready = Arc::new(Event::new());
//! let r = ready.clone();
//! let t = std::thread::spawn(move || {
//!     r.wait();
//!     "released"
//! });
//! assert!(!ready.wait_timeout(Duration::from_millis(10)));
//! ready.set();
//! assert_eq!(t.join().unwrap(), "released");
//! ```

use std::fmt;
use std::panic::Location;
use std::time::Duration;
use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::wait::{self, FilterOp, SpinPolicy, UnparkToken, WaitAs, WaitTarget, Waiter, Wake};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

/// The flag is set.
const SET: usize = 0b01;
/// Some thread may be parked on the word's address.
const PARKED: usize = 0b10;
/// One step of the generation counter (bits 2 and up).
const GEN_ONE: usize = 0b100;
/// The generation bits.
const GEN_MASK: usize = !(SET | PARKED);

/// The token a waiter woken by [`Event::set`] receives.
const TOKEN_SET: UnparkToken = UnparkToken(1);

/// A flag that threads can set, clear and wait for (Python's
/// `threading.Event`).
///
/// Every thread waiting when [`set`](Event::set) is called is woken and
/// returns `true`, even if [`clear`](Event::clear) runs before it is
/// scheduled (CPython's bpo-13502). Threads that start waiting after a
/// `clear` wait for the next `set`.
///
/// Memory: what a thread wrote before `set` is visible to a thread whose
/// `wait` returned `true` or whose `is_set` returned `true`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use sync_event::Event;
///
/// let e = Arc::new(Event::new());
/// let waiters: Vec<_> = (0..3)
///     .map(|_| {
///         let e = e.clone();
///         std::thread::spawn(move || e.wait())
///     })
///     .collect();
/// e.set(); // wakes all three
/// for w in waiters {
///     assert!(w.join().unwrap());
/// }
/// ```
pub struct Event {
    /// The whole state:
    ///
    /// | bits  | name     | meaning                                               |
    /// |-------|----------|-------------------------------------------------------|
    /// | 0     | `SET`    | the flag                                              |
    /// | 1     | `PARKED` | some thread may be parked on this word's address      |
    /// | 2..   | gen      | generation: +1 by every `set` that finds the flag clear |
    ///
    /// A waiter parks with its generation as park token and the validation
    /// "the word is still exactly this generation, clear, `PARKED`"; `set`
    /// clears `PARKED` and bumps the generation in one step, then wakes the
    /// threads parked on the old generation only. A thread that starts
    /// waiting after a later `clear` is on the new generation, so an old
    /// `set`'s late wake-up never reaches it.
    state: AtomicUsize,
    /// The name given by [`Event::named`], for the thread dump.
    name: Option<&'static str>,
}

impl WaitTarget for Event {
    fn describe(&self) -> Target {
        Target::new(Kind::Event, self as *const Event as usize, self.name, Holder::Event { set: self.is_set() })
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Event, self.name)
    }
}

impl Event {
    /// A new event, not set (Python's `threading.Event()`).
    ///
    /// # Examples
    ///
    /// ```
    /// static READY: sync_event::Event = sync_event::Event::new();
    /// assert!(!READY.is_set());
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    #[inline]
    pub const fn new() -> Event {
        Event { state: AtomicUsize::new(0), name: None }
    }

    /// A new event, not set (the loom build has no `const` atomics).
    #[cfg(loom)]
    #[must_use]
    pub fn new() -> Event {
        Event { state: AtomicUsize::new(0), name: None }
    }

    /// A new event, not set, with a name, which the thread dump shows
    /// (`threading::dump()`). Unnamed events cost nothing more.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = sync_event::Event::named("shutdown");
    /// assert_eq!(e.name(), Some("shutdown"));
    /// ```
    #[must_use]
    pub fn named(name: &'static str) -> Event {
        Event { name: Some(name), ..Event::new() }
    }

    /// The event's name, if it was given one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_event::Event::new().name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// A clear event whose generation is `gen` (the models start one next
    /// to the generation's wrap point).
    #[cfg(all(test, loom))]
    fn with_generation(gen: usize) -> Event {
        let e = Event::new();
        // Relaxed: not shared yet; publishing it to other threads orders it.
        e.state.store(gen.wrapping_mul(GEN_ONE) & GEN_MASK, Ordering::Relaxed);
        e
    }

    /// Whether the flag is set (Python's `is_set()`): one load, never
    /// blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = sync_event::Event::new();
    /// assert!(!e.is_set());
    /// e.set();
    /// assert!(e.is_set());
    /// ```
    #[inline]
    pub fn is_set(&self) -> bool {
        // Acquire: pairs with the AcqRel compare-exchange in `set`, so the
        // setter's writes are visible after a `true`.
        self.state.load(Ordering::Acquire) & SET != 0
    }

    /// Sets the flag and wakes every thread waiting for it (Python's
    /// `set()`). With nobody waiting it is one compare-and-swap; setting an
    /// event already set changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = sync_event::Event::new();
    /// e.set();
    /// e.set();
    /// assert!(e.is_set());
    /// ```
    #[inline]
    pub fn set(&self) {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            let new = if s & SET != 0 { s } else { (s.wrapping_add(GEN_ONE) | SET) & !PARKED };
            // Release: publishes the setter's writes to whoever sees SET
            // (the Acquire loads in `is_set` and the wait loop). Acquire:
            // keeps the unpark below after the state change.
            match self.state.compare_exchange_weak(s, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => s = actual,
            }
        }
        if s & (SET | PARKED) == PARKED {
            self.wake(s & GEN_MASK);
        }
    }

    /// Wakes the threads parked on generation `gen`.
    #[cold]
    fn wake(&self, gen: usize) {
        let filter = |token: wait::ParkToken| if token.0 == gen { FilterOp::Unpark } else { FilterOp::Skip };
        // SAFETY: the filter and the callback neither panic nor call the
        // wait path.
        unsafe {
            wait::wake_filter(&self.state, filter, |_| TOKEN_SET);
        }
    }

    /// Clears the flag (Python's `clear()`): threads that call
    /// [`wait`](Event::wait) afterwards block until the next
    /// [`set`](Event::set). Threads already woken by a `set` still return
    /// `true`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let e = sync_event::Event::new();
    /// e.set();
    /// e.clear();
    /// assert!(!e.wait_timeout(Duration::ZERO));
    /// ```
    #[inline]
    pub fn clear(&self) {
        // Relaxed: clearing publishes nothing; the parked bit and the
        // generation are left as they are.
        self.state.fetch_and(!SET, Ordering::Relaxed);
    }

    /// Blocks until the flag is set (Python's `wait()`); returns `true`, as
    /// Python's does. Returns at once if the flag is set already.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = sync_event::Event::new();
    /// e.set();
    /// assert!(e.wait());
    /// ```
    #[inline]
    #[track_caller]
    pub fn wait(&self) -> bool {
        self.is_set() || self.wait_slow(Deadline::NEVER, Location::caller())
    }

    /// Blocks until the flag is set or `timeout` has passed (Python's
    /// `wait(timeout)`); returns whether the flag was set: `true` when a
    /// [`set`](Event::set) woke this thread, even if the flag was cleared
    /// again before it returned. `Duration::ZERO` only looks; any duration up
    /// to `Duration::MAX` is accepted. A `set` that runs while this call
    /// waits makes it return `true`, even if the flag was cleared again.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let e = sync_event::Event::new();
    /// assert!(!e.wait_timeout(Duration::from_millis(5)));
    /// e.set();
    /// assert!(e.wait_timeout(Duration::from_secs(1)));
    /// ```
    #[must_use = "`false` means the flag was not set in time"]
    #[inline]
    #[track_caller]
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        if self.is_set() {
            return true;
        }
        if timeout.is_zero() {
            return false;
        }
        self.wait_slow(Deadline::after(timeout), Location::caller())
    }

    /// Waits until the flag is set, or a `set` has run since this call
    /// began (the flag may have been cleared again: bpo-13502), or
    /// `deadline` passes.
    #[cold]
    fn wait_slow(&self, deadline: Deadline, site: &'static Location<'static>) -> bool {
        // Acquire (here and below): pairs with the AcqRel compare-exchange
        // in `set`, so the setter's writes are visible after a `true`.
        let first = self.state.load(Ordering::Acquire);
        let gen = first & GEN_MASK;
        let done = |s: usize| s & SET != 0 || s & GEN_MASK != gen;
        if done(first) {
            return true;
        }
        // The generation is the park token: `set` wakes only the threads
        // of the generation it ends.
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter =
            unsafe { Waiter::new(&self.state, PARKED, deadline).token(gen).on(WaitAs::new(self, "wait", site)) };
        // Spin only with a CPU to spare for the setter (1: this thread).
        if waiter.spin(SpinPolicy::EVENT, 1, || done(self.state.load(Ordering::Acquire))) {
            return true;
        }
        loop {
            let s = self.state.load(Ordering::Acquire);
            if done(s) {
                return true;
            }
            match waiter.park(s) {
                // Only `set` wakes, and only threads of the generation it
                // ended: the flag was set for us (bpo-13502).
                Wake::Woken(_) => return true,
                Wake::Changed | Wake::Raced => {}
                // A `set` that ended our generation counts even if its
                // wake-up lost the race with the clock.
                Wake::TimedOut => return done(self.state.load(Ordering::Acquire)),
            }
        }
    }

    /// Whether some thread may be parked on this event (for the models: a
    /// waiter has passed the point where a `set` must wake it).
    #[cfg(all(test, loom))]
    fn has_parked_waiters(&self) -> bool {
        self.state.load(Ordering::Relaxed) & PARKED != 0
    }
}

impl Default for Event {
    /// A new event, not set.
    fn default() -> Event {
        Event::new()
    }
}

impl fmt::Debug for Event {
    /// `Event { is_set: false }`; never blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event").field("is_set", &self.is_set()).finish()
    }
}

#[cfg(all(test, loom))]
mod loom;
