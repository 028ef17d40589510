//! `cargo xtask examples [--only NAME] [--repeat N]`: builds every example
//! in release, runs each one (stdout and stderr merged in the order written,
//! killed after a timeout) and holds its output against
//! `examples/expected/<name>.txt` or its rule ([`rules`]). One line per
//! run, then `examples: N passed, M failed` (N and M count runs).
//! `--repeat N` runs the whole list N times: the way to hunt a rule or a
//! program that fails only now and then (run it beside a load).
//!
//! The programs are the seed's 19 and those beyond it (listed whether
//! built yet or not, so the list is complete from the start) and every
//! other `examples/*.rs`.

mod lines;
mod rules;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::cmd::{self, Output, Runner};

/// How long one program may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut only = None;
    let mut repeat = 1usize;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--only" => only = Some(it.next().ok_or("--only needs a program name")?.clone()),
            "--repeat" => {
                let n = it.next().ok_or("--repeat needs a count")?;
                repeat = n.parse().ok().filter(|n| *n > 0).ok_or(format!("--repeat {n:?}: want a count above 0"))?;
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?} (usage: cargo xtask examples [--only NAME] [--repeat N])"
                ))
            }
        }
    }
    let root = cmd::workspace_root();
    let mut names = programs(&root)?;
    if let Some(only) = &only {
        if !names.contains(only) {
            return Err(format!("no program named {only:?}; the programs are: {}", names.join(", ")));
        }
        names = vec![only.clone()];
    }
    let bin_dir = build(&root)?;
    let (mut passed, mut failed) = (0, 0);
    for name in names.iter().cycle().take(names.len() * repeat) {
        if report(name, &run_one(&root, &bin_dir, name)) {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    println!("examples: {passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} program(s) failed"))
    }
}

/// Builds every example in release; the directory that holds them.
pub(crate) fn build(root: &Path) -> Result<PathBuf, String> {
    let mut build = cmd::cargo();
    build.args(["build", "--release", "--examples", "-p", "pythreading"]);
    cmd::run(&mut build)?;
    Ok(cmd::target_dir(root).join("release").join("examples"))
}

/// The seed's programs, those beyond it, then any other `examples/*.rs`.
pub(crate) fn programs(root: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = rules::SEED.iter().chain(&rules::BEYOND).map(|s| (*s).to_owned()).collect();
    let dir = root.join("examples");
    let mut others = Vec::new();
    for entry in fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "rs") {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            if !names.contains(&stem) {
                others.push(stem);
            }
        }
    }
    others.sort();
    names.extend(others);
    Ok(names)
}

/// One program's run: what it printed and whether it passed.
#[derive(Debug)]
pub(crate) struct Ran {
    /// What it printed (stdout and stderr merged in the order written);
    /// `None` when it was not run (not built).
    pub(crate) text: Option<String>,
    pub(crate) elapsed: Duration,
    /// `Err` says why it failed: it did not run to success, or its output
    /// broke its rule.
    pub(crate) verdict: Result<(), String>,
}

/// Prints the run's line (`ok   NAME (1.23 s)`, or `FAIL NAME: why` with
/// the details indented below); whether it passed.
pub(crate) fn report(name: &str, ran: &Ran) -> bool {
    match &ran.verdict {
        Ok(()) => {
            println!("ok   {name} ({:.2} s)", ran.elapsed.as_secs_f64());
            true
        }
        Err(why) => {
            let mut lines = why.lines();
            println!("FAIL {name}: {}", lines.next().unwrap_or(""));
            for l in lines {
                println!("     {l}");
            }
            false
        }
    }
}

/// Runs one program from `bin_dir` (see [`build`]) and checks its output.
pub(crate) fn run_one(root: &Path, bin_dir: &Path, name: &str) -> Ran {
    let not_run = |why: String| Ran { text: None, elapsed: Duration::ZERO, verdict: Err(why) };
    let bin = bin_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !root.join("examples").join(format!("{name}.rs")).exists() || !bin.exists() {
        return not_run("not built".into());
    }
    let expected_path = root.join("examples").join("expected").join(format!("{name}.txt"));
    let expected = match fs::read_to_string(&expected_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return not_run(format!("reading {}: {e}", expected_path.display())),
    };
    let mut c = Command::new(&bin);
    c.current_dir(root).env("NO_COLOR", "1");
    let out = match Runner::new(Output::Merged).timeout(TIMEOUT).run(&mut c) {
        Ok(out) => out,
        Err(e) => return not_run(e),
    };
    let verdict = match &out.problem {
        Some(problem) => {
            let got = lines::lines(&out.text);
            Err(format!("{problem}\n{}", lines::excerpt("got", &got, got.len().checked_sub(1))))
        }
        None => rules::check(name, expected.as_deref(), &out.text),
    };
    Ran { text: Some(out.text), elapsed: out.elapsed, verdict }
}
