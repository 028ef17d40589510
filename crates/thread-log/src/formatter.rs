//! [`PythonFormat`]: a parsed format string, and the `tracing_subscriber`
//! event formatter that renders each event as one line of it.

use std::fmt::{self, Write as _};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use crate::parse::{self, FormatError, Key, Piece, Spec};
use crate::time;

/// A Python logging format string, parsed once, that formats `tracing`
/// events: Python's `logging.Formatter(fmt)` as a `tracing_subscriber`
/// [`FormatEvent`].
///
/// The fields are those of Python's `LogRecord`:
///
/// | code | value |
/// |---|---|
/// | `%(threadName)s` | this library's name of the logging thread ([`thread_core::current_thread`]; a rename shows at once) |
/// | `%(thread)d` | the thread's ident ([`thread_core::get_ident`]) |
/// | `%(levelname)s` | `TRACE`, `DEBUG`, `INFO`, `WARNING`, `ERROR` |
/// | `%(levelno)s` | 5, 10, 20, 30, 40 |
/// | `%(message)s` | the event's message; its other fields follow as ` key=value` |
/// | `%(asctime)s` | local time, `2016-07-10 10:45:28,170` |
/// | `%(created)f`, `%(msecs)d`, `%(relativeCreated)d` | seconds since the epoch; its milliseconds; milliseconds since the first format was made |
/// | `%(name)s` | the event's target (the logger name) |
/// | `%(process)d`, `%(processName)s` | the process id; `MainProcess` |
/// | `%(pathname)s`, `%(filename)s`, `%(module)s`, `%(lineno)d` | where the event was written |
/// | `%%` | a `%` |
///
/// Each may carry printf flags, width and precision as in Python:
/// `%(threadName)-10s` pads on the right to 10, `%(threadName)8s` on the
/// left, `%(name).3s` keeps at most 3 characters, `%(thread)08d` pads with
/// zeros. Every event becomes one line ending in `\n`, which the `fmt`
/// layer hands to its writer in a single `write_all`.
///
/// # Examples
///
/// Composed as a layer with others:
///
/// ```
/// use thread_log::PythonFormat;
/// use tracing_subscriber::prelude::*;
///
/// let format = PythonFormat::parse("%(levelname)-7s %(threadName)s: %(message)s").unwrap();
/// let subscriber = tracing_subscriber::registry()
///     .with(tracing_subscriber::fmt::layer().event_format(format).with_writer(std::io::stderr));
/// tracing::subscriber::with_default(subscriber, || tracing::info!("hello"));
/// ```
#[derive(Clone, Debug)]
pub struct PythonFormat {
    source: Arc<str>,
    pieces: Arc<[Piece]>,
    uses_message: bool,
}

/// When the first format was made: `%(relativeCreated)d` counts from here,
/// as Python counts from the import of `logging`.
fn start_time() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Everything a line can show about one event.
#[derive(Clone, Debug)]
pub(crate) struct Record<'a> {
    pub(crate) thread_name: &'a str,
    pub(crate) thread: u64,
    pub(crate) level: Level,
    pub(crate) message: &'a str,
    pub(crate) target: &'a str,
    pub(crate) file: Option<&'a str>,
    pub(crate) line: Option<u32>,
    pub(crate) process: u32,
    /// Since the Unix epoch.
    pub(crate) created: Duration,
    /// Since [`start_time`].
    pub(crate) relative: Duration,
}

/// A value ready for a printf conversion.
enum Value<'a> {
    Str(&'a str),
    Int(i128),
    Float(f64),
}

impl PythonFormat {
    /// Parses a Python `%`-style logging format string, such as
    /// `"(%(threadName)-10s) %(message)s"`.
    ///
    /// # Errors
    ///
    /// [`FormatError`] for an unknown field, a conversion without a field
    /// name (`%s`), an unsupported conversion or flag (`%(message)q`, `*`), a
    /// numeric conversion of a text field (`%(message)d`), a lone `%`, or a
    /// format with no field at all.
    ///
    /// # Examples
    ///
    /// ```
    /// let f = thread_log::PythonFormat::parse("[%(levelname)s] (%(threadName)-10s) %(message)s").unwrap();
    /// assert_eq!(f.as_str(), "[%(levelname)s] (%(threadName)-10s) %(message)s");
    /// assert!(thread_log::PythonFormat::parse("%(nope)s").is_err());
    /// ```
    pub fn parse(format: &str) -> Result<PythonFormat, FormatError> {
        let pieces = parse::parse(format)?;
        start_time();
        let uses_message = pieces.iter().any(|p| matches!(p, Piece::Field(Key::Message, _)));
        Ok(PythonFormat { source: format.into(), pieces: pieces.into(), uses_message })
    }

    /// The format string this was parsed from.
    ///
    /// # Examples
    ///
    /// ```
    /// let f = thread_log::PythonFormat::parse("%(message)s").unwrap();
    /// assert_eq!(f.as_str(), "%(message)s");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Writes one line for `rec`, with its `\n`.
    pub(crate) fn render(&self, out: &mut String, rec: &Record<'_>) {
        for piece in self.pieces.iter() {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Field(key, spec) => self.field(out, *key, spec, rec),
            }
        }
        out.push('\n');
    }

    fn field(&self, out: &mut String, key: Key, spec: &Spec, rec: &Record<'_>) {
        let mut scratch = String::new();
        let value = match key {
            Key::ThreadName => Value::Str(rec.thread_name),
            Key::Thread => Value::Int(i128::from(rec.thread)),
            Key::LevelName => Value::Str(level_name(rec.level)),
            Key::LevelNo => Value::Int(level_no(rec.level)),
            Key::Message => Value::Str(rec.message),
            Key::AscTime => {
                let secs = i64::try_from(rec.created.as_secs()).unwrap_or(i64::MAX);
                time::asctime(&mut scratch, time::local(secs), rec.created.subsec_millis());
                Value::Str(&scratch)
            }
            Key::Created => Value::Float(rec.created.as_secs_f64()),
            Key::Msecs => Value::Float(f64::from(rec.created.subsec_nanos()) / 1e6),
            Key::RelativeCreated => Value::Float(rec.relative.as_secs_f64() * 1e3),
            Key::Name => Value::Str(rec.target),
            Key::Process => Value::Int(i128::from(rec.process)),
            Key::ProcessName => Value::Str("MainProcess"),
            Key::PathName => Value::Str(rec.file.unwrap_or("(unknown file)")),
            Key::FileName => Value::Str(rec.file.map_or("(unknown file)", file_name)),
            Key::Module => Value::Str(rec.file.map_or("Unknown module", |f| module_name(file_name(f)))),
            Key::LineNo => Value::Int(rec.line.map_or(0, i128::from)),
        };
        convert(out, &value, spec);
    }

    /// Fills `rec.message` from the event's fields: the `message` field
    /// first, then ` key=value` for every other field.
    fn message(&self, event: &Event<'_>, buf: &mut String) {
        if self.uses_message {
            let mut visitor = MessageVisitor { message: buf, rest: String::new() };
            event.record(&mut visitor);
            let rest = visitor.rest;
            // With no message, the fields alone: `a=1 b=2`, not ` a=1 b=2`.
            buf.push_str(if buf.is_empty() { rest.trim_start() } else { &rest });
        }
    }
}

/// Python's level names; `tracing`'s `WARN` is Python's `WARNING`.
fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "TRACE",
        Level::DEBUG => "DEBUG",
        Level::INFO => "INFO",
        Level::WARN => "WARNING",
        Level::ERROR => "ERROR",
    }
}

/// Python's level numbers; TRACE is 5, the usual number for a level below
/// DEBUG.
fn level_no(level: Level) -> i128 {
    match level {
        Level::TRACE => 5,
        Level::DEBUG => 10,
        Level::INFO => 20,
        Level::WARN => 30,
        Level::ERROR => 40,
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn module_name(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// Applies one printf conversion (`spec`) to `value`, as Python's `%`
/// operator does.
fn convert(out: &mut String, value: &Value<'_>, spec: &Spec) {
    let mut text = String::new();
    match spec.conv {
        's' | 'r' | 'a' => {
            let quote = spec.conv != 's' && matches!(value, Value::Str(_));
            if quote {
                text.push('\'');
            }
            match value {
                Value::Str(s) => text.push_str(s),
                Value::Int(n) => {
                    let _ = write!(text, "{n}");
                }
                Value::Float(x) => {
                    let _ = write!(text, "{x:?}");
                }
            }
            if quote {
                text.push('\'');
            }
            if let Some(p) = spec.precision {
                if let Some((cut, _)) = text.char_indices().nth(p) {
                    text.truncate(cut);
                }
            }
            pad(out, "", &text, spec, false);
        }
        conv => {
            let (negative, body, prefix) = match value {
                Value::Str(_) => unreachable!("the parser rejects numeric conversions of text fields"),
                Value::Int(n) => integer_body(*n, conv, spec),
                Value::Float(x) if matches!(conv, 'f' | 'F') => {
                    (x.is_sign_negative(), format!("{:.*}", spec.precision.unwrap_or(6), x.abs()), "")
                }
                // `%d` of a float truncates toward zero, as Python does.
                Value::Float(x) => integer_body(*x as i128, conv, spec),
            };
            let sign = if negative {
                "-"
            } else if spec.plus {
                "+"
            } else if spec.space {
                " "
            } else {
                ""
            };
            pad(out, &format!("{sign}{prefix}"), &body, spec, spec.zero);
        }
    }
}

/// The digits of an integer conversion: (negative, digits, prefix).
fn integer_body(n: i128, conv: char, spec: &Spec) -> (bool, String, &'static str) {
    let m = n.unsigned_abs();
    let (digits, prefix) = match conv {
        'x' => (format!("{m:x}"), if spec.alt { "0x" } else { "" }),
        'X' => (format!("{m:X}"), if spec.alt { "0X" } else { "" }),
        'o' => (format!("{m:o}"), if spec.alt { "0o" } else { "" }),
        _ => (m.to_string(), ""),
    };
    let digits = match spec.precision {
        Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    };
    (n < 0, digits, prefix)
}

/// Pads `head` + `body` to the spec's width: spaces on the right with `-`,
/// zeros between head and body with `zeros`, spaces on the left otherwise.
fn pad(out: &mut String, head: &str, body: &str, spec: &Spec, zeros: bool) {
    let len = head.chars().count() + body.chars().count();
    let fill = spec.width.saturating_sub(len);
    if spec.left {
        out.push_str(head);
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if zeros {
        out.push_str(head);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(body);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(head);
        out.push_str(body);
    }
}

/// Collects an event's fields: `message` as text, the others as
/// ` key=value` in `rest`, appended after the message once all are seen.
struct MessageVisitor<'a> {
    message: &'a mut String,
    rest: String,
}

impl Visit for MessageVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={:?}", field.name(), value);
        }
    }
}

impl<S, N> FormatEvent<S, N> for PythonFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, _ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let now = SystemTime::now();
        let mut message = String::new();
        self.message(event, &mut message);
        let thread = thread_core::current_thread();
        let name = thread.name_arc();
        let meta = event.metadata();
        let rec = Record {
            thread_name: &name,
            thread: thread_core::get_ident(),
            level: *meta.level(),
            message: &message,
            target: meta.target(),
            file: meta.file(),
            line: meta.line(),
            process: std::process::id(),
            created: now.duration_since(UNIX_EPOCH).unwrap_or_default(),
            relative: start_time().elapsed(),
        };
        let mut line = String::with_capacity(64 + message.len());
        self.render(&mut line, &rec);
        writer.write_str(&line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(message: &str) -> Record<'_> {
        Record {
            thread_name: "worker",
            thread: 140_245,
            level: Level::DEBUG,
            message,
            target: "threading_names_log",
            file: Some("examples/threading_names_log.rs"),
            line: Some(12),
            process: 4242,
            created: Duration::from_millis(1_468_147_528_170),
            relative: Duration::from_millis(1500),
        }
    }

    fn line(format: &str, r: &Record<'_>) -> String {
        let mut out = String::new();
        PythonFormat::parse(format).unwrap().render(&mut out, r);
        out
    }

    #[test]
    fn seed_formats() {
        assert_eq!(
            line("[%(levelname)s] (%(threadName)-10s) %(message)s", &rec("Starting")),
            "[DEBUG] (worker    ) Starting\n"
        );
        assert_eq!(line("(%(threadName)-10s) %(message)s", &rec("Exiting")), "(worker    ) Exiting\n");
        let mut r = rec("x");
        r.thread_name = "my_service";
        assert_eq!(line("(%(threadName)-10s) %(message)s", &r), "(my_service) x\n");
        r.thread_name = "p";
        assert_eq!(line("(%(threadName)-2s) %(message)s", &r), "(p ) x\n");
        r.thread_name = "a-much-longer-name";
        assert_eq!(line("(%(threadName)-10s)", &r), "(a-much-longer-name)\n", "width never truncates");
    }

    #[test]
    fn asctime_shape() {
        let out = line("%(asctime)s (%(threadName)-2s) %(message)s", &rec("Starting consumer thread"));
        // Local time zone unknown: check the shape and the milliseconds.
        let (stamp, rest) = out.split_at(23);
        assert_eq!(rest, " (worker) Starting consumer thread\n");
        let b = stamp.as_bytes();
        assert_eq!((b[4], b[7], b[10], b[13], b[16], b[19]), (b'-', b'-', b' ', b':', b':', b','));
        assert!(stamp.ends_with(",170"), "{stamp}");
        assert!(stamp.bytes().enumerate().all(|(i, c)| [4, 7, 10, 13, 16, 19].contains(&i) || c.is_ascii_digit()));
    }

    #[test]
    fn right_align_and_precision() {
        assert_eq!(line("%(threadName)8s|", &rec("")), "  worker|\n");
        assert_eq!(line("%(threadName)-2s|", &rec("")), "worker|\n");
        assert_eq!(line("%(threadName).3s|", &rec("")), "wor|\n");
        assert_eq!(line("%(threadName)-6.3s|", &rec("")), "wor   |\n");
        assert_eq!(line("%(threadName)r", &rec("")), "'worker'\n");
        assert_eq!(line("%(message).2s|", &rec("héllo")), "hé|\n", "precision counts characters");
    }

    #[test]
    fn numbers() {
        let r = rec("");
        assert_eq!(line("%(thread)d", &r), "140245\n");
        assert_eq!(line("%(thread)s", &r), "140245\n");
        assert_eq!(line("%(process)8d|", &r), "    4242|\n");
        assert_eq!(line("%(process)-8d|", &r), "4242    |\n");
        assert_eq!(line("%(process)08d", &r), "00004242\n");
        assert_eq!(line("%(process)+d", &r), "+4242\n");
        assert_eq!(line("%(process).6d", &r), "004242\n");
        assert_eq!(line("%(process)#x %(process)X", &r), "0x1092 1092\n");
        assert_eq!(line("%(levelno)s %(levelname)s", &r), "10 DEBUG\n");
        assert_eq!(line("%(lineno)d", &r), "12\n");
        assert_eq!(line("%(created).3f", &r), "1468147528.170\n");
        assert_eq!(line("%(msecs)03d", &r), "170\n");
        assert_eq!(line("%(relativeCreated)d", &r), "1500\n");
        assert_eq!(line("%(created)d", &r), "1468147528\n");
    }

    #[test]
    fn names_and_places() {
        let r = rec("");
        assert_eq!(line("%(name)s", &r), "threading_names_log\n");
        assert_eq!(line("%(filename)s %(module)s", &r), "threading_names_log.rs threading_names_log\n");
        assert_eq!(line("%(pathname)s", &r), "examples/threading_names_log.rs\n");
        assert_eq!(line("%(processName)s %%", &r), "MainProcess %\n");
    }

    #[test]
    fn level_names() {
        let cases = [
            (Level::TRACE, "TRACE 5"),
            (Level::DEBUG, "DEBUG 10"),
            (Level::INFO, "INFO 20"),
            (Level::WARN, "WARNING 30"),
            (Level::ERROR, "ERROR 40"),
        ];
        for (level, want) in cases {
            let mut r = rec("");
            r.level = level;
            assert_eq!(line("%(levelname)s %(levelno)s", &r), format!("{want}\n"));
        }
    }
}
