//! The alert engine: [`clawguard_alert::engine`] on its own thread with a
//! current-thread runtime (its sends, SQLite commits and journal reads never
//! wait behind another engine). Its health is its sinks': `degraded` while
//! one is failing, naming it.

use std::collections::BTreeMap;

use clawguard_alert::engine::{Hosted, SinkHealth};

use super::Inputs;
use crate::engine::{Context, Health};

pub fn run(ctx: &Context, inputs: &Inputs) -> Result<(), String> {
    ctx.beat();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("alert-engine")
        .build()
        .map_err(|e| format!("alert engine runtime: {e}"))?;
    let hosted = Hosted {
        state_dir: ctx.state_dir.clone(),
        host: inputs.host_name.clone(),
        config: ctx.config.clone(),
        committed: inputs.committed.clone(),
        bus: ctx.bus.clone(),
        cancel: ctx.cancel.clone(),
    };
    ctx.health.set(Health::Ok);
    runtime
        .block_on(clawguard_alert::engine::run(
            hosted,
            || ctx.beat(),
            |sinks| ctx.health.set(health_of(sinks)),
        ))
        .map_err(|e| e.to_string())
}

fn health_of(sinks: &BTreeMap<String, SinkHealth>) -> Health {
    let failing: Vec<String> = sinks
        .iter()
        .filter_map(|(name, h)| {
            h.failing
                .as_ref()
                .map(|e| format!("sink {name} failing ({} pending): {e}", h.pending))
        })
        .collect();
    if failing.is_empty() {
        Health::Ok
    } else {
        Health::Degraded(failing.join("; "))
    }
}
