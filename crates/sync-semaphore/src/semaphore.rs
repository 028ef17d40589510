//! `Semaphore`: a counter of permits in one atomic word.

use std::fmt;
use std::time::Duration;
use thread_core::park::{self, FilterOp, ParkResult, DEFAULT_PARK_TOKEN, DEFAULT_UNPARK_TOKEN};
use thread_core::shim::atomic::{AtomicUsize, Ordering};
use thread_core::shim::Deadline;
#[cfg(not(loom))]
use thread_core::shim::{spin_loop, yield_now};

/// Some thread may be parked on the word's address.
const PARKED: usize = 0b1;
/// One permit (the value lives in bits 1 and up).
const ONE: usize = 0b10;
/// The largest value a semaphore can hold.
pub(crate) const MAX_VALUE: usize = usize::MAX >> 1;

/// Spin rounds before parking: the first few pause 2, 4, 8 times, the
/// rest yield the CPU, as `parking_lot`'s mutex does. A permit released
/// within a few microseconds is caught without a system call.
#[cfg(not(loom))]
const SPIN_ROUNDS: u32 = 10;
/// Under loom: one extra try, so both the spin and the park paths are
/// modelled.
#[cfg(loom)]
const SPIN_ROUNDS: u32 = 1;

/// The wait before spin round `round`. Under loom none: loom does not
/// switch back to a yielded thread while others can run, which would hide
/// the interleavings where the spinner goes on first.
#[inline]
fn backoff(round: u32) {
    #[cfg(not(loom))]
    {
        if round < 3 {
            for _ in 0..(2u32 << round) {
                spin_loop();
            }
        } else {
            yield_now();
        }
    }
    #[cfg(loom)]
    let _ = round;
}

/// A counter of permits (Python's `threading.Semaphore`): `acquire` takes
/// one, blocking while there is none; `release` gives one back and wakes a
/// waiter.
///
/// An unbounded semaphore accepts more releases than acquires (each adds a
/// permit, as in Python); see [`BoundedSemaphore`](crate::BoundedSemaphore)
/// for one that refuses them. Waiters are woken oldest first, but a thread
/// arriving while a woken waiter is being scheduled may take the permit
/// first (the woken waiter then waits again): no permit is ever lost, and
/// the value never goes below zero.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use sync_semaphore::Semaphore;
///
/// let pool = Arc::new(Semaphore::new(2));
/// let workers: Vec<_> = (0..4)
///     .map(|_| {
///         let pool = pool.clone();
///         std::thread::spawn(move || {
///             let _permit = pool.permit(); // at most 2 threads in here
///         })
///     })
///     .collect();
/// for w in workers {
///     w.join().unwrap();
/// }
/// assert_eq!(pool.value(), 2);
/// ```
pub struct Semaphore {
    /// The whole state:
    ///
    /// | bits | name     | meaning                                           |
    /// |------|----------|---------------------------------------------------|
    /// | 0    | `PARKED` | some thread may be parked on this word's address  |
    /// | 1..  | value    | permits available (`ONE` per permit)              |
    ///
    /// A waiter parks only with the validation "value 0, `PARKED` set", so
    /// a `release` that adds permits either makes the validation fail or
    /// sees `PARKED` and wakes waiters. The last waiter to leave the queue
    /// (woken or timed out) clears `PARKED` under the queue lock.
    state: AtomicUsize,
}

impl Semaphore {
    /// A semaphore holding `value` permits (Python's `Semaphore(value)`).
    ///
    /// # Panics
    ///
    /// If `value` exceeds `usize::MAX / 2` ("semaphore initial value too
    /// large").
    ///
    /// # Examples
    ///
    /// ```
    /// static POOL: sync_semaphore::Semaphore = sync_semaphore::Semaphore::new(3);
    /// assert_eq!(POOL.value(), 3);
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    pub const fn new(value: usize) -> Semaphore {
        assert!(value <= MAX_VALUE, "semaphore initial value too large");
        Semaphore { state: AtomicUsize::new(value * ONE) }
    }

    /// A semaphore holding `value` permits (the loom build has no `const`
    /// atomics).
    #[cfg(loom)]
    #[must_use]
    pub fn new(value: usize) -> Semaphore {
        assert!(value <= MAX_VALUE, "semaphore initial value too large");
        Semaphore { state: AtomicUsize::new(value * ONE) }
    }

    /// The permits available now (Python's private `_value`): a snapshot,
    /// never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// s.acquire();
    /// assert_eq!(s.value(), 0);
    /// ```
    #[inline]
    pub fn value(&self) -> usize {
        self.state.load(Ordering::Relaxed) / ONE
    }

    /// Takes a permit, blocking until one is available (Python's
    /// `acquire()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// s.acquire();
    /// assert!(!s.try_acquire());
    /// s.release();
    /// ```
    #[inline]
    pub fn acquire(&self) {
        if !self.try_acquire() {
            self.acquire_slow(Deadline::NEVER);
        }
    }

    /// Takes a permit if one is available now (Python's
    /// `acquire(blocking=False)`); never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// assert!(s.try_acquire());
    /// assert!(!s.try_acquire());
    /// ```
    #[inline]
    pub fn try_acquire(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        while s >= ONE {
            // Acquire: pairs with the Release in `release_n`, so what the
            // releaser did before is visible to the new holder.
            match self.state.compare_exchange_weak(s, s - ONE, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(actual) => s = actual,
            }
        }
        false
    }

    /// Takes a permit, waiting at most `timeout` for one (Python's
    /// `acquire(timeout=t)`); returns whether it got one.
    /// `Duration::ZERO` tries once; any duration up to `Duration::MAX` is
    /// accepted.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let s = sync_semaphore::Semaphore::new(1);
    /// assert!(s.acquire_timeout(Duration::from_millis(5)));
    /// assert!(!s.acquire_timeout(Duration::from_millis(5)));
    /// ```
    #[inline]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        if self.try_acquire() {
            return true;
        }
        if timeout.is_zero() {
            return false;
        }
        self.acquire_slow(Deadline::after(timeout))
    }

    #[cold]
    fn acquire_slow(&self, deadline: Deadline) -> bool {
        for round in 0..SPIN_ROUNDS {
            backoff(round);
            if self.try_acquire() {
                return true;
            }
        }
        loop {
            let s = self.state.load(Ordering::Relaxed);
            if s >= ONE {
                if self.state.compare_exchange_weak(s, s - ONE, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                    return true;
                }
                continue;
            }
            if s & PARKED == 0 {
                // Relaxed: only announces a parker; the validation under the
                // queue lock re-reads the word.
                if self.state.compare_exchange_weak(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed).is_err() {
                    continue;
                }
            }
            if deadline.has_passed() {
                return self.try_acquire();
            }
            let validate = || self.state.load(Ordering::Relaxed) == PARKED;
            let timed_out = |_key, was_last: bool| {
                if was_last {
                    // Under the queue lock: no other thread is parked here.
                    self.state.fetch_and(!PARKED, Ordering::Relaxed);
                }
            };
            // SAFETY: the key is this semaphore's own address; the callbacks
            // only touch the atomic word.
            let r = unsafe { park::park(self.key(), validate, || {}, timed_out, DEFAULT_PARK_TOKEN, deadline) };
            match r {
                // Woken by a release, or the word changed: try again (past
                // the deadline the loop still takes a permit that is there).
                ParkResult::Unparked(_) | ParkResult::Invalid => continue,
                ParkResult::TimedOut => return self.try_acquire(),
            }
        }
    }

    /// Gives back one permit (Python's `release()`), waking one waiter.
    ///
    /// # Panics
    ///
    /// If the value would exceed `usize::MAX / 2`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(0);
    /// s.release();
    /// assert!(s.try_acquire());
    /// ```
    #[inline]
    pub fn release(&self) {
        self.release_n(1);
    }

    /// Gives back `n` permits (Python's `release(n)`), waking up to `n`
    /// waiters; `n == 0` does nothing.
    ///
    /// # Panics
    ///
    /// If the value would exceed `usize::MAX / 2`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(0);
    /// s.release_n(3);
    /// assert_eq!(s.value(), 3);
    /// ```
    #[inline]
    pub fn release_n(&self, n: usize) {
        if n == 0 {
            return;
        }
        let r = self.add(n, MAX_VALUE);
        assert!(r.is_ok(), "semaphore value overflow");
    }

    /// Adds `n` permits unless the value would pass `bound`; on success
    /// wakes up to `n` waiters. Returns the value seen on failure.
    #[inline]
    pub(crate) fn add(&self, n: usize, bound: usize) -> Result<(), usize> {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            let value = s / ONE;
            if n > bound - value.min(bound) {
                return Err(value);
            }
            // Release: pairs with the Acquire in `try_acquire`.
            match self.state.compare_exchange_weak(s, s + n * ONE, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => s = actual,
            }
        }
        if s & PARKED != 0 {
            self.wake(n);
        }
        Ok(())
    }

    /// Wakes up to `n` parked threads, oldest first.
    #[cold]
    fn wake(&self, n: usize) {
        let mut left = n;
        // SAFETY: the key is this semaphore's own address; the filter and
        // the callback neither panic nor call the parking layer.
        unsafe {
            park::unpark_filter(
                self.key(),
                |_| {
                    if left == 0 {
                        FilterOp::Stop
                    } else {
                        left -= 1;
                        FilterOp::Unpark
                    }
                },
                |r| {
                    if !r.have_more_threads {
                        // Under the queue lock: nobody else is parked. A
                        // woken thread that finds no permit sets it again.
                        self.state.fetch_and(!PARKED, Ordering::Relaxed);
                    }
                    DEFAULT_UNPARK_TOKEN
                },
            );
        }
    }

    /// Takes a permit and returns a guard that gives it back when dropped
    /// (Python's `with sem:`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// {
    ///     let _p = s.permit();
    ///     assert_eq!(s.value(), 0);
    /// }
    /// assert_eq!(s.value(), 1);
    /// ```
    #[inline]
    pub fn permit(&self) -> SemaphorePermit<'_> {
        self.acquire();
        SemaphorePermit { sem: self }
    }

    /// A guard for a permit if one is available now.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// let p = s.try_permit();
    /// assert!(p.is_some());
    /// assert!(s.try_permit().is_none());
    /// ```
    #[inline]
    pub fn try_permit(&self) -> Option<SemaphorePermit<'_>> {
        // Lazily: a permit made and dropped on `false` would release one.
        self.try_acquire().then(|| SemaphorePermit { sem: self })
    }

    /// A guard for a permit, waiting at most `timeout` for one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let s = sync_semaphore::Semaphore::new(0);
    /// assert!(s.try_permit_for(Duration::from_millis(5)).is_none());
    /// ```
    #[inline]
    pub fn try_permit_for(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
        // Lazily: a permit made and dropped on `false` would release one.
        self.acquire_timeout(timeout).then(|| SemaphorePermit { sem: self })
    }

    fn key(&self) -> usize {
        &self.state as *const AtomicUsize as usize
    }
}

impl Default for Semaphore {
    /// A semaphore holding one permit, as Python's `Semaphore()`.
    fn default() -> Semaphore {
        Semaphore::new(1)
    }
}

impl fmt::Debug for Semaphore {
    /// `Semaphore { value: 2 }`; never blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore").field("value", &self.value()).finish()
    }
}

/// A permit of a [`Semaphore`], given back when dropped (also while
/// unwinding from a panic).
///
/// # Examples
///
/// ```
/// let s = sync_semaphore::Semaphore::new(1);
/// let p = s.permit();
/// drop(p);
/// assert_eq!(s.value(), 1);
/// ```
#[must_use = "if unused the permit is given back at once"]
pub struct SemaphorePermit<'a> {
    sem: &'a Semaphore,
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.sem.release();
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").field("semaphore", self.sem).finish()
    }
}
