//! `cargo xtask check-models [--thorough]`: runs every crate's loom models.
//!
//! The models live in two kinds of test target ([`find_suites`]):
//! - every `crates/<crate>/tests/loom*.rs` (by convention `tests/loom.rs`),
//!   whose every test is a model;
//! - the lib test target of a crate whose `src/` holds a module behind
//!   `#[cfg(all(test, loom))]` (or `cfg(all(loom, test))`), tokio's way of
//!   keeping models beside the internals they read; its models are the
//!   tests whose name contains `loom_`.
//!
//! Each target is built once with `RUSTFLAGS="--cfg loom"` in release into
//! `<target>/loom`, then each model runs on its own with
//! `LOOM_MAX_PREEMPTIONS=2` (3 with `--thorough`), so each gets its own
//! line and time. Ends with `models: N passed, M failed`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::cmd::{self, show, Finished, Output, Runner};

/// No single model may run longer than this.
const MODEL_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// A test target that holds loom models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suite {
    pub(crate) krate: String,
    /// `Some(name)` for `tests/<name>.rs`; `None` for the lib's unit tests.
    pub(crate) test: Option<String>,
    /// The files the models are written in, sorted.
    pub(crate) files: Vec<PathBuf>,
}

impl Suite {
    /// The cargo arguments that pick the target: `--test loom` or `--lib`.
    fn target_args(&self) -> Vec<&str> {
        match &self.test {
            Some(test) => vec!["--test", test],
            None => vec!["--lib"],
        }
    }

    /// Whether a test of this target is a model.
    fn is_model(&self, test: &str) -> bool {
        self.test.is_some() || test.contains("loom_")
    }
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
        let (bin, models) =
            match build(suite, &loom_target).and_then(|bin| list_models(&bin, suite).map(|models| (bin, models))) {
                Ok(found) => found,
                Err(e) => {
                    println!("FAIL {} {}: {e}", suite.krate, suite.target_args().join(" "));
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
        println!("check-models: no crates/*/tests/loom*.rs and no #[cfg(all(test, loom))] in crates/*/src yet");
    }
    println!("models: {passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} model(s) failed"))
    }
}

/// Every `crates/*/tests/loom*.rs`, and every crate's lib whose `src/`
/// declares a module under `cfg(all(test, loom))`; sorted by crate, the
/// lib first.
pub(crate) fn find_suites(root: &Path) -> Result<Vec<Suite>, String> {
    let crates = root.join("crates");
    let mut suites = Vec::new();
    for entry in fs::read_dir(&crates).map_err(|e| format!("reading {}: {e}", crates.display()))? {
        let dir = entry.map_err(|e| e.to_string())?.path();
        let krate = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let mut files = Vec::new();
        for file in rust_files(&dir.join("src")) {
            let text = fs::read_to_string(&file).map_err(|e| format!("reading {}: {e}", file.display()))?;
            files.extend(loom_modules(&file, &text));
        }
        if !files.is_empty() {
            files.sort();
            files.dedup();
            suites.push(Suite { krate: krate.clone(), test: None, files });
        }
        let Ok(tests) = fs::read_dir(dir.join("tests")) else { continue };
        for t in tests.flatten() {
            let name = t.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".rs") {
                if stem == "loom" || stem.starts_with("loom_") {
                    suites.push(Suite { krate: krate.clone(), test: Some(stem.to_owned()), files: vec![t.path()] });
                }
            }
        }
    }
    suites.sort_by(|a, b| (&a.krate, &a.test).cmp(&(&b.krate, &b.test)));
    Ok(suites)
}

/// Every `.rs` file under `dir`, sorted (none if `dir` does not exist).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The files of the modules that `file` (with text `text`) declares under
/// `#[cfg(all(test, loom))]` or `#[cfg(all(loom, test))]`: for `mod name;`
/// the module's file (`name.rs` or `name/mod.rs`, beside `file` when it is
/// `lib.rs`, `main.rs` or `mod.rs`, else in the directory named after it);
/// for an inline `mod name { .. }`, `file` itself.
fn loom_modules(file: &Path, text: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut gated = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[cfg(all(test, loom))]") || line.starts_with("#[cfg(all(loom, test))]") {
            gated = true;
            continue;
        }
        if !gated || line.starts_with("#[") || line.starts_with("//") {
            continue;
        }
        gated = false;
        let decl = line.strip_prefix("pub(crate) ").or_else(|| line.strip_prefix("pub ")).unwrap_or(line);
        let Some(rest) = decl.strip_prefix("mod ") else { continue };
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if rest[name.len()..].trim_start().starts_with('{') {
            out.push(file.to_path_buf());
            continue;
        }
        let parent = file.parent().unwrap_or(Path::new(""));
        let stem = file.file_stem().unwrap_or_default();
        let dir =
            if ["lib", "main", "mod"].iter().any(|s| stem == *s) { parent.to_path_buf() } else { parent.join(stem) };
        let flat = dir.join(format!("{name}.rs"));
        out.push(if flat.exists() { flat } else { dir.join(&name).join("mod.rs") });
    }
    out
}

/// The package name in a crate's `Cargo.toml` (`[package] name`), which
/// may differ from its folder's (`crates/executor` is
/// `threading-executor`); the folder's name if none is found.
pub(crate) fn package_name(crate_dir: &Path, folder: &str) -> String {
    let text = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(value) = line.strip_prefix("name").map(str::trim_start).and_then(|l| l.strip_prefix('=')) {
                return value.trim().trim_matches('"').to_owned();
            }
        }
    }
    folder.to_owned()
}

/// Builds the suite's test binary under `--cfg loom` and returns its path.
fn build(suite: &Suite, target: &Path) -> Result<PathBuf, String> {
    let package = package_name(&cmd::workspace_root().join("crates").join(&suite.krate), &suite.krate);
    let mut c = cmd::cargo();
    c.env("RUSTFLAGS", "--cfg loom")
        .env("CARGO_TARGET_DIR", target)
        .args(["test", "--release", "-p", &package])
        .args(suite.target_args())
        .arg("--no-run");
    let out = Runner::new(Output::Merged).echo().timeout(Duration::from_secs(30 * 60)).run(&mut c)?;
    if let Some(problem) = out.problem {
        for l in tail(&out.text, 40) {
            println!("     | {l}");
        }
        return Err(format!("build {problem}"));
    }
    executable(&out.text, suite.test.as_deref()).ok_or_else(|| "cargo did not name the test executable".to_owned())
}

/// The path in cargo's `Executable tests/loom.rs (target/.../loom-hash)`,
/// or for the lib (`test` is `None`) in `Executable unittests src/lib.rs
/// (...)`.
fn executable(cargo_output: &str, test: Option<&str>) -> Option<PathBuf> {
    let wanted = match test {
        Some(test) => format!("tests/{test}.rs ("),
        None => "unittests src/lib.rs (".to_owned(),
    };
    cargo_output.lines().find_map(|l| {
        let at = l.find(&wanted)?;
        let rest = &l[at + wanted.len()..];
        let path = rest.strip_suffix(')')?;
        let path = Path::new(path);
        Some(if path.is_absolute() { path.to_path_buf() } else { cmd::workspace_root().join(path) })
    })
}

/// The models in a test binary (`<bin> --list`: `name: test` lines).
fn list_models(bin: &Path, suite: &Suite) -> Result<Vec<String>, String> {
    let mut c = Command::new(bin);
    c.args(["--list", "--format", "terse"]);
    let out = Runner::new(Output::Merged).echo().timeout(Duration::from_secs(60)).run(&mut c)?;
    if let Some(problem) = out.problem {
        return Err(format!("--list {problem}"));
    }
    Ok(out
        .text
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|t| suite.is_model(t))
        .map(str::to_owned)
        .collect())
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
    fn the_package_name_comes_from_cargo_toml() {
        let root = cmd::workspace_root();
        assert_eq!(package_name(&root.join("crates/executor"), "executor"), "threading-executor");
        assert_eq!(package_name(&root.join("crates/sync-event"), "sync-event"), "sync-event");
        assert_eq!(package_name(&root.join("crates/no-such-crate"), "no-such-crate"), "no-such-crate");
    }

    #[test]
    fn finds_the_executable() {
        let out = "   Compiling x\n    Finished `release` profile\n  Executable tests/loom.rs (target/loom/release/deps/loom-0123abcd)\n";
        let p = executable(out, Some("loom")).unwrap();
        assert!(p.ends_with("target/loom/release/deps/loom-0123abcd"), "{}", p.display());
        assert!(executable(out, Some("loom_timer")).is_none());
        assert!(executable(out, None).is_none());
        let out = "  Executable unittests src/lib.rs (target/loom/release/deps/sync_event-0123abcd)\n";
        let p = executable(out, None).unwrap();
        assert!(p.ends_with("target/loom/release/deps/sync_event-0123abcd"), "{}", p.display());
    }

    #[test]
    fn finds_modules_gated_on_test_and_loom() {
        let dir = std::env::temp_dir().join(format!("xtask-loom-modules-{}", std::process::id()));
        let src = dir.join("src");
        fs::create_dir_all(src.join("wait")).unwrap();
        fs::write(src.join("loom.rs"), "").unwrap();
        fs::write(src.join("wait").join("models.rs"), "").unwrap();
        let lib = "#[cfg(all(test, loom))]\nmod loom;\n#[cfg(all(test, loom))]\nfn helper() {}\n\
                   #[cfg(all(loom, test))]\n#[allow(unused)]\npub(crate) mod inline {\n}\nmod wait;\n";
        assert_eq!(loom_modules(&src.join("lib.rs"), lib), [src.join("loom.rs"), src.join("lib.rs")]);
        let wait = "#[cfg(all(test, loom))]\nmod models;\n";
        assert_eq!(loom_modules(&src.join("wait.rs"), wait), [src.join("wait").join("models.rs")]);
        assert!(loom_modules(&src.join("lib.rs"), "#[cfg(loom)]\nmod loom;\n").is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn lib_suites_run_only_the_loom_tests() {
        let lib = Suite { krate: "k".into(), test: None, files: Vec::new() };
        assert!(lib.is_model("loom::loom_event_no_lost_wakeup") && !lib.is_model("tests::wait_returns"));
        assert_eq!(lib.target_args(), ["--lib"]);
        let file = Suite { krate: "k".into(), test: Some("loom".into()), files: Vec::new() };
        assert!(file.is_model("any_test"));
        assert_eq!(file.target_args(), ["--test", "loom"]);
    }
}
