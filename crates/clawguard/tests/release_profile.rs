//! The release build is what users install: it must not carry debug info
//! (it once made the binary 60 MB). Profiling keeps its own profile.

use std::path::Path;

fn workspace_manifest() -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let text = std::fs::read_to_string(&path).expect("workspace Cargo.toml");
    text.parse().expect("workspace Cargo.toml parses")
}

fn profile<'a>(manifest: &'a toml::Table, name: &str) -> &'a toml::Table {
    manifest["profile"][name]
        .as_table()
        .unwrap_or_else(|| panic!("[profile.{name}] missing"))
}

/// `debug` as Cargo reads it: absent, false, 0 and "none" all mean none.
fn has_debug_info(profile: &toml::Table) -> bool {
    match profile.get("debug") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(toml::Value::Integer(n)) => *n != 0,
        Some(toml::Value::String(s)) => s != "none",
        Some(other) => panic!("unexpected debug = {other}"),
    }
}

#[test]
fn release_profile_ships_without_debug_info() {
    let manifest = workspace_manifest();
    let release = profile(&manifest, "release");
    assert!(
        !has_debug_info(release),
        "[profile.release] builds debug info: {release:?}"
    );
    // std's own debug info is linked in unless stripped.
    let strip = release.get("strip").map(|v| v.to_string());
    assert!(
        matches!(
            strip.as_deref(),
            Some("\"debuginfo\"" | "\"symbols\"" | "true")
        ),
        "[profile.release] must strip debug info, strip = {strip:?}"
    );
    assert_ne!(
        release.get("split-debuginfo").and_then(|v| v.as_str()),
        Some("off"),
        "split-debuginfo = off would embed it again"
    );
}

#[test]
fn profiling_profile_keeps_line_tables() {
    let manifest = workspace_manifest();
    let profiling = profile(&manifest, "profiling");
    assert_eq!(
        profiling.get("inherits").and_then(|v| v.as_str()),
        Some("release")
    );
    assert!(has_debug_info(profiling), "{profiling:?}");
    assert_eq!(
        profiling.get("strip").and_then(|v| v.as_str()),
        Some("none"),
        "{profiling:?}"
    );
}
