//! How durations and call sites print, in the thread dump (`crate::dump`)
//! and in the contention profile (`crate::profile`) alike. A leaf.

use std::fmt::{self, Display, Formatter};
use std::time::Duration;

/// A duration as the dump prints it: `1.234s`, `12.3ms`, `45µs`.
pub(crate) struct Short(pub(crate) Duration);

impl Display for Short {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d >= Duration::from_secs(1) {
            write!(f, "{:.3}s", d.as_secs_f64())
        } else if d >= Duration::from_millis(1) {
            write!(f, "{:.1}ms", d.as_secs_f64() * 1e3)
        } else {
            write!(f, "{}µs", d.as_micros())
        }
    }
}

/// A call site's file with its `dir/..` steps taken out (a crate's example
/// outside its directory is `crates/x/../../examples/y.rs` to the compiler).
pub(crate) fn clean(file: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in file.split('/') {
        match p {
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            "." => {}
            _ => parts.push(p),
        }
    }
    parts.join("/")
}
