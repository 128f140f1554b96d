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
