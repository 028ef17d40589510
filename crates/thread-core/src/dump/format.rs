//! How a dump prints. The format, line by line (stable: tools may parse
//! it; new kinds of line may be added, existing ones do not change):
//!
//! ```text
//! Thread dump: <N> threads
//!
//! "<name>" ident=<ident|-> native_id=<id|-> [daemon] <alive|stopped>[ unlisted]
//!     running                                       (not blocked)
//!     pending Timer: interval <d>, fires in <d>     (a Timer not yet due)
//!     <op> on <Kind> <0xaddr>[ "<name>"]: <holder>  (blocked)
//!         at <file>:<line>:<column>, waiting <d>[, timed: <d> left]
//! ```
//!
//! followed by one empty line after each thread. `<holder>` is one of
//! `free`, `owned by "<name>" (ident=<i>)`, `acquired by "<name>"
//! (ident=<i>)`, `still running (ident=<i>)` (a joined thread),
//! `n_waiting=<n>/<parties>[ broken]`, `value=<v>`, `qsize=<n> maxsize=<m>`, `set` / `not set`,
//! `re-acquires <Kind> <0xaddr>[ "<name>"]: <holder>`; a holder that
//! `enumerate()` does not list is named `<unknown>`.

use super::{BlockedOn, Holder, Target, ThreadDump, ThreadInfo};
use crate::display::{clean, Short};
use std::fmt::{self, Display, Formatter, Write};

fn quoted_name(name: Option<&str>) -> String {
    format!("\"{}\"", name.unwrap_or("<unknown>"))
}

/// Writes `target` with its holder, naming threads through `names`.
pub(crate) fn write_target(f: &mut impl Write, target: &Target, names: &dyn Fn(u64) -> Option<String>) -> fmt::Result {
    write!(f, "{} <{:#x}>", target.kind, target.address)?;
    if let Some(name) = &target.name {
        write!(f, " \"{name}\"")?;
    }
    f.write_str(": ")?;
    match &target.holder {
        Holder::Free => f.write_str("free"),
        Holder::Owner { ident } => write!(f, "owned by {} (ident={ident})", quoted_name(names(*ident).as_deref())),
        Holder::AcquiredBy { ident } => {
            write!(f, "acquired by {} (ident={ident})", quoted_name(names(*ident).as_deref()))
        }
        Holder::Thread { ident, .. } => match ident {
            Some(i) => write!(f, "still running (ident={i})"),
            None => f.write_str("not running yet"),
        },
        Holder::Barrier { n_waiting, parties, broken } => {
            write!(f, "n_waiting={n_waiting}/{parties}{}", if *broken { " broken" } else { "" })
        }
        Holder::Semaphore { value } => write!(f, "value={value}"),
        Holder::Queue { qsize, maxsize } => write!(f, "qsize={qsize} maxsize={maxsize}"),
        Holder::Event { set } => f.write_str(if *set { "set" } else { "not set" }),
        Holder::Condition { lock } => {
            f.write_str("re-acquires ")?;
            write_target(f, lock, names)
        }
        Holder::Unknown => f.write_str("holder unknown"),
    }
}

impl Display for Target {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{:#x}>", self.kind, self.address)?;
        match &self.name {
            Some(name) => write!(f, " \"{name}\""),
            None => Ok(()),
        }
    }
}

/// Writes a blocked thread's two lines (without the first indent).
pub(crate) fn write_blocked(
    f: &mut impl Write,
    b: &BlockedOn,
    names: &dyn Fn(u64) -> Option<String>,
    indent: &str,
) -> fmt::Result {
    write!(f, "{indent}{} on ", b.op)?;
    write_target(f, &b.target, names)?;
    let site = b.site;
    write!(
        f,
        "\n{indent}    at {}:{}:{}, waiting {}",
        clean(site.file()),
        site.line(),
        site.column(),
        Short(b.waited)
    )?;
    if let Some(left) = b.deadline {
        write!(f, ", timed: {} left", Short(left))?;
    }
    Ok(())
}

pub(crate) fn write_header(f: &mut impl Write, t: &ThreadInfo) -> fmt::Result {
    let opt = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    write!(f, "\"{}\" ident={} native_id={}", t.name, opt(t.ident), opt(t.native_id))?;
    if t.daemon {
        f.write_str(" daemon")?;
    }
    f.write_str(if t.alive { " alive" } else { " stopped" })?;
    if !t.listed {
        f.write_str(" unlisted")?;
    }
    Ok(())
}

/// Prints the dump in the format of this module's documentation.
impl Display for ThreadDump {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let names = |i: u64| self.name_of(i).map(str::to_owned);
        writeln!(f, "Thread dump: {} threads", self.threads.len())?;
        for t in &self.threads {
            writeln!(f)?;
            write_header(f, t)?;
            writeln!(f)?;
            match (&t.blocked, &t.timer) {
                (Some(b), _) => write_blocked(f, b, &names, "    ")?,
                (None, Some(timer)) => {
                    write!(f, "    pending Timer: interval {}, fires in ", Short(timer.interval))?;
                    match timer.fires_in {
                        Some(d) => write!(f, "{}", Short(d))?,
                        None => f.write_str("never")?,
                    }
                }
                (None, None) => f.write_str("    running")?,
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
