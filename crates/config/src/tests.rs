use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/etc/clawguard/clawguard.toml"))
}

#[test]
fn embedded_defaults_parse_and_match_rust_defaults() {
    let config = builtin();
    assert_eq!(config.version, 1);
    assert_eq!(config.daemon, DaemonConfig::default());
    assert_eq!(config.firewall, FirewallConfig::default());
    assert_eq!(config.ban, BanConfig::default());
    assert_eq!(config.fail2ban, Fail2banConfig::default());
    assert_eq!(config.fim, FimConfig::default());
    assert_eq!(config.skills, SkillsConfig::default());
    assert!(config.jail["sshd"].enabled);
    assert_eq!(config.jail["openclaw-gateway"].backend, Backend::Openclaw);
}

#[test]
fn minimal_file_keeps_builtin_jails() {
    let config = parse("version = 1\n").unwrap();
    assert!(config.jail.contains_key("sshd"));
    assert!(config.jail.contains_key("openclaw-gateway"));
}

#[test]
fn a_jail_can_be_redefined_or_disabled() {
    let config = parse(
        "version = 1\n[jail.sshd]\nenabled = false\nfilter = \"sshd\"\n[jail.web]\nfilter = \"nginx-http-auth\"\nlogpath = [\"/var/log/nginx/error.log\"]\nbantime = \"1h\"\n",
    )
    .unwrap();
    assert!(!config.jail["sshd"].enabled);
    assert_eq!(config.jail["web"].bantime, Some(Seconds(3600)));
    assert_eq!(config.jail["web"].backend, Backend::Auto);
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let err = parse("version = 1\n\n[ban]\nmaxretry = 3\nmaxretryy = 4\n").unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("/etc/clawguard/clawguard.toml:5:"),
        "{text}"
    );
    assert!(text.contains("maxretryy"), "{text}");
}

#[test]
fn unknown_jail_key_is_reported() {
    let err = parse("version = 1\n[jail.x]\nfilter = \"sshd\"\nlogpaht = []\n").unwrap_err();
    let text = err.to_string();
    assert!(text.contains(":4:"), "{text}");
    assert!(text.contains("logpaht"), "{text}");
}

#[test]
fn bad_duration_is_located() {
    let err = parse("version = 1\n[ban]\nbantime = \"10 parsecs\"\n").unwrap_err();
    let text = err.to_string();
    assert!(text.contains(":3:"), "{text}");
    assert!(text.contains("parsecs"), "{text}");
}

#[test]
fn values_are_validated_by_key() {
    let err = parse("version = 1\n[ban]\nipv6_prefix = 200\n").unwrap_err();
    assert!(err.to_string().contains("ban.ipv6_prefix"), "{err}");
    let err = parse("version = 2\n").unwrap_err();
    assert!(err.to_string().contains("version"), "{err}");
    let err = parse("version = 1\n[jail.\"bad name\"]\nfilter = \"sshd\"\n").unwrap_err();
    assert!(err.to_string().contains("jail.bad name"), "{err}");
}

#[test]
fn missing_default_file_gives_builtin_but_explicit_path_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    assert_eq!(
        Config::load_or_default(&missing, false).unwrap(),
        *builtin()
    );
    let err = Config::load_or_default(&missing, true).unwrap_err();
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

#[test]
fn effective_config_round_trips() {
    let config = builtin();
    let text = config.to_toml();
    let again = parse(&text).unwrap();
    assert_eq!(&again, config);
}

#[test]
fn shipped_example_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clawguard.toml");
    let config = Config::load(&path).unwrap();
    assert!(config.ban.increment.enabled);
    assert_eq!(config.jail["sshd"].maxretry, Some(3));
    assert_eq!(config.jail.len(), 3);
}

#[test]
fn version_defaults_to_one() {
    let config = parse("[ban]\nmaxretry = 3\n").unwrap();
    assert_eq!(config.version, 1);
    assert_eq!(config.ban.maxretry, 3);
    assert!(config.jail.contains_key("sshd"));
}

#[test]
fn address_lists_take_plain_addresses_and_cidrs() {
    let config =
        parse("[ban]\ntrusted_proxies = [\"127.0.0.1\", \"2001:db8::1\", \"198.51.100.0/24\"]\n")
            .unwrap();
    let shown: Vec<String> = config
        .ban
        .trusted_proxies
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        shown,
        ["127.0.0.1/32", "2001:db8::1/128", "198.51.100.0/24"]
    );
    let err = parse("version = 1\n[ban]\ntrusted_proxies = [\"127.0.0.1\", \"proxy.example\"]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains(":3:"), "{err}");
    assert!(err.contains("proxy.example"), "{err}");
    assert!(err.contains("trusted_proxies"), "{err}");
}

#[test]
fn a_builtin_jail_is_turned_off_without_repeating_its_filter() {
    let config = parse("version = 1\n[jail.sshd]\nenabled = false\n").unwrap();
    let sshd = &config.jail["sshd"];
    assert!(!sshd.enabled);
    // Keys left out keep the built-in's values.
    assert_eq!(sshd.filter, builtin().jail["sshd"].filter);
    assert_eq!(sshd.logpath, builtin().jail["sshd"].logpath);
    let config = parse("[jail.openclaw-gateway]\nmaxretry = 4\n").unwrap();
    let gateway = &config.jail["openclaw-gateway"];
    assert_eq!(gateway.maxretry, Some(4));
    assert_eq!(gateway.backend, Backend::Openclaw);
    // A jail of its own still needs a filter, unless it is off.
    let err = parse("[jail.web]\nlogpath = [\"/var/log/x\"]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("filter"), "{err}");
    assert!(err.contains(":1:") || err.contains(":2:"), "{err}");
    parse("[jail.web]\nenabled = false\n").unwrap();
}

#[test]
fn zero_findtime_is_rejected_with_file_line_and_key() {
    let err = parse("version = 1\n[ban]\nfindtime = 0\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/etc/clawguard/clawguard.toml:3:"), "{err}");
    assert!(err.contains("ban.findtime"), "{err}");
    let err = parse("version = 1\n[jail.web]\nfilter = \"sshd\"\n\nfindtime = \"0s\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/etc/clawguard/clawguard.toml:5:"), "{err}");
    assert!(err.contains("jail.web.findtime"), "{err}");
}

#[test]
fn malformed_journalmatch_is_rejected_with_file_line_and_key() {
    for bad in [
        "sshd.service",
        "_COMM",
        "=sshd",
        "_comm=sshd",
        "_COMM=sshd +",
        "+ _COMM=sshd",
        "_COMM=sshd + + _COMM=x",
        "",
        "   ",
        "9FIELD=x",
    ] {
        let text = format!("version = 1\n[jail.sshd]\njournalmatch = {bad:?}\n");
        let err = parse(&text)
            .err()
            .unwrap_or_else(|| panic!("{bad:?} accepted"))
            .to_string();
        assert!(
            err.starts_with("/etc/clawguard/clawguard.toml:3:"),
            "{bad:?}: {err}"
        );
        assert!(err.contains("jail.sshd.journalmatch"), "{bad:?}: {err}");
    }
    for good in [
        "_SYSTEMD_UNIT=sshd.service + _COMM=sshd",
        "_SYSTEMD_UNIT=ssh.service _PID=12",
        "SYSLOG_IDENTIFIER=sshd\n_COMM=sshd",
        "MESSAGE=a=b",
    ] {
        let text = format!("version = 1\n[jail.sshd]\njournalmatch = {good:?}\n");
        parse(&text).unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
}

#[test]
fn config_file_must_be_a_regular_file_of_bounded_size() {
    let dir = tempfile::tempdir().unwrap();
    // A FIFO: opening it for reading would block until a writer comes.
    let fifo = dir.path().join("fifo.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(Config::load(&path).map(|_| ()).map_err(|e| e.to_string()));
    });
    let result = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("loading a FIFO config hangs");
    let err = result.unwrap_err();
    assert!(
        err.contains("fifo.toml") && err.contains("not a regular file"),
        "{err}"
    );

    // A device: never read, whatever it would give.
    let err = Config::load(Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("/dev/zero") && err.contains("not a regular file"),
        "{err}"
    );

    // A regular file over the bound.
    let big = dir.path().join("big.toml");
    let mut text = String::from("version = 1\n");
    while text.len() <= MAX_CONFIG_BYTES as usize {
        text.push_str("# padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, &text).unwrap();
    let err = Config::load(&big).unwrap_err().to_string();
    assert!(
        err.contains("big.toml") && err.contains("larger than"),
        "{err}"
    );

    // The suppression file goes through the same reader.
    let err = SkillsConfig::load_suppression_file(&fifo)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn gateway_log_owners_resolve_to_uids_or_name_file_line_and_key() {
    // Unset: auto-detection (no uids).
    let config = parse("version = 1\n").unwrap();
    assert_eq!(config.jail["openclaw-gateway"].log_owner_uids, None);
    // Numeric uids and names from /etc/passwd (root is always there).
    let config =
        parse("version = 1\n[jail.openclaw-gateway]\nlog_owners = [\"root\", \"4242\"]\n").unwrap();
    assert_eq!(
        config.jail["openclaw-gateway"].log_owner_uids,
        Some(vec![0, 4242])
    );
    assert!(config.to_toml().contains("log_owners"));
    // An unknown user is an error naming file, line and key.
    let err = parse(
        "version = 1\n[jail.openclaw-gateway]\nenabled = true\nlog_owners = [\"no-such-clawguard-user\"]\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("/etc/clawguard/clawguard.toml:4: key `jail.openclaw-gateway.log_owners`"),
        "{err}"
    );
    assert!(err.contains("no-such-clawguard-user"), "{err}");
    // A uid beyond u32 and a non-openclaw jail are refused too.
    let err = parse("version = 1\n[jail.openclaw-gateway]\nlog_owners = [\"99999999999\"]\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(":3: key `jail.openclaw-gateway.log_owners`"),
        "{err}"
    );
    let err = parse("version = 1\n[jail.sshd]\nlog_owners = [\"root\"]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains(":3: key `jail.sshd.log_owners`"), "{err}");
}

#[test]
fn uid_of_user_reads_passwd_fields() {
    let passwd =
        "root:x:0:0:root:/root:/bin/sh\nopenclaw:x:1001:1001::/home/openclaw:/bin/sh\nbroken\n";
    assert_eq!(uid_of_user(passwd, "openclaw"), Some(1001));
    assert_eq!(uid_of_user(passwd, "open"), None);
    assert_eq!(uid_of_user(passwd, "broken"), None);
}
