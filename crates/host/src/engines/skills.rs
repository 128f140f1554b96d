//! The skill auditor as an engine: a skill is audited again once changes
//! under it go quiet. Changes come from two places, so it works whether or
//! not fim runs: `FileChanged` events from the journal (fim's realtime
//! watch), and its own inotify watch on the skill roots. Both feed one
//! bounded rescan queue. Suppressions and limits are read from the current
//! config at every audit, so a reload applies them at once.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use clawguard_config::Config;
use clawguard_event::{Event, EventKind, Severity};

use super::Inputs;
use crate::engine::{Context, Health};
use crate::skill_watch::SkillWatch;

/// How long one turn of the loop waits for input.
const TICK: Duration = Duration::from_millis(250);
/// Most journal records taken per turn (the rest wait in the queue).
const MAX_RECORDS_PER_TURN: usize = 4096;

pub fn run(ctx: &Context, inputs: &Inputs) -> Result<(), String> {
    // A panic of an earlier run poisons the lock; the queue itself is fine.
    let file_changes = inputs
        .file_changes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut config = ctx.current_config();
    let mut watch = start_watch(ctx, &config);
    let mut queue = clawguard_skills::RescanQueue::default();
    // Changes under an extra directory belong to the entry right below it,
    // whatever the directory is called.
    queue.set_roots(config.skills.extra_dirs.clone());
    ctx.health.set(Health::Ok);
    tracing::info!(
        watched_dirs = watch.as_ref().map_or(0, SkillWatch::watched),
        "skills engine running"
    );
    loop {
        ctx.beat();
        ctx.faults.hang_point(ctx.engine);
        if ctx.cancel.is_cancelled() {
            return Ok(());
        }
        let now_config = ctx.current_config();
        if !Arc::ptr_eq(&now_config, &config) {
            if now_config.skills != config.skills {
                tracing::info!(
                    "skills engine: [skills] reloaded (suppressions, limits, extra_dirs)"
                );
            }
            if now_config.skills.extra_dirs != config.skills.extra_dirs {
                watch = start_watch(ctx, &now_config);
                queue.set_roots(now_config.skills.extra_dirs.clone());
            }
            config = now_config;
        }
        let mut now = crate::now_ms();
        match file_changes.recv_timeout(TICK) {
            Ok(record) => {
                note(ctx, &config, &mut queue, &record.event, now);
                for record in file_changes.try_iter().take(MAX_RECORDS_PER_TURN) {
                    note(ctx, &config, &mut queue, &record.event, now);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        // Changes the journal could not hand on: say so, and audit every
        // installed skill again rather than miss one (the queue is bounded).
        if report_lost(ctx, inputs) {
            let roots = clawguard_skills::host_skill_roots(&config.skills.extra_dirs);
            for skill in clawguard_skills::installed_skill_dirs(&roots) {
                if let Some(evicted) = queue.note(&skill.join("SKILL.md"), now) {
                    audit(ctx, &config, &evicted);
                }
            }
        }
        if let Some(watch) = &mut watch {
            for path in watch.poll() {
                if let Some(skill) = queue.note(&path, now) {
                    audit(ctx, &config, &skill);
                }
            }
        }
        now = crate::now_ms();
        for skill in queue.due(now) {
            ctx.beat();
            if ctx.cancel.is_cancelled() {
                return Ok(());
            }
            audit(ctx, &config, &skill);
        }
    }
}

fn start_watch(ctx: &Context, config: &Config) -> Option<SkillWatch> {
    let roots = clawguard_skills::host_skill_roots(&config.skills.extra_dirs);
    match SkillWatch::new(&roots) {
        Ok(watch) => {
            ctx.health.running_without(Vec::new());
            Some(watch)
        }
        Err(e) => {
            ctx.health.running_without(vec![format!(
                "its own inotify watch ({e}): skills are audited again only on fim's \
                 realtime events"
            )]);
            None
        }
    }
}

fn note(
    ctx: &Context,
    config: &Config,
    queue: &mut clawguard_skills::RescanQueue,
    event: &Event,
    now: i64,
) {
    if let EventKind::FileChanged { path, .. } = &event.kind
        && let Some(skill) = queue.note(Path::new(path), now)
    {
        audit(ctx, config, &skill);
    }
}

/// Changes the journal writer could not hand over (this engine fell behind
/// and its queue was full) are in the journal but were not looked at here:
/// say so, as an event with the count, never silently. Returns whether any
/// were lost.
fn report_lost(ctx: &Context, inputs: &Inputs) -> bool {
    let lost = inputs.file_changes_lost.swap(0, Ordering::Relaxed);
    if lost == 0 {
        return false;
    }
    tracing::warn!(
        lost,
        "skill auditor: its input queue was full; {lost} file changes were not looked at \
         (they are in the journal); auditing every installed skill again"
    );
    let _ = ctx.bus.send_unless(
        Event::new(
            crate::now_ms(),
            EventKind::EventsDropped {
                source: clawguard_event::Engine::Skills,
                count: lost,
                first_seq: None,
                last_seq: None,
                reason: "the skill auditor's input queue was full: these file changes (in \
                         the journal) were not looked at; every installed skill is audited \
                         again instead"
                    .into(),
            },
        ),
        || ctx.waiting_on_bus(),
    );
    true
}

/// Audit one changed skill and send its findings (medium and above, not
/// suppressed).
fn audit(ctx: &Context, config: &Config, skill: &Path) {
    if let Some(delay) = ctx.faults.skills_scan_delay {
        ctx.pause(delay);
    }
    if !skill.exists() {
        return; // removed: the fim event already says so
    }
    let limits = clawguard_skills::Limits::from_config(&config.skills);
    let now = crate::now_ms();
    let event = match clawguard_skills::scan_path(skill, &limits) {
        Ok(mut report) => {
            let suppressions = clawguard_skills::suppressions_from_config(&config.skills.suppress);
            clawguard_skills::apply_suppressions(&mut report, &suppressions, now);
            tracing::info!(skill = %skill.display(), verdict = ?report.verdict, "skill changed: audited");
            for event in report.events(now, Severity::Medium) {
                if ctx.bus.send_unless(event, || ctx.waiting_on_bus()).is_err() {
                    return;
                }
            }
            return;
        }
        Err(e) => Event::new(
            now,
            EventKind::EngineError {
                engine: clawguard_event::Engine::Skills,
                message: format!("auditing changed skill {}: {e}", skill.display()),
            },
        ),
    };
    let _ = ctx.bus.send_unless(event, || ctx.waiting_on_bus());
}
