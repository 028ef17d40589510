//! What every task needs: the workspace's paths, and running commands
//! ([`Runner`], the one way a task starts a child process) — printed first
//! or not, with their output passed through or kept in order, killed with
//! everything they started when they overrun their time.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use std::{env, thread};

/// The workspace root (the parent of `xtask/`).
pub(crate) fn workspace_root() -> PathBuf {
    let xtask = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().expect("xtask lives in the workspace root").to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (relative to the root)
/// or `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The cargo that runs us (`$CARGO`), or `cargo` from the `PATH`.
pub(crate) fn cargo() -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    cmd.current_dir(workspace_root());
    cmd
}

/// A command as a shell line, with the environment it was given.
pub(crate) fn show(cmd: &Command) -> String {
    let mut s = String::new();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            s.push_str(&format!("{}={} ", k.to_string_lossy(), v.to_string_lossy()));
        }
    }
    // `$CARGO` is a long toolchain path: show it as the `cargo` it is.
    let program = cmd.get_program();
    if env::var_os("CARGO").is_some_and(|c| c == program) {
        s.push_str("cargo");
    } else {
        s.push_str(&program.to_string_lossy());
    }
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        s.push(' ');
        if a.contains(' ') {
            s.push_str(&format!("\"{a}\""));
        } else {
            s.push_str(&a);
        }
    }
    s
}

/// What the runner does with a command's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    /// Passed through to ours; nothing kept.
    Inherit,
    /// stdout and stderr on one pipe, so the lines come in the order the
    /// command wrote them, as on a terminal; kept.
    Merged,
    /// [`Output::Merged`], and also passed through to our stdout as it
    /// comes, so that a caller can show the part that matters again later.
    Teed,
    /// stdout kept; stderr as the command has it (passed through unless the
    /// caller pointed it elsewhere).
    Stdout,
}

/// The one way xtask runs a child process: print it first or not, pass its
/// output through or keep it (merged or stdout only, optionally teed), and
/// with a timeout, kill it and everything it started (cargo's test
/// binaries) when the time is up. A command with a timeout runs in a
/// process group of its own, so that the whole group can be killed; one
/// without stays in ours, so that Ctrl-C reaches it (a build).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Runner {
    output: Output,
    timeout: Option<Duration>,
    echo: bool,
}

/// How a command ended and what it printed.
#[derive(Debug)]
pub(crate) struct Finished {
    /// `None` when it was killed on its timeout.
    pub(crate) status: Option<ExitStatus>,
    /// `None` when it exited with success; what went wrong otherwise
    /// (`exited with ...`, `timed out after ... and was killed`).
    pub(crate) problem: Option<String>,
    /// What was kept of its output (empty with [`Output::Inherit`]).
    pub(crate) text: String,
    pub(crate) elapsed: Duration,
}

/// How often a command with a timeout is checked on.
const POLL: Duration = Duration::from_millis(5);

impl Runner {
    pub(crate) const fn new(output: Output) -> Runner {
        Runner { output, timeout: None, echo: false }
    }

    /// Kills the command and its process group after `timeout`.
    pub(crate) const fn timeout(self, timeout: Duration) -> Runner {
        Runner { timeout: Some(timeout), ..self }
    }

    /// Prints `$ <command>` before running it.
    pub(crate) const fn echo(self) -> Runner {
        Runner { echo: true, ..self }
    }

    /// Runs `cmd` to its end (or its timeout). `Err` only when it cannot be
    /// started. `cmd`'s stdin is closed when its output is kept, and its
    /// output handles are reset once it has started.
    pub(crate) fn run(self, cmd: &mut Command) -> Result<Finished, String> {
        let line = show(cmd);
        if self.echo {
            println!("$ {line}");
        }
        let mut reader: Option<Box<dyn Read + Send>> = None;
        match self.output {
            Output::Inherit => {}
            Output::Merged | Output::Teed => {
                let (read, write) = io::pipe().map_err(|e| format!("pipe: {e}"))?;
                let write2 = write.try_clone().map_err(|e| format!("pipe: {e}"))?;
                cmd.stdout(write).stderr(write2).stdin(Stdio::null());
                reader = Some(Box::new(read));
            }
            Output::Stdout => {
                cmd.stdout(Stdio::piped()).stdin(Stdio::null());
            }
        }
        #[cfg(unix)]
        if self.timeout.is_some() {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let started = Instant::now();
        let spawned = cmd.spawn();
        if reader.is_some() {
            // `cmd` holds the pipe's write ends: close them, or the reader
            // never sees the end of the output.
            cmd.stdout(Stdio::null()).stderr(Stdio::null());
        }
        let mut child = spawned.map_err(|e| format!("{line}: {e}"))?;
        if let Some(stdout) = child.stdout.take() {
            reader = Some(Box::new(stdout));
        }
        let tee = self.output == Output::Teed;
        let collector = reader.map(|r| thread::spawn(move || keep(r, tee)));
        let status = wait(&mut child, self.timeout)?;
        let elapsed = started.elapsed();
        // A killed group's write ends all close, so the reader ends.
        let text = match collector {
            Some(c) => c.join().map_err(|_| "the output reader panicked".to_owned())?,
            None => String::new(),
        };
        let problem = match (status, self.timeout) {
            (Some(status), _) if status.success() => None,
            (Some(status), _) => Some(format!("exited with {status}")),
            (None, timeout) => Some(format!("timed out after {} and was killed", minutes(timeout.unwrap_or_default()))),
        };
        Ok(Finished { status, problem, text, elapsed })
    }
}

/// Waits for `child`; on `timeout`, kills its process group and returns `None`.
fn wait(child: &mut Child, timeout: Option<Duration>) -> Result<Option<ExitStatus>, String> {
    let Some(timeout) = timeout else {
        return child.wait().map(Some).map_err(|e| format!("waiting for the command: {e}"));
    };
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("waiting for the command: {e}"))? {
            return Ok(Some(status));
        }
        if started.elapsed() >= timeout {
            #[cfg(unix)]
            {
                // The child leads its group (`process_group(0)`), and is not
                // yet reaped, so the id is still its group's.
                let group = format!("-{}", child.id());
                let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
            }
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(POLL);
    }
}

/// Reads `reader` to its end, passing each chunk to our stdout as it comes
/// when `tee`; the text read.
fn keep(mut reader: Box<dyn Read + Send>, tee: bool) -> String {
    let mut kept = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut out = io::stdout();
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                if tee {
                    let _ = out.write_all(&chunk[..n]);
                    let _ = out.flush();
                }
                kept.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// A timeout in words: `20 min` when it is whole minutes, else `30 s`.
fn minutes(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 && secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}

/// What `program --version` prints (trimmed), if it runs and succeeds
/// within a minute.
pub(crate) fn tool_version(program: impl AsRef<std::ffi::OsStr>) -> Option<String> {
    let mut cmd = Command::new(program);
    cmd.arg("--version").stderr(Stdio::null());
    let out = Runner::new(Output::Stdout).timeout(Duration::from_secs(60)).run(&mut cmd).ok()?;
    out.problem.is_none().then(|| out.text.trim().to_owned())
}

/// Prints and runs `cmd` with its output passed through; `Err` unless it
/// exits with success.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let out = Runner::new(Output::Inherit).echo().run(cmd)?;
    match out.status {
        Some(status) if !status.success() => Err(format!("`{}` failed: {status}", show(cmd))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn merged_output_keeps_the_order_written() {
        let out = Runner::new(Output::Merged).run(&mut sh("echo a; echo b >&2; echo c")).unwrap();
        assert_eq!(out.text, "a\nb\nc\n");
        assert!(out.problem.is_none() && out.status.is_some_and(|s| s.success()));
    }

    #[test]
    fn stdout_only_and_failures() {
        let out = Runner::new(Output::Stdout).run(sh("echo out; echo err >&2; exit 3").stderr(Stdio::null())).unwrap();
        assert_eq!(out.text, "out\n");
        assert_eq!(out.problem.as_deref(), Some("exited with exit status: 3"));
        assert!(Runner::new(Output::Merged).run(&mut Command::new("/nonexistent/program")).is_err());
    }

    #[test]
    fn a_timeout_kills_the_whole_group() {
        // The grandchild holds the pipe open: the reader ends only if the
        // whole group is killed.
        let started = Instant::now();
        let mut c = sh("sleep 30 & echo started; wait");
        let out = Runner::new(Output::Merged).timeout(Duration::from_millis(300)).run(&mut c).unwrap();
        assert!(started.elapsed() < Duration::from_secs(20), "the sleep outlived the kill: {:?}", started.elapsed());
        assert_eq!(out.text, "started\n");
        assert_eq!(out.problem.as_deref(), Some("timed out after 0 s and was killed"));
        assert!(out.status.is_none());
    }

    #[test]
    fn timeouts_in_words() {
        assert_eq!(
            (minutes(Duration::from_secs(30)), minutes(Duration::from_secs(1200))),
            ("30 s".into(), "20 min".into())
        );
    }
}
