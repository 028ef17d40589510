//! `cargo xtask ci`: every check, each as a printed command, then a
//! summary and `ci: N passed, M failed` (N and M count steps).
//!
//! fmt check, clippy with `-D warnings`, `cargo test --workspace` (unit,
//! integration and doc tests), rustdoc with `-D warnings` (no broken or
//! private intra-doc links), `examples`, `check-models`, and `book` when
//! `docs/book.toml` exists. A failing step does not stop the later ones.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::cmd::{self, Output, Runner};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("unknown argument {arg:?} (usage: cargo xtask ci)"));
    }
    let root = cmd::workspace_root();
    let me = std::env::current_exe().map_err(|e| format!("finding xtask's own binary: {e}"))?;
    let xtask = |task: &str| {
        let mut c = Command::new(&me);
        c.arg(task).current_dir(&root);
        c
    };
    let cargo = |args: &[&str]| {
        let mut c = cmd::cargo();
        c.args(args);
        c
    };
    let mut rustdoc = cargo(&["doc", "--workspace", "--no-deps"]);
    rustdoc.env("RUSTDOCFLAGS", "-D warnings");
    // Each step's time limit: generous for a cold build on 2 cores, there
    // only so that a hung test fails the step instead of hanging CI.
    let mins = |m: u64| Duration::from_secs(m * 60);
    let mut steps: Vec<(&str, Command, Duration)> = vec![
        ("fmt", cargo(&["fmt", "--all", "--", "--check"]), mins(5)),
        ("clippy", cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]), mins(20)),
        ("test", cargo(&["test", "--workspace"]), mins(20)),
        ("doc", rustdoc, mins(10)),
        ("examples", xtask("examples"), mins(15)),
        ("check-models", xtask("check-models"), mins(20)),
    ];
    if root.join("docs").join("book.toml").exists() {
        steps.push(("book", xtask("book"), mins(25)));
    }
    let total = steps.len();
    let mut results = Vec::new();
    for (i, (name, mut c, limit)) in steps.into_iter().enumerate() {
        println!("\n== ci step {}/{total}: {name}", i + 1);
        let started = Instant::now();
        let (outcome, printed) = match Runner::new(Output::Teed).echo().timeout(limit).run(&mut c) {
            Ok(out) => match (out.status, out.problem) {
                (_, None) => (Ok(()), out.text),
                (Some(status), Some(_)) => (Err(status.to_string()), out.text),
                (None, Some(problem)) => (Err(problem), out.text),
            },
            Err(e) => (Err(e), String::new()),
        };
        results.push((name, outcome, started.elapsed(), printed));
    }
    // A log viewer may show only the end of a long run: say again, here,
    // what each failed step reported.
    for (name, outcome, _, printed) in &results {
        if outcome.is_err() {
            println!("\n== what {name} reported");
            for line in failure_excerpt(printed) {
                println!("{line}");
            }
        }
    }
    println!("\n== ci summary");
    let mut failed = 0;
    for (name, outcome, took, _) in &results {
        match outcome {
            Ok(()) => println!("ok   {name} ({:.1} s)", took.as_secs_f64()),
            Err(why) => {
                failed += 1;
                println!("FAIL {name} ({:.1} s): {why}", took.as_secs_f64());
            }
        }
    }
    println!("ci: {} passed, {failed} failed", results.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} step(s) failed"))
    }
}

/// The lines of a failed step's output that say what failed: an example's
/// `FAIL` line with its indented details, and any other line that starts a
/// failure report (a test's `----` section, `panicked`, a compiler `error`,
/// `failures:`) with the lines after it up to a blank line (at most
/// [`EXCERPT_AFTER`]); in all at most [`EXCERPT_MAX`] lines, or the last
/// [`EXCERPT_TAIL`] lines when nothing starts a report.
fn failure_excerpt(printed: &str) -> Vec<&str> {
    let lines: Vec<&str> = printed.lines().collect();
    let mut keep = vec![false; lines.len()];
    for (i, l) in lines.iter().enumerate() {
        let rest = lines.iter().skip(i + 1);
        let more = if l.starts_with("FAIL ") {
            rest.take_while(|x| x.starts_with(char::is_whitespace)).count()
        } else if l.starts_with("---- ")
            || l.starts_with("error")
            || l.contains("panicked at")
            || l.contains("test result: FAILED")
            || l.starts_with("failures:")
        {
            rest.take(EXCERPT_AFTER).take_while(|x| !x.trim().is_empty()).count()
        } else {
            continue;
        };
        for k in &mut keep[i..=i + more] {
            *k = true;
        }
    }
    let mut out: Vec<&str> = lines.iter().zip(&keep).filter(|(_, k)| **k).map(|(l, _)| *l).collect();
    if out.is_empty() {
        out = lines[lines.len().saturating_sub(EXCERPT_TAIL)..].to_vec();
    }
    out.truncate(EXCERPT_MAX);
    out
}

/// At most this many lines follow one line that starts a report.
const EXCERPT_AFTER: usize = 40;
/// At most this many lines of one step's failure are shown again.
const EXCERPT_MAX: usize = 200;
/// With no failure report found, the last this many lines are shown.
const EXCERPT_TAIL: usize = 40;

#[cfg(test)]
mod tests {
    use super::failure_excerpt;

    #[test]
    fn an_example_failure_and_its_details_are_kept() {
        let printed = "ok   a (0.1 s)\nFAIL b: wrong line\n     got: x\nok   c (0.2 s)\nexamples: 2 passed, 1 failed\n";
        let got = failure_excerpt(printed);
        assert_eq!(got, ["FAIL b: wrong line", "     got: x"]);
    }

    #[test]
    fn with_no_report_the_tail_is_kept() {
        let printed: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let got = failure_excerpt(&printed);
        assert_eq!(got.len(), 40);
        assert_eq!(got[0], "line 60");
        assert_eq!(got[39], "line 99");
    }

    #[test]
    fn a_failed_test_section_is_kept() {
        let printed = "test a ... ok\n---- b stdout ----\nthread 'b' panicked at x.rs:1:1:\nboom\n\nsuccesses:\n";
        let got = failure_excerpt(printed);
        assert_eq!(got, ["---- b stdout ----", "thread 'b' panicked at x.rs:1:1:", "boom"]);
    }
}
