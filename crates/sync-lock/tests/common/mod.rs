//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::cell::UnsafeCell;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Runs `f` on a thread and fails the test if it does not finish within
/// `secs` seconds (so that a lost wake-up fails rather than hangs).
pub(crate) fn bounded<F: FnOnce() + Send + 'static>(secs: u64, f: F) {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        // Disconnected: `f` panicked; joining re-raises it.
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => h.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("did not finish within {secs} s: lost wake-up?"),
    }
}

/// Waits (at most 10 s) until `cond` holds.
pub(crate) fn wait_until(cond: impl Fn() -> bool) {
    let end = Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(Instant::now() < end, "condition not reached in 10 s");
        thread::sleep(Duration::from_millis(1));
    }
}

/// A counter with no synchronisation of its own: only the lock under test
/// keeps increments from being lost.
pub(crate) struct Unsync(UnsafeCell<u64>);

// SAFETY: every access in the tests is made while holding the lock under
// test, or after every other thread has been joined (`get`).
unsafe impl Sync for Unsync {}

impl Unsync {
    pub(crate) fn new() -> Unsync {
        Unsync(UnsafeCell::new(0))
    }

    /// Read-modify-write in two separate volatile steps, so that two
    /// overlapping critical sections would lose an update.
    pub(crate) fn bump(&self) {
        // SAFETY: the caller holds the lock under test.
        unsafe {
            let v = std::ptr::read_volatile(self.0.get());
            std::ptr::write_volatile(self.0.get(), v + 1);
        }
    }

    /// The value, once every writer has been joined.
    pub(crate) fn get(&self) -> u64 {
        // SAFETY: the caller has joined every writer.
        unsafe { *self.0.get() }
    }
}
