//! `cargo xtask ci`: every check, each as a printed command, then a
//! summary and `ci: N passed, M failed` (N and M count steps).
//!
//! fmt check, clippy with `-D warnings`, `cargo test --workspace` (unit,
//! integration and doc tests), rustdoc with `-D warnings` (no broken or
//! private intra-doc links), `examples`, `check-models`, and `book` when
//! `docs/book.toml` exists. A failing step does not stop the later ones.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::cmd;

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
        let outcome = match cmd::run_status_timeout(&mut c, limit) {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(status.to_string()),
            Err(e) => Err(e),
        };
        results.push((name, outcome, started.elapsed()));
    }
    println!("\n== ci summary");
    let mut failed = 0;
    for (name, outcome, took) in &results {
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
