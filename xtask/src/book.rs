//! `cargo xtask book`: builds the mdBook in `docs/` into `target/book/`.
//!
//! 1. installs `mdbook` and `mdbook-mermaid` with `cargo install --locked`
//!    when they are missing (pinned versions that build with this
//!    workspace's toolchain);
//! 2. lets `mdbook-mermaid install docs` write the mermaid scripts next to
//!    `book.toml` (they are ignored by git), so diagrams render offline;
//! 3. builds and runs the examples through the examples runner (the same
//!    build, timeout and output rules as `cargo xtask examples`, the same
//!    `ok`/`FAIL` lines) and writes what each printed — stdout and stderr
//!    merged in the order they were written — to
//!    `docs/src/generated/<name>.txt`; a program that fails fails the book;
//! 4. writes `docs/src/generated/bench.md` from `target/bench/results.json`
//!    (or a line saying how to produce it), and `generated/models.md`, the
//!    list of loom models with their doc comments, from the files whose
//!    models `check-models` runs;
//! 5. checks that every `{{#include}}` of a chapter names a file that
//!    exists, then runs `mdbook build`, failing on any error it logs;
//! 6. builds the translated editions (`book_i18n.rs`).
//!
//! `docs/src/generated/` is ignored by git: outputs hold timestamps and
//! random sleeps, so they would change on every run.

use crate::cmd::{self, target_dir, workspace_root, Output, Runner};
use crate::results::{self, Results};
use crate::{check_models, examples};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use std::{env, fs, thread};

/// `mdbook` without its `serve`/`watch` features: the book only needs
/// `build`, and the web server's dependencies double the install time.
const MDBOOK: Tool =
    Tool { bin: "mdbook", version: "0.5.4", extra_args: &["--no-default-features", "--features", "search"] };

/// The preprocessor that turns ```` ```mermaid ```` blocks into diagrams;
/// it carries the mermaid script inside its binary.
const MDBOOK_MERMAID: Tool = Tool { bin: "mdbook-mermaid", version: "0.17.1", extra_args: &[] };

type Result<T> = std::result::Result<T, String>;

struct Tool {
    bin: &'static str,
    version: &'static str,
    extra_args: &'static [&'static str],
}

/// Runs the task; `args` are the words after `book` (none are taken).
pub(crate) fn run(args: &[String]) -> Result<()> {
    if let Some(arg) = args.first() {
        return Err(format!("book: unknown argument {arg:?} (usage: cargo xtask book)"));
    }
    let root = workspace_root();
    let docs = root.join("docs");
    let generated = docs.join("src").join("generated");
    let dest = root.join("target").join("book");
    if target_dir(&root).starts_with(&dest) {
        return Err(format!("CARGO_TARGET_DIR is inside {}, which mdbook empties before it writes", dest.display()));
    }

    let mdbook = ensure_tool(&MDBOOK)?;
    let mermaid = ensure_tool(&MDBOOK_MERMAID)?;
    cmd::run(Command::new(&mermaid).arg("install").arg(&docs))?;

    fs::create_dir_all(&generated).map_err(|e| format!("creating {}: {e}", generated.display()))?;
    write_example_outputs(&root, &generated)?;
    write_bench_table(&root, &generated)?;
    write_model_list(&root, &generated)?;
    check_includes(&docs.join("src"))?;

    build_book(&mdbook, &mermaid, &docs, &dest)?;
    let index = dest.join("index.html");
    if !index.exists() {
        return Err(format!("mdbook finished but {} is missing", index.display()));
    }
    println!("book: {}", index.display());
    // The translated editions, into target/book/<language>/.
    crate::book_i18n::build_editions(&mdbook, &mermaid, &docs, &dest)
}

/// The path of `tool`'s binary, installing it first if it cannot be run.
fn ensure_tool(tool: &Tool) -> Result<PathBuf> {
    if let Some(found) = find_tool(tool.bin) {
        return Ok(found);
    }
    let mut install = cmd::cargo();
    install.args(["install", "--locked", tool.bin, "--version", tool.version]).args(tool.extra_args);
    let started = Instant::now();
    cmd::run(&mut install)?;
    println!("book: installed {} {} in {:.0?}", tool.bin, tool.version, started.elapsed());
    find_tool(tool.bin).ok_or_else(|| format!("{} was installed but cannot be run", tool.bin))
}

/// `bin` on the `PATH`, or in cargo's own `bin` directory (where `cargo
/// install` puts it, which is not always on the `PATH`).
fn find_tool(bin: &str) -> Option<PathBuf> {
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let candidates = std::iter::once(PathBuf::from(bin)).chain(cargo_home.map(|h| h.join("bin").join(bin)));
    candidates.into_iter().find(|c| cmd::tool_version(c).is_some())
}

/// `text` with `&`, `<` and `>` escaped, for Markdown that mdBook renders
/// as HTML (a note's `Mutex<usize>` is not a tag).
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Builds and runs the examples through the examples runner (its build,
/// its timeout, its output rules: `cargo xtask examples` prints the same
/// lines) and writes each one's output to `generated/<name>.txt`.
fn write_example_outputs(root: &Path, generated: &Path) -> Result<()> {
    let names = examples::programs(root)?;
    let bin_dir = examples::build(root)?;
    let mut failures = Vec::new();
    for name in &names {
        let ran = examples::run_one(root, &bin_dir, name);
        if let Some(text) = &ran.text {
            let file = generated.join(format!("{name}.txt"));
            let text = strip_ansi(text);
            fs::write(&file, text.trim_end_matches('\n')).map_err(|e| format!("writing {}: {e}", file.display()))?;
        }
        if !examples::report(name, &ran) {
            failures.push(name.as_str());
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("examples failed: {} (see the FAIL lines above)", failures.join(", ")))
    }
}

/// Removes terminal colour sequences (`ESC [ ... letter`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes `generated/bench.md`: the table of `target/bench/results.json`,
/// or how to make it.
fn write_bench_table(root: &Path, generated: &Path) -> Result<()> {
    // A fresh run of `cargo xtask bench` first; else the snapshot kept in
    // the repository, so that a fresh clone's book still has figures.
    let candidates = [
        root.join("target/bench/results.json"),
        target_dir(root).join("bench/results.json"),
        root.join("docs/bench/results.json"),
    ];
    let found = candidates.iter().find(|p| p.exists());
    let text = match found {
        None => "*No measurements yet.* Run `cargo xtask bench` (or `cargo xtask bench --quick`), then \
                 `cargo xtask book`: the table of `target/bench/results.json` appears here.\n"
            .to_owned(),
        Some(path) => {
            let json = fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
            let results = Results::parse(&json).map_err(|e| format!("{}: {e}", path.display()))?;
            let shown = path.strip_prefix(root).unwrap_or(path).display().to_string();
            let when = if path.starts_with(root.join("docs")) {
                // A file in the repository has its checkout's time, not the run's.
                ", a copy of a full run kept with the sources".to_owned()
            } else {
                fs::metadata(path).and_then(|m| m.modified()).ok().map(age).unwrap_or_default()
            };
            format!("From `{shown}`{when}.\n\n{}", bench_markdown(&results, path))
        }
    };
    let file = generated.join("bench.md");
    fs::write(&file, text).map_err(|e| format!("writing {}: {e}", file.display()))
}

/// `", written 3 hours before this book was built"` for a file time.
fn age(written: std::time::SystemTime) -> String {
    let Ok(elapsed) = written.elapsed() else { return String::new() };
    let mins = elapsed.as_secs() / 60;
    let (n, unit) = match mins {
        0..=119 => (mins, "minute"),
        120..=2879 => (mins / 60, "hour"),
        _ => (mins / 1440, "day"),
    };
    let s = if n == 1 { "" } else { "s" };
    format!(", written {n} {unit}{s} before this book was built")
}

/// The table of a results file, the machine it was measured on, and each
/// row's note.
fn bench_markdown(results: &Results, path: &Path) -> String {
    let mut md = String::new();
    md.push_str("| workload | ours | peers (ours ÷ peer) | target | met |\n");
    md.push_str("|---|--:|---|---|:-:|\n");
    let mut notes = String::new();
    for row in &results.rows {
        let unit = row.unit.as_str();
        let mut peers = Vec::new();
        for (peer, v) in &row.peers {
            match (v.as_f64(), row.ours) {
                (Some(p), Some(o)) if p > 0.0 => peers.push(format!("{peer} {} ({}×)", figure(p, unit), ratio(o / p))),
                (Some(p), _) => peers.push(format!("{peer} {}", figure(p, unit))),
                (None, _) => peers.push(format!("{peer} —")),
            }
        }
        let peers = if peers.is_empty() { "(absolute)".to_owned() } else { peers.join("<br>") };
        let ours = row.ours.map_or_else(|| "—".to_owned(), |o| figure(o, unit));
        // Several targets: each with whether it is met; one: its text.
        let target = match row.targets.as_slice() {
            [] => html_escape(&row.target),
            [one] => html_escape(&one.target),
            many => many
                .iter()
                .map(|t| format!("{} ({})", html_escape(&t.target), met(t.pass)))
                .collect::<Vec<_>>()
                .join("<br>"),
        };
        let _ = writeln!(md, "| `{}` | {ours} | {peers} | {target} | {} |", row.workload, met(row.pass));
        if !row.note.is_empty() {
            let _ = writeln!(notes, "- `{}`: {}", row.workload, html_escape(&row.note));
        }
    }
    md.push('\n');
    md.push_str(&machine_line(results, path));
    if !notes.is_empty() {
        md.push_str("\nHow each figure was made:\n\n");
        md.push_str(&notes);
    }
    md
}

/// A verdict as the table shows it.
fn met(pass: Option<bool>) -> &'static str {
    match pass {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "—",
    }
}

/// A ratio with two significant digits at least: `0.86`, `0.0057`.
fn ratio(r: f64) -> String {
    if r >= 0.1 {
        format!("{r:.2}")
    } else if r >= 0.001 {
        format!("{r:.4}")
    } else {
        format!("{r:.1e}")
    }
}

/// A figure with its unit, nanoseconds shown in the unit that reads best.
fn figure(v: f64, unit: &str) -> String {
    if unit != "ns" {
        return format!("{v:.1} {unit}");
    }
    if v >= 1e9 {
        format!("{:.2} s", v / 1e9)
    } else if v >= 1e6 {
        format!("{:.2} ms", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.1} µs", v / 1e3)
    } else if v >= 100.0 {
        format!("{v:.0} ns")
    } else {
        format!("{v:.1} ns")
    }
}

/// Where the figures were measured: the file's own `machine` entry if it
/// has one, else the machine that builds the book (which is where `cargo
/// xtask bench` wrote the file, unless it was copied).
fn machine_line(results: &Results, path: &Path) -> String {
    let m = &results.machine;
    if !m.is_empty() {
        let field = |k: &str| m.get(k).map(results::plain);
        let text = match (field("cpu"), field("cores")) {
            (Some(cpu), Some(cores)) => {
                let mut t = format!("{cpu}, {cores} cores");
                if let Some(os) = field("os") {
                    let _ = write!(t, ", {os}");
                }
                if let Some(mode) = field("mode") {
                    let _ = write!(t, "; `cargo xtask bench` mode: `{mode}`");
                }
                if let Some(load) = field("load_at_start") {
                    let _ = write!(t, "; load average at the start: {load}");
                }
                if let Some(py) = field("cpython") {
                    let _ = write!(t, "; CPython: {py}");
                }
                t
            }
            _ => m.iter().map(|(k, v)| format!("{k}: {}", results::plain(v))).collect::<Vec<_>>().join(", "),
        };
        return format!("Measured on: {text}.\n");
    }
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(str::trim)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "an unknown CPU".to_owned());
    let cores = thread::available_parallelism().map_or(0, |n| n.get());
    let mem = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<u64>().ok()))
        .map(|kb| format!(", {} GiB of memory", (kb + (1 << 19)) >> 20))
        .unwrap_or_default();
    format!(
        "Measured on the machine that built this book: {cpu}, {cores} cores{mem}, {} {} \
         (`{}` records no machine of its own).\n",
        env::consts::OS,
        env::consts::ARCH,
        path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
    )
}

/// Writes `generated/models.md`: for each file that holds loom models
/// (the files of the targets `check-models` runs: `tests/loom*.rs`, and the
/// modules under `cfg(all(test, loom))` in a crate's `src/`), its models
/// (`#[test] fn loom_*`) and the doc comment above each, which states the
/// invariant the model checks.
fn write_model_list(root: &Path, generated: &Path) -> Result<()> {
    let files = check_models::find_suites(root)?.into_iter().flat_map(|s| s.files);
    let mut md = String::new();
    let mut total = 0;
    for file in files {
        let text = fs::read_to_string(&file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        let models = loom_models(&text);
        if models.is_empty() {
            continue;
        }
        total += models.len();
        let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
        let krate = shown.split('/').nth(1).unwrap_or("?").to_owned();
        let _ = writeln!(md, "### {krate}\n\n`{shown}`\n\n| model | what it checks |\n|---|---|");
        for (model, doc) in models {
            let doc = if doc.is_empty() { "(no doc comment)".to_owned() } else { doc.replace('|', "\\|") };
            let _ = writeln!(md, "| `{model}` | {doc} |");
        }
        md.push('\n');
    }
    let text = if total == 0 { "*No models yet.*\n".to_owned() } else { format!("{total} models in all.\n\n{md}") };
    let out = generated.join("models.md");
    fs::write(&out, text).map_err(|e| format!("writing {}: {e}", out.display()))
}

/// The `(name, doc comment)` of every `#[test] fn loom_*` in a file, the
/// doc comment's lines joined into one paragraph.
fn loom_models(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    let mut test = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(d) = line.strip_prefix("///") {
            doc.push(d.trim());
        } else if line.starts_with("#[") {
            // Attributes between the doc comment and the function.
            test |= line == "#[test]";
        } else {
            let rest = line.strip_prefix("fn loom_").or_else(|| line.strip_prefix("pub fn loom_"));
            if let Some(rest) = rest.filter(|_| test) {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                out.push((format!("loom_{name}"), doc.join(" ").trim().to_owned()));
            }
            doc.clear();
            test = false;
        }
    }
    out
}

/// Fails if a chapter includes a file that does not exist (mdbook itself
/// only logs that and leaves the directive in the page), or links to a
/// chapter that does not exist (mdbook does not check links).
fn check_includes(src: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                let text = fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
                for target in include_targets(&text) {
                    let file = dir.join(&target);
                    if !file.exists() {
                        missing.push(format!("{} includes {target}", path.display()));
                    }
                }
                for target in chapter_links(&text) {
                    if !dir.join(&target).exists() {
                        missing.push(format!("{} links to {target}", path.display()));
                    }
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("missing files:\n  {}", missing.join("\n  ")))
    }
}

/// The chapters a page links to: the `.md` paths of its relative
/// Markdown links `[text](path.md#anchor)`, without the anchor.
fn chapter_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].split('#').next().unwrap_or("");
        if target.ends_with(".md") && !target.contains("://") {
            out.push(target.to_owned());
        }
        rest = &after[end..];
    }
    out
}

/// The file paths named by `{{#include ...}}` and `{{#rustdoc_include ...}}`
/// in a chapter (without any `:anchor` or line range).
fn include_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#") {
        let escaped = rest[..start].ends_with('\\');
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let directive = &after[..end];
        rest = &after[end..];
        if escaped {
            continue;
        }
        let mut words = directive.split_whitespace();
        if let (Some("include" | "rustdoc_include"), Some(arg)) = (words.next(), words.next()) {
            out.push(arg.split(':').next().unwrap_or(arg).to_owned());
        }
    }
    out
}

/// Runs `mdbook build`; its log goes to the terminal, and an `ERROR` line
/// in it (a broken include, a preprocessor failure) fails the task. mdbook
/// finds the preprocessor on the `PATH`, so the directory `mermaid` was
/// found in goes first on it (cargo's `bin` is not always on the `PATH`).
fn build_book(mdbook: &Path, mermaid: &Path, docs: &Path, dest: &Path) -> Result<()> {
    let mut build = Command::new(mdbook);
    build.arg("build").arg(docs).arg("--dest-dir").arg(dest);
    if let Some(dir) = mermaid.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut paths = vec![dir.to_path_buf()];
        paths.extend(env::var_os("PATH").map(|p| env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default());
        let joined = env::join_paths(paths).map_err(|e| format!("PATH: {e}"))?;
        build.env("PATH", joined);
    }
    let out = Runner::new(Output::Teed).echo().run(&mut build)?;
    if let Some(problem) = out.problem {
        return Err(format!("mdbook build failed: {problem}"));
    }
    let log = out.text;
    if log.lines().any(|l| l.contains("ERROR")) {
        return Err("mdbook build logged errors (above)".to_owned());
    }
    // A warning is a page that renders wrong (an unclosed HTML tag eats
    // the rest of a list): fail on it too.
    if log.lines().any(|l| l.contains(" WARN ")) {
        return Err("mdbook build logged warnings (above)".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn finds_include_targets() {
        let text = "a\n{{#include ../../examples/x.rs}}\n{{#include generated/x.txt:2:}}\n{{#rustdoc_include y.rs:main}}\n\\{{#include z.rs}}\n{{#title t}}";
        assert_eq!(include_targets(text), ["../../examples/x.rs", "generated/x.txt", "y.rs"]);
    }

    #[test]
    fn lists_models_with_their_docs() {
        let text = "/// Helper.\nfn helper() {}\n\n/// No lost\n/// wake-up.\n#[test]\nfn loom_event_set_wakes() {\n}\n#[test]\nfn loom_bare() {}\n\
                    /// Not a test.\nfn loom_helper() {}";
        assert_eq!(
            loom_models(text),
            [
                ("loom_event_set_wakes".to_owned(), "No lost wake-up.".to_owned()),
                ("loom_bare".to_owned(), String::new())
            ]
        );
    }

    #[test]
    fn tells_a_files_age() {
        let now = std::time::SystemTime::now();
        assert_eq!(age(now - Duration::from_secs(60)), ", written 1 minute before this book was built");
        assert_eq!(age(now - Duration::from_secs(3 * 3600 + 5)), ", written 3 hours before this book was built");
        assert_eq!(age(now - Duration::from_secs(5 * 86_400)), ", written 5 days before this book was built");
    }

    #[test]
    fn finds_chapter_links() {
        let text = "[a](a.md) [b](../b.md#x) [web](https://x.org/y.md) [anchor](#here) [c](crates/c.md)";
        assert_eq!(chapter_links(text), ["a.md", "../b.md", "crates/c.md"]);
    }

    #[test]
    fn strips_colours() {
        assert_eq!(strip_ansi("\u{1b}[2mdim\u{1b}[0m text"), "dim text");
    }

    fn table(json: &str) -> String {
        bench_markdown(&Results::parse(json).unwrap(), Path::new("results.json"))
    }

    #[test]
    fn bench_table_has_ratios() {
        let md = table(r#"{"rows": [{"workload": "w", "unit": "ns", "ours": 10, "peers": {"std": 20}}]}"#);
        assert!(md.contains("| `w` | 10.0 ns | std 20.0 ns (0.50×) |  | — |"), "{md}");
        let md = table(r#"{"rows": [{"workload": "w", "unit": "ns", "ours": 10, "peers": {"b": 20, "a": 5}}]}"#);
        assert!(md.contains("b 20.0 ns (0.50×)<br>a 5.0 ns (2.00×)"), "{md}");
        let md = table(
            r#"{"rows": [{"workload": "w", "unit": "ns", "ours": 1, "peers": {}, "target": "≤ 2 ns", "pass": true,
                "note": "one thread"}], "machine": {"cpu": "X", "cores": "2", "os": "linux x86_64"}}"#,
        );
        assert!(md.contains("| `w` | 1.0 ns | (absolute) | ≤ 2 ns | yes |"), "{md}");
        assert!(md.contains("Measured on: X, 2 cores, linux x86_64."), "{md}");
        assert!(md.contains("- `w`: one thread"), "{md}");
        assert_eq!((ratio(0.857), ratio(0.0057), ratio(0.00001)), ("0.86".into(), "0.0057".into(), "1.0e-5".into()));
    }

    #[test]
    fn bench_table_shows_each_of_several_targets() {
        let md = table(
            r#"{"rows": [{"workload": "w", "unit": "ns", "ours": 3, "peers": {"std": 40, "spin_floor": 2},
                "target": "≤ 0.1 × std; ≤ 1.5 × spin_floor", "target_ns": 3, "pass": true,
                "targets": [{"target": "≤ 0.1 × std", "target_ns": 4, "pass": true},
                            {"target": "≤ 1.5 × spin_floor", "target_ns": 3, "pass": true}]},
               {"workload": "v", "unit": "ns", "ours": 5, "peers": {"spin_floor": 2}, "target": "≤ 1.5 × spin_floor",
                "pass": false, "targets": [{"target": "≤ 1.5 × spin_floor", "target_ns": 3, "pass": false}]}]}"#,
        );
        assert!(md.contains("| ≤ 0.1 × std (yes)<br>≤ 1.5 × spin_floor (yes) | yes |"), "{md}");
        assert!(md.contains("| ≤ 1.5 × spin_floor | **no** |"), "{md}");
    }

    #[test]
    fn the_committed_snapshot_renders() {
        let root = workspace_root();
        let path = root.join("docs/bench/results.json");
        let results = Results::parse(&fs::read_to_string(&path).unwrap()).unwrap();
        let md = bench_markdown(&results, &path);
        assert_eq!(md.lines().filter(|l| l.starts_with("| `")).count(), results.rows.len(), "{md}");
        assert!(md.contains("Measured on: "), "{md}");
    }
}
