//! Parsing a Python `%`-style logging format string, once, into pieces.

use std::fmt;

/// A record attribute that a format string can name, as Python's
/// `LogRecord` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// `%(threadName)s`: this library's name of the logging thread.
    ThreadName,
    /// `%(thread)d`: the thread's ident (`get_ident()`).
    Thread,
    /// `%(levelname)s`: `DEBUG`, `INFO`, `WARNING`, `ERROR`, `TRACE`.
    LevelName,
    /// `%(levelno)s`: 5, 10, 20, 30, 40.
    LevelNo,
    /// `%(message)s`: the event's message, other fields as ` key=value`.
    Message,
    /// `%(asctime)s`: `2016-07-10 10:45:28,170`, local time.
    AscTime,
    /// `%(created)f`: seconds since the Unix epoch.
    Created,
    /// `%(msecs)d`: the millisecond part of `created`.
    Msecs,
    /// `%(relativeCreated)d`: milliseconds since the format was first used.
    RelativeCreated,
    /// `%(name)s`: the event's target (the logger name).
    Name,
    /// `%(process)d`: the process id.
    Process,
    /// `%(processName)s`: `MainProcess`.
    ProcessName,
    /// `%(pathname)s`: the source file.
    PathName,
    /// `%(filename)s`: the source file's last component.
    FileName,
    /// `%(module)s`: the source file's name without extension.
    Module,
    /// `%(lineno)d`: the source line.
    LineNo,
}

/// What kind of value a key has, to check the conversion against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Int,
    Float,
}

impl Key {
    fn from_name(name: &str) -> Option<Key> {
        Some(match name {
            "threadName" => Key::ThreadName,
            "thread" => Key::Thread,
            "levelname" => Key::LevelName,
            "levelno" => Key::LevelNo,
            "message" => Key::Message,
            "asctime" => Key::AscTime,
            "created" => Key::Created,
            "msecs" => Key::Msecs,
            "relativeCreated" => Key::RelativeCreated,
            "name" => Key::Name,
            "process" => Key::Process,
            "processName" => Key::ProcessName,
            "pathname" => Key::PathName,
            "filename" => Key::FileName,
            "module" => Key::Module,
            "lineno" => Key::LineNo,
            _ => return None,
        })
    }

    pub(crate) fn kind(self) -> Kind {
        match self {
            Key::Thread | Key::LevelNo | Key::Process | Key::LineNo => Kind::Int,
            Key::Created | Key::Msecs | Key::RelativeCreated => Kind::Float,
            _ => Kind::Str,
        }
    }
}

/// The printf part of one conversion: `%(name)-10.3s` → flags, width,
/// precision, conversion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Spec {
    /// `-`: pad on the right.
    pub(crate) left: bool,
    /// `0`: pad numbers with zeros.
    pub(crate) zero: bool,
    /// `+`: always print a sign.
    pub(crate) plus: bool,
    /// ` `: a space before positive numbers.
    pub(crate) space: bool,
    /// `#`: alternate form (`0x` for `%x`).
    pub(crate) alt: bool,
    /// Minimum width in characters.
    pub(crate) width: usize,
    /// `.N`: at most N characters of a string, at least N digits of an
    /// integer, N decimals of a float.
    pub(crate) precision: Option<usize>,
    /// The conversion character: one of `s r a d i u x X o f F`.
    pub(crate) conv: char,
}

/// One piece of a parsed format.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Piece {
    Literal(String),
    Field(Key, Spec),
}

/// A format string that is not a valid Python logging format.
///
/// `Display` says what is wrong and where, in the spirit of Python's
/// `ValueError: Invalid format ... for '%' style`.
///
/// # Examples
///
/// ```
/// let err = thread_log::PythonFormat::parse("%(nope)s").unwrap_err();
/// assert_eq!(err.to_string(), "invalid format '%(nope)s': unknown field 'nope' at byte 0");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    format: String,
    at: usize,
    what: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid format '{}': {} at byte {}", self.format, self.what, self.at)
    }
}

impl std::error::Error for FormatError {}

/// Parses `format` into pieces. Adjacent literal text (and `%%`) is merged.
pub(crate) fn parse(format: &str) -> Result<Vec<Piece>, FormatError> {
    let err = |at: usize, what: String| FormatError { format: format.to_owned(), at, what };
    let bytes = format.as_bytes();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    let mut fields = 0;
    while i < bytes.len() {
        // Copy literal text up to the next '%' (a char boundary: '%' is ASCII).
        let next = format[i..].find('%').map_or(bytes.len(), |n| i + n);
        literal.push_str(&format[i..next]);
        i = next;
        if i == bytes.len() {
            break;
        }
        let start = i;
        i += 1;
        match bytes.get(i) {
            Some(b'%') => {
                literal.push('%');
                i += 1;
                continue;
            }
            Some(b'(') => {}
            Some(_) => return Err(err(start, "a conversion must name a field, as in %(message)s".into())),
            None => return Err(err(start, "a lone '%' at the end".into())),
        }
        let name_start = i + 1;
        let close =
            format[name_start..].find(')').map(|n| name_start + n).ok_or_else(|| err(start, "unclosed '%('".into()))?;
        let name = &format[name_start..close];
        let key = Key::from_name(name).ok_or_else(|| err(start, format!("unknown field '{name}'")))?;
        i = close + 1;
        let mut spec = Spec::default();
        while let Some(&c) = bytes.get(i) {
            match c {
                b'-' => spec.left = true,
                b'0' => spec.zero = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                _ => break,
            }
            i += 1;
        }
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            format[from..*i].parse::<usize>().ok()
        };
        spec.width = digits(&mut i).unwrap_or(0);
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            spec.precision = Some(digits(&mut i).unwrap_or(0));
        }
        let conv = match bytes.get(i) {
            Some(&c) if b"sradiuxXofF".contains(&c) => c as char,
            Some(&b'*') => return Err(err(start, "'*' width or precision is not supported".into())),
            Some(_) => {
                let c = format[i..].chars().next().unwrap_or('?');
                return Err(err(start, format!("unsupported conversion '{c}'")));
            }
            None => return Err(err(start, "the conversion is missing its type, as in %(message)s".into())),
        };
        spec.conv = conv;
        i += 1;
        let numeric = !matches!(conv, 's' | 'r' | 'a');
        if numeric && key.kind() == Kind::Str {
            return Err(err(start, format!("%{conv} needs a number, but '{name}' is text")));
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Field(key, spec));
        fields += 1;
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    if fields == 0 {
        return Err(err(0, "no field at all, e.g. %(message)s".into()));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: Key, conv: char) -> Piece {
        Piece::Field(key, Spec { conv, ..Spec::default() })
    }

    #[test]
    fn literal_and_fields() {
        let p = parse("[%(levelname)s] (%(threadName)-10s) %(message)s").unwrap();
        assert_eq!(p.len(), 6);
        assert_eq!(p[0], Piece::Literal("[".into()));
        assert_eq!(p[1], field(Key::LevelName, 's'));
        assert_eq!(p[2], Piece::Literal("] (".into()));
        assert_eq!(p[3], Piece::Field(Key::ThreadName, Spec { left: true, width: 10, conv: 's', ..Spec::default() }));
        assert_eq!(p[4], Piece::Literal(") ".into()));
        assert_eq!(p[5], field(Key::Message, 's'));
    }

    #[test]
    fn flags_width_precision() {
        let p = parse("%(threadName)8s%(name).3s%(thread)+05d%(created)#-12.3f").unwrap();
        assert_eq!(p[0], Piece::Field(Key::ThreadName, Spec { width: 8, conv: 's', ..Spec::default() }));
        assert_eq!(p[1], Piece::Field(Key::Name, Spec { precision: Some(3), conv: 's', ..Spec::default() }));
        assert_eq!(
            p[2],
            Piece::Field(Key::Thread, Spec { plus: true, zero: true, width: 5, conv: 'd', ..Spec::default() })
        );
        assert_eq!(
            p[3],
            Piece::Field(
                Key::Created,
                Spec { alt: true, left: true, width: 12, precision: Some(3), conv: 'f', ..Spec::default() }
            )
        );
    }

    #[test]
    fn percent_escape_merges_into_literal() {
        let p = parse("100%% %(message)s %%").unwrap();
        assert_eq!(p, vec![Piece::Literal("100% ".into()), field(Key::Message, 's'), Piece::Literal(" %".into())]);
    }

    #[test]
    fn non_ascii_literal_text() {
        let p = parse("é→ %(message)s ✓").unwrap();
        assert_eq!(p[0], Piece::Literal("é→ ".into()));
        assert_eq!(p[2], Piece::Literal(" ✓".into()));
    }

    #[test]
    fn errors() {
        let e = |s: &str| parse(s).unwrap_err().to_string();
        assert_eq!(e("%(nope)s"), "invalid format '%(nope)s': unknown field 'nope' at byte 0");
        assert!(e("x %(message)").contains("missing its type"), "{}", e("x %(message)"));
        assert!(e("%(message)q").contains("unsupported conversion 'q'"));
        assert!(e("%(message").contains("unclosed"));
        assert!(e("%s").contains("must name a field"));
        assert!(e("abc %").contains("lone '%'"));
        assert!(e("%(message)d").contains("needs a number"));
        assert!(e("plain text").contains("no field"));
        assert!(e("%(message)*s").contains("not supported"));
    }
}
