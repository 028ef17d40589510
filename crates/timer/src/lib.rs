//! Python's `threading.Timer` for Rust: a thread that runs a function after
//! an interval, unless it is cancelled first — and that costs no OS thread
//! while it waits.
//!
//! The book's chapter: [Timer threads](../../book/timer.html); and [this
//! crate's page](../../book/crates/timer.html). `cargo xtask book` builds the
//! book from `docs/` into `target/book/`, beside this documentation when that
//! is built into the default `target/doc/` (the links are relative).
//!
//! A [`Timer`] is a thread in Python's sense (listed by `enumerate()`,
//! `current_thread()` inside the function is the timer, a pending
//! non-daemon timer holds the process at exit), built on `thread-core`'s
//! deferred starts. One service thread, started with the first timer, keeps
//! every pending deadline in a binary heap and parks until the earliest;
//! a timer's own OS thread is created only when it is about to fire. So
//! 10,000 pending timers use one OS thread, and starting or cancelling one
//! is `O(log n)` and never waits for the service.
//!
//! ```
//! use std::time::Duration;
//! use timer::Timer;
//!
//! let t1 = Timer::builder().name("t1").interval(Duration::from_millis(20)).function(|| {
//!     assert_eq!(thread_core::current_thread().name(), "t1");
//! });
//! let t2 = Timer::new(Duration::from_secs(60), || unreachable!("cancelled"));
//! t1.start().unwrap();
//! t2.start().unwrap();
//! assert!(t2.cancel());
//! t1.join().unwrap();
//! t2.join().unwrap();
//! ```
//!
mod clock;
mod service;
mod state;
mod timer;

#[cfg(all(test, loom))]
mod loom;
#[cfg(all(test, not(loom)))]
mod service_tests;

pub use thread_core::ThreadError;
pub use timer::{Timer, TimerBuilder};
