use std::process::Command;

fn main() {
    let target = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let status = Command::new("cargo")
        .args(["fmt", "--manifest-path", &format!("{}/Cargo.toml", target)])
        .status()
        .expect("cargo fmt");
    std::process::exit(status.code().unwrap_or(1));
}
