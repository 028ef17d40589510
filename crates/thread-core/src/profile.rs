//! The contention profile: where threads wait, how often, how long.
//!
//! While it is [enabled](enable), every wait that parks (a *contended*
//! wait: one that a spin did not end) is charged, when it ends, to its wait
//! site: the call site in the user's code and the primitive's kind and
//! name. Each site keeps the number of waits, their total and longest, and a
//! latency histogram (`hdrhistogram`) for p50, p90 and p99. For a `Lock` or
//! an `RLock` it also keeps the call sites of the releases that the waiters
//! queued behind: the release that woke a waiter notes its own call site
//! (`#[track_caller]`) before it wakes, as Go charges contention to the
//! unlocker.
//!
//! Off, it costs one relaxed load when a wait ends and one when a release
//! wakes a waiter, both on slow paths; nothing on any fast path.
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use thread_core::profile;
//!
//! profile::enable();
//! // ... the program runs ...
//! profile::disable();
//! let report = profile::report();
//! println!("{report}");
//! profile::reset();
//! ```

use crate::target::Kind;
use hdrhistogram::Histogram;
use std::collections::HashMap;
use std::fmt;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Where a wait happened: the call site and the primitive's kind and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    site: &'static Location<'static>,
    kind: Kind,
    name: Option<&'static str>,
}

struct Stats {
    waits: u64,
    total: Duration,
    max: Duration,
    nanos: Histogram<u64>,
    releasers: HashMap<&'static Location<'static>, u64>,
}

static SITES: Mutex<Option<HashMap<Key, Stats>>> = Mutex::new(None);

fn sites() -> MutexGuard<'static, Option<HashMap<Key, Stats>>> {
    SITES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts charging contended waits to their sites.
///
/// # Examples
///
/// ```
/// thread_core::profile::enable();
/// assert!(thread_core::profile::is_enabled());
/// thread_core::profile::disable();
/// ```
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Stops charging waits; what was gathered stays until [`reset`].
///
/// # Examples
///
/// ```
/// thread_core::profile::disable();
/// assert!(!thread_core::profile::is_enabled());
/// ```
pub fn disable() {
    ENABLED.store(false, Ordering::Relaxed);
}

/// Whether the profile is on.
///
/// # Examples
///
/// ```
/// assert!(!thread_core::profile::is_enabled()); // off unless enabled
/// ```
#[inline]
#[must_use]
pub fn is_enabled() -> bool {
    // Relaxed: a switch; a wait that ends just after it flips may or may
    // not be counted.
    ENABLED.load(Ordering::Relaxed)
}

/// Forgets every site.
///
/// # Examples
///
/// ```
/// thread_core::profile::reset();
/// assert!(thread_core::profile::report().sites().is_empty());
/// ```
pub fn reset() {
    *sites() = None;
}

/// Charges a contended wait of `waited` at `site` on a `kind` named `name`,
/// queued behind a release at `releaser` if known.
pub(crate) fn note(
    site: &'static Location<'static>,
    kind: Kind,
    name: Option<&'static str>,
    waited: Duration,
    releaser: Option<&'static Location<'static>>,
) {
    let mut all = sites();
    let stats = all.get_or_insert_with(HashMap::new).entry(Key { site, kind, name }).or_insert_with(|| Stats {
        waits: 0,
        total: Duration::ZERO,
        max: Duration::ZERO,
        nanos: Histogram::new(3).expect("3 significant figures is a valid precision"),
        releasers: HashMap::new(),
    });
    stats.waits += 1;
    stats.total += waited;
    stats.max = stats.max.max(waited);
    stats.nanos.saturating_record(u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX));
    if let Some(r) = releaser {
        *stats.releasers.entry(r).or_insert(0) += 1;
    }
}

/// One wait site of a [`Report`].
///
/// # Examples
///
/// ```
/// for s in thread_core::profile::report().sites() {
///     println!("{}: {} waits, {:?} in all", s.site, s.waits, s.total);
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The call site of the waits.
    pub site: &'static Location<'static>,
    /// The primitive's kind.
    pub kind: Kind,
    /// The primitive's name, if it has one.
    pub name: Option<&'static str>,
    /// How many waits parked there.
    pub waits: u64,
    /// Their total time.
    pub total: Duration,
    /// The longest.
    pub max: Duration,
    /// The median wait.
    pub p50: Duration,
    /// The 90th percentile.
    pub p90: Duration,
    /// The 99th percentile.
    pub p99: Duration,
    /// For a lock: the call sites of the releases that woke these waiters,
    /// with how many each, most first.
    pub releasers: Vec<(&'static Location<'static>, u64)>,
}

/// The profile at one moment: every wait site, sorted by total wait, most
/// first. `Display` prints it as a table.
///
/// # Examples
///
/// ```
/// let r = thread_core::profile::report();
/// assert!(r.to_string().starts_with("Contention profile:"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    sites: Vec<Site>,
}

impl Report {
    /// The sites, most total wait first.
    #[must_use]
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }
}

/// Takes the profile as it is now (it goes on gathering while enabled).
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use thread_core::{profile, Thread};
///
/// profile::enable();
/// let t = Thread::new(|| std::thread::sleep(Duration::from_millis(50)));
/// t.start().unwrap();
/// t.join().unwrap(); // a join that parks: a contended wait
/// profile::disable();
/// let r = profile::report();
/// assert!(r.sites().iter().any(|s| s.kind == thread_core::dump::Kind::Thread && s.waits >= 1));
/// ```
#[must_use]
pub fn report() -> Report {
    let all = sites();
    let mut sites: Vec<Site> = all
        .iter()
        .flatten()
        .map(|(k, s)| {
            let q = |p: f64| Duration::from_nanos(s.nanos.value_at_quantile(p));
            let mut releasers: Vec<_> = s.releasers.iter().map(|(l, n)| (*l, *n)).collect();
            releasers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.to_string().cmp(&b.0.to_string())));
            Site {
                site: k.site,
                kind: k.kind,
                name: k.name,
                waits: s.waits,
                total: s.total,
                max: s.max,
                p50: q(0.5),
                p90: q(0.9),
                p99: q(0.99),
                releasers,
            }
        })
        .collect();
    drop(all);
    sites.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.site.to_string().cmp(&b.site.to_string())));
    Report { sites }
}

/// The table:
///
/// ```text
/// Contention profile: <N> sites
///      total      waits        max        p50        p90        p99  site
///   <total>    <waits>      <max>      <p50>      <p90>      <p99>  <file:line:col> <Kind>[ "<name>"]
///                                                                      released at <file:line:col> (<n>)
/// ```
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::display::{clean, Short};
        let d = |d: Duration| Short(d).to_string();
        writeln!(f, "Contention profile: {} sites", self.sites.len())?;
        writeln!(f, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>10}  site", "total", "waits", "max", "p50", "p90", "p99")?;
        for s in &self.sites {
            write!(
                f,
                "{:>10} {:>10} {:>10} {:>10} {:>10} {:>10}  {}:{}:{} {}",
                d(s.total),
                s.waits,
                d(s.max),
                d(s.p50),
                d(s.p90),
                d(s.p99),
                clean(s.site.file()),
                s.site.line(),
                s.site.column(),
                s.kind
            )?;
            if let Some(name) = s.name {
                write!(f, " \"{name}\"")?;
            }
            writeln!(f)?;
            for (at, n) in &s.releasers {
                writeln!(f, "{:>68}released at {}:{}:{} ({n})", "", clean(at.file()), at.line(), at.column())?;
            }
        }
        Ok(())
    }
}
