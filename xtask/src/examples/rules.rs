//! Which rule holds each program's output: exact where the seed's output
//! is deterministic, phases where independent threads print at the same
//! moment, per-thread sequences and invariants where it is random. Never
//! skipped: a program with no rule and no expected file fails.

use std::collections::{BTreeMap, BTreeSet};

use super::lines::{
    decimals, exact, excerpt, lines, message_of, normalise_decimals, per_thread, same_lines, thread_of, windows, Check,
};

/// The seed's programs: each has `examples/expected/<name>.txt`.
pub(crate) const SEED: [&str; 19] = [
    "threading_simple",
    "threading_names",
    "threading_names_log",
    "threading_daemon",
    "threading_daemon_join",
    "threading_daemon_join_timeout",
    "threading_enumerate",
    "threading_subclass",
    "threading_subclass_args",
    "threading_timer",
    "threading_event",
    "threading_lock",
    "threading_lock_noblock",
    "threading_lock_reacquire",
    "threading_rlock",
    "threading_lock_with",
    "threading_condition",
    "threading_barrier",
    "threading_barrier_abort",
];

/// Programs beyond the seed, checked by rule alone.
pub(crate) const BEYOND: [&str; 5] =
    ["threading_semaphore", "threading_local", "timer_many", "dump_threads", "deadlock_report"];

/// Holds `output` against the rule for `name`; `expected` is the content
/// of `examples/expected/<name>.txt` if there is one.
pub(crate) fn check(name: &str, expected: Option<&str>, output: &str) -> Check {
    let got = lines(output);
    match name {
        "threading_semaphore" => return semaphore(&got),
        "threading_local" => return local(&got),
        "timer_many" => return timer_many(&got),
        "dump_threads" => return dump_threads(&got),
        "deadlock_report" => return deadlock_report(&got),
        _ => {}
    }
    let Some(expected) = expected else {
        return Err(format!("no examples/expected/{name}.txt and no rule for it"));
    };
    let e = lines(expected);
    match name {
        "threading_names" | "threading_names_log" => windows(&e, &got, &[3, 2, 1]),
        "threading_daemon" => daemon(&e, &got),
        "threading_daemon_join" | "threading_daemon_join_timeout" => windows(&e, &got, &[3, 1]),
        "threading_subclass" | "threading_subclass_args" | "threading_lock_with" => windows(&e, &got, &[e.len()]),
        // t1 runs after main's four lines; t2 never does.
        "threading_timer" => windows(&e, &got, &[4, 1]),
        "threading_event" => windows(&e, &got, &[3, 4]),
        "threading_enumerate" => enumerate(&e, &got),
        "threading_lock" => lock(&e, &got),
        "threading_lock_noblock" => lock_noblock(&got),
        "threading_condition" => condition(&e, &got),
        "threading_barrier" => barrier(&e, &got, false),
        "threading_barrier_abort" => barrier(&e, &got, true),
        "futures_map" => futures_map(&e, &got),
        _ => exact(&e, &got),
    }
}

fn fail(why: String, got: &[&str], at: Option<usize>) -> Check {
    Err(format!("{why}\n{}", excerpt("got", got, at)))
}

/// The seed's three lines in any order, and never the daemon's `Exiting`:
/// the process does not wait for a daemon. The daemon's `Starting` may be
/// missing: `start()` returns once the thread runs, but nothing holds the
/// process open until its first line, and on a loaded machine the OS can
/// leave it off the CPU while the non-daemon thread starts, ends and the
/// process exits. (Python shows the line reliably only because the new
/// thread keeps the GIL until it blocks.)
fn daemon(expected: &[&str], got: &[&str]) -> Check {
    const DAEMON_STARTING: &str = "(daemon    ) Starting";
    let want: Vec<&str> = expected.iter().copied().filter(|l| *l != DAEMON_STARTING || got.contains(l)).collect();
    windows(&want, got, &[want.len()])
}

/// Each `Thread-N` sleeps 0.10–0.50 then ends; threads with shorter
/// sleeps end first; main joins the workers that `enumerate()` listed, each
/// once, each `joining` after the previously joined worker's `ending`.
/// Every worker still running at main's first `joining` (so listed by the
/// `enumerate()` before it) is joined; one that ended before that line may
/// have ended before `enumerate()` too, if main was kept off the CPU for
/// its whole 0.1 s sleep, and is then rightly not listed (as in Python).
fn enumerate(expected: &[&str], got: &[&str]) -> Check {
    fn is_main(l: &str) -> bool {
        thread_of(l) == "MainThread"
    }
    fn workers<'a>(ls: &[&'a str]) -> Vec<&'a str> {
        ls.iter().copied().filter(|l| !is_main(l)).collect()
    }
    per_thread(&workers(expected), &workers(got), &|l: &str| normalise_decimals(l))?;
    let names: BTreeSet<&str> = workers(got).iter().map(|l| thread_of(l)).collect();
    let ended = |t: &str| got.iter().position(|x| thread_of(x) == t && message_of(x) == "ending");
    let mut joined = BTreeSet::new();
    for (i, l) in got.iter().enumerate().filter(|(_, l)| is_main(l)) {
        let Some(t) = message_of(l).strip_prefix("joining ") else {
            return fail("main's lines should all be `joining Thread-N`".into(), got, Some(i));
        };
        if !names.contains(t) || !joined.insert(t) {
            return fail(format!("main joins {t}, not a worker or joined twice"), got, Some(i));
        }
    }
    let Some(first_join) = got.iter().position(|l| is_main(l)) else {
        return fail("main joins no worker".into(), got, None);
    };
    for t in &names {
        if !joined.contains(t) && ended(t).is_none_or(|e| e > first_join) {
            return fail(format!("{t} was still running when main began joining, and main never joins it"), got, None);
        }
    }
    let mut sleeps = Vec::new();
    for (i, l) in got.iter().enumerate() {
        let t = thread_of(l);
        if message_of(l).starts_with("sleeping") {
            let p = decimals(l).first().copied().unwrap_or(-1.0);
            let tenths = (p * 10.0).round();
            if !(1.0..=5.0).contains(&tenths) || (p * 10.0 - tenths).abs() > 1e-9 {
                return fail(format!("{t} sleeps {p}, not one of 0.10..0.50"), got, Some(i));
            }
            let end = ended(t).unwrap_or(usize::MAX);
            sleeps.push((tenths as u32, end, t));
        }
    }
    for a in &sleeps {
        for b in &sleeps {
            if a.0 < b.0 && a.1 > b.1 {
                return fail(format!("{} slept less than {} but ended after it", a.2, b.2), got, Some(a.1));
            }
        }
    }
    let mut previous: Option<&str> = None;
    for (i, l) in got.iter().enumerate() {
        if let Some(joined) = l.strip_prefix("(MainThread) joining ") {
            if let Some(p) = previous {
                if ended(p).is_none_or(|e| e > i) {
                    return fail(
                        format!("main joins {joined} before {p}, joined just before, has ended"),
                        got,
                        Some(i),
                    );
                }
            }
            previous = Some(joined);
        }
    }
    Ok(())
}

/// Two workers with the seed's per-thread sequence (numbers aside), each
/// `Acquired lock` right after that thread's `Waiting for lock`, sleeps in
/// 0.00–1.00, and `Counter: 4` last.
fn lock(expected: &[&str], got: &[&str]) -> Check {
    per_thread(expected, got, &|l| normalise_decimals(l))?;
    for (i, l) in got.iter().enumerate() {
        if message_of(l).starts_with("Sleeping") {
            let p = decimals(l).first().copied().unwrap_or(-1.0);
            if !(0.0..=1.0).contains(&p) {
                return fail(format!("a sleep of {p}, not in 0.00..1.00"), got, Some(i));
            }
        }
    }
    let last = got.last().copied().unwrap_or("");
    if last != "(MainThread) Counter: 4" {
        return fail(
            format!("the last line is `{last}`, not `(MainThread) Counter: 4`"),
            got,
            Some(got.len().saturating_sub(1)),
        );
    }
    Ok(())
}

/// The worker tries until it has the lock 3 times: iterations numbered
/// 1..N, exactly 3 `Acquired` (the last one among them), then `Done after
/// N iterations`; the holder alternates `Holding` / `Not holding`; an
/// `Acquired` happens only while the holder is not holding.
fn lock_noblock(got: &[&str]) -> Check {
    let threads: BTreeSet<&str> = got.iter().map(|l| thread_of(l)).collect();
    if threads != BTreeSet::from(["LockHolder", "Worker"]) {
        return fail(format!("threads {threads:?}, expected LockHolder and Worker"), got, None);
    }
    for l in got {
        if !(l.starts_with("(LockHolder) ") || l.starts_with("(Worker    ) ")) {
            return fail(format!("`{l}` is not in the `(%(threadName)-10s) %(message)s` format"), got, None);
        }
    }
    let mut holder_last = "";
    let mut holder_seen = 0;
    let mut worker_step = 0usize; // lines of the worker so far
    let mut iteration = 0u32;
    let mut acquired = 0u32;
    let mut done = false;
    for (i, l) in got.iter().enumerate() {
        let msg = message_of(l);
        if thread_of(l) == "LockHolder" {
            let want = match holder_seen {
                0 => "Starting",
                n if n % 2 == 1 => "Holding",
                _ => "Not holding",
            };
            if msg != want {
                return fail(format!("the holder's line {} should be `{want}`", holder_seen + 1), got, Some(i));
            }
            holder_seen += 1;
            holder_last = msg;
            continue;
        }
        if done {
            return fail("a worker line after `Done`".into(), got, Some(i));
        }
        match worker_step {
            0 if msg == "Starting" => {}
            0 => return fail("the worker's first line should be `Starting`".into(), got, Some(i)),
            n if n % 2 == 1 && acquired == 3 => {
                let want = format!("Done after {iteration} iterations");
                if msg != want {
                    return fail(format!("expected `{want}`"), got, Some(i));
                }
                done = true;
            }
            n if n % 2 == 1 && msg == "Trying to acquire" => iteration += 1,
            n if n % 2 == 1 => return fail("expected `Trying to acquire`".into(), got, Some(i)),
            _ => {
                if msg == format!("Iteration {iteration}: Acquired") {
                    if holder_last == "Holding" {
                        return fail("the worker acquired the lock while the holder held it".into(), got, Some(i));
                    }
                    acquired += 1;
                } else if msg != format!("Iteration {iteration}: Not acquired") {
                    return fail(
                        format!("expected `Iteration {iteration}: Acquired` or `... Not acquired`"),
                        got,
                        Some(i),
                    );
                }
            }
        }
        worker_step += 1;
    }
    if !done {
        return fail("the worker never logged `Done after N iterations`".into(), got, None);
    }
    Ok(())
}

/// Splits `2016-07-10 10:45:28,170 rest` into the stamp and the rest, if
/// the stamp has Python's `asctime` shape.
fn split_asctime(line: &str) -> Option<(&str, &str)> {
    let stamp = line.get(..23)?;
    let shape = stamp.bytes().enumerate().all(|(i, c)| match i {
        4 | 7 => c == b'-',
        10 => c == b' ',
        13 | 16 => c == b':',
        19 => c == b',',
        _ => c.is_ascii_digit(),
    });
    let rest = line.get(23..)?.strip_prefix(' ')?;
    shape.then_some((stamp, rest))
}

/// Timestamps of `asctime`'s shape, never going back; with them removed,
/// the seed's lines in its order except that c1 and c2 may take the
/// resource in either order (after the producer's lines).
fn condition(expected: &[&str], got: &[&str]) -> Check {
    let strip = |ls: &[&str], what: &str| -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        let mut last = "";
        for (i, l) in ls.iter().enumerate() {
            let Some((stamp, rest)) = split_asctime(l) else {
                return Err(format!(
                    "{what} line {} has no `2016-07-10 10:45:28,170` timestamp\n{}",
                    i + 1,
                    excerpt(what, ls, Some(i))
                ));
            };
            if stamp < last {
                return Err(format!("{what} line {}: time goes back\n{}", i + 1, excerpt(what, ls, Some(i))));
            }
            last = stamp;
            out.push(rest.to_owned());
        }
        Ok(out)
    };
    let e = strip(expected, "expected")?;
    let g = strip(got, "got")?;
    let e: Vec<&str> = e.iter().map(String::as_str).collect();
    let g: Vec<&str> = g.iter().map(String::as_str).collect();
    windows(&e, &g, &[1, 1, 1, 1, 2])
}

/// The seed's first six lines exactly (one worker every 0.1 s); then each
/// worker once, `after barrier` with the indices {0, 1, 2} in any order,
/// or `aborting`.
fn barrier(expected: &[&str], got: &[&str], abort: bool) -> Check {
    let head = expected.len().min(6);
    exact(&expected[..head], got.get(..head).unwrap_or(got))?;
    let rest = &got[head..];
    if abort {
        return same_lines(&expected[head..], rest);
    }
    if rest.len() != 3 {
        return fail(format!("{} lines after the waiting ones, expected 3", rest.len()), got, None);
    }
    let mut workers = BTreeSet::new();
    let mut indices = BTreeSet::new();
    for (i, l) in rest.iter().enumerate() {
        let parsed = l.split_once(" after barrier ").and_then(|(w, n)| Some((w, n.parse::<usize>().ok()?)));
        let Some((w, n)) = parsed else {
            return fail(format!("`{l}` is not `worker-N after barrier I`"), got, Some(head + i));
        };
        workers.insert(w);
        indices.insert(n);
    }
    if workers != BTreeSet::from(["worker-0", "worker-1", "worker-2"]) || indices != BTreeSet::from([0, 1, 2]) {
        return fail(
            format!("workers {workers:?} with indices {indices:?}: want each worker once, indices {{0, 1, 2}}"),
            got,
            None,
        );
    }
    Ok(())
}

/// Parses a Python list of strings: `['0', '1']` or `[]`.
fn py_list(s: &str) -> Option<Vec<&str>> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner.split(", ").map(|item| item.strip_prefix('\'')?.strip_suffix('\'')).collect()
}

/// `<asctime> (<name>-2) Waiting to join the pool` / `... Running: [...]`
/// from threads "0".."3": each waits, is added to the pool and removed
/// again; no list ever holds more than 2; the last list is `[]`.
fn semaphore(got: &[&str]) -> Check {
    let mut active: Vec<&str> = Vec::new();
    let mut waited = BTreeSet::new();
    let mut added = BTreeSet::new();
    let mut removed = BTreeSet::new();
    let mut last_list = None;
    for (i, l) in got.iter().enumerate() {
        let Some((_, rest)) = split_asctime(l) else {
            return fail("a line without an `asctime` timestamp".into(), got, Some(i));
        };
        let name = thread_of(rest);
        let padded = format!("({name:<2}) ");
        if !rest.starts_with(&padded) || !["0", "1", "2", "3"].contains(&name) {
            return fail(format!("`{rest}` is not from threads \"0\"..\"3\" as `(%(threadName)-2s)`"), got, Some(i));
        }
        let msg = &rest[padded.len()..];
        if msg == "Waiting to join the pool" {
            if !waited.insert(name) {
                return fail(format!("thread {name} waits twice"), got, Some(i));
            }
            continue;
        }
        let Some(list) = msg.strip_prefix("Running: ").and_then(py_list) else {
            return fail(format!("`{msg}` is neither `Waiting to join the pool` nor `Running: [...]`"), got, Some(i));
        };
        if let Some(pos) = active.iter().position(|n| *n == name) {
            active.remove(pos);
            removed.insert(name);
        } else {
            if !waited.contains(name) || added.contains(name) {
                return fail(format!("thread {name} joins the pool without waiting first, or twice"), got, Some(i));
            }
            active.push(name);
            added.insert(name);
        }
        let (mut a, mut b) = (active.clone(), list.clone());
        a.sort_unstable();
        b.sort_unstable();
        if a != b {
            return fail(format!("the pool should be {active:?} here"), got, Some(i));
        }
        if list.len() > 2 {
            return fail("more than 2 threads in the pool at once".into(), got, Some(i));
        }
        last_list = Some(list);
    }
    let all = BTreeSet::from(["0", "1", "2", "3"]);
    if waited != all || added != all || removed != all {
        return fail(format!("waited {waited:?}, ran {added:?}, left {removed:?}: want all of 0..3"), got, None);
    }
    if last_list.is_none_or(|l| !l.is_empty()) {
        return fail("the last `Running:` list is not `[]`".into(), got, None);
    }
    Ok(())
}

/// `(%(threadName)-10s) %(message)s`: MainThread initialises its value
/// (1000) first; Thread-1 and Thread-2 each initialise their own, see
/// 1000, then their random 1..=100.
fn local(got: &[&str]) -> Check {
    let init = |msg: &str| {
        msg.strip_prefix("Initializing <")
            .and_then(|r| r.strip_suffix('>'))
            .and_then(|r| r.split_once("MyLocal object at 0x"))
            .is_some_and(|(module, hex)| {
                (module.is_empty() || module.ends_with('.'))
                    && !hex.is_empty()
                    && hex.bytes().all(|c| c.is_ascii_hexdigit())
            })
    };
    let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (i, l) in got.iter().enumerate() {
        let name = thread_of(l);
        if !l.starts_with(&format!("({name:<10}) ")) {
            return fail(format!("`{l}` is not in the `(%(threadName)-10s) %(message)s` format"), got, Some(i));
        }
        by.entry(name).or_default().push(message_of(l));
    }
    if by.keys().copied().collect::<Vec<_>>() != ["MainThread", "Thread-1", "Thread-2"] {
        return fail(format!("threads {:?}, expected MainThread, Thread-1, Thread-2", by.keys()), got, None);
    }
    let main = &by["MainThread"];
    if main.len() != 2
        || !init(main[0])
        || main[1] != "value=1000"
        || !got.iter().take(2).all(|l| thread_of(l) == "MainThread")
    {
        return fail(
            "MainThread should first log `Initializing <MyLocal object at 0x…>` then `value=1000`".into(),
            got,
            None,
        );
    }
    for t in ["Thread-1", "Thread-2"] {
        let lines = &by[t];
        let random = lines.get(2).and_then(|m| m.strip_prefix("value=")).and_then(|v| v.parse::<u32>().ok());
        let ok = lines.len() == 3
            && init(lines[0])
            && lines[1] == "value=1000"
            && random.is_some_and(|v| (1..=100).contains(&v));
        if !ok {
            return fail(
                format!("{t} should log `Initializing <MyLocal object at 0x…>`, `value=1000`, `value=<1..=100>`"),
                got,
                None,
            );
        }
    }
    Ok(())
}

/// `timers started: 10000`, `OS threads while pending: W` (W ≤ 8: no
/// thread per pending timer), `timers cancelled: C`, `timers fired: F` (C +
/// F = 10000, F = 100), `peak OS threads: P` (W ≤ P ≤ F + 8: a thread only
/// for a timer that fires, while it fires; how many of those overlap is up
/// to the OS, so no tighter bound holds on a loaded machine), `elapsed: <n>
/// ms`, in that order.
fn timer_many(got: &[&str]) -> Check {
    let keys = [
        "timers started: ",
        "OS threads while pending: ",
        "timers cancelled: ",
        "timers fired: ",
        "peak OS threads: ",
        "elapsed: ",
    ];
    let mut values = Vec::new();
    let mut last_at = None;
    for key in keys {
        let found: Vec<(usize, &str)> =
            got.iter().enumerate().filter_map(|(i, l)| Some((i, l.strip_prefix(key)?))).collect();
        let [(at, value)] = found[..] else {
            return fail(format!("want exactly one line `{key}...`, found {}", found.len()), got, None);
        };
        if last_at.is_some_and(|l| at < l) {
            return fail(format!("`{key}...` is out of order"), got, Some(at));
        }
        last_at = Some(at);
        let digits = if key == "elapsed: " { value.strip_suffix(" ms") } else { Some(value) };
        let Some(n) = digits.and_then(|d| d.parse::<u64>().ok()) else {
            return fail(
                format!("`{key}{value}` does not end in a number{}", if key == "elapsed: " { " of ms" } else { "" }),
                got,
                Some(at),
            );
        };
        values.push(n);
    }
    let (started, pending, cancelled, fired, peak) = (values[0], values[1], values[2], values[3], values[4]);
    if started != 10_000 || cancelled + fired != started || fired != 100 {
        return fail(
            format!("started {started}, cancelled {cancelled}, fired {fired}: want 10000 = C + F with F = 100"),
            got,
            None,
        );
    }
    if pending > 8 {
        return fail(format!("{pending} OS threads while the timers were pending, more than 8"), got, None);
    }
    if peak < pending || peak > fired + 8 {
        return fail(format!("{peak} OS threads at the peak: want {pending} to {}", fired + 8), got, None);
    }
    Ok(())
}

/// `futures_map`: the first two tasks start while main prints `main:
/// waiting for real results` (lines 2-4 in any order); from then on the
/// tasks' sleeps, 0.1 s apart, fix the order. The tasks' lines name no
/// thread, so `windows`' per-thread check does not apply.
fn futures_map(expected: &[&str], got: &[&str]) -> Check {
    same_lines(expected, got)?;
    if expected.len() < 4 || got[0] != expected[0] || same_lines(&expected[1..4], &got[1..4]).is_err() {
        return fail(
            "lines 1-4: want `main: starting`, then the first two tasks' lines and main's in any order".into(),
            got,
            Some(0),
        );
    }
    exact(&expected[4..], &got[4..])
}

/// `line` with every `<0x...>` address written `<addr>`.
fn without_addresses(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("<0x") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let hex = after.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(after.len());
        if after[hex..].starts_with('>') && hex > 0 {
            out.push_str("<addr>");
            rest = &after[hex + 1..];
        } else {
            out.push_str("<0x");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A thread of a dump: its header's name and ident, and its lines below.
struct Dumped<'a> {
    name: &'a str,
    ident: &'a str,
    body: Vec<&'a str>,
}

/// Splits a dump's output into its threads (header lines start with `"`).
fn dumped<'a>(got: &[&'a str]) -> Vec<Dumped<'a>> {
    let mut threads: Vec<Dumped<'a>> = Vec::new();
    for l in got {
        if let Some(rest) = l.strip_prefix('"') {
            let (name, rest) = rest.split_once('"').unwrap_or((rest, ""));
            let ident = rest.split_whitespace().find_map(|w| w.strip_prefix("ident=")).unwrap_or("");
            threads.push(Dumped { name, ident, body: Vec::new() });
        } else if let Some(t) = threads.last_mut() {
            if !l.trim().is_empty() {
                t.body.push(l);
            }
        }
    }
    threads
}

/// `dump_threads`: `Thread dump: 8 threads`, then every thread with what it
/// does: main running; `holder` waiting on the Event `go`; `lock-waiter` on
/// the Lock `accounts` acquired by `holder` (its ident); `rlock-waiter` on
/// the RLock `registry` owned by `MainThread` (its ident); `cond-waiter` on
/// the Condition `ready`, whose RLock is free; `barrier-waiter` on the
/// Barrier `meeting` with 1 of 3 waiting; `joiner` joining `holder` (its
/// ident); the Timer `alarm` pending with its 60 s interval. Every blocked
/// thread's second line is its call site in the program.
fn dump_threads(got: &[&str]) -> Check {
    if got.first() != Some(&"Thread dump: 8 threads") {
        return fail("the first line should be `Thread dump: 8 threads`".into(), got, Some(0));
    }
    let threads = dumped(got);
    let ident = |name: &str| threads.iter().find(|t| t.name == name).map(|t| t.ident.to_owned());
    let (Some(main), Some(holder)) = (ident("MainThread"), ident("holder")) else {
        return fail("MainThread and holder should be listed".into(), got, None);
    };
    let want: [(&str, String); 8] = [
        ("MainThread", "    running".into()),
        ("holder", r#"    wait on Event <addr> "go": not set"#.into()),
        ("lock-waiter", format!(r#"    acquire on Lock <addr> "accounts": acquired by "holder" (ident={holder})"#)),
        ("rlock-waiter", format!(r#"    acquire on RLock <addr> "registry": owned by "MainThread" (ident={main})"#)),
        ("cond-waiter", r#"    wait on Condition <addr> "ready": re-acquires RLock <addr>: free"#.into()),
        ("barrier-waiter", r#"    barrier wait on Barrier <addr> "meeting": n_waiting=1/3"#.into()),
        ("joiner", format!(r#"    join on Thread <addr> "holder": still running (ident={holder})"#)),
        ("alarm", "    pending Timer: interval 60.000s, fires in ".into()),
    ];
    if threads.len() != want.len() {
        return fail(format!("{} threads listed, want {}", threads.len(), want.len()), got, None);
    }
    for (name, first) in want {
        let Some(t) = threads.iter().find(|t| t.name == name) else {
            return fail(format!("thread {name} is not listed"), got, None);
        };
        let line = t.body.first().map(|l| without_addresses(l)).unwrap_or_default();
        let ok = if name == "alarm" { line.starts_with(&first) } else { line == first };
        if !ok {
            return fail(format!("{name}: want `{first}`, got `{line}`"), got, None);
        }
        let blocked = !matches!(name, "MainThread" | "alarm");
        if blocked && !t.body.get(1).is_some_and(|l| l.starts_with("        at examples/dump_threads.rs:")) {
            return fail(
                format!("{name}: the second line should be its call site in examples/dump_threads.rs"),
                got,
                None,
            );
        }
    }
    Ok(())
}

/// `deadlock_report`: `1 deadlock(s) found`, `Deadlock of 2 threads
/// (exact):`, then each worker's line: acquiring the RLock the other owns,
/// named with the other's ident, and its call site.
fn deadlock_report(got: &[&str]) -> Check {
    if got.len() != 6 || got[0] != "1 deadlock(s) found" || got[1] != "Deadlock of 2 threads (exact):" {
        return fail("want `1 deadlock(s) found`, `Deadlock of 2 threads (exact):` and two threads".into(), got, None);
    }
    // `  "worker-a" (ident=I) acquire on RLock <addr> "second": owned by "worker-b" (ident=J)`
    let parse = |l: &str| -> Option<(String, String, String, String, String)> {
        let l = without_addresses(l);
        let rest = l.strip_prefix("  \"")?;
        let (name, rest) = rest.split_once("\" (ident=")?;
        let (ident, rest) = rest.split_once(") acquire on RLock <addr> \"")?;
        let (lock, rest) = rest.split_once("\": owned by \"")?;
        let (owner, rest) = rest.split_once("\" (ident=")?;
        let owner_ident = rest.strip_suffix(')')?;
        Some((name.into(), ident.into(), lock.into(), owner.into(), owner_ident.into()))
    };
    let (Some(a), Some(b)) = (parse(got[2]), parse(got[4])) else {
        return fail(
            "a worker's line is not `\"name\" (ident=I) acquire on RLock ...: owned by ...`".into(),
            got,
            None,
        );
    };
    for (x, y) in [(&a, &b), (&b, &a)] {
        if x.3 != y.0 || x.4 != y.1 || x.0 == y.0 {
            return fail(format!("{} should wait on what {} owns, named with its ident", x.0, y.0), got, None);
        }
    }
    let mut locks = [a.2.as_str(), b.2.as_str()];
    locks.sort_unstable();
    if locks != ["first", "second"] {
        return fail("the two workers should wait on `first` and `second`".into(), got, None);
    }
    if ![got[3], got[5]].iter().all(|l| l.starts_with("    at examples/deadlock_report.rs:")) {
        return fail("each worker's second line should be its call site".into(), got, None);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(name: &str) -> String {
        let path = crate::cmd::workspace_root().join("examples/expected").join(format!("{name}.txt"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn check_text(name: &str, got: &str) -> Check {
        check(name, Some(&expected(name)), got)
    }

    #[test]
    fn futures_map_lets_only_the_start_race() {
        let e = expected("futures_map");
        let mut raced: Vec<&str> = lines(&e);
        raced.swap(1, 2);
        assert_eq!(check("futures_map", Some(&e), &raced.join("\n")), Ok(()));
        let mut late: Vec<&str> = lines(&e);
        late.swap(4, 5);
        assert!(check("futures_map", Some(&e), &late.join("\n")).is_err());
    }

    #[test]
    fn every_seed_output_passes_its_own_rule() {
        for name in SEED {
            let e = expected(name);
            if let Err(why) = check(name, Some(&e), &e) {
                panic!("{name}: the seed's own output fails: {why}");
            }
        }
    }

    #[test]
    fn no_rule_no_file_fails() {
        assert!(check("some_new_program", None, "hello\n").unwrap_err().contains("no rule"));
        assert!(check("threading_simple", None, "Worker\n").is_err());
    }

    #[test]
    fn phases_accept_free_order_only_within_a_phase() {
        let ok = "Thread-1 Starting\nworker Starting\nmy_service Starting\nThread-1 Exiting\nworker Exiting\nmy_service Exiting\n";
        assert_eq!(check_text("threading_names", ok), Ok(()));
        let wrong = "worker Starting\nThread-1 Starting\nmy_service Starting\nworker Exiting\nmy_service Exiting\nThread-1 Exiting\n";
        assert!(check_text("threading_names", wrong).unwrap_err().contains("out of order"));
        let missing = "worker Starting\nThread-1 Starting\nmy_service Starting\nworker Exiting\nThread-1 Exiting\n";
        assert!(check_text("threading_names", missing).unwrap_err().starts_with("missing `my_service Exiting`"));
    }

    #[test]
    fn a_daemon_that_holds_the_process_fails() {
        let with_daemon = "(daemon    ) Starting\n(non-daemon) Starting\n(non-daemon) Exiting\n(daemon    ) Exiting\n";
        let err = check_text("threading_daemon", with_daemon).unwrap_err();
        assert!(err.starts_with("unexpected `(daemon    ) Exiting`"), "{err}");
        let reordered = "(non-daemon) Starting\n(daemon    ) Starting\n(non-daemon) Exiting\n";
        assert_eq!(check_text("threading_daemon", reordered), Ok(()));
        let backwards = "(non-daemon) Exiting\n(daemon    ) Starting\n(non-daemon) Starting\n";
        assert!(check_text("threading_daemon", backwards).is_err());
        // The daemon left off the CPU until the process had exited.
        let unscheduled = "(non-daemon) Starting\n(non-daemon) Exiting\n";
        assert_eq!(check_text("threading_daemon", unscheduled), Ok(()));
        assert!(check_text("threading_daemon", "(non-daemon) Starting\n").is_err());
        assert!(check_text("threading_daemon", "(non-daemon) Starting\n(non-daemon) Exiting\n(daemon    ) Exiting\n")
            .is_err());
    }

    #[test]
    fn exact_programs() {
        assert_eq!(check_text("threading_rlock", "First try : True\nSecond try: True\n"), Ok(()));
        assert!(check_text("threading_rlock", "First try : True\nSecond try: False\n").is_err());
        assert!(check_text("threading_simple", "Worker\nWorker\nWorker\nWorker\n").is_err());
        let timeout = "(daemon    ) Starting\n(non-daemon) Starting\n(non-daemon) Exiting\nd.isAlive() False\n";
        assert!(check_text("threading_daemon_join_timeout", timeout).is_err());
    }

    #[test]
    fn enumerate_rules() {
        let ok = "(Thread-1  ) sleeping 0.50\n(Thread-2  ) sleeping 0.10\n(Thread-3  ) sleeping 0.20\n\
                  (MainThread) joining Thread-1\n(Thread-2  ) ending\n(Thread-3  ) ending\n(Thread-1  ) ending\n\
                  (MainThread) joining Thread-2\n(MainThread) joining Thread-3\n";
        assert_eq!(check_text("threading_enumerate", ok), Ok(()));
        let bad_sleep = ok.replace("sleeping 0.50", "sleeping 0.70");
        assert!(check_text("threading_enumerate", &bad_sleep).unwrap_err().contains("not one of"));
        let early_join = "(Thread-1  ) sleeping 0.50\n(Thread-2  ) sleeping 0.10\n(Thread-3  ) sleeping 0.20\n\
                  (MainThread) joining Thread-1\n(MainThread) joining Thread-2\n(Thread-2  ) ending\n(Thread-3  ) ending\n(Thread-1  ) ending\n\
                  (MainThread) joining Thread-3\n";
        assert!(check_text("threading_enumerate", early_join).unwrap_err().contains("before Thread-1"));
        let twice = ok.replace("joining Thread-3", "joining Thread-2");
        assert!(check_text("threading_enumerate", &twice).is_err());
        let order =
            ok.replace("(Thread-2  ) ending\n(Thread-3  ) ending\n", "(Thread-3  ) ending\n(Thread-2  ) ending\n");
        assert!(check_text("threading_enumerate", &order).unwrap_err().contains("ended after"));
        // Main kept off the CPU until Thread-2 had ended: not listed, not joined.
        let late_main = "(Thread-1  ) sleeping 0.50\n(Thread-2  ) sleeping 0.10\n(Thread-3  ) sleeping 0.20\n\
                  (Thread-2  ) ending\n(MainThread) joining Thread-1\n(Thread-3  ) ending\n(Thread-1  ) ending\n\
                  (MainThread) joining Thread-3\n";
        assert_eq!(check_text("threading_enumerate", late_main), Ok(()));
        // A worker still running when main began joining must be joined.
        let skipped = ok.replace("(MainThread) joining Thread-3\n", "");
        assert!(check_text("threading_enumerate", &skipped).unwrap_err().contains("never joins it"));
        let none = "(Thread-1  ) sleeping 0.50\n(Thread-1  ) ending\n";
        assert!(check_text("threading_enumerate", none).is_err());
        let other = ok.replace("joining Thread-2", "joining Thread-9");
        assert!(check_text("threading_enumerate", &other).unwrap_err().contains("not a worker"));
    }

    #[test]
    fn lock_rules() {
        let e = expected("threading_lock");
        let other_numbers = e.replace("0.18", "0.42").replace("0.93", "0.07");
        assert_eq!(check_text("threading_lock", &other_numbers), Ok(()));
        let lost = e.replace("Counter: 4", "Counter: 3");
        assert!(check_text("threading_lock", &lost).is_err());
        let unlocked = e.replacen("(Thread-1  ) Waiting for lock\n", "", 1);
        assert!(check_text("threading_lock", &unlocked).is_err());
    }

    #[test]
    fn lock_noblock_rules() {
        let e = expected("threading_lock_noblock");
        let four = e.replace("Iteration 4: Not acquired", "Iteration 4: Acquired");
        assert!(check_text("threading_lock_noblock", &four).is_err());
        let numbering = e.replace("Iteration 3: Acquired", "Iteration 4: Acquired");
        assert!(check_text("threading_lock_noblock", &numbering).is_err());
        let short = "(LockHolder) Starting\n(LockHolder) Holding\n(Worker    ) Starting\n(LockHolder) Not holding\n\
                     (Worker    ) Trying to acquire\n(Worker    ) Iteration 1: Acquired\n(Worker    ) Trying to acquire\n\
                     (Worker    ) Iteration 2: Acquired\n(Worker    ) Trying to acquire\n(Worker    ) Iteration 3: Acquired\n\
                     (Worker    ) Done after 3 iterations\n";
        assert_eq!(check_text("threading_lock_noblock", short), Ok(()));
        let while_held = short.replace("(LockHolder) Not holding\n", "");
        assert!(check_text("threading_lock_noblock", &while_held).is_err());
    }

    #[test]
    fn condition_rules() {
        let e = expected("threading_condition");
        let swapped = e
            .replace("(c1) Resource", "(cX) Resource")
            .replace("(c2) Resource", "(c1) Resource")
            .replace("(cX) Resource", "(c2) Resource");
        assert_eq!(check_text("threading_condition", &swapped), Ok(()));
        let other_day = e.replace("2016-07-10 10:45:28", "2026-11-30 23:01:02");
        assert_eq!(check_text("threading_condition", &other_day), Ok(()));
        let early: String = {
            let mut l: Vec<&str> = e.lines().collect();
            l.swap(3, 4);
            l.join("\n")
        };
        assert!(check_text("threading_condition", &early).is_err());
        assert!(check_text("threading_condition", &e.replace(",170", "")).is_err());
    }

    #[test]
    fn barrier_rules() {
        let e = expected("threading_barrier");
        let other = e.replace(
            "worker-2 after barrier 2\nworker-0 after barrier 0",
            "worker-0 after barrier 2\nworker-2 after barrier 0",
        );
        assert_eq!(check_text("threading_barrier", &other), Ok(()));
        assert!(check_text("threading_barrier", &e.replace("after barrier 1", "after barrier 2")).is_err());
        let a = expected("threading_barrier_abort");
        let reordered = a.replace("worker-0 aborting\nworker-2 aborting", "worker-2 aborting\nworker-0 aborting");
        assert_eq!(check_text("threading_barrier_abort", &reordered), Ok(()));
        assert!(check_text("threading_barrier_abort", &a.replace("worker-1 aborting\n", "")).is_err());
    }

    const SEMAPHORE: &str = "2026-11-30 23:00:00,001 (0 ) Waiting to join the pool
2026-11-30 23:00:00,001 (0 ) Running: ['0']
2026-11-30 23:00:00,002 (1 ) Waiting to join the pool
2026-11-30 23:00:00,002 (1 ) Running: ['0', '1']
2026-11-30 23:00:00,002 (2 ) Waiting to join the pool
2026-11-30 23:00:00,003 (3 ) Waiting to join the pool
2026-11-30 23:00:00,101 (0 ) Running: ['1']
2026-11-30 23:00:00,101 (2 ) Running: ['1', '2']
2026-11-30 23:00:00,102 (1 ) Running: ['2']
2026-11-30 23:00:00,102 (3 ) Running: ['2', '3']
2026-11-30 23:00:00,202 (2 ) Running: ['3']
2026-11-30 23:00:00,203 (3 ) Running: []
";

    #[test]
    fn semaphore_rules() {
        assert_eq!(check("threading_semaphore", None, SEMAPHORE), Ok(()));
        let three = SEMAPHORE.replace(
            "(0 ) Running: ['1']\n2026-11-30 23:00:00,101 (2 ) Running: ['1', '2']",
            "(2 ) Running: ['0', '1', '2']\n2026-11-30 23:00:00,101 (0 ) Running: ['1', '2']",
        );
        assert!(check("threading_semaphore", None, &three).unwrap_err().contains("more than 2"));
        let not_empty = SEMAPHORE.replace("(3 ) Running: []\n", "");
        assert!(check("threading_semaphore", None, &not_empty).is_err());
        let no_wait = SEMAPHORE.replace("2026-11-30 23:00:00,003 (3 ) Waiting to join the pool\n", "");
        assert!(check("threading_semaphore", None, &no_wait).is_err());
    }

    const LOCAL: &str = "(MainThread) Initializing <MyLocal object at 0x7f3a2c001230>
(MainThread) value=1000
(Thread-1  ) Initializing <MyLocal object at 0x7f3a2c001230>
(Thread-2  ) Initializing <MyLocal object at 0x7f3a2c001230>
(Thread-1  ) value=1000
(Thread-1  ) value=81
(Thread-2  ) value=1000
(Thread-2  ) value=54
";

    #[test]
    fn local_rules() {
        assert_eq!(check("threading_local", None, LOCAL), Ok(()));
        assert!(check("threading_local", None, &LOCAL.replace("value=81", "value=181")).is_err());
        assert!(check("threading_local", None, &LOCAL.replace("(Thread-2  ) value=1000\n", "")).is_err());
        assert!(check("threading_local", None, &LOCAL.replace("(Thread-1  ) value=81", "(Thread-1) value=81")).is_err());
    }

    #[test]
    fn timer_many_rules() {
        let ok = "timers started: 10000\nOS threads while pending: 2\ntimers cancelled: 9900\ntimers fired: 100\n\
                  peak OS threads: 17\nelapsed: 412 ms\n";
        assert_eq!(check("timer_many", None, ok), Ok(()));
        assert!(check("timer_many", None, &ok.replace("fired: 100", "fired: 99")).is_err());
        // A thread per pending timer.
        assert!(check("timer_many", None, &ok.replace("pending: 2", "pending: 10002")).is_err());
        assert!(check("timer_many", None, &ok.replace("threads: 17", "threads: 10002")).is_err());
        // Every firing timer at once, plus main and the service, passes; more does not.
        assert_eq!(check("timer_many", None, &ok.replace("threads: 17", "threads: 102")), Ok(()));
        assert!(check("timer_many", None, &ok.replace("threads: 17", "threads: 109")).is_err());
        assert!(check("timer_many", None, &ok.replace("threads: 17", "threads: 1")).is_err());
        assert!(check("timer_many", None, &ok.replace("elapsed: 412 ms\n", "")).is_err());
    }

    const DUMP: &str = r#"Thread dump: 8 threads

"MainThread" ident=139859104426048 native_id=21111 alive
    running

"holder" ident=139859104421568 native_id=21494 alive
    wait on Event <0x55f7e49e3af0> "go": not set
        at examples/dump_threads.rs:30:11, waiting 11.6ms

"lock-waiter" ident=139859102320320 native_id=21495 alive
    acquire on Lock <0x55f7e49e3d70> "accounts": acquired by "holder" (ident=139859104421568)
        at examples/dump_threads.rs:38:20, waiting 7.3ms

"rlock-waiter" ident=139859100219072 native_id=21496 alive
    acquire on RLock <0x55f7e49e3db0> "registry": owned by "MainThread" (ident=139859104426048)
        at examples/dump_threads.rs:45:20, waiting 7.3ms

"cond-waiter" ident=139859098105536 native_id=21497 alive
    wait on Condition <0x55f7e49e3e30> "ready": re-acquires RLock <0x55f7e49e3df0>: free
        at examples/dump_threads.rs:52:11, waiting 7.4ms

"barrier-waiter" ident=139859095992000 native_id=21498 alive
    barrier wait on Barrier <0x55f7e49e3e80> "meeting": n_waiting=1/3
        at examples/dump_threads.rs:58:19, waiting 5.2ms

"joiner" ident=139859093878464 native_id=21507 alive
    join on Thread <0x55f7e49e4120> "holder": still running (ident=139859104421568)
        at examples/dump_threads.rs:63:44, waiting 5.1ms

"alarm" ident=- native_id=- alive
    pending Timer: interval 60.000s, fires in 59.995s
"#;

    #[test]
    fn dump_threads_rules() {
        assert_eq!(check("dump_threads", None, DUMP), Ok(()));
        // The Lock's acquirer named with another thread's ident.
        let wrong = DUMP.replace(r#""holder" (ident=139859104421568)"#, r#""holder" (ident=139859104426048)"#);
        assert!(check("dump_threads", None, &wrong).is_err());
        // A thread left out, a wrong primitive, no call site.
        assert!(check("dump_threads", None, &DUMP.replace("\"joiner\"", "\"joiner2\"")).is_err());
        assert!(check("dump_threads", None, &DUMP.replace("on Event", "on Semaphore")).is_err());
        assert!(check("dump_threads", None, &DUMP.replace("at examples/dump_threads.rs:58", "at ?:58")).is_err());
        assert!(check("dump_threads", None, &DUMP.replace("n_waiting=1/3", "n_waiting=0/3")).is_err());
    }

    const DEADLOCK: &str = r#"1 deadlock(s) found
Deadlock of 2 threads (exact):
  "worker-b" (ident=139928583931584) acquire on RLock <0x55c07b79ed70> "first": owned by "worker-a" (ident=139928586032832)
    at examples/deadlock_report.rs:22:28, waiting 5.1ms
  "worker-a" (ident=139928586032832) acquire on RLock <0x55c07b79edb0> "second": owned by "worker-b" (ident=139928583931584)
    at examples/deadlock_report.rs:22:28, waiting 5.0ms
"#;

    #[test]
    fn deadlock_report_rules() {
        assert_eq!(check("deadlock_report", None, DEADLOCK), Ok(()));
        assert!(check("deadlock_report", None, &DEADLOCK.replace("(exact)", "(likely)")).is_err());
        assert!(check(
            "deadlock_report",
            None,
            &DEADLOCK.replacen("owned by \"worker-a\"", "owned by \"worker-b\"", 1)
        )
        .is_err());
        assert!(check("deadlock_report", None, &DEADLOCK.replace("1 deadlock(s)", "0 deadlock(s)")).is_err());
    }
}
