//! `cargo xtask <task>`: the workspace's tasks.

fn main() {
    eprintln!("xtask: no tasks yet");
    std::process::exit(2);
}
