//! The book's translated editions, through mdbook-i18n-helpers' gettext
//! catalogues (issue 13). `cargo xtask book` calls [`build_editions`] once
//! the English edition is in `target/book/`:
//!
//! 1. installs `mdbook-i18n-helpers` with `cargo install --locked` when its
//!    programs are missing, as `book.rs` installs mdbook;
//! 2. extracts the messages of the sources afresh (`mdbook-xgettext`, with
//!    `{{#include}}` left unexpanded, so a message is the chapters' own
//!    text and never a program or an output) into
//!    `<target>/book-i18n/messages.pot`;
//! 3. merges each catalogue `docs/po/<language>.po` with that template
//!    (`msgmerge --no-fuzzy-matching`) and fails, listing them, when a
//!    message is untranslated (new, or its English changed) or fuzzy, so
//!    the editions cannot drift apart;
//! 4. builds the edition into `target/book/<language>/` with the `gettext`
//!    preprocessor running before `links`: the included programs and their
//!    outputs are the very files of the English edition;
//! 5. turns the language links of `docs/theme/header.hbs` (which can only
//!    name a page's `.md` source) into links to the `.html` pages, in both
//!    editions, and fails if a page lacks one or one names a page that
//!    does not exist.
//!
//! `cargo xtask book-po` brings the catalogues up to date with the sources
//! (`msgmerge --update --previous`): new messages appear untranslated,
//! changed ones fuzzy, with their old English (`#| msgid`) and old
//! translation as a hint; clear the `#, fuzzy` line once it is revised.

use crate::cmd::{self, show, target_dir, workspace_root};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use std::{env, fs};

type Result<T> = std::result::Result<T, String>;

/// `mdbook-i18n-helpers` 0.4 is the first release for mdbook 0.5.
const I18N_HELPERS: &str = "mdbook-i18n-helpers";
const I18N_HELPERS_VERSION: &str = "0.4.0";

/// The editions besides English: the language (`book.language`, the
/// catalogue `docs/po/<language>.po`, the directory under `target/book/`)
/// and the book's title in it (mdBook takes the title from `book.toml`,
/// not from a catalogue).
const EDITIONS: &[Edition] = &[Edition {
    language: "zh-CN",
    title: "threading：用 Rust 重建 Python 的 threading 模块",
    description: "用 Rust 重建的 Python threading 模块：原章节的程序逐一重写，以及这个库的工作原理。",
}];

struct Edition {
    language: &'static str,
    title: &'static str,
    description: &'static str,
}

/// The programs of mdbook-i18n-helpers, once installed.
struct Helpers {
    xgettext: PathBuf,
    gettext: PathBuf,
}

/// Builds every translated edition next to the English one in `dest`
/// (`target/book/`), which must be built already. `mdbook` and `mermaid`
/// are the programs `book.rs` found.
pub(crate) fn build_editions(mdbook: &Path, mermaid: &Path, docs: &Path, dest: &Path) -> Result<()> {
    let helpers = ensure_helpers()?;
    ensure_gettext_tools()?;
    let work = target_dir(&workspace_root()).join("book-i18n");
    let pot = extract_messages(mdbook, &helpers, mermaid, docs, &work)?;
    let mut problems = Vec::new();
    for edition in EDITIONS {
        let po = docs.join("po").join(format!("{}.po", edition.language));
        match check_catalogue(&po, &pot, &work) {
            Ok(stats) => println!("book: {}: {stats}", po.display()),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n\n"));
    }
    for edition in EDITIONS {
        build_edition(mdbook, &helpers, mermaid, docs, &dest.join(edition.language), edition)?;
    }
    let languages: Vec<&str> = EDITIONS.iter().map(|e| e.language).collect();
    link_editions(dest, &languages)
}

/// `cargo xtask book-po`: merges every catalogue with a fresh extraction
/// of the sources (`msgmerge --update`), so that a changed or new
/// paragraph appears in it to be translated.
pub(crate) fn update_catalogues(args: &[String]) -> Result<()> {
    if let Some(arg) = args.first() {
        return Err(format!("book-po: unknown argument {arg:?} (usage: cargo xtask book-po)"));
    }
    let root = workspace_root();
    let docs = root.join("docs");
    let mdbook = which("mdbook").ok_or("mdbook is missing: run `cargo xtask book` once, which installs it")?;
    let mermaid =
        which("mdbook-mermaid").ok_or("mdbook-mermaid is missing: run `cargo xtask book` once, which installs it")?;
    let helpers = ensure_helpers()?;
    ensure_gettext_tools()?;
    let work = target_dir(&root).join("book-i18n");
    let pot = extract_messages(&mdbook, &helpers, &mermaid, &docs, &work)?;
    for edition in EDITIONS {
        let po = docs.join("po").join(format!("{}.po", edition.language));
        let mut merge = Command::new("msgmerge");
        merge.args(["--update", "--backup=none", "--no-wrap", "--previous"]).arg(&po).arg(&pot);
        cmd::run(&mut merge)?;
        let text = fs::read_to_string(&po).map_err(|e| format!("reading {}: {e}", po.display()))?;
        let report = Catalogue::parse(&text).report();
        println!("book-po: {}: {}", po.display(), report.summary());
    }
    Ok(())
}

/// Installs mdbook-i18n-helpers when `mdbook-gettext` or `mdbook-xgettext`
/// cannot be run.
fn ensure_helpers() -> Result<Helpers> {
    let found = || Some(Helpers { xgettext: which("mdbook-xgettext")?, gettext: which("mdbook-gettext")? });
    if let Some(helpers) = found() {
        return Ok(helpers);
    }
    let started = Instant::now();
    cmd::run(cmd::cargo().args(["install", "--locked", I18N_HELPERS, "--version", I18N_HELPERS_VERSION]))?;
    println!("book: installed {I18N_HELPERS} {I18N_HELPERS_VERSION} in {:.0?}", started.elapsed());
    found().ok_or_else(|| format!("{I18N_HELPERS} was installed but mdbook-gettext cannot be run"))
}

/// The catalogues are checked and merged with GNU gettext's tools.
fn ensure_gettext_tools() -> Result<()> {
    for tool in ["msgmerge", "msgfmt"] {
        if cmd::tool_version(tool).is_none() {
            return Err(format!(
                "{tool} is missing: install GNU gettext (Debian/Ubuntu: `apt-get install gettext`, \
                 macOS: `brew install gettext`)"
            ));
        }
    }
    Ok(())
}

/// `bin` on the `PATH`, or in cargo's own `bin` directory (where `cargo
/// install` puts it, which is not always on the `PATH`).
fn which(bin: &str) -> Option<PathBuf> {
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let on_path = env::var_os("PATH").map(|p| env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default();
    on_path
        .into_iter()
        .chain(cargo_home.map(|h| h.join("bin")))
        .map(|dir| dir.join(format!("{bin}{}", env::consts::EXE_SUFFIX)))
        .find(|c| c.is_file())
}

/// An `mdbook build` of `docs` into `dest`, with the directories of the
/// programs it starts (renderers, preprocessors) first on its `PATH`.
fn mdbook_build(mdbook: &Path, programs: &[&Path], docs: &Path, dest: &Path) -> Result<Command> {
    let mut build = Command::new(mdbook);
    build.arg("build").arg(docs).arg("--dest-dir").arg(dest);
    let mut paths: Vec<PathBuf> = programs.iter().filter_map(|p| p.parent()).map(Path::to_path_buf).collect();
    paths.retain(|d| !d.as_os_str().is_empty());
    paths.extend(env::var_os("PATH").map(|p| env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default());
    build.env("PATH", env::join_paths(paths).map_err(|e| format!("PATH: {e}"))?);
    Ok(build)
}

/// Runs an `mdbook build`, its log on the terminal; fails on an error or
/// a warning in it, as the English build does.
fn run_mdbook(mut build: Command) -> Result<()> {
    println!("$ {}", show(&build).replace(&format!("PATH={} ", path_shown(&build)), ""));
    let out = build.stdout(Stdio::inherit()).output().map_err(|e| format!("{}: {e}", show(&build)))?;
    let log = String::from_utf8_lossy(&out.stderr);
    eprint!("{log}");
    if !out.status.success() {
        return Err(format!("mdbook build failed: {}", out.status));
    }
    if log.lines().any(|l| l.contains("ERROR") || l.contains(" WARN ")) {
        return Err("mdbook build logged errors or warnings (above)".to_owned());
    }
    Ok(())
}

/// The `PATH` given to a command, to leave out of the line that shows it.
fn path_shown(build: &Command) -> String {
    build
        .get_envs()
        .find(|(k, _)| *k == "PATH")
        .and_then(|(_, v)| v)
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Extracts the messages of the English sources into
/// `<work>/messages.pot` and returns its path. `{{#include}}` is not
/// expanded (no default preprocessors) and diagrams are not drawn, which
/// is what the `gettext` preprocessor sees when it translates.
fn extract_messages(mdbook: &Path, helpers: &Helpers, mermaid: &Path, docs: &Path, work: &Path) -> Result<PathBuf> {
    let out = work.join("xgettext");
    let mut build = mdbook_build(mdbook, &[&helpers.xgettext, mermaid], docs, &out)?;
    build
        .env("MDBOOK_OUTPUT", r#"{"xgettext": {}}"#)
        .env("MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS", "false")
        .env("MDBOOK_PREPROCESSOR__MERMAID__RENDERERS", r#"["html"]"#);
    run_mdbook(build)?;
    let pot = out.join("messages.pot");
    if !pot.exists() {
        return Err(format!("mdbook-xgettext finished but {} is missing", pot.display()));
    }
    Ok(pot)
}

/// Merges `po` with the fresh template `pot` (exact matches only, so a
/// changed paragraph is a new, untranslated message) into `work` and
/// fails, listing them, if any message is untranslated or fuzzy. Returns
/// `msgfmt --statistics`' line for the merged catalogue.
fn check_catalogue(po: &Path, pot: &Path, work: &Path) -> Result<String> {
    if !po.exists() {
        return Err(format!("{} is missing (start it with `msginit -i {} -o {0}`)", po.display(), pot.display()));
    }
    let merged = work.join(po.file_name().unwrap_or_default());
    let mut merge = Command::new("msgmerge");
    merge.args(["--quiet", "--no-fuzzy-matching", "--no-wrap", "-o"]).arg(&merged).arg(po).arg(pot);
    cmd::run(&mut merge)?;
    let mut msgfmt = Command::new("msgfmt");
    msgfmt.args(["--check", "--statistics", "-o", "/dev/null"]).arg(&merged);
    let out = msgfmt.output().map_err(|e| format!("{}: {e}", show(&msgfmt)))?;
    let stats = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if !out.status.success() {
        return Err(format!("`{}` failed:\n{stats}", show(&msgfmt)));
    }
    let text = fs::read_to_string(&merged).map_err(|e| format!("reading {}: {e}", merged.display()))?;
    let report = Catalogue::parse(&text).report();
    if report.untranslated.is_empty() && report.fuzzy.is_empty() {
        return Ok(stats);
    }
    let mut msg = format!(
        "{} is behind the English sources: {}.\n\
         Run `cargo xtask book-po` to add these messages to it, translate them (and clear the \
         fuzzy flags), then run `cargo xtask book` again.",
        po.display(),
        report.summary()
    );
    for (what, entries) in [("untranslated", &report.untranslated), ("fuzzy", &report.fuzzy)] {
        for entry in entries.iter() {
            msg.push_str(&format!("\n  {what} {}: {}", entry.place(), entry.shown()));
        }
    }
    Err(msg)
}

/// Builds one translated edition into `dest`.
fn build_edition(
    mdbook: &Path,
    helpers: &Helpers,
    mermaid: &Path,
    docs: &Path,
    dest: &Path,
    edition: &Edition,
) -> Result<()> {
    let mut build = mdbook_build(mdbook, &[&helpers.gettext, mermaid], docs, dest)?;
    build
        .env("MDBOOK_BOOK__LANGUAGE", edition.language)
        .env("MDBOOK_BOOK__TITLE", edition.title)
        .env("MDBOOK_BOOK__DESCRIPTION", edition.description)
        .env("MDBOOK_PREPROCESSOR__GETTEXT", r#"{"before": ["links", "mermaid"]}"#);
    run_mdbook(build)?;
    let index = dest.join("index.html");
    if !index.exists() {
        return Err(format!("mdbook finished but {} is missing", index.display()));
    }
    println!("book: {}", index.display());
    Ok(())
}

/// Pages of an edition without a language link: the sidebar's frame and
/// the "not found" page, which is not a page of the book.
const UNLINKED_PAGES: &[&str] = &["toc.html", "404.html"];

/// Rewrites the language links of every page under `dest` (both editions)
/// from a page's `.md` source to its `.html` page, and fails if a page has
/// no such link or one names a page that does not exist. The headings of
/// a translated page (under `dest/<language>/`) take the ids of the
/// English page's, so that links with an anchor (`parking.md#the-model-backend`,
/// kept as they are in the translation) land where they point.
fn link_editions(dest: &Path, languages: &[&str]) -> Result<()> {
    let mut pages = Vec::new();
    let mut stack = vec![dest.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "html") {
                pages.push(path);
            }
        }
    }
    let mut problems = Vec::new();
    let mut linked = 0;
    for page in &pages {
        let mut text = fs::read_to_string(page).map_err(|e| format!("reading {}: {e}", page.display()))?;
        let name = page.file_name().unwrap_or_default().to_string_lossy();
        let english = languages
            .iter()
            .find_map(|lang| page.strip_prefix(dest.join(lang)).ok())
            .map(|rel| dest.join(rel))
            .filter(|english| english.exists() && name != "print.html");
        if let Some(english) = english {
            let original = fs::read_to_string(&english).map_err(|e| format!("reading {}: {e}", english.display()))?;
            match with_heading_ids(&text, &heading_ids(&original)) {
                Some(renamed) => text = renamed,
                None => problems.push(format!("{} and {} differ in headings", page.display(), english.display())),
            }
        }
        let (text, targets) = rewrite_language_links(&text);
        if targets.is_empty() {
            if !UNLINKED_PAGES.contains(&name.as_ref()) {
                problems.push(format!("{} has no link to its other edition", page.display()));
            }
            continue;
        }
        fs::write(page, &text).map_err(|e| format!("writing {}: {e}", page.display()))?;
        for target in targets {
            if !page.parent().unwrap_or(dest).join(&target).exists() {
                problems.push(format!("{} links to {target}, which does not exist", page.display()));
            }
        }
        linked += 1;
    }
    println!("book: {linked} pages link to the same page in the other edition");
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("language links:\n  {}", problems.join("\n  ")))
    }
}

/// The ids of a page's headings (`<h2 id="waking">`), in order.
fn heading_ids(html: &str) -> Vec<String> {
    heading_id_spans(html).into_iter().map(|(start, end)| html[start..end].to_owned()).collect()
}

/// The byte ranges of the heading ids of a page, in order.
fn heading_id_spans(html: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find("<h") {
        let tag = at + found;
        at = tag + 2;
        let rest = &html[at..];
        if !(rest.starts_with(|c: char| ('1'..='6').contains(&c)) && rest[1..].starts_with(" id=\"")) {
            continue;
        }
        let start = at + " id=\"".len() + 1;
        let Some(len) = html[start..].find('"') else { break };
        spans.push((start, start + len));
        at = start + len;
    }
    spans
}

/// `html` with its headings' ids replaced by `ids` (and each heading's own
/// `href="#id"` link with them), or `None` if the count differs.
fn with_heading_ids(html: &str, ids: &[String]) -> Option<String> {
    let spans = heading_id_spans(html);
    if spans.len() != ids.len() {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for ((start, end), id) in spans.into_iter().zip(ids) {
        let old = &html[start..end];
        out.push_str(&html[copied..start]);
        out.push_str(id);
        // The heading's anchor link follows its id: `<a class="header" href="#old">`.
        let link = format!("href=\"#{old}\"");
        let next_tag_end = html[end..].find("</h").map_or(html.len(), |n| end + n);
        match html[end..next_tag_end].find(&link) {
            Some(at) => {
                out.push_str(&html[end..end + at]);
                out.push_str(&format!("href=\"#{id}\""));
                copied = end + at + link.len();
            }
            None => copied = end,
        }
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// `html` with each `class="language-link" ... href="x.md"` turned into
/// `x.html`, and the targets of those links.
fn rewrite_language_links(html: &str) -> (String, Vec<String>) {
    const MARK: &str = "class=\"language-link\"";
    let mut out = String::with_capacity(html.len());
    let mut targets = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let tag_end = after.find('>').unwrap_or(after.len());
        let tag = &after[..tag_end];
        match tag.find("href=\"").map(|h| h + "href=\"".len()) {
            Some(start) => {
                let end = tag[start..].find('"').map_or(tag.len(), |e| start + e);
                let href = &tag[start..end];
                let href = match href.strip_suffix(".md") {
                    Some(stem) => format!("{stem}.html"),
                    None => href.to_owned(),
                };
                out.push_str(&tag[..start]);
                out.push_str(&href);
                out.push_str(&tag[end..]);
                targets.push(href);
            }
            None => out.push_str(tag),
        }
        rest = &after[tag_end..];
    }
    out.push_str(rest);
    (out, targets)
}

/// Just enough of a PO file to tell which messages lack a translation.
#[derive(Debug, Default)]
struct Catalogue {
    entries: Vec<Entry>,
}

#[derive(Debug, Default, Clone)]
struct Entry {
    /// `src/lock.md:36`, from the `#:` comments.
    places: Vec<String>,
    fuzzy: bool,
    msgid: String,
    msgstr: String,
}

#[derive(Debug, Default)]
struct Report {
    translated: usize,
    untranslated: Vec<Entry>,
    fuzzy: Vec<Entry>,
}

impl Report {
    fn summary(&self) -> String {
        format!(
            "{} translated, {} untranslated, {} fuzzy messages",
            self.translated,
            self.untranslated.len(),
            self.fuzzy.len()
        )
    }
}

impl Entry {
    fn place(&self) -> &str {
        self.places.first().map_or("?", String::as_str)
    }

    /// The message on one line, shortened: enough to find it.
    fn shown(&self) -> String {
        let one_line = self.msgid.replace('\n', "⏎");
        let mut shown: String = one_line.chars().take(100).collect();
        if shown.len() < one_line.len() {
            shown.push('…');
        }
        format!("{shown:?}")
    }
}

impl Catalogue {
    /// Reads the entries of a PO file; obsolete ones (`#~`) are left out.
    fn parse(text: &str) -> Catalogue {
        #[derive(PartialEq)]
        enum Field {
            None,
            Id,
            Str,
        }
        let mut entries = Vec::new();
        let mut entry = Entry::default();
        let mut field = Field::None;
        let mut started = false;
        let mut finish = |entry: &mut Entry, started: &mut bool| {
            if *started {
                entries.push(std::mem::take(entry));
            }
            *entry = Entry::default();
            *started = false;
        };
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                finish(&mut entry, &mut started);
                field = Field::None;
            } else if let Some(places) = line.strip_prefix("#:") {
                if field == Field::Str {
                    finish(&mut entry, &mut started);
                    field = Field::None;
                }
                entry.places.extend(places.split_whitespace().map(str::to_owned));
            } else if let Some(flags) = line.strip_prefix("#,") {
                entry.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
            } else if line.starts_with('#') {
                // Other comments, and obsolete entries (`#~`).
            } else if let Some(s) = line.strip_prefix("msgid ") {
                if field == Field::Str {
                    finish(&mut entry, &mut started);
                }
                started = true;
                field = Field::Id;
                entry.msgid.push_str(&unquote(s));
            } else if let Some(s) = line.strip_prefix("msgstr ") {
                field = Field::Str;
                entry.msgstr.push_str(&unquote(s));
            } else if line.starts_with('"') {
                match field {
                    Field::Id => entry.msgid.push_str(&unquote(line)),
                    Field::Str => entry.msgstr.push_str(&unquote(line)),
                    Field::None => {}
                }
            }
        }
        finish(&mut entry, &mut started);
        Catalogue { entries }
    }

    /// Counts the messages (not the header, `msgid ""`).
    fn report(&self) -> Report {
        let mut report = Report::default();
        for entry in self.entries.iter().filter(|e| !e.msgid.is_empty()) {
            if entry.msgstr.is_empty() {
                report.untranslated.push(entry.clone());
            } else if entry.fuzzy {
                report.fuzzy.push(entry.clone());
            } else {
                report.translated += 1;
            }
        }
        report
    }
}

/// The text of a PO string literal (`"a \"b\"\n"`).
fn unquote(s: &str) -> String {
    let s = s.trim();
    let inner = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PO: &str = r#"# A comment.
msgid ""
msgstr ""
"Language: zh-CN\n"

#: src/SUMMARY.md:3 src/introduction.md:1
msgid "Introduction"
msgstr "简介"

#: src/lock.md:12
msgid ""
"A \"lock\" "
"guards.\n"
msgstr ""

#: src/lock.md:20
#, fuzzy
msgid "Old text"
msgstr "旧译文"

#~ msgid "Gone"
#~ msgstr "已删除"
"#;

    #[test]
    fn reads_a_catalogue() {
        let catalogue = Catalogue::parse(PO);
        assert_eq!(catalogue.entries.len(), 4, "{catalogue:?}");
        let report = catalogue.report();
        assert_eq!(report.translated, 1);
        assert_eq!(report.untranslated.len(), 1);
        assert_eq!(report.untranslated[0].msgid, "A \"lock\" guards.\n");
        assert_eq!(report.untranslated[0].place(), "src/lock.md:12");
        assert_eq!(report.untranslated[0].shown(), r#""A \"lock\" guards.⏎""#);
        assert_eq!(report.fuzzy.len(), 1);
        assert_eq!(report.fuzzy[0].msgid, "Old text");
        assert_eq!(report.summary(), "1 translated, 1 untranslated, 1 fuzzy messages");
    }

    #[test]
    fn gives_translated_headings_the_english_ids() {
        let en = r##"<h1 id="the-parking-layer"><a class="header" href="#the-parking-layer">The parking layer</a></h1><p>x</p><h2 id="waking"><a class="header" href="#waking">Waking</a></h2>"##;
        let zh = r##"<h1 id="停放层"><a class="header" href="#停放层">停放层</a></h1><p>见<a href="#waking">下文</a></p><h2 id="唤醒"><a class="header" href="#唤醒">唤醒</a></h2>"##;
        assert_eq!(heading_ids(en), ["the-parking-layer", "waking"]);
        let out = with_heading_ids(zh, &heading_ids(en)).unwrap();
        assert_eq!(
            out,
            r##"<h1 id="the-parking-layer"><a class="header" href="#the-parking-layer">停放层</a></h1><p>见<a href="#waking">下文</a></p><h2 id="waking"><a class="header" href="#waking">唤醒</a></h2>"##
        );
        assert_eq!(with_heading_ids(zh, &["one".to_owned()]), None);
        assert_eq!(with_heading_ids("<p>no headings</p><hr>", &[]).as_deref(), Some("<p>no headings</p><hr>"));
    }

    #[test]
    fn rewrites_language_links() {
        let html = r#"<nav><a class="language-link" lang="en" hreflang="en" href="../../crates/timer.md">English</a></nav><a href="x.md">"#;
        let (out, targets) = rewrite_language_links(html);
        assert_eq!(targets, ["../../crates/timer.html"]);
        assert!(out.contains(r#"href="../../crates/timer.html">English</a></nav><a href="x.md">"#), "{out}");
        assert_eq!(rewrite_language_links("<p>none</p>"), ("<p>none</p>".to_owned(), Vec::new()));
    }
}
