//! Python's `logging.basicConfig` for [`tracing`]: log lines in Python's
//! format strings — `%(threadName)s`, `%(levelname)s`, `%(asctime)s`,
//! `%(message)s` and the rest, with printf widths — where `threadName` is the
//! name `thread-core` gives the thread (`MainThread`, `Thread-1`, a rename).
//!
//! The book's chapter: [The current thread: names and
//! logging](../../book/names.html); and [this crate's
//! page](../../book/crates/thread-log.html). `cargo xtask book` builds the
//! book from `docs/` into `target/book/`, beside this documentation when that
//! is built into the default `target/doc/` (the links are relative).
//!
//! [`basic_config`] installs a global subscriber writing to stderr;
//! [`BasicConfig`] chooses stdout or any writer; [`PythonFormat`] is the
//! `tracing_subscriber` event formatter itself, to compose with other
//! layers. Each event is written whole, as one line in one `write_all`, so
//! lines from many threads never interleave.
//!
//! The facade crate `threading` re-exports this crate as
//! `threading::logging`.
//!
//! # Examples
//!
//! The seed's `threading_names_log.py`, logging from three threads:
//!
//! ```
//! use std::time::Duration;
//! use thread_core::Thread;
//!
//! thread_log::basic_config(tracing::Level::DEBUG, "[%(levelname)s] (%(threadName)-10s) %(message)s");
//!
//! let worker = || {
//!     tracing::debug!("Starting"); // "[DEBUG] (worker    ) Starting"
//!     std::thread::sleep(Duration::from_millis(20));
//!     tracing::debug!("Exiting");
//! };
//! let w = Thread::builder().name("worker").target(worker);
//! let w2 = Thread::new(worker); // "[DEBUG] (Thread-1  ) Starting"
//! w.start().unwrap();
//! w2.start().unwrap();
//! w.join().unwrap();
//! w2.join().unwrap();
//! ```

mod config;
mod formatter;
mod parse;
mod time;

pub use config::{basic_config, BasicConfig, PythonSubscriber};
pub use formatter::PythonFormat;
pub use parse::FormatError;

/// A `tracing_subscriber` `fmt` layer writing `format`'s lines to stderr,
/// ready to stack with other layers on a registry. Change its writer with
/// `.with_writer(...)`.
///
/// # Examples
///
/// ```
/// use tracing_subscriber::prelude::*;
///
/// let format = thread_log::PythonFormat::parse("(%(threadName)-10s) %(message)s").unwrap();
/// let subscriber = tracing_subscriber::registry().with(thread_log::layer(format));
/// tracing::subscriber::with_default(subscriber, || tracing::info!("composed"));
/// ```
#[must_use]
pub fn layer<S>(
    format: PythonFormat,
) -> tracing_subscriber::fmt::Layer<S, tracing_subscriber::fmt::format::DefaultFields, PythonFormat>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    tracing_subscriber::fmt::layer().event_format(format)
}
