//! `cargo xtask check-models [--thorough]`: runs every crate's loom models.
//!
//! Every `crates/<crate>/tests/loom*.rs` (by convention `tests/loom.rs`)
//! is built once with `RUSTFLAGS="--cfg loom"` in release into
//! `<target>/loom`, then each model (`#[test]` in it) runs on its own with
//! `LOOM_MAX_PREEMPTIONS=2` (3 with `--thorough`), so each gets its own
//! line and time. Ends with `models: N passed, M failed`.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::cmd::{self, show, Finished, Output, Runner};

/// No single model may run longer than this.
const MODEL_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// A loom test file: the crate it belongs to and the test target's name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Suite {
    krate: String,
    test: String,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut preemptions = 2;
    for arg in args {
        match arg.as_str() {
            "--thorough" => preemptions = 3,
            other => return Err(format!("unknown argument {other:?} (usage: cargo xtask check-models [--thorough])")),
        }
    }
    let root = cmd::workspace_root();
    let suites = find_suites(&root)?;
    let loom_target = cmd::target_dir(&root).join("loom");
    let (mut passed, mut failed) = (0usize, 0usize);
    for suite in &suites {
        let bin = match build(suite, &loom_target) {
            Ok(bin) => bin,
            Err(e) => {
                println!("FAIL {} --test {}: {e}", suite.krate, suite.test);
                failed += 1;
                continue;
            }
        };
        let models = match list_models(&bin) {
            Ok(models) => models,
            Err(e) => {
                println!("FAIL {} --test {}: {e}", suite.krate, suite.test);
                failed += 1;
                continue;
            }
        };
        for model in models {
            let mut c = Command::new(&bin);
            c.env("LOOM_MAX_PREEMPTIONS", preemptions.to_string())
                .args(["--exact", &model, "--test-threads=1"])
                .current_dir(root.join("crates").join(&suite.krate));
            let line = show(&c);
            let out = Runner::new(Output::Merged).timeout(MODEL_TIMEOUT).run(&mut c)?;
            match verdict(&model, &out) {
                Ok(()) => {
                    passed += 1;
                    println!("ok   {}::{model} ({:.2} s)", suite.krate, out.elapsed.as_secs_f64());
                }
                Err(why) => {
                    failed += 1;
                    println!("FAIL {}::{model} ({:.2} s): {why}", suite.krate, out.elapsed.as_secs_f64());
                    println!("     $ {line}");
                    for l in tail(&out.text, 30) {
                        println!("     | {l}");
                    }
                }
            }
        }
    }
    if suites.is_empty() {
        println!("check-models: no crates/*/tests/loom*.rs yet");
    }
    println!("models: {passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} model(s) failed"))
    }
}

/// Every `crates/*/tests/loom*.rs`, sorted.
fn find_suites(root: &Path) -> Result<Vec<Suite>, String> {
    let crates = root.join("crates");
    let mut suites = Vec::new();
    for entry in fs::read_dir(&crates).map_err(|e| format!("reading {}: {e}", crates.display()))? {
        let dir = entry.map_err(|e| e.to_string())?.path();
        let Ok(tests) = fs::read_dir(dir.join("tests")) else { continue };
        let krate = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        for t in tests.flatten() {
            let name = t.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".rs") {
                if stem == "loom" || stem.starts_with("loom_") {
                    suites.push(Suite { krate: krate.clone(), test: stem.to_owned() });
                }
            }
        }
    }
    suites.sort_by(|a, b| (&a.krate, &a.test).cmp(&(&b.krate, &b.test)));
    Ok(suites)
}

/// Builds the suite's test binary under `--cfg loom` and returns its path.
fn build(suite: &Suite, target: &Path) -> Result<std::path::PathBuf, String> {
    let mut c = cmd::cargo();
    c.env("RUSTFLAGS", "--cfg loom").env("CARGO_TARGET_DIR", target).args([
        "test",
        "--release",
        "-p",
        &suite.krate,
        "--test",
        &suite.test,
        "--no-run",
    ]);
    let out = Runner::new(Output::Merged).echo().timeout(Duration::from_secs(30 * 60)).run(&mut c)?;
    if let Some(problem) = out.problem {
        for l in tail(&out.text, 40) {
            println!("     | {l}");
        }
        return Err(format!("build {problem}"));
    }
    executable(&out.text, &suite.test).ok_or_else(|| "cargo did not name the test executable".to_owned())
}

/// The path in cargo's `Executable tests/loom.rs (target/.../loom-hash)`.
fn executable(cargo_output: &str, test: &str) -> Option<std::path::PathBuf> {
    let wanted = format!("tests/{test}.rs (");
    cargo_output.lines().find_map(|l| {
        let at = l.find(&wanted)?;
        let rest = &l[at + wanted.len()..];
        let path = rest.strip_suffix(')')?;
        let path = Path::new(path);
        Some(if path.is_absolute() { path.to_path_buf() } else { cmd::workspace_root().join(path) })
    })
}

/// The models in a test binary (`<bin> --list`: `name: test` lines).
fn list_models(bin: &Path) -> Result<Vec<String>, String> {
    let mut c = Command::new(bin);
    c.args(["--list", "--format", "terse"]);
    let out = Runner::new(Output::Merged).echo().timeout(Duration::from_secs(60)).run(&mut c)?;
    if let Some(problem) = out.problem {
        return Err(format!("--list {problem}"));
    }
    Ok(out.text.lines().filter_map(|l| l.strip_suffix(": test")).map(str::to_owned).collect())
}

/// Whether one model's run passed, from the harness's `test NAME ... ok`.
fn verdict(model: &str, out: &Finished) -> Result<(), String> {
    let ok_line = format!("test {model} ... ok");
    let failed_line = format!("test {model} ... FAILED");
    if out.text.lines().any(|l| l.trim_end() == failed_line) {
        return Err("FAILED".into());
    }
    if let Some(problem) = &out.problem {
        return Err(problem.clone());
    }
    if out.text.lines().any(|l| l.trim_end() == ok_line) {
        Ok(())
    } else {
        Err(format!("no `{ok_line}` line in the output"))
    }
}

/// The last `n` lines of `text`, without backtrace frames (`  12: fn` and
/// `      at file:line`), which would crowd out the panic message.
fn tail(text: &str, n: usize) -> Vec<&str> {
    let frame = |l: &str| {
        let t = l.trim_start();
        t.starts_with("at ")
            || t.split_once(": ").is_some_and(|(num, _)| !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()))
    };
    let lines: Vec<&str> = text.lines().filter(|l| !frame(l)).collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(text: &str, problem: Option<&str>) -> Finished {
        Finished { status: None, text: text.into(), problem: problem.map(Into::into), elapsed: Duration::ZERO }
    }

    #[test]
    fn verdicts() {
        let ok = "running 1 test\ntest loom_lock_exclusion ... ok\n\ntest result: ok. 1 passed";
        assert_eq!(verdict("loom_lock_exclusion", &merged(ok, None)), Ok(()));
        let failed = "running 1 test\ntest loom_lock_exclusion ... FAILED\n";
        assert!(verdict("loom_lock_exclusion", &merged(failed, Some("exited with exit status: 101"))).is_err());
        assert!(verdict("loom_lock_exclusion", &merged("running 0 tests\n", None)).is_err());
        assert!(verdict("loom_x", &merged("", Some("timed out"))).is_err());
    }

    #[test]
    fn finds_the_executable() {
        let out = "   Compiling x\n    Finished `release` profile\n  Executable tests/loom.rs (target/loom/release/deps/loom-0123abcd)\n";
        let p = executable(out, "loom").unwrap();
        assert!(p.ends_with("target/loom/release/deps/loom-0123abcd"), "{}", p.display());
        assert!(executable(out, "loom_timer").is_none());
    }
}
