//! `threading-bench`: the workspace's primitives measured side by side with
//! their peers (std, parking_lot and hand-built designs), one row at a time.
//!
//! Run it through `cargo xtask bench` (which also runs the CPython peers,
//! checks the targets, prints the table and writes
//! `target/bench/results.json`). By hand:
//!
//! ```text
//! cargo run --release -p threading-bench -- --quick --only lock_uncontended
//! ```
//!
//! Options: `--quick` (fewer, shorter samples), `--only <workload>`
//! (repeatable, or a comma-separated list), `--list`. Results go to stdout,
//! one per line, tab-separated, for the harness to read:
//! `result <workload> <who> <ns>` and `note <workload> <text>`; progress goes
//! to stderr. Every figure is lower-is-better.
//!
//! A row's "ours" side is compiled in only when its primitive crate's
//! feature is on (all are on by default); without it the row prints a note
//! instead of a figure, never a made-up number.

// Rows push "ours" under a feature, then the peers: with the feature on,
// clippy sees a push right after `Vec::new()`.
#![allow(clippy::vec_init_then_push)]

mod affinity;
mod barrier;
mod condition;
mod dump;
mod event;
mod lock;
mod measure;
mod pool;
mod queue;
mod semaphore;
mod thread;
mod timer;

use measure::Config;
use std::io::Write;
use std::process::ExitCode;

/// Keeps a value on its own cache line(s), so two flags handed between
/// threads do not share one (the same for ours and every peer).
#[repr(align(128))]
#[derive(Debug, Default)]
pub(crate) struct Padded<T>(pub(crate) T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Where a row writes its figures and notes.
#[derive(Debug)]
pub(crate) struct Report {
    workload: &'static str,
}

impl Report {
    /// One figure: `who` is `ours` or a peer's name; `ns` lower is better.
    pub(crate) fn result(&self, who: &str, ns: f64) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "result\t{}\t{}\t{:.3}", self.workload, who, ns);
        let _ = out.flush();
        eprintln!("  {:<28} {:>14.1} ns  {}", self.workload, ns, who);
    }

    /// All the figures `measure::compare` returned.
    pub(crate) fn results(&self, figures: &[(&'static str, f64)]) {
        for (who, ns) in figures {
            self.result(who, *ns);
        }
    }

    /// A short note for the row (joined with the harness's own note).
    pub(crate) fn note(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "note\t{}\t{}", self.workload, text.replace(['\t', '\n'], " "));
        let _ = out.flush();
    }

    /// The row's primitive crate is not compiled in: say so, give no figure.
    #[allow(dead_code)] // used only while some feature is off
    pub(crate) fn ours_missing(&self, krate: &str) {
        self.note(&format!(
            "ours not measured: {krate} is not built into this bench (feature off or crate not landed)"
        ));
    }
}

struct Workload {
    name: &'static str,
    run: fn(&Config, &Report),
}

const WORKLOADS: &[Workload] = &[
    Workload { name: "lock_uncontended", run: lock::uncontended },
    Workload { name: "lock_contended_2t", run: lock::contended_2t },
    Workload { name: "lock_contended_8t", run: lock::contended_8t },
    Workload { name: "rlock_reentrant", run: lock::rlock_reentrant },
    Workload { name: "event_is_set", run: event::is_set },
    Workload { name: "event_pingpong", run: event::pingpong },
    Workload { name: "event_idle_wait_cpu", run: event::idle_wait_cpu },
    Workload { name: "thread_start_join", run: thread::start_join },
    Workload { name: "condition_pingpong", run: condition::pingpong },
    Workload { name: "barrier_round_2t", run: barrier::round_2t },
    Workload { name: "barrier_round_4t", run: barrier::round_4t },
    Workload { name: "semaphore_uncontended", run: semaphore::uncontended },
    Workload { name: "timers_10k", run: timer::timers_10k },
    Workload { name: "timer_lateness", run: timer::lateness },
    Workload { name: "queue_spsc", run: queue::spsc },
    Workload { name: "queue_mpmc_4x4", run: queue::mpmc_4x4 },
    Workload { name: "queue_pingpong", run: queue::pingpong },
    Workload { name: "executor_10k_tasks", run: pool::tasks_10k },
    Workload { name: "lock_contended_2t_profiled", run: dump::contended_2t_profiled },
    Workload { name: "dump_1000_blocked", run: dump::dump_1000_blocked },
    Workload { name: "deadlocks_1000_blocked", run: dump::deadlocks_1000_blocked },
];

fn usage() -> String {
    let names: Vec<&str> = WORKLOADS.iter().map(|w| w.name).collect();
    format!(
        "usage: threading-bench [--quick] [--only <workload>[,<workload>...]]... [--list]\nworkloads: {}",
        names.join(", ")
    )
}

fn main() -> ExitCode {
    let mut quick = false;
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--only" => match args.next() {
                Some(v) => only.extend(v.split(',').filter(|s| !s.is_empty()).map(str::to_owned)),
                None => {
                    eprintln!("--only needs a workload\n{}", usage());
                    return ExitCode::from(2);
                }
            },
            "--list" => {
                for w in WORKLOADS {
                    println!("{}", w.name);
                }
                return ExitCode::SUCCESS;
            }
            "-h" | "--help" => {
                println!("{}", usage());
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{}", usage());
                return ExitCode::from(2);
            }
        }
    }
    if let Some(bad) = only.iter().find(|o| !WORKLOADS.iter().any(|w| w.name == o.as_str())) {
        eprintln!("unknown workload {bad:?}\n{}", usage());
        return ExitCode::from(2);
    }
    let cfg = Config::new(quick);
    for w in WORKLOADS {
        if only.is_empty() || only.iter().any(|o| o == w.name) {
            eprintln!("{} ...", w.name);
            (w.run)(&cfg, &Report { workload: w.name });
        }
    }
    ExitCode::SUCCESS
}
