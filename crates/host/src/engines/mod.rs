//! The engines as the host runs them. Each runs on a thread of its own
//! ([`crate::supervisor`] starts it through one helper that catches a
//! panic), gets the same [`Context`], and returns when its token is
//! cancelled (`Ok`) or when it cannot go on (`Err`, and the supervisor
//! restarts it).

use std::sync::atomic::AtomicU64;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use clawguard_event::Record;

use crate::engine::{Context, Engine};

mod alert;
mod ban;
mod fim;
mod skills;

pub(crate) use fim::panic_text;

/// What some engines need besides their context, kept across restarts.
pub struct Inputs {
    /// `FileChanged` records, fed by the journal writer after commit.
    pub file_changes: Mutex<Receiver<Record>>,
    /// Records the writer could not deliver because `file_changes` was full
    /// (the skill auditor fell behind); the auditor reports and resets it.
    pub file_changes_lost: Arc<AtomicU64>,
    /// The ban engine's build of a published config, made when the
    /// supervisor validated it, so the engine does not build it again.
    /// The journal writer's newest committed seq (the alert engine waits on it).
    pub committed: tokio::sync::watch::Receiver<u64>,
    /// The host name events carry.
    pub host_name: String,
    pub ban_build: Mutex<
        Option<(
            Arc<clawguard_config::Config>,
            clawguard_jails::runtime::Build,
        )>,
    >,
}

impl Inputs {
    /// The validated build of `config`, if it is the one published with it.
    pub fn take_ban_build(
        &self,
        config: &Arc<clawguard_config::Config>,
    ) -> Option<clawguard_jails::runtime::Build> {
        let mut slot = self
            .ban_build
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match slot.take() {
            Some((built_for, build)) if Arc::ptr_eq(&built_for, config) => Some(build),
            other => {
                *slot = other;
                None
            }
        }
    }
}

/// Run one engine until it is cancelled or fails. The one place engines are
/// started: a new [`Engine`] variant does not compile until it is here.
pub fn run(ctx: &Context, inputs: &Inputs) -> Result<(), String> {
    ctx.faults.on_start(ctx.engine);
    match ctx.engine {
        Engine::Ban => ban::run(ctx, inputs),
        Engine::Fim => fim::run(ctx),
        Engine::Skills => skills::run(ctx, inputs),
        Engine::Alert => alert::run(ctx, inputs),
    }
}
