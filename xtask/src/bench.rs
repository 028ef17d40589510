//! `cargo xtask bench`: ours and the peers measured side by side in one run.
//!
//! 1. builds `threading-bench` (crates/bench) in release, with the feature
//!    of every primitive crate it knows (a crate that does not build is left
//!    out, and its rows say so instead of giving a figure);
//! 2. runs it once per row (a fresh process each, so one row's threads and
//!    timers never disturb the next, and a hang is killed by a timeout);
//! 3. runs the CPython peers, `crates/bench/python/<workload>.py`, through
//!    `python3` when it is installed (the peer is skipped with a note when
//!    it is not);
//! 4. checks each row against its targets (a row may have several, and
//!    meets them only if it meets all), prints the table and writes
//!    `target/bench/results.json` (its shape: [`crate::results`]).
//!
//! Every figure is lower-is-better. Options: `--quick` (fewer, shorter
//! samples: the whole run stays under 3 minutes on 2 cores), `--only
//! <workload>` (repeatable or comma-separated; writes the JSON only with
//! `--json`, so tuning one row never clobbers a full run's file), `--json
//! <path>`, `--no-python`.

use crate::cmd::{self, target_dir, workspace_root, Output, Runner};
use crate::results::{figure, Results, RowResult, TargetResult};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs, thread};

type Result<T> = std::result::Result<T, String>;

/// What a row's "ours" figure is compared with.
#[derive(Clone, Copy)]
enum Target {
    /// ours ≤ factor × the smallest figure of these peers.
    Peers(&'static [&'static str], f64),
    /// ours ≤ this many ns.
    Absolute(f64),
}

struct Row {
    workload: &'static str,
    /// The bench crate's feature that compiles in "ours" (the crate's name).
    feature: &'static str,
    /// The peers, in the order the table shows them.
    peers: &'static [&'static str],
    /// What ours must meet: all of them.
    targets: &'static [Target],
    /// How the figure is made, in a sentence.
    note: &'static str,
}

const ROWS: &[Row] = &[
    Row {
        workload: "lock_uncontended",
        feature: "sync-lock",
        peers: &["std", "parking_lot", "cpython"],
        targets: &[Target::Peers(&["std", "parking_lot"], 1.15)],
        note: "1 thread, lock() then drop the guard (cpython: with lock)",
    },
    Row {
        workload: "lock_contended_2t",
        feature: "sync-lock",
        peers: &["std", "parking_lot"],
        targets: &[Target::Peers(&["parking_lot"], 1.0)],
        note: "2 threads, pinned to two CPUs, increment one counter under the lock; wall time / total acquisitions; count checked",
    },
    Row {
        workload: "lock_contended_8t",
        feature: "sync-lock",
        peers: &["std", "parking_lot"],
        targets: &[Target::Peers(&["parking_lot"], 1.0)],
        note: "8 threads on 2 cores increment one counter under the lock; wall time / total acquisitions",
    },
    Row {
        workload: "rlock_reentrant",
        feature: "sync-lock",
        peers: &["parking_lot", "cpython"],
        targets: &[Target::Peers(&["parking_lot"], 1.0)],
        note: "1 thread; one figure = acquire, acquire again, release, release (owner path + re-entry path)",
    },
    Row {
        workload: "event_is_set",
        feature: "sync-event",
        peers: &["atomic_bool"],
        targets: &[Target::Peers(&["atomic_bool"], 1.5)],
        note: "is_set() on an unset Event vs AtomicBool::load(Acquire)",
    },
    Row {
        workload: "event_pingpong",
        feature: "sync-event",
        peers: &["std_condvar", "parking_lot_condvar", "spin_floor", "cpython"],
        targets: &[Target::Peers(&["std_condvar", "parking_lot_condvar"], 0.1), Target::Peers(&["spin_floor"], 1.5)],
        note: "2 threads, two flags: set a / wait b / clear b against wait a / clear a / set b; peers are bool+Mutex+Condvar, \
               and spin_floor two AtomicBools spun on with loads, never parking",
    },
    Row {
        workload: "event_idle_wait_cpu",
        feature: "sync-event",
        peers: &[],
        targets: &[Target::Absolute(10_000_000.0)],
        note: "getrusage(RUSAGE_THREAD) of a fresh thread around wait_timeout(1 s) on an Event never set; median of 3 (5 full)",
    },
    Row {
        workload: "thread_start_join",
        feature: "thread-core",
        peers: &["std", "cpython"],
        targets: &[Target::Peers(&["std"], 1.25)],
        note: "Thread::new(empty).start() + join() vs std::thread::spawn + join, default stacks",
    },
    Row {
        workload: "condition_pingpong",
        feature: "sync-condition",
        peers: &["parking_lot_condvar", "std_condvar", "cpython"],
        targets: &[Target::Peers(&["parking_lot_condvar"], 1.0)],
        note: "2 threads pass a turn under one Condition::new() (RLock, Python's default) with wait/notify(1); peers Mutex<u8>+Condvar",
    },
    Row {
        workload: "barrier_round_2t",
        feature: "sync-barrier",
        peers: &["std", "spin_floor", "cpython"],
        targets: &[Target::Peers(&["std"], 0.1), Target::Peers(&["spin_floor"], 1.5)],
        note: "2 parties; party 0 times n rounds after 8 warm-up rounds; spin_floor is a sense-reversing barrier that spins, never parking",
    },
    Row {
        workload: "barrier_round_4t",
        feature: "sync-barrier",
        peers: &["std", "cpython"],
        targets: &[Target::Peers(&["std"], 1.0)],
        note: "4 parties on 2 cores; party 0 times n rounds after 8 warm-up rounds",
    },
    Row {
        workload: "semaphore_uncontended",
        feature: "sync-semaphore",
        peers: &["mutex_condvar", "cpython"],
        targets: &[Target::Peers(&["mutex_condvar"], 1.0)],
        note: "Semaphore::new(1) acquire()+release() vs Mutex<usize>+Condvar notifying under the lock (Python's design)",
    },
    Row {
        workload: "timers_10k",
        feature: "timer",
        peers: &["thread_per_timer", "cpython"],
        targets: &[Target::Peers(&["thread_per_timer"], 0.05)],
        note: "create+start 10,000 timers due in 60 s, cancel all, join all; peer threads have 64 KiB stacks",
    },
    Row {
        workload: "timer_lateness",
        feature: "timer",
        peers: &["thread_per_timer"],
        targets: &[Target::Peers(&["thread_per_timer"], 1.0)],
        note: "1,000 timers due in 10..1,009 ms (each ms once, scrambled start order); deadline = just before start() + interval",
    },
    Row {
        workload: "queue_spsc",
        feature: "sync-queue",
        peers: &["std_sync_channel", "crossbeam_channel", "cpython"],
        targets: &[Target::Peers(&["std_sync_channel", "crossbeam_channel"], 1.5)],
        note: "1 producer -> 1 consumer (pinned to two CPUs), maxsize 1024, put/get vs send/recv; ns per item; sum checked",
    },
    Row {
        workload: "queue_mpmc_4x4",
        feature: "sync-queue",
        peers: &["std_sync_channel", "crossbeam_channel"],
        targets: &[Target::Peers(&["crossbeam_channel"], 1.5)],
        note: "4 producers -> 4 consumers on 2 cores, maxsize 1024; ns per item; std's receiver shared behind a Mutex; sum checked",
    },
    Row {
        workload: "queue_pingpong",
        feature: "sync-queue",
        peers: &["crossbeam_channel", "cpython"],
        targets: &[Target::Peers(&["crossbeam_channel"], 1.0)],
        note: "2 threads, two queues of maxsize 1: put a / get b against get a / put b; ns per round trip",
    },
    Row {
        workload: "executor_10k_tasks",
        feature: "executor",
        peers: &["threadpool", "rayon", "cpython"],
        targets: &[Target::Peers(&["threadpool", "rayon"], 1.0)],
        note: "submit 10,000 trivial tasks to 4 started workers, then every result (peers: execute/spawn, results over an mpsc channel)",
    },
    Row {
        workload: "lock_contended_2t_profiled",
        feature: "sync-lock",
        peers: &["profile_off"],
        targets: &[Target::Peers(&["profile_off"], 1.5)],
        note: "lock_contended_2t with threading::profile on; peer: the same workload with it off, same run",
    },
    Row {
        workload: "dump_1000_blocked",
        feature: "sync-lock",
        peers: &["std_spawn_1000"],
        targets: &[Target::Peers(&["std_spawn_1000"], 0.05)],
        note: "one threading::dump() with 1,000 threads parked on 100 Locks; peer: spawn + join 1,000 std threads",
    },
    Row {
        workload: "deadlocks_1000_blocked",
        feature: "sync-lock",
        peers: &["std_spawn_1000"],
        targets: &[Target::Peers(&["std_spawn_1000"], 0.05)],
        note: "one threading::deadlocks() over the same 1,000 parked threads; peer: spawn + join 1,000 std threads",
    },
];

struct Options {
    quick: bool,
    only: Vec<String>,
    json: Option<PathBuf>,
    python: bool,
}

/// What one row measured.
#[derive(Default)]
struct Measured {
    ours: Option<f64>,
    peers: Vec<(String, f64)>,
    notes: Vec<String>,
    /// A bench process that failed (crashed, timed out, assertion).
    failed: Option<String>,
}

/// Runs the task; `args` are the words after `bench`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{}", usage());
        return Ok(());
    }
    let opts = parse_args(args)?;
    let root = workspace_root();
    let rows: Vec<&Row> =
        ROWS.iter().filter(|r| opts.only.is_empty() || opts.only.iter().any(|o| o == r.workload)).collect();
    let started = Instant::now();
    let load_at_start = fs::read_to_string("/proc/loadavg").ok().and_then(|s| {
        let f: Vec<&str> = s.split_whitespace().take(3).collect();
        (f.len() == 3).then(|| f.join(" "))
    });

    // 1. Build the bench binary with the features of the crates it needs.
    let declared = declared_features(&root)?;
    let wanted: BTreeSet<&str> =
        rows.iter().map(|r| r.feature).filter(|f| declared.contains(*f) && *f != "thread-core").collect();
    let (built, broken) = build_bench(&wanted)?;
    let bin = target_dir(&root).join("release").join("threading-bench");

    // 2. The Rust rows, one process each.
    let timeout = if opts.quick { Duration::from_secs(120) } else { Duration::from_secs(300) };
    let mut measured: Vec<Measured> = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut cmd = Command::new(&bin);
        cmd.arg("--only").arg(row.workload);
        if opts.quick {
            cmd.arg("--quick");
        }
        let mut m = Measured::default();
        if broken.contains(row.feature) {
            m.notes.push(format!("{} did not build, so the bench was built without it", row.feature));
        }
        eprintln!("bench: {} ...", row.workload);
        collect(&mut m, "bench", run_with_timeout(&mut cmd, timeout));
        measured.push(m);
    }
    let _ = built;

    // 3. The CPython peers.
    let python = if opts.python { cmd::tool_version("python3") } else { None };
    if opts.python && python.is_none() {
        eprintln!("bench: python3 is not installed; the cpython peers are skipped");
    }
    for (row, m) in rows.iter().zip(&mut measured) {
        if !row.peers.contains(&"cpython") {
            continue;
        }
        if python.is_none() {
            m.notes.push(if opts.python {
                "cpython skipped: python3 is not installed".to_owned()
            } else {
                "cpython skipped (--no-python)".to_owned()
            });
            continue;
        }
        let script = root.join("crates/bench/python").join(format!("{}.py", row.workload));
        let mut cmd = Command::new("python3");
        cmd.arg("-B").arg(&script).current_dir(script.parent().expect("the script has a directory"));
        if opts.quick {
            cmd.arg("--quick");
        }
        eprintln!("bench: {} (cpython) ...", row.workload);
        collect(m, "cpython", run_with_timeout(&mut cmd, timeout));
    }

    // 4. Table and JSON.
    let table = render_table(&rows, &measured, opts.quick);
    print!("{table}");
    let load1 = load_at_start.as_deref().and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok());
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    if let Some(load1) = load1.filter(|l| *l > cores as f64) {
        println!(
            "bench: the load average was {load1} on {cores} cores when the run started: other work shared the CPUs, \
             so the figures are noisy"
        );
    }
    let machine = machine(opts.quick, load_at_start.as_deref(), python.as_deref());
    let json = results(&rows, &measured, machine).to_json()?;
    let path = match (&opts.json, opts.only.is_empty()) {
        (Some(p), _) => Some(if p.is_absolute() { p.clone() } else { env::current_dir().unwrap_or_default().join(p) }),
        (None, true) => Some(root.join("target").join("bench").join("results.json")),
        (None, false) => None,
    };
    if let Some(path) = path {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        fs::write(&path, json).map_err(|e| format!("writing {}: {e}", path.display()))?;
        println!("bench: wrote {}", path.display());
    }
    println!("bench: {:.0} s in all", started.elapsed().as_secs_f64());
    let failed: Vec<String> = rows
        .iter()
        .zip(&measured)
        .filter_map(|(r, m)| m.failed.as_ref().map(|f| format!("{}: {f}", r.workload)))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("some measurements failed:\n  {}", failed.join("\n  ")))
    }
}

fn usage() -> String {
    let names: Vec<&str> = ROWS.iter().map(|r| r.workload).collect();
    format!(
        "usage: cargo xtask bench [--quick] [--only <workload>[,...]]... [--json <path>] [--no-python]\nworkloads: {}",
        names.join(", ")
    )
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut opts = Options { quick: false, only: Vec::new(), json: None, python: true };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => opts.quick = true,
            "--no-python" => opts.python = false,
            "--only" => {
                let v = it.next().ok_or_else(|| format!("--only needs a workload\n{}", usage()))?;
                opts.only.extend(v.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
            }
            "--json" => {
                let v = it.next().ok_or_else(|| format!("--json needs a path\n{}", usage()))?;
                opts.json = Some(PathBuf::from(v));
            }
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    if let Some(bad) = opts.only.iter().find(|o| !ROWS.iter().any(|r| r.workload == o.as_str())) {
        return Err(format!("unknown workload {bad:?}\n{}", usage()));
    }
    Ok(opts)
}

/// The features `crates/bench/Cargo.toml` declares: one per primitive
/// crate that has landed in the bench.
fn declared_features(root: &Path) -> Result<BTreeSet<String>> {
    let path = root.join("crates/bench/Cargo.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut in_features = false;
    let mut out = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && name != "default" {
                    out.insert(name.to_owned());
                }
            }
        }
    }
    Ok(out)
}

fn cargo_build(features: &BTreeSet<&str>, quiet: bool) -> Result<bool> {
    let mut cmd = cmd::cargo();
    cmd.args(["build", "--release", "-p", "threading-bench", "--no-default-features"]);
    if !features.is_empty() {
        cmd.arg("--features").arg(features.iter().copied().collect::<Vec<_>>().join(","));
    }
    if quiet {
        cmd.arg("--quiet").stderr(Stdio::null());
    }
    Ok(Runner::new(Output::Inherit).echo().run(&mut cmd)?.problem.is_none())
}

/// Builds the bench with `wanted`; if that fails, finds which features
/// build on their own and builds with those. Returns (built, broken).
fn build_bench<'a>(wanted: &BTreeSet<&'a str>) -> Result<(BTreeSet<&'a str>, BTreeSet<&'a str>)> {
    eprintln!("bench: building threading-bench (release) ...");
    if cargo_build(wanted, false)? {
        return Ok((wanted.clone(), BTreeSet::new()));
    }
    let mut good = BTreeSet::new();
    let mut broken = BTreeSet::new();
    for f in wanted {
        let one: BTreeSet<&str> = [*f].into_iter().collect();
        if cargo_build(&one, true)? {
            good.insert(*f);
        } else {
            eprintln!("bench: {f} does not build; its rows report ours as missing");
            broken.insert(*f);
        }
    }
    if !cargo_build(&good, false)? {
        return Err("threading-bench does not build even without the broken crates".to_owned());
    }
    Ok((good, broken))
}

/// Runs `cmd` with stdout kept and stderr passed through; kills it after
/// `timeout`. Returns stdout and, if it did not succeed, why.
fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> (String, Option<String>) {
    match Runner::new(Output::Stdout).timeout(timeout).run(cmd) {
        Ok(out) => (out.text, out.problem),
        Err(e) => (String::new(), Some(format!("could not start it: {e}"))),
    }
}

/// Reads the `result` / `note` lines of one process into `m`.
fn collect(m: &mut Measured, what: &str, (stdout, failure): (String, Option<String>)) {
    for line in stdout.lines() {
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        match fields.as_slice() {
            ["result", _, who, ns] => {
                if let Ok(v) = ns.trim().parse::<f64>() {
                    if *who == "ours" {
                        m.ours = Some(v);
                    } else if let Some(slot) = m.peers.iter_mut().find(|(p, _)| p == who) {
                        slot.1 = v;
                    } else {
                        m.peers.push(((*who).to_owned(), v));
                    }
                }
            }
            ["note", _, text] => m.notes.push((*text).to_owned()),
            ["note", _, a, b] => m.notes.push(format!("{a}\t{b}")),
            _ => {}
        }
    }
    if let Some(f) = failure {
        m.notes.push(format!("{what} process failed ({f})"));
        let prev = m.failed.take();
        m.failed = Some(prev.map_or_else(|| format!("{what} {f}"), |p| format!("{p}; {what} {f}")));
    }
}

fn peer(m: &Measured, name: &str) -> Option<f64> {
    m.peers.iter().find(|(p, _)| p == name).map(|(_, v)| *v)
}

/// A target's limit in ns, if every figure it depends on was measured.
fn limit(target: Target, m: &Measured) -> Option<f64> {
    match target {
        Target::Absolute(ns) => Some(ns),
        Target::Peers(names, factor) => {
            let figures: Option<Vec<f64>> = names.iter().map(|n| peer(m, n)).collect();
            figures.map(|f| factor * f.into_iter().fold(f64::INFINITY, f64::min))
        }
    }
}

/// The limit that binds (the smallest of the row's), if every one is known.
fn row_limit(row: &Row, m: &Measured) -> Option<f64> {
    row.targets.iter().map(|t| limit(*t, m)).try_fold(f64::INFINITY, |min, l| Some(min.min(l?)))
}

fn target_text(t: Target) -> String {
    match t {
        Target::Absolute(ns) => format!("≤ {} ns", group(ns)),
        Target::Peers([one], factor) => format!("≤ {factor:?} × {one}"),
        Target::Peers(names, factor) => format!("≤ {factor:?} × min({})", names.join(", ")),
    }
}

/// Whether ours meets `target`; `None` if a figure it needs is missing.
fn meets(target: Target, m: &Measured) -> Option<bool> {
    Some(m.ours? <= limit(target, m)?)
}

/// Whether ours meets every target of the row: `Some(false)` as soon as one
/// is missed, `None` if none is missed but one cannot be judged.
fn pass(row: &Row, m: &Measured) -> Option<bool> {
    let verdicts: Vec<Option<bool>> = row.targets.iter().map(|t| meets(*t, m)).collect();
    if verdicts.contains(&Some(false)) {
        Some(false)
    } else if verdicts.contains(&None) {
        None
    } else {
        Some(true)
    }
}

/// `12345.67` → `12,346`; below 100, one decimal.
fn group(v: f64) -> String {
    if !v.is_finite() {
        return "?".to_owned();
    }
    if v.abs() < 100.0 {
        return format!("{v:.1}");
    }
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// A verdict as the table shows it.
fn mark(verdict: Option<bool>) -> &'static str {
    match verdict {
        Some(true) => "pass",
        Some(false) => "MISS",
        None => "-",
    }
}

fn render_table(rows: &[&Row], measured: &[Measured], quick: bool) -> String {
    let mut lines: Vec<[String; 5]> =
        vec![["workload".into(), "ours ns".into(), "peers ns (ours/peer)".into(), "target".into(), "".into()]];
    for (row, m) in rows.iter().zip(measured) {
        let peers: Vec<String> = m
            .peers
            .iter()
            .map(|(p, v)| match m.ours {
                Some(o) if *v > 0.0 => format!("{p} {} ({:.2})", group(*v), o / v),
                _ => format!("{p} {}", group(*v)),
            })
            .collect();
        // Each target with its limit; with several, each with its verdict.
        let target = row
            .targets
            .iter()
            .map(|t| {
                let text = match limit(*t, m) {
                    Some(l) if !matches!(t, Target::Absolute(_)) => format!("{} = {}", target_text(*t), group(l)),
                    _ => target_text(*t),
                };
                if row.targets.len() > 1 {
                    format!("{text} ({})", mark(meets(*t, m)))
                } else {
                    text
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        lines.push([
            row.workload.into(),
            m.ours.map_or_else(|| "missing".to_owned(), group),
            if peers.is_empty() { "(absolute)".to_owned() } else { peers.join("  ") },
            target,
            mark(pass(row, m)).into(),
        ]);
    }
    let mut width = [0usize; 5];
    for l in &lines {
        for (w, c) in width.iter_mut().zip(l) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "\ncargo xtask bench{} — every figure lower is better", if quick { " --quick" } else { "" });
    for l in &lines {
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.chars().count()));
        let _ = writeln!(
            out,
            "{}  {}{}  {}  {}  {}",
            pad(&l[0], width[0]),
            " ".repeat(width[1] - l[1].chars().count()),
            l[1],
            pad(&l[2], width[2]),
            pad(&l[3], width[3]),
            l[4]
        );
    }
    let judged: Vec<bool> = rows.iter().zip(measured).filter_map(|(r, m)| pass(r, m)).collect();
    let _ = writeln!(
        out,
        "{} of {} rows meet their targets ({} not judged: a figure is missing)",
        judged.iter().filter(|p| **p).count(),
        rows.len(),
        rows.len() - judged.len()
    );
    for (row, m) in rows.iter().zip(measured) {
        for n in &m.notes {
            let _ = writeln!(out, "  note {}: {n}", row.workload);
        }
    }
    out
}

fn machine(quick: bool, load: Option<&str>, python: Option<&str>) -> Map<String, Value> {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = thread::available_parallelism().map_or(0, |n| n.get());
    [
        ("cpu", cpu),
        ("cores", cores.to_string()),
        ("os", format!("{} {}", env::consts::OS, env::consts::ARCH)),
        ("mode", if quick { "--quick" } else { "full" }.to_owned()),
        ("load_at_start", load.unwrap_or("unknown").to_owned()),
        ("cpython", python.unwrap_or("not run").to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), Value::String(v)))
    .collect()
}

/// What `results.json` holds for this run.
fn results(rows: &[&Row], measured: &[Measured], machine: Map<String, Value>) -> Results {
    let rows = rows
        .iter()
        .zip(measured)
        .map(|(row, m)| {
            let peers = m.peers.iter().map(|(p, v)| (p.clone(), figure(*v))).collect();
            let ratios = m.peers.iter().filter_map(|(p, v)| m.ours.map(|o| (p.clone(), figure(o / v)))).collect();
            let mut note = row.note.to_owned();
            for n in &m.notes {
                note.push_str("; ");
                note.push_str(n);
            }
            let rounded = |v: Option<f64>| v.and_then(|v| figure(v).as_f64());
            RowResult {
                workload: row.workload.to_owned(),
                unit: "ns".to_owned(),
                ours: rounded(m.ours),
                peers,
                ratios,
                target: row.targets.iter().map(|t| target_text(*t)).collect::<Vec<_>>().join("; "),
                target_ns: rounded(row_limit(row, m)),
                pass: pass(row, m),
                targets: row
                    .targets
                    .iter()
                    .map(|t| TargetResult {
                        target: target_text(*t),
                        target_ns: rounded(limit(*t, m)),
                        pass: meets(*t, m),
                    })
                    .collect(),
                note,
            }
        })
        .collect();
    Results { rows, machine }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(12.34), "12.3");
        assert_eq!(group(1234.4), "1,234");
        assert_eq!(group(12_360_494_405.0), "12,360,494,405");
        assert_eq!(group(100.0), "100");
    }

    #[test]
    fn targets_use_the_smallest_named_peer() {
        let row = &ROWS[0];
        let mut m = Measured {
            ours: Some(12.0),
            peers: vec![("std".into(), 20.0), ("parking_lot".into(), 10.0), ("cpython".into(), 1.0)],
            ..Measured::default()
        };
        assert_eq!(row_limit(row, &m), Some(11.5));
        assert_eq!(pass(row, &m), Some(false));
        m.ours = Some(11.0);
        assert_eq!(pass(row, &m), Some(true));
        m.peers.remove(1);
        assert_eq!(pass(row, &m), None, "a missing named peer leaves the row unjudged");
    }

    #[test]
    fn a_row_with_several_targets_meets_them_only_if_it_meets_all() {
        let row = ROWS.iter().find(|r| r.workload == "event_pingpong").unwrap();
        assert_eq!(row.targets.len(), 2);
        let mut m = Measured {
            ours: Some(300.0),
            peers: vec![
                ("std_condvar".into(), 15_000.0),
                ("parking_lot_condvar".into(), 16_000.0),
                ("spin_floor".into(), 250.0),
            ],
            ..Measured::default()
        };
        assert_eq!(pass(row, &m), Some(true));
        assert_eq!(row_limit(row, &m), Some(375.0), "the smallest limit binds");
        m.ours = Some(400.0);
        assert_eq!((meets(row.targets[0], &m), meets(row.targets[1], &m)), (Some(true), Some(false)));
        assert_eq!(pass(row, &m), Some(false));
        let r = results(&[row], &[m], Map::new());
        let got = &r.rows[0];
        assert_eq!(got.target, "≤ 0.1 × min(std_condvar, parking_lot_condvar); ≤ 1.5 × spin_floor");
        assert_eq!((got.target_ns, got.pass), (Some(375.0), Some(false)));
        let each: Vec<_> = got.targets.iter().map(|t| (t.target_ns, t.pass)).collect();
        assert_eq!(each, [(Some(1500.0), Some(true)), (Some(375.0), Some(false))]);
        let table = render_table(
            &[row],
            &[Measured { peers: vec![("std_condvar".into(), 1.0)], ..Measured::default() }],
            false,
        );
        assert!(table.contains("(-); ≤ 1.5 × spin_floor (-)"), "{table}");
    }

    #[test]
    fn a_missed_target_is_a_miss_even_when_another_cannot_be_judged() {
        let row = ROWS.iter().find(|r| r.workload == "barrier_round_2t").unwrap();
        let m = Measured { ours: Some(400.0), peers: vec![("spin_floor".into(), 100.0)], ..Measured::default() };
        assert_eq!(pass(row, &m), Some(false));
        assert_eq!(row_limit(row, &m), None);
    }

    #[test]
    fn collects_results_and_notes() {
        let mut m = Measured::default();
        let out = "result\tx\tours\t1.5\nresult\tx\tstd\t3\nnote\tx\thello\ngarbage\n".to_owned();
        collect(&mut m, "bench", (out, None));
        assert_eq!(m.ours, Some(1.5));
        assert_eq!(m.peers, vec![("std".to_owned(), 3.0)]);
        assert_eq!(m.notes, vec!["hello".to_owned()]);
        assert!(m.failed.is_none());
    }

    #[test]
    fn every_row_feature_is_declared_by_the_bench_crate() {
        let declared = declared_features(&workspace_root()).unwrap();
        for row in ROWS.iter().filter(|r| r.feature != "thread-core") {
            assert!(declared.contains(row.feature), "{}: feature {} missing", row.workload, row.feature);
        }
    }

    #[test]
    fn results_round_figures_and_keep_the_peers_order() {
        let row = &ROWS[0];
        let m = Measured {
            ours: Some(12.34567),
            peers: vec![("std".into(), 20.0), ("parking_lot".into(), 10.0), ("cpython".into(), 0.0)],
            ..Measured::default()
        };
        let r = results(&[row], &[m], Map::new());
        let got = &r.rows[0];
        assert_eq!(got.ours, Some(12.346));
        let peers: Vec<&str> = got.peers.keys().map(String::as_str).collect();
        assert_eq!(peers, ["std", "parking_lot", "cpython"]);
        assert_eq!(got.ratios["cpython"], Value::Null, "ours / 0 is not a figure");
        assert_eq!((got.target_ns, got.pass), (Some(11.5), Some(false)));
        assert_eq!(got.targets.len(), 1);
        assert_eq!(got.target, got.targets[0].target);
        let text = r.to_json().unwrap();
        assert_eq!(Results::parse(&text).unwrap(), r);
    }
}
