//! `basic_config` and its builder: install a global subscriber that writes
//! Python-formatted lines.

use std::fmt;
use std::io;

use tracing::Level;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::DefaultFields;
use tracing_subscriber::fmt::MakeWriter;

use crate::{FormatError, PythonFormat};

/// The subscriber [`BasicConfig::subscriber`] builds: `tracing_subscriber`'s
/// `fmt` subscriber with a [`PythonFormat`] and a level filter.
///
/// # Examples
///
/// ```
/// use thread_log::{BasicConfig, PythonSubscriber};
///
/// // Name the type to keep the subscriber in a struct or pass it around.
/// let subscriber: PythonSubscriber<fn() -> std::io::Stdout> =
///     BasicConfig::new(tracing::Level::INFO, "%(levelname)s %(message)s").unwrap().stdout().subscriber();
/// tracing::subscriber::with_default(subscriber, || tracing::info!("hello")); // "INFO hello"
/// ```
pub type PythonSubscriber<W> = tracing_subscriber::fmt::Subscriber<DefaultFields, PythonFormat, LevelFilter, W>;

/// Python's `logging.basicConfig(level=..., format=...)`: from now on every
/// `tracing` event at `level` or more severe is written to stderr as one
/// line in `format`.
///
/// As in Python, this does nothing if a global subscriber is already
/// installed. Use [`BasicConfig`] to write elsewhere (stdout, a file, any
/// `MakeWriter`) or to learn whether it was installed.
///
/// # Panics
///
/// If `format` is not a valid format string (see [`PythonFormat::parse`]),
/// as Python's `basicConfig` raises `ValueError`.
///
/// # Examples
///
/// ```
/// thread_log::basic_config(tracing::Level::DEBUG, "[%(levelname)s] (%(threadName)-10s) %(message)s");
/// tracing::debug!("Starting"); // stderr: "[DEBUG] (MainThread) Starting"
/// ```
pub fn basic_config(level: Level, format: &str) {
    match BasicConfig::new(level, format) {
        Ok(config) => {
            config.init();
        }
        Err(e) => panic!("{e}"),
    }
}

/// The builder behind [`basic_config`]: a level, a format, and where the
/// lines go (stderr unless told otherwise).
///
/// # Examples
///
/// ```
/// use thread_log::BasicConfig;
///
/// let installed = BasicConfig::new(tracing::Level::INFO, "%(levelname)s:%(name)s:%(message)s")
///     .unwrap()
///     .stdout()
///     .init();
/// assert!(installed);
/// tracing::info!(target: "root", "to stdout"); // "INFO:root:to stdout"
/// ```
pub struct BasicConfig<W = fn() -> io::Stderr> {
    level: Level,
    format: PythonFormat,
    writer: W,
}

impl<W> fmt::Debug for BasicConfig<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicConfig").field("level", &self.level).field("format", &self.format.as_str()).finish()
    }
}

impl BasicConfig {
    /// A configuration writing to stderr, as Python's `basicConfig` does.
    ///
    /// # Errors
    ///
    /// [`FormatError`] if `format` is not a valid format string.
    ///
    /// # Examples
    ///
    /// ```
    /// let config = thread_log::BasicConfig::new(tracing::Level::DEBUG, "%(message)s").unwrap();
    /// assert!(thread_log::BasicConfig::new(tracing::Level::DEBUG, "%(mesage)s").is_err());
    /// # drop(config);
    /// ```
    pub fn new(level: Level, format: &str) -> Result<BasicConfig, FormatError> {
        Ok(BasicConfig { level, format: PythonFormat::parse(format)?, writer: io::stderr })
    }
}

impl<W> BasicConfig<W>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    /// Writes to stdout instead (Python's `basicConfig(stream=sys.stdout)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let config = thread_log::BasicConfig::new(tracing::Level::DEBUG, "%(message)s").unwrap().stdout();
    /// # drop(config);
    /// ```
    #[must_use]
    pub fn stdout(self) -> BasicConfig<fn() -> io::Stdout> {
        self.writer(io::stdout)
    }

    /// Writes to any `tracing_subscriber` [`MakeWriter`]: a function
    /// returning a writer, a `Mutex<File>`, a non-blocking appender...
    /// Each line reaches the writer in one `write_all` call.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Mutex;
    ///
    /// let file = tempfile_like();
    /// let config = thread_log::BasicConfig::new(tracing::Level::DEBUG, "%(message)s").unwrap().writer(Mutex::new(file));
    /// # drop(config);
    /// # fn tempfile_like() -> std::io::Sink { std::io::sink() }
    /// ```
    #[must_use]
    pub fn writer<W2>(self, writer: W2) -> BasicConfig<W2>
    where
        W2: for<'a> MakeWriter<'a> + Send + Sync + 'static,
    {
        BasicConfig { level: self.level, format: self.format, writer }
    }

    /// The subscriber, not installed: for `tracing::subscriber::with_default`
    /// or to install by other means.
    ///
    /// # Examples
    ///
    /// ```
    /// let subscriber = thread_log::BasicConfig::new(tracing::Level::WARN, "%(levelname)s %(message)s")
    ///     .unwrap()
    ///     .subscriber();
    /// tracing::subscriber::with_default(subscriber, || tracing::warn!("careful")); // "WARNING careful"
    /// ```
    #[must_use]
    pub fn subscriber(self) -> PythonSubscriber<W> {
        tracing_subscriber::fmt().with_max_level(self.level).event_format(self.format).with_writer(self.writer).finish()
    }

    /// Installs the subscriber as the global default. Returns `false`, and
    /// changes nothing, if a global subscriber was already installed (as
    /// Python's `basicConfig` does nothing once the root logger has
    /// handlers).
    ///
    /// # Examples
    ///
    /// ```
    /// let config = || thread_log::BasicConfig::new(tracing::Level::DEBUG, "%(message)s").unwrap();
    /// assert!(config().init());
    /// assert!(!config().init());
    /// ```
    pub fn init(self) -> bool {
        tracing::subscriber::set_global_default(self.subscriber()).is_ok()
    }
}
