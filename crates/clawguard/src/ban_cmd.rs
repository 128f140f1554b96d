//! `ban list|add|del` and `firewall remove`.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clawguard_state::{BanRecord, ControlRequest, ControlStatus, State, daemon_lock};
use ipnet::IpNet;
use serde::Serialize;

use crate::context::{Globals, now_ms};
use crate::exit::{self, Failure};
use crate::output::{BanView, ban_views, describe_end, print_json};

pub fn ban_list(ctx: &Globals, json: bool) -> Result<u8> {
    let state = ctx.open_state()?;
    let now = now_ms();
    let bans = state.active_bans(now)?;
    let views = ban_views(&bans, now);
    if json {
        #[derive(Serialize)]
        struct Report {
            bans: Vec<BanView>,
        }
        print_json(&Report { bans: views })?;
    } else {
        let mut out = std::io::stdout().lock();
        for ban in &views {
            let until = match (&ban.end, ban.remaining_s) {
                (Some(end), Some(left)) => format!("until {end} ({left}s left)"),
                _ => "permanent".into(),
            };
            writeln!(out, "{:<40} {:<18} {until}", ban.target, ban.jail)?;
        }
        writeln!(out, "{} active bans", views.len())?;
    }
    Ok(exit::OK)
}

fn parse_target(text: &str) -> Result<IpNet> {
    clawguard_ban::parse_net(text)
        .ok_or_else(|| Failure::Usage(format!("{text:?} is not an IP address or CIDR")).into())
}

pub fn ban_add(ctx: &Globals, target: &str, jail: &str, duration: Option<&str>) -> Result<u8> {
    let target = parse_target(target)?;
    if clawguard_ban::overlaps_loopback(&target) {
        return Err(
            Failure::Usage(format!("{target} contains loopback; refusing to ban it")).into(),
        );
    }
    let seconds = match duration {
        Some(text) => clawguard_config::parse_duration(text)
            .map_err(|e| Failure::Usage(format!("--duration: {e}")))?,
        None => ctx.config.ban.bantime.0,
    };
    let now = now_ms();
    let end_ms = (seconds >= 0).then(|| now + seconds.saturating_mul(1000));
    let mut state = ctx.open_state()?;
    let ban_count = state
        .ban_history(0)?
        .iter()
        .filter(|h| h.target == target)
        .map(|h| h.bans)
        .sum::<u32>()
        + 1;
    state.record_bans(&[BanRecord {
        target,
        jail: jail.to_string(),
        start_ms: now,
        end_ms,
        failures: 0,
        ban_count,
        manual: true,
    }])?;
    let request = state.push_control(&ControlRequest::Ban {
        target,
        jail: jail.to_string(),
        end_ms,
    })?;
    let recorded = format!("recorded ban of {target} ({})", describe_end(end_ms));
    if daemon_lock::is_held(&ctx.state_dir) {
        return report_daemon_outcome(&state, request, &recorded);
    }
    let enforced = apply_now(&[clawguard_nft::BanOp::Add {
        net: target,
        timeout_ms: end_ms.map(|e| (e - now).max(1) as u64),
    }]);
    match enforced {
        Ok(()) => println!("banned {target} ({})", describe_end(end_ms)),
        Err(e) => println!(
            "{recorded}; not in the firewall yet: {e:#} (the daemon applies it when it runs)"
        ),
    }
    Ok(exit::OK)
}

pub fn ban_del(ctx: &Globals, target: &str) -> Result<u8> {
    let target = parse_target(target)?;
    let mut state = ctx.open_state()?;
    let lifted = state.lift_ban(&target, None, now_ms())?;
    let request = state.push_control(&ControlRequest::Unban { target })?;
    if daemon_lock::is_held(&ctx.state_dir) {
        let recorded = format!("lifted {lifted} bans of {target} in the database");
        return report_daemon_outcome(&state, request, &recorded);
    }
    let removed = apply_now(&[clawguard_nft::BanOp::Remove { net: target }]);
    match removed {
        Ok(()) => println!("unbanned {target} ({lifted} bans lifted)"),
        Err(e) => println!("lifted {lifted} bans of {target}; firewall not changed: {e:#}"),
    }
    Ok(exit::OK)
}

/// How long `ban add|del` waits for a running daemon to apply its request
/// (the daemon takes requests every 500 ms).
const DAEMON_WAIT: Duration = Duration::from_secs(5);
const DAEMON_POLL: Duration = Duration::from_millis(50);

/// While a daemon runs it is the one firewall writer: wait (bounded) for it
/// to handle `request`, and say what it did. The change is already in the
/// database, so a daemon that is slow still applies it later.
fn report_daemon_outcome(state: &State, request: i64, recorded: &str) -> Result<u8> {
    let started = Instant::now();
    let last = loop {
        let status = state.control_status(request)?;
        if matches!(status, ControlStatus::Done { .. }) || started.elapsed() >= DAEMON_WAIT {
            break status;
        }
        std::thread::sleep(DAEMON_POLL);
    };
    let waited = DAEMON_WAIT.as_secs();
    match last {
        ControlStatus::Done {
            ok: true, outcome, ..
        } => {
            println!("{recorded}; daemon: {outcome}");
            Ok(exit::OK)
        }
        ControlStatus::Done { outcome, .. } => {
            println!("{recorded}; daemon: {outcome}");
            eprintln!("clawguard: the daemon did not apply it: {outcome}");
            Ok(exit::ERROR)
        }
        ControlStatus::Taken => {
            println!(
                "{recorded}; the daemon took the request but did not finish it within {waited}s; \
                 it applies it (or restores it from the database at its next start)"
            );
            Ok(exit::OK)
        }
        ControlStatus::Queued => {
            println!(
                "{recorded}; the daemon has not taken the request within {waited}s (see `clawguard \
                 status`); it applies it when it does"
            );
            Ok(exit::OK)
        }
    }
}

/// Apply firewall changes directly: only when no daemon runs (then the
/// daemon is the one writer).
fn apply_now(ops: &[clawguard_nft::BanOp]) -> Result<()> {
    let mut firewall = clawguard_nft::Firewall::connect().context("netlink")?;
    if !firewall.is_installed()? {
        anyhow::bail!("the clawguard table is not installed (is the daemon running?)");
    }
    firewall.apply(ops)?;
    Ok(())
}

pub fn firewall_remove() -> Result<u8> {
    let mut firewall = clawguard_nft::Firewall::connect().context("netlink")?;
    firewall.remove().context("removing table inet clawguard")?;
    println!("removed table inet clawguard");
    Ok(exit::OK)
}
