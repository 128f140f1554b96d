//! `clawguard status` names the gateway logs the ban engine refuses to read
//! because of their owner or permissions (issue 8, item 6).
//!
//! Needs root (to chown a file to `nobody`); otherwise it prints why and
//! returns, unless CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod common;

use std::os::unix::fs::{PermissionsExt, chown};

use clawguard_testkit::require_root;
use common::clawguard;

const NOBODY: u32 = 65_534;

#[test]
fn status_names_refused_gateway_logs() {
    if !require_root("needed to chown a file to nobody") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let name = "openclaw-2026-12-07.log";
    let legit = base.join("openclaw");
    std::fs::create_dir(&legit).unwrap();
    std::fs::write(legit.join(name), "{}\n").unwrap();
    let planted = base.join("openclaw-x");
    std::fs::create_dir(&planted).unwrap();
    std::fs::write(planted.join(name), "{}\n").unwrap();
    chown(&planted, Some(NOBODY), Some(NOBODY)).unwrap();
    chown(planted.join(name), Some(NOBODY), Some(NOBODY)).unwrap();
    let loose = base.join("openclaw-g");
    std::fs::create_dir(&loose).unwrap();
    std::fs::write(loose.join(name), "{}\n").unwrap();
    std::fs::set_permissions(loose.join(name), std::fs::Permissions::from_mode(0o664)).unwrap();

    let config = base.join("clawguard.toml");
    std::fs::write(
        &config,
        format!(
            "version = 1\n[fail2ban]\ndir = \"{b}/no-fail2ban\"\n\
             [jail.openclaw-gateway]\nfilter = \"openclaw-gateway\"\nbackend = \"openclaw\"\n\
             logpath = [\"{b}/openclaw\", \"{b}/openclaw-*\"]\n",
            b = base.display()
        ),
    )
    .unwrap();
    let config = config.display().to_string();
    let out = clawguard(base, &["--config", &config, "status"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let planted_line = format!(
        "warning: jail openclaw-gateway: not reading {}: directory {}: owned by uid 65534",
        planted.join(name).display(),
        planted.display()
    );
    assert!(text.contains(&planted_line), "{text}");
    let loose_line = format!(
        "warning: jail openclaw-gateway: not reading {}: writable by group or others (mode 0664)",
        loose.join(name).display()
    );
    assert!(text.contains(&loose_line), "{text}");
    assert!(
        !text.contains(&legit.join(name).display().to_string()),
        "{text}"
    );

    let out = clawguard(base, &["--config", &config, "status", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["refused_logs"].as_array().unwrap().len(), 2, "{doc}");
}
