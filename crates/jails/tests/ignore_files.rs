//! `ignoreip = ["file:…"]` reads only regular files, up to a size bound, and
//! names the entry when it refuses one (issue 8, item 18).

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use clawguard_jails::catalog;

/// Resolves a config whose one jail ignores `entry`, on a thread, so a hang
/// fails the test instead of stalling it.
fn resolve_with(dir: &Path, entry: &str) -> Result<Vec<String>, String> {
    let text = format!(
        "version = 1\n\
         [fail2ban]\ndir = \"{dir}/no-fail2ban\"\n\
         [jail.web]\nfilter = \"openclaw-api\"\nlogpath = [\"{dir}/access.log\"]\n\
         ignoreip = [\"192.0.2.1\", \"{entry}\"]\n",
        dir = dir.display()
    );
    let config = clawguard_config::Config::parse(&text, &dir.join("clawguard.toml")).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = catalog::resolve(&config)
            .map_err(|e| e.to_string())
            .map(|c| {
                let web = c.jails.iter().find(|j| j.name == "web").expect("jail web");
                web.policy.ignore.iter().map(|n| n.to_string()).collect()
            });
        let _ = tx.send(result);
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("resolving the config hung")
}

#[test]
fn a_regular_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("ignore.txt");
    std::fs::write(&list, "198.51.100.0/24 # office\n2001:db8::/48\n").unwrap();
    let entry = format!("file:{}", list.display());
    assert_eq!(
        resolve_with(dir.path(), &entry).unwrap(),
        ["192.0.2.1/32", "198.51.100.0/24", "2001:db8::/48"]
    );
}

#[test]
fn a_device_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let err = resolve_with(dir.path(), "file:/dev/zero").unwrap_err();
    assert!(err.contains("\"file:/dev/zero\""), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ignore.fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let entry = format!("file:{}", fifo.display());
    let err = resolve_with(dir.path(), &entry).unwrap_err();
    assert!(err.contains(&entry), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn an_oversized_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("big.txt");
    let line = "192.0.2.55\n";
    let bound = clawguard_ban::MAX_IGNORE_FILE_BYTES as usize;
    std::fs::write(&list, line.repeat(bound / line.len() + 1)).unwrap();
    let entry = format!("file:{}", list.display());
    let err = resolve_with(dir.path(), &entry).unwrap_err();
    assert!(err.contains(&entry), "{err}");
    assert!(err.contains("larger than"), "{err}");
    // At the bound it is read.
    std::fs::write(&list, line.repeat(bound / line.len())).unwrap();
    assert!(resolve_with(dir.path(), &entry).is_ok());
}
