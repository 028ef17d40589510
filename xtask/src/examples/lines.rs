//! Generic ways to hold a program's output against what it must print:
//! exactly, by windows of free order (phases), per thread, with numbers
//! normalised. A failure is a message whose first line says what is wrong
//! and whose further lines are an excerpt.

use std::collections::BTreeMap;

/// `Ok`, or what is wrong (first line) and an excerpt (the other lines).
pub(crate) type Check = Result<(), String>;

/// The output's lines, without trailing blank lines or `\r`.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// The thread a line belongs to: the text in its first `( )`, trimmed
/// (`(worker    ) Starting`, `[DEBUG] (worker    ) Starting`,
/// `2016-07-10 10:45:28,170 (c1) ...`), else its first word
/// (`worker Starting`).
pub(crate) fn thread_of(line: &str) -> &str {
    if let Some(open) = line.find('(') {
        if let Some(close) = line[open..].find(')') {
            return line[open + 1..open + close].trim();
        }
    }
    line.split_whitespace().next().unwrap_or("")
}

/// The text after the thread's `( ) `, or after the first word.
pub(crate) fn message_of(line: &str) -> &str {
    if let Some(open) = line.find('(') {
        if let Some(close) = line[open..].find(')') {
            return line[open + close + 1..].trim_start();
        }
    }
    line.split_once(' ').map_or("", |(_, rest)| rest)
}

/// Replaces every decimal number (`0.18`, `1.5`) by `#`.
pub(crate) fn normalise_decimals(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
                j += 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                out.push('#');
            } else {
                out.push_str(&line[i..j]);
            }
            i = j;
        } else {
            let c = line[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The decimal numbers in a line, in order.
pub(crate) fn decimals(line: &str) -> Vec<f64> {
    line.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| w.contains('.') && w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter_map(|w| w.trim_end_matches('.').parse().ok())
        .collect()
}

/// An excerpt: numbered lines, marked `>` at `at`.
pub(crate) fn excerpt(title: &str, lines: &[&str], at: Option<usize>) -> String {
    let mut s = format!("{title}:");
    if lines.is_empty() {
        s.push_str("\n  (nothing)");
    }
    let (from, to) = match at {
        Some(a) => (a.saturating_sub(3), (a + 4).min(lines.len())),
        None => (0, lines.len().min(12)),
    };
    for (i, l) in lines.iter().enumerate().take(to).skip(from) {
        let mark = if Some(i) == at { '>' } else { ' ' };
        s.push_str(&format!("\n {mark}{:>3}| {l}", i + 1));
    }
    if to < lines.len() {
        s.push_str(&format!("\n     ... ({} more)", lines.len() - to));
    }
    s
}

/// Line for line equality.
pub(crate) fn exact(expected: &[&str], got: &[&str]) -> Check {
    for i in 0..expected.len().max(got.len()) {
        match (expected.get(i), got.get(i)) {
            (Some(e), Some(g)) if e == g => {}
            (Some(e), Some(g)) => {
                return Err(format!(
                    "line {}: expected `{e}`, got `{g}`\n{}\n{}",
                    i + 1,
                    excerpt("expected", expected, Some(i)),
                    excerpt("got", got, Some(i))
                ))
            }
            (Some(e), None) => {
                return Err(format!(
                    "missing line {}: `{e}`\n{}",
                    i + 1,
                    excerpt("got", got, Some(i.saturating_sub(1)))
                ))
            }
            (None, Some(g)) => return Err(format!("extra line {}: `{g}`\n{}", i + 1, excerpt("got", got, Some(i)))),
            (None, None) => unreachable!(),
        }
    }
    Ok(())
}

/// The same lines, counted: what `got` lacks and what it has too many of.
pub(crate) fn same_lines(expected: &[&str], got: &[&str]) -> Check {
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for e in expected {
        *count.entry(e).or_default() += 1;
    }
    for g in got {
        *count.entry(g).or_default() -= 1;
    }
    let missing: Vec<&str> = count.iter().filter(|(_, &n)| n > 0).map(|(l, _)| *l).collect();
    let extra: Vec<&str> = count.iter().filter(|(_, &n)| n < 0).map(|(l, _)| *l).collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok(());
    }
    let mut why = String::new();
    if let Some(m) = missing.first() {
        why = format!("missing `{m}`");
    }
    if let Some(x) = extra.first() {
        if !why.is_empty() {
            why.push_str(", ");
        }
        why.push_str(&format!("unexpected `{x}`"));
    }
    let shown = usize::from(!missing.is_empty()) + usize::from(!extra.is_empty());
    let more = missing.len() + extra.len() - shown;
    if more > 0 {
        why.push_str(&format!(" (and {more} more)"));
    }
    Err(format!("{why}\n{}", excerpt("got", got, None)))
}

/// Each thread's lines in the order `expected` has them (lines grouped
/// by [`thread_of`], after `norm`).
pub(crate) fn per_thread(expected: &[&str], got: &[&str], norm: &dyn Fn(&str) -> String) -> Check {
    let group = |ls: &[&str]| {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for l in ls {
            m.entry(thread_of(l).to_owned()).or_default().push(norm(l));
        }
        m
    };
    let (e, g) = (group(expected), group(got));
    let threads_e: Vec<&String> = e.keys().collect();
    let threads_g: Vec<&String> = g.keys().collect();
    if threads_e != threads_g {
        return Err(format!("threads {threads_g:?}, expected {threads_e:?}\n{}", excerpt("got", got, None)));
    }
    for (thread, want) in &e {
        let have = &g[thread];
        if want != have {
            let i = want.iter().zip(have).position(|(a, b)| a != b).unwrap_or(want.len().min(have.len()));
            let w = want.get(i).map_or("(nothing)", String::as_str);
            let h = have.get(i).map_or("(nothing)", String::as_str);
            return Err(format!(
                "thread {thread}: its line {} should be `{w}`, got `{h}`\n{}",
                i + 1,
                excerpt("got", got, None)
            ));
        }
    }
    Ok(())
}

/// Phases: `expected` cut into consecutive windows of `sizes` lines; `got`
/// must have the same lines in each window, in any order within it
/// (independent threads printing at the same moment), and each thread's
/// lines in their expected order.
pub(crate) fn windows(expected: &[&str], got: &[&str], sizes: &[usize]) -> Check {
    debug_assert_eq!(sizes.iter().sum::<usize>(), expected.len(), "windows must cover the expected output");
    same_lines(expected, got)?;
    let mut at = 0;
    for &n in sizes {
        let (e, g) = (&expected[at..at + n], &got[at..at + n]);
        if same_lines(e, g).is_err() {
            return Err(format!(
                "lines {}-{} out of order: expected these in any order\n{}\n{}",
                at + 1,
                at + n,
                excerpt("expected", e, None),
                excerpt("got", got, Some(at))
            ));
        }
        at += n;
    }
    per_thread(expected, got, &|l| l.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_and_message() {
        assert_eq!(thread_of("(worker    ) Starting"), "worker");
        assert_eq!(thread_of("[DEBUG] (Thread-1  ) Starting"), "Thread-1");
        assert_eq!(thread_of("2016-07-10 10:45:28,170 (p ) Making"), "p");
        assert_eq!(thread_of("worker-0 starting"), "worker-0");
        assert_eq!(message_of("(Thread-1  ) running with (0,) and {}"), "running with (0,) and {}");
        assert_eq!(message_of("worker-0 after barrier 2"), "after barrier 2");
    }

    #[test]
    fn numbers() {
        assert_eq!(normalise_decimals("(Thread-1  ) Sleeping 0.18"), "(Thread-1  ) Sleeping #");
        assert_eq!(normalise_decimals("Iteration 12: x 1.5."), "Iteration 12: x #.");
        assert_eq!(decimals("sleeping 0.20 then 1.5."), vec![0.2, 1.5]);
    }

    #[test]
    fn exact_reports_the_line() {
        assert!(exact(&["a", "b"], &["a", "b"]).is_ok());
        let e = exact(&["a", "b"], &["a", "c"]).unwrap_err();
        assert!(e.starts_with("line 2: expected `b`, got `c`"), "{e}");
        assert!(exact(&["a", "b"], &["a"]).unwrap_err().starts_with("missing line 2"));
        assert!(exact(&["a"], &["a", "b"]).unwrap_err().starts_with("extra line 2"));
    }

    #[test]
    fn windows_allow_order_within_only() {
        let e = ["x Starting", "y Starting", "x Exiting", "y Exiting"];
        assert!(windows(&e, &["y Starting", "x Starting", "y Exiting", "x Exiting"], &[2, 2]).is_ok());
        let err = windows(&e, &["x Starting", "x Exiting", "y Starting", "y Exiting"], &[2, 2]).unwrap_err();
        assert!(err.starts_with("lines 1-2 out of order"), "{err}");
        // Within one window, one thread's lines keep their order.
        let err = windows(&e, &["x Exiting", "y Starting", "x Starting", "y Exiting"], &[4]).unwrap_err();
        assert!(err.starts_with("thread x"), "{err}");
        let err = windows(&e, &["x Starting", "y Starting", "x Exiting"], &[2, 2]).unwrap_err();
        assert!(err.starts_with("missing `y Exiting`"), "{err}");
    }
}
