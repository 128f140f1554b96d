//! The fim engine: scheduled full checks and realtime watching
//! ([`clawguard_fim::realtime::start_engine`]), their events forwarded to the
//! bus. A changed `[fim]` section (watch list, interval, exclusions) is
//! applied live by starting the engine's threads again with it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use clawguard_config::Config;
use clawguard_event::Event;

use crate::engine::{Context, Health};

/// How long after start-up the first scheduled full check runs, so a
/// restart does not hash the whole policy at once with everything else.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(60);
/// While fim cannot start (no baseline yet), how often it tries again.
const RETRY_START_EVERY: Duration = Duration::from_secs(30);
/// How long a stopping fim engine forwards what its threads still send.
const DRAIN_LIMIT: Duration = Duration::from_secs(3);
/// Events between fim's threads and the bus.
const CHANNEL: usize = 1024;

pub fn run(ctx: &Context) -> Result<(), String> {
    let mut last_refusal: Option<String> = None;
    loop {
        ctx.beat();
        let config = ctx.current_config();
        let (tx, rx) = std::sync::mpsc::sync_channel::<Event>(CHANNEL);
        let stop = Arc::new(AtomicBool::new(false));
        let started = clawguard_fim::realtime::start_engine(
            &config.fim,
            &ctx.state_dir,
            FIRST_CHECK_AFTER,
            tx,
            Arc::clone(&stop),
        );
        let (handles, backends) = match started {
            Ok(started) => started,
            Err(e) => {
                // Not a crash: nothing to restart until the setup changes.
                let why = format!("not running: {e}");
                if last_refusal.as_ref() != Some(&why) {
                    tracing::warn!("fim engine {why}");
                    last_refusal = Some(why.clone());
                }
                ctx.health.set(Health::Degraded(why));
                if !wait_for_change(ctx, &config, RETRY_START_EVERY) {
                    return Ok(());
                }
                continue;
            }
        };
        last_refusal = None;
        let mut missing = Vec::new();
        if !backends.fanotify {
            missing.push(
                "fanotify who-data (needs CAP_SYS_ADMIN, which the shipped unit does not \
                 grant): file changes are reported without the process that made them"
                    .to_string(),
            );
        }
        ctx.health.running_without(missing);
        ctx.health.set(Health::Ok);
        tracing::info!(fanotify = backends.fanotify, "fim engine running");
        let outcome = forward(ctx, &config, &rx, &handles);
        stop.store(true, Ordering::Relaxed);
        // What the threads still send goes to the journal, not away; a full
        // check still running is left to finish on its own (it stops
        // sending once `rx` is gone) rather than hold up a reload or a stop.
        let deadline = std::time::Instant::now() + DRAIN_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left.min(Duration::from_millis(100))) {
                Ok(event) => {
                    if ctx
                        .bus
                        .send_unless(event, || std::time::Instant::now() >= deadline)
                        .is_err()
                    {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) if left.is_zero() => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        drop(rx);
        let (finished, running): (Vec<_>, Vec<_>) =
            handles.into_iter().partition(|h| h.is_finished());
        if !running.is_empty() {
            tracing::warn!(
                "fim engine: a full check still running was left to end on its own; its \
                 remaining findings are not reported (the next scheduled check finds them)"
            );
        }
        let mut failure = None;
        for handle in finished {
            match handle.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failure = Some(format!("fim thread ended: {e}")),
                Err(panic) => {
                    failure = Some(format!("fim thread panicked: {}", panic_text(&panic)))
                }
            }
        }
        match outcome {
            Outcome::Cancelled => return Ok(()),
            Outcome::Reconfigured => {
                tracing::info!("fim engine: [fim] reloaded (watch list, interval, exclusions)");
                continue;
            }
            Outcome::ThreadEnded => {
                return Err(failure.unwrap_or_else(|| "a fim thread stopped".into()));
            }
        }
    }
}

enum Outcome {
    Cancelled,
    Reconfigured,
    ThreadEnded,
}

fn forward(
    ctx: &Context,
    config: &Arc<Config>,
    rx: &std::sync::mpsc::Receiver<Event>,
    handles: &[std::thread::JoinHandle<Result<(), clawguard_fim::FimError>>],
) -> Outcome {
    loop {
        ctx.beat();
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(event) => {
                // Waits while the bus is full (fim can afford to pause),
                // unless the daemon stops.
                if ctx.bus.send_unless(event, || ctx.waiting_on_bus()).is_err() {
                    return Outcome::Cancelled;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Outcome::ThreadEnded,
        }
        if ctx.cancel.is_cancelled() {
            return Outcome::Cancelled;
        }
        if handles.iter().any(|h| h.is_finished()) {
            return Outcome::ThreadEnded;
        }
        let now = ctx.current_config();
        if !Arc::ptr_eq(&now, config) && now.fim != config.fim {
            return Outcome::Reconfigured;
        }
    }
}

/// Wait until `[fim]` changes or `limit` passes. `false` when cancelled.
fn wait_for_change(ctx: &Context, config: &Arc<Config>, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        if !ctx.pause(Duration::from_millis(200)) {
            return false;
        }
        if ctx.current_config().fim != config.fim {
            return true;
        }
    }
    true
}

pub(crate) fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".into()
    }
}
