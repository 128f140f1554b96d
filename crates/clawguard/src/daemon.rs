//! `clawguard run`: the checks before the daemon starts (privilege, the
//! detect-only warning, logging), then the engine host
//! ([`clawguard_host`]), which runs every engine until SIGTERM. Its module
//! documentation has the signal table.

use anyhow::{Context, Result};
use clawguard_config::Config;

use crate::context::Globals;
use crate::exit::{self, Failure};

/// Start every enabled engine and run until SIGTERM.
pub fn run(globals: Globals, detect_only: bool) -> Result<u8> {
    // One daemon per state dir, held until this returns; the CLI sees it
    // and leaves the firewall to this daemon.
    let _lock = clawguard_state::daemon_lock::DaemonLock::acquire(&globals.state_dir)?;
    init_logging(&globals.config);
    let enforce = !detect_only && globals.config.firewall.enabled;
    if enforce {
        check_firewall_privilege()?;
    } else {
        let why = if detect_only {
            "--detect-only was given"
        } else {
            "[firewall] enabled = false"
        };
        eprintln!(
            "clawguard: DETECT-ONLY MODE ({why}): failures are detected and bans recorded, \
             but NOTHING IS ENFORCED in the firewall."
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("clawguard")
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let result = runtime.block_on(serve(globals, enforce));
    // Blocking tasks that outlived the host's stop limits (a join of a
    // stuck thread) must not hold the process past systemd's stop timeout.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result?;
    Ok(exit::OK)
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.daemon.log_level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Refuse to start, saying exactly why, when the firewall can't be changed.
fn check_firewall_privilege() -> Result<()> {
    let has_cap = has_net_admin();
    let attempt = clawguard_nft::Firewall::connect().and_then(|mut fw| fw.install());
    match attempt {
        Ok(()) => Ok(()),
        Err(e) => {
            let cap = match has_cap {
                Some(true) => "the process has CAP_NET_ADMIN",
                Some(false) => "the process lacks CAP_NET_ADMIN",
                None => "CAP_NET_ADMIN could not be checked",
            };
            Err(Failure::NoPrivilege(format!(
                "cannot change the firewall: installing nftables table inet clawguard failed: {e} \
                 ({cap}). Run as root or with CAP_NET_ADMIN (packaging/clawguard.service grants it), \
                 or pass --detect-only to detect and record without enforcing."
            ))
            .into())
        }
    }
}

/// Whether CAP_NET_ADMIN (bit 12) is in the effective set, from /proc.
fn has_net_admin() -> Option<bool> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let hex = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))?
        .trim();
    let caps = u64::from_str_radix(hex, 16).ok()?;
    Some(caps & (1 << 12) != 0)
}

async fn serve(globals: Globals, enforce: bool) -> Result<()> {
    // A daemon started from a file must never fall back to the built-in
    // defaults on reload: that would drop its ignoreip and trusted proxies.
    let started_from_file = globals.config_path.exists();
    let options = clawguard_host::Options {
        config: globals.config.clone(),
        config_path: globals.config_path.clone(),
        started_from_file,
        state_dir: globals.state_dir.clone(),
        enforce,
    };
    clawguard_host::run(options).await.map_err(|e| match e {
        clawguard_host::HostError::Config(message) => Failure::Usage(message).into(),
        other => anyhow::Error::from(other),
    })
}
