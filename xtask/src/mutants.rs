//! `cargo xtask mutants [-p CRATE]... [--file GLOB]... [--re REGEX]... [--in-diff BASE] [--shard K/N] [--jobs N]`:
//! mutation testing with two oracles, the crate's tests and its loom models.
//!
//! `--file` mutates only the source files matching the glob (relative to
//! the workspace root, as cargo-mutants' own `--file` takes it:
//! `crates/thread-core/src/wait/*.rs`), for a run over one part of a large
//! crate. `--re` mutates only the mutants whose names match (to check
//! again, after a fix, the ones a run missed). `--jobs N` tests N mutants
//! at once (default 1): much of a run is spent waiting out hang timeouts,
//! which overlap well; a loaded machine can make a test fail, never pass,
//! so it can only count a mutant as caught that one job would have caught
//! too or timed out on.
//!
//! For each crate (by default every crate with loom models), cargo-mutants
//! (installed at [`VERSION`] if missing) runs twice:
//!
//! 1. over every mutant, with the crate's tests (`cargo test --tests`:
//!    unit and integration tests; doctests are left out, each costs a
//!    build);
//! 2. over the mutants the tests missed, with the crate's loom models
//!    (`--cfg loom`, release, `LOOM_MAX_PREEMPTIONS=2`): the `loom_` tests
//!    of the library (`src/loom.rs`) and of `tests/loom.rs`.
//!
//! A mutant is caught when either oracle fails, or hangs (cargo-mutants'
//! timeout, scaled to each oracle's own baseline time). It prints one line
//! per missed mutant and ends with `mutants: N caught, M missed, K timeout,
//! U unviable` (a timeout counts apart from the caught ones).
//!
//! Skipped: the mutants listed, with a reason each, in
//! `xtask/mutants-equivalent.txt` (they cannot change behaviour), and the
//! model files `src/loom.rs` (test code). Nothing else.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::cmd::{self, show, Output, Runner};

/// The cargo-mutants release this task installs and expects.
const VERSION: &str = "27.1.0";

/// The reviewed list of equivalent mutants, relative to the root.
const EQUIVALENT: &str = "xtask/mutants-equivalent.txt";

const USAGE: &str =
    "usage: cargo xtask mutants [-p CRATE]... [--file GLOB]... [--re REGEX]... [--in-diff BASE] [--shard K/N] [--jobs N]";

/// What one crate's run found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Tally {
    caught: usize,
    missed: Vec<String>,
    timeout: usize,
    unviable: usize,
    equivalent: usize,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let (mut crates, mut base, mut select) = (Vec::new(), None, Vec::new());
    let mut jobs: usize = 1;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{arg} needs a value ({USAGE})"));
        match arg.as_str() {
            "-p" | "--package" => crates.push(value()?),
            "--in-diff" => base = Some(value()?),
            "--shard" | "--file" | "--re" => select.extend([arg.clone(), value()?]),
            "--jobs" => jobs = value()?.parse().map_err(|e| format!("--jobs: {e}"))?,
            other => return Err(format!("unknown argument {other:?} ({USAGE})")),
        }
    }
    let root = cmd::workspace_root();
    if crates.is_empty() {
        crates = model_checked_crates(&root)?;
    }
    if let Some(unknown) = crates.iter().find(|k| crate_dir(&root, k).is_none()) {
        return Err(format!("no package {unknown:?} under crates/ (give the package name, as cargo -p takes it)"));
    }
    ensure_installed()?;
    let equivalents = parse_equivalents(
        &fs::read_to_string(root.join(EQUIVALENT)).map_err(|e| format!("reading {EQUIVALENT}: {e}"))?,
    )?;
    let out = cmd::target_dir(&root).join("mutants");
    fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    if let Some(base) = &base {
        let diff = write_diff(&root, base, &out)?;
        select.extend(["--in-diff".to_owned(), diff.display().to_string()]);
    }
    let mut total = Tally::default();
    for krate in &crates {
        let started = Instant::now();
        let t = run_crate(&root, krate, &equivalents, &select, jobs, &out.join(krate))?;
        for m in &t.missed {
            println!("MISSED {m}");
        }
        println!(
            "{krate}: {} caught, {} missed, {} timeout, {} unviable, {} equivalent skipped ({:.0} s)",
            t.caught,
            t.missed.len(),
            t.timeout,
            t.unviable,
            t.equivalent,
            started.elapsed().as_secs_f64()
        );
        total.caught += t.caught;
        total.timeout += t.timeout;
        total.unviable += t.unviable;
        total.equivalent += t.equivalent;
        total.missed.extend(t.missed);
    }
    println!("equivalent (skipped, see {EQUIVALENT}): {}", total.equivalent);
    println!(
        "mutants: {} caught, {} missed, {} timeout, {} unviable",
        total.caught,
        total.missed.len(),
        total.timeout,
        total.unviable
    );
    if total.missed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} mutant(s) missed by both oracles", total.missed.len()))
    }
}

/// One crate: the tests over every mutant, then the models over the
/// mutants the tests missed. `narrow` holds the `--file`, `--re`,
/// `--in-diff` and `--shard` options that choose the mutants.
fn run_crate(
    root: &Path,
    krate: &str,
    equivalents: &[Equivalent],
    narrow: &[String],
    jobs: usize,
    out: &Path,
) -> Result<Tally, String> {
    let mut select = vec!["-p".to_owned(), krate.to_owned(), "--exclude".into(), "loom.rs".into()];
    select.extend_from_slice(narrow);
    let excludes: Vec<String> = equivalents.iter().flat_map(|e| ["--exclude-re".to_owned(), e.regex()]).collect();
    // The equivalents this run skips: the list without the exclusions,
    // less the list with them.
    let all = list(&[select.clone()].concat())?;
    let kept = list(&[select.clone(), excludes.clone()].concat())?;
    let mut tally = Tally { equivalent: all.difference(&kept).count(), ..Tally::default() };
    for skipped in all.difference(&kept) {
        println!("equivalent (skipped): {skipped}");
    }
    if kept.is_empty() {
        println!("{krate}: no mutants to test");
        return Ok(tally);
    }

    let tests_out = out.join("tests");
    fs::create_dir_all(&tests_out).map_err(|e| format!("creating {}: {e}", tests_out.display()))?;
    let mut c = mutants_cmd();
    c.args(["--jobs", &jobs.to_string()]);
    c.args(&select).args(&excludes).args(["--timeout-multiplier", "5", "--minimum-test-timeout", "15", "-o"]);
    c.arg(&tests_out).arg("--cargo-arg=--tests");
    run_mutants(&mut c)?;
    let tests = outcomes(&tests_out)?;
    tally.caught += tests.caught;
    tally.timeout += tests.timeout;
    tally.unviable += tests.unviable;

    let Some(oracle) = loom_oracle(root, krate) else {
        tally.missed = tests.missed;
        return Ok(tally);
    };
    if tests.missed.is_empty() {
        return Ok(tally);
    }
    let loom_out = out.join("loom");
    fs::create_dir_all(&loom_out).map_err(|e| format!("creating {}: {e}", loom_out.display()))?;
    let only = format!("^({})$", tests.missed.iter().map(|m| escape(m)).collect::<Vec<_>>().join("|"));
    let mut c = mutants_cmd();
    c.env("RUSTFLAGS", "--cfg loom").env("LOOM_MAX_PREEMPTIONS", "2");
    c.args(["--jobs", &jobs.to_string(), "-p", krate, "--examine-re", &only, "--profile", "release"]);
    c.args(["--timeout-multiplier", "5", "--minimum-test-timeout", "30", "-o"]).arg(&loom_out);
    // The target in `--cargo-arg`, which the build takes too (the other
    // test targets do not build under `--cfg loom`); the name filter only
    // for the test run.
    c.args(oracle.targets.iter().map(|a| format!("--cargo-arg={a}")));
    c.args(["--", oracle.filter]);
    run_mutants(&mut c)?;
    let models = outcomes(&loom_out)?;
    // Only the mutants the tests missed count here: the name filter can
    // select more (the same name at another place), which the tests
    // judged already.
    let ours = |names: &[String]| names.iter().filter(|m| tests.missed.contains(m)).count();
    tally.caught += ours(&models.caught_names);
    tally.timeout += ours(&models.timeout_names);
    // Built with the tests but not under `--cfg loom`: the models could
    // not judge it, so it stays missed.
    let judged =
        |m: &String| models.missed.contains(m) || models.caught_names.contains(m) || models.timeout_names.contains(m);
    // Missed: what the tests missed and the models either missed too or
    // could not judge. (The name filter can select more mutants than the
    // tests missed: those were caught by the tests already.)
    tally.missed = tests.missed.into_iter().filter(|m| models.missed.contains(m) || !judged(m)).collect();
    Ok(tally)
}

/// `cargo mutants` with the options every run shares. Without the
/// caller's `CARGO_TARGET_DIR`: each of cargo-mutants' scratch copies of
/// the tree must build into its own target directory, or a build of one
/// copy can pass for a build of another ("Fresh"), and a mutant is then
/// judged by a binary that does not contain it.
fn mutants_cmd() -> Command {
    let mut c = cmd::cargo();
    c.args(["mutants", "--colors", "never", "--no-shuffle"]).env_remove("CARGO_TARGET_DIR");
    c
}

/// Runs cargo-mutants; its exit code says whether mutants were missed
/// (2) or timed out (3), which is read from its outcome files instead.
fn run_mutants(c: &mut Command) -> Result<(), String> {
    let out = Runner::new(Output::Inherit).echo().run(c)?;
    match out.status.and_then(|s| s.code()) {
        Some(0 | 2 | 3) => Ok(()),
        Some(4) => Err("the unmutated tree fails its oracle (cargo-mutants exit 4)".into()),
        other => Err(format!("cargo mutants exited with {other:?}")),
    }
}

/// The mutants `cargo mutants --list` names for these options.
fn list(args: &[String]) -> Result<BTreeSet<String>, String> {
    let mut c = mutants_cmd();
    c.arg("--list").args(args);
    // A diff that touches no mutable code lists nothing, with success.
    let out = Runner::new(Output::Stdout).run(&mut c)?;
    if let Some(problem) = out.problem {
        return Err(format!("{}: {problem}", show(&c)));
    }
    Ok(out.text.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect())
}

/// What one cargo-mutants run reported, from its `mutants.out/*.txt`.
#[derive(Debug, Default)]
struct Outcomes {
    caught: usize,
    caught_names: Vec<String>,
    missed: Vec<String>,
    timeout: usize,
    timeout_names: Vec<String>,
    unviable: usize,
}

fn outcomes(dir: &Path) -> Result<Outcomes, String> {
    let read = |name: &str| -> Result<Vec<String>, String> {
        let path = dir.join("mutants.out").join(name);
        let text = fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        Ok(text.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect())
    };
    let (caught_names, timeout_names) = (read("caught.txt")?, read("timeout.txt")?);
    Ok(Outcomes {
        caught: caught_names.len(),
        caught_names,
        missed: read("missed.txt")?,
        timeout: timeout_names.len(),
        timeout_names,
        unviable: read("unviable.txt")?.len(),
    })
}

/// How `cargo test` runs a crate's loom models: the test targets (the
/// library, for `src/loom.rs`; `loom`, for `tests/loom.rs`), and the filter
/// on the test names, `loom_`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LoomOracle {
    targets: Vec<&'static str>,
    filter: &'static str,
}

/// The crate's loom models, if it has any.
fn loom_oracle(root: &Path, krate: &str) -> Option<LoomOracle> {
    let dir = crate_dir(root, krate)?;
    let mut targets = Vec::new();
    if dir.join("src/loom.rs").is_file() {
        targets.push("--lib");
    }
    if dir.join("tests/loom.rs").is_file() {
        targets.extend(["--test", "loom"]);
    }
    (!targets.is_empty()).then_some(LoomOracle { targets, filter: "loom_" })
}

/// Every crate with loom models, sorted.
fn model_checked_crates(root: &Path) -> Result<Vec<String>, String> {
    let mut crates: Vec<String> =
        packages(root)?.into_iter().map(|(package, _)| package).filter(|k| loom_oracle(root, k).is_some()).collect();
    crates.sort();
    Ok(crates)
}

/// Every crate under `crates/`: its package name and its folder (they
/// differ for renamed packages: `crates/timer` is `threading-timer`).
fn packages(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join("crates");
    Ok(fs::read_dir(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| {
            let folder = e.file_name().to_string_lossy().into_owned();
            (crate::check_models::package_name(&e.path(), &folder), e.path())
        })
        .collect())
}

/// The folder of the crate whose package is `package`.
fn crate_dir(root: &Path, package: &str) -> Option<PathBuf> {
    packages(root).ok()?.into_iter().find(|(p, _)| p == package).map(|(_, dir)| dir)
}

/// `git diff BASE` into `<out>/diff.patch`, for `--in-diff`.
fn write_diff(root: &Path, base: &str, out: &Path) -> Result<PathBuf, String> {
    let mut c = Command::new("git");
    c.current_dir(root).args(["diff", base]);
    let diff = Runner::new(Output::Stdout).echo().run(&mut c)?;
    if let Some(problem) = diff.problem {
        return Err(format!("{}: {problem}", show(&c)));
    }
    let path = out.join("diff.patch");
    fs::write(&path, diff.text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    Ok(path)
}

/// Installs cargo-mutants [`VERSION`] unless `cargo mutants --version`
/// already names it.
fn ensure_installed() -> Result<(), String> {
    // `cargo-mutants --version` alone fails: it wants to be run by cargo.
    let mut c = cmd::cargo();
    c.args(["mutants", "--version"]).stderr(std::process::Stdio::null());
    let have = Runner::new(Output::Stdout).run(&mut c)?;
    if have.problem.is_none() && have.text.split_whitespace().any(|w| w == VERSION) {
        return Ok(());
    }
    let mut c = cmd::cargo();
    c.args(["install", "--locked", "cargo-mutants", "--version", VERSION]);
    cmd::run(&mut c).map_err(|e| format!("installing cargo-mutants {VERSION}: {e}"))
}

/// One entry of the equivalents file: a mutant's name as `cargo mutants
/// --list` prints it, with or without its `:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Equivalent {
    name: String,
}

impl Equivalent {
    /// The `--exclude-re` that matches this mutant's name (cargo-mutants
    /// matches against the name with `:line:col`; without one in the
    /// entry, any position in that file matches).
    fn regex(&self) -> String {
        let (file, rest) = self.name.split_once(": ").unwrap_or((&self.name, ""));
        if file.split(':').count() == 3 {
            format!("^{}$", escape(&self.name))
        } else {
            format!("^{}(:[0-9]+:[0-9]+)?: {}$", escape(file), escape(rest))
        }
    }
}

/// The equivalents file: `NAME  # REASON` a line (the reason required),
/// `#` comments and blank lines ignored.
fn parse_equivalents(text: &str) -> Result<Vec<Equivalent>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once("  # ") {
            Some((name, reason)) if !name.trim().is_empty() && !reason.trim().is_empty() => {
                out.push(Equivalent { name: name.trim().to_owned() })
            }
            _ => return Err(format!("{EQUIVALENT}:{}: want `NAME  # REASON`, got {line:?}", n + 1)),
        }
    }
    Ok(out)
}

/// `s` with the regex metacharacters escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_found_by_package_name_with_their_models() {
        let root = cmd::workspace_root();
        let all = model_checked_crates(&root).unwrap();
        for krate in ["sync-lock", "threading-timer", "threading-barrier", "threading-executor", "thread-core"] {
            assert!(all.iter().any(|k| k == krate), "{krate} missing from {all:?}");
        }
        assert_eq!(crate_dir(&root, "threading-timer"), Some(root.join("crates/timer")));
        assert_eq!(loom_oracle(&root, "threading-timer").unwrap().targets, ["--lib"]);
        assert_eq!(loom_oracle(&root, "threading-barrier").unwrap().targets, ["--lib", "--test", "loom"]);
        assert!(crate_dir(&root, "timer").is_none(), "a folder name is not a package name");
    }

    #[test]
    fn equivalents_file() {
        let text = "# comment\n\ncrates/a/src/lib.rs: replace | with ^ in f  # disjoint bits\n";
        let e = parse_equivalents(text).unwrap();
        assert_eq!(e, [Equivalent { name: "crates/a/src/lib.rs: replace | with ^ in f".into() }]);
        assert_eq!(e[0].regex(), r"^crates/a/src/lib\.rs(:[0-9]+:[0-9]+)?: replace \| with \^ in f$");
        assert!(parse_equivalents("crates/a/src/lib.rs: replace | with ^ in f\n").is_err(), "no reason");
        assert!(parse_equivalents("crates/a/src/lib.rs: x  # \n").is_err(), "empty reason");
    }

    #[test]
    fn an_entry_with_its_position_matches_only_there() {
        let e = Equivalent { name: "crates/a/src/lib.rs:3:9: delete ! in f".into() };
        assert_eq!(e.regex(), r"^crates/a/src/lib\.rs:3:9: delete ! in f$");
    }

    #[test]
    fn escapes_regex_syntax() {
        assert_eq!(escape("a|b (c) -> T::x"), r"a\|b \(c\) \-> T::x");
    }
}
