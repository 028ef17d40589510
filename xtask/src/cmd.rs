//! What every task needs: the workspace's paths, and running commands —
//! printed first, with their output passed through or captured in order.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
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

/// Prints `$ <command>` and runs it with its output passed through.
pub(crate) fn run_status(cmd: &mut Command) -> Result<ExitStatus, String> {
    println!("$ {}", show(cmd));
    cmd.status().map_err(|e| format!("{}: {e}", show(cmd)))
}

/// Like [`run_status`], but the command and everything it starts (cargo's
/// test binaries) are killed after `timeout`, so a hung test cannot hang
/// the caller: `Err` says so.
pub(crate) fn run_status_timeout(cmd: &mut Command, timeout: Duration) -> Result<ExitStatus, String> {
    println!("$ {}", show(cmd));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // A process group of its own, to kill the whole tree on timeout.
        cmd.process_group(0);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("{}: {e}", show(cmd)))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if started.elapsed() >= timeout {
            #[cfg(unix)]
            {
                let group = format!("-{}", child.id());
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            }
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {} min and was killed", timeout.as_secs() / 60));
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Like [`run_status_timeout`], and also keeps what the command printed
/// (stdout and stderr on one pipe, passed through to ours as it comes), so
/// that a caller can show the part that matters again later.
pub(crate) fn run_teed_timeout(mut cmd: Command, timeout: Duration) -> (Result<ExitStatus, String>, String) {
    let mut reader = match merge_output(&mut cmd) {
        Ok(reader) => reader,
        Err(e) => return (Err(e), String::new()),
    };
    let tee = thread::spawn(move || {
        let mut kept = Vec::new();
        let mut chunk = [0u8; 8192];
        let mut out = io::stdout();
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let _ = out.write_all(&chunk[..n]);
                    let _ = out.flush();
                    kept.extend_from_slice(&chunk[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        String::from_utf8_lossy(&kept).into_owned()
    });
    let status = run_status_timeout(&mut cmd, timeout);
    // `cmd` holds the write ends: drop it, or the reader never ends.
    drop(cmd);
    let text = tee.join().unwrap_or_default();
    (status, text)
}

/// Points `cmd`'s stdout and stderr at one new pipe, so that its lines come
/// in the order it wrote them, as on a terminal; returns the read end. The
/// command holds the write ends until it is dropped.
fn merge_output(cmd: &mut Command) -> Result<io::PipeReader, String> {
    let (reader, writer) = io::pipe().map_err(|e| format!("pipe: {e}"))?;
    let writer2 = writer.try_clone().map_err(|e| format!("pipe: {e}"))?;
    cmd.stdout(writer).stderr(writer2);
    Ok(reader)
}

/// What `program --version` prints (trimmed), if it runs and succeeds.
pub(crate) fn tool_version(program: impl AsRef<std::ffi::OsStr>) -> Option<String> {
    let out = Command::new(program).arg("--version").stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Prints and runs `cmd`; `Err` unless it exits with success.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let status = run_status(cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed: {status}", show(cmd)))
    }
}

/// What a program printed (stdout and stderr merged, in the order written),
/// how it ended, and how long it took.
#[derive(Debug)]
pub(crate) struct Merged {
    pub(crate) text: String,
    /// `None` when it exited with success; what went wrong otherwise.
    pub(crate) problem: Option<String>,
    pub(crate) elapsed: Duration,
}

/// Runs `cmd` with stdout and stderr on one pipe, so that the lines come in
/// the order the program wrote them, as on a terminal; kills it after
/// `timeout`.
pub(crate) fn run_merged(mut cmd: Command, timeout: Duration) -> Result<Merged, String> {
    let mut reader = merge_output(&mut cmd)?;
    cmd.stdin(Stdio::null());
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("{}: {e}", show(&cmd)))?;
    // The command holds the write ends: drop it, or the reader never sees
    // the end of the output.
    drop(cmd);
    let collector = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = reader.read_to_end(&mut bytes);
        bytes
    });
    let problem = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => break None,
            Some(status) => break Some(format!("exited with {status}")),
            None if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Some(format!("timed out after {} s and was killed", timeout.as_secs()));
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    let elapsed = started.elapsed();
    // A grandchild could keep the pipe open after a kill: the reader ends
    // when every write end closes, which a killed program's do.
    let bytes = collector.join().map_err(|_| "the output reader panicked".to_owned())?;
    Ok(Merged { text: String::from_utf8_lossy(&bytes).into_owned(), problem, elapsed })
}
