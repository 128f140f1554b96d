//! The ban engine: [`clawguard_jails::runtime`] on its own thread with a
//! current-thread runtime, so its SQLite (`synchronous=FULL`) and netlink
//! calls never run on the daemon's shared runtime. A published config is
//! built here and swapped in live (jails, filters, sources).

use std::sync::Arc;
use std::time::Duration;

use clawguard_jails::runtime::{self, Control, Options};
use tokio::sync::{mpsc, oneshot, watch};

use super::Inputs;
use crate::engine::{Context, Health};

/// How long the engine may take to stop once cancelled.
const STOP_LIMIT: Duration = Duration::from_secs(10);

pub fn run(ctx: &Context, inputs: &Inputs) -> Result<(), String> {
    ctx.beat();
    let config = ctx.current_config();
    let build = match inputs.take_ban_build(&config) {
        Some(build) => build,
        // A restart, or a config published before this start took it.
        None => runtime::build((*config).clone()).map_err(|e| e.to_string())?,
    };
    if !ctx.enforce {
        ctx.health.running_without(vec![
            "firewall enforcement (detect-only): bans are recorded, not applied".into(),
        ]);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("ban-engine")
        .build()
        .map_err(|e| format!("ban engine runtime: {e}"))?;
    runtime.block_on(serve(ctx, inputs, build, config))
}

async fn serve(
    ctx: &Context,
    inputs: &Inputs,
    build: runtime::Build,
    started: Arc<clawguard_config::Config>,
) -> Result<(), String> {
    let (control_tx, control_rx) = mpsc::channel::<Control>(8);
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (ready_tx, ready_rx) = oneshot::channel();
    let options = Options {
        state_dir: ctx.state_dir.clone(),
        enforce: ctx.enforce,
        sources_runtime: Some(ctx.runtime.clone()),
    };
    // A task of its own, so it keeps running while a reload below waits
    // for its reply.
    let mut engine = tokio::spawn(runtime::run(
        build,
        options,
        ctx.bus.clone(),
        control_rx,
        shutdown_rx,
        ready_tx,
    ));
    let mut ready_rx = Some(ready_rx);
    // The engine task shares this thread: while it turns, so does this.
    let mut heartbeat = tokio::time::interval(Duration::from_millis(500));
    let mut config = ctx.config.clone();
    let mut config_open = true;
    let mut running = started;
    loop {
        tokio::select! {
            result = &mut engine => {
                return match result {
                    Ok(Ok(())) if ctx.cancel.is_cancelled() => Ok(()),
                    Ok(Ok(())) => Err("ban engine stopped on its own".into()),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(panic_of(e)),
                };
            }
            report = async { ready_rx.as_mut().expect("guarded").await }, if ready_rx.is_some() => {
                ready_rx = None;
                if let Ok(report) = report {
                    tracing::info!(
                        jails = report.jails,
                        log_rules = report.log_rules,
                        sources = report.sources,
                        restored_bans = report.restored_bans,
                        enforce = ctx.enforce,
                        "ban engine running"
                    );
                    ctx.health.set(Health::Ok);
                }
            }
            _ = heartbeat.tick() => ctx.beat(),
            _ = ctx.cancel.cancelled() => {
                let _ = shutdown_tx.send(true);
                return match tokio::time::timeout(STOP_LIMIT, &mut engine).await {
                    Ok(Ok(Ok(()))) => Ok(()),
                    Ok(Ok(Err(e))) => Err(e.to_string()),
                    Ok(Err(e)) => Err(panic_of(e)),
                    Err(_) => {
                        tracing::warn!("ban engine did not stop within {STOP_LIMIT:?}");
                        Ok(())
                    }
                };
            }
            changed = config.changed(), if config_open => {
                if changed.is_err() {
                    config_open = false; // the supervisor is stopping
                    continue;
                }
                let next = Arc::clone(&config.borrow_and_update());
                if Arc::ptr_eq(&next, &running) {
                    continue;
                }
                reload(&control_tx, inputs, &running, &next).await;
                running = next;
            }
        }
    }
}

/// Swap in the new configuration, as the supervisor built it to validate
/// it (or built here when that build was not left for this engine).
async fn reload(
    control: &mpsc::Sender<Control>,
    inputs: &Inputs,
    running: &clawguard_config::Config,
    next: &Arc<clawguard_config::Config>,
) {
    if running.firewall != next.firewall {
        tracing::warn!("ban engine: [firewall] changes take effect at the next start");
    }
    // Off this thread: the engine task keeps banning while filters compile.
    let built = match inputs.take_ban_build(next) {
        Some(build) => Ok(Ok(build)),
        None => {
            let next_config = (**next).clone();
            tokio::task::spawn_blocking(move || runtime::build(next_config)).await
        }
    };
    let build = match built {
        Ok(Ok(build)) => build,
        Err(e) => {
            tracing::error!("ban engine: reload build failed, keeping the running jails: {e}");
            return;
        }
        Ok(Err(e)) => {
            tracing::error!("ban engine: reload refused, keeping the running jails: {e}");
            return;
        }
    };
    for warning in &build.catalog.warnings {
        tracing::warn!("{warning}");
    }
    let (reply_tx, reply_rx) = oneshot::channel();
    if control
        .send(Control::Reload(Box::new(build), reply_tx))
        .await
        .is_err()
    {
        return;
    }
    match reply_rx.await {
        Ok(Ok(())) => {
            tracing::info!("ban engine: configuration reloaded (jails, filters, sources)")
        }
        Ok(Err(e)) => {
            tracing::error!("ban engine: reload refused, keeping the running jails: {e}")
        }
        Err(_) => {}
    }
}

/// A panic of the engine's task, as the supervisor reports it.
fn panic_of(error: tokio::task::JoinError) -> String {
    match error.try_into_panic() {
        Ok(panic) => format!("panicked: {}", super::panic_text(&panic)),
        Err(error) => format!("ban engine task ended: {error}"),
    }
}
