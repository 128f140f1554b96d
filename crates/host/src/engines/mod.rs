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
}

/// Run one engine until it is cancelled or fails. The one place engines are
/// started: a new [`Engine`] variant does not compile until it is here.
pub fn run(ctx: &Context, inputs: &Inputs) -> Result<(), String> {
    ctx.faults.on_start(ctx.engine);
    match ctx.engine {
        Engine::Ban => ban::run(ctx),
        Engine::Fim => fim::run(ctx),
        Engine::Skills => skills::run(ctx, inputs),
    }
}
