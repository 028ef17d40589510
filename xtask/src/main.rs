//! `cargo xtask <task>`: the workspace's tasks, one module each. Every
//! command a task runs is printed first (`$ cargo ...`).
//!
//! - `examples [--only NAME]`: build and run every example program and check
//!   its output against `examples/expected/` or its rule;
//! - `check-models [--thorough]`: run every crate's loom models;
//! - `ci`: fmt, clippy, tests, rustdoc, examples, models (and the book
//!   when `docs/book.toml` exists), with a summary;
//! - `bench [--quick] [--only W] [--json PATH] [--no-python]`: ours and the
//!   peers side by side, a table with ratios and `target/bench/results.json`;
//! - `mutants [-p CRATE]... [--in-diff BASE] [--shard K/N]` (K from 0): mutation
//!   testing, the crate's tests and its loom models as oracles (not in `ci`);
//! - `book`: install mdBook if missing, regenerate the example outputs and
//!   the bench table, build the book into `target/book/` and its Chinese
//!   edition into `target/book/zh-CN/`;
//! - `book-po`: merge the book's catalogues (`docs/po/*.po`) with its
//!   sources, so new or changed messages appear in them to be translated.

mod bench;
mod book;
mod book_i18n;
mod check_models;
mod ci;
mod cmd;
mod examples;
mod mutants;
mod results;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task> [args]

tasks:
  examples [--only NAME]     build and run the example programs, check their output
  check-models [--thorough]  run every crate's loom models (tests/loom*.rs, src/ under cfg(all(test, loom)))
  ci                         fmt, clippy, tests, rustdoc, examples, check-models, book
  bench [--quick] [--only W] [--json PATH] [--no-python]
                             ours vs std, parking_lot and CPython; table + target/bench/results.json
  mutants [-p CRATE]... [--in-diff BASE] [--shard K/N]
                             cargo-mutants, caught by the tests or the loom models
  book                       install mdbook if missing, regenerate outputs, build target/book/
                             and target/book/zh-CN/ (fails on an untranslated message)
  book-po                    add the book's new and changed messages to docs/po/*.po";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match task.as_str() {
        "examples" => examples::run(rest),
        "check-models" => check_models::run(rest),
        "ci" => ci::run(rest),
        "bench" => bench::run(rest),
        "book" => book::run(rest),
        "book-po" => book_i18n::update_catalogues(rest),
        "mutants" => mutants::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}
