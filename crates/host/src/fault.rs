//! Fault injection for the daemon's own tests: `CLAWGUARD_FAULT`, read only
//! by debug builds (a release build ignores it, so no environment variable
//! can make a production daemon panic or stall).
//!
//! Comma-separated entries:
//! - `panic:<engine>:<n>`: the engine panics right after each of its first
//!   `n` starts (`panic:<engine>` for every start);
//! - `journal-stall-ms:<ms>`: the journal writer sleeps before every commit;
//! - `skills-scan-delay-ms:<ms>`: every skill audit takes this much longer;
//! - `hang:<engine>`: the engine stops turning (and beating) after it
//!   started, as if stuck in a call that never returns;
//! - `stuck-after-ms:<ms>`: how long an engine may be silent before it
//!   counts as not responding (instead of [`crate::supervisor`]'s default).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::engine::Engine;

/// The faults in force.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    panics: Vec<(Engine, Option<u32>, Arc<AtomicU32>)>,
    pub journal_stall: Option<Duration>,
    pub skills_scan_delay: Option<Duration>,
    hangs: Vec<Engine>,
    pub stuck_after: Option<Duration>,
}

impl Faults {
    /// From `CLAWGUARD_FAULT` in debug builds; none in release builds.
    pub fn from_env() -> Faults {
        if !cfg!(debug_assertions) {
            return Faults::default();
        }
        std::env::var("CLAWGUARD_FAULT")
            .map(|text| Faults::parse(&text))
            .unwrap_or_default()
    }

    fn parse(text: &str) -> Faults {
        let mut faults = Faults::default();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let parts: Vec<&str> = entry.split(':').collect();
            match parts.as_slice() {
                ["panic", engine, rest @ ..] => {
                    if let Some(engine) = Engine::parse(engine) {
                        let times = rest.first().and_then(|n| n.parse().ok());
                        faults
                            .panics
                            .push((engine, times, Arc::new(AtomicU32::new(0))));
                    }
                }
                ["journal-stall-ms", ms] => {
                    faults.journal_stall = ms.parse().ok().map(Duration::from_millis);
                }
                ["skills-scan-delay-ms", ms] => {
                    faults.skills_scan_delay = ms.parse().ok().map(Duration::from_millis);
                }
                ["hang", engine] => faults.hangs.extend(Engine::parse(engine)),
                ["stuck-after-ms", ms] => {
                    faults.stuck_after = ms.parse().ok().map(Duration::from_millis);
                }
                _ => tracing::warn!("CLAWGUARD_FAULT entry {entry:?} not understood"),
            }
        }
        faults
    }

    /// Called in an engine's loop: hangs there, for good, when a fault says
    /// so (the engine has started and reported by then).
    pub fn hang_point(&self, engine: Engine) {
        if self.hangs.contains(&engine) {
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }

    /// Called by each engine as it starts: panics when a fault says so.
    pub fn on_start(&self, engine: Engine) {
        for (which, times, count) in &self.panics {
            if *which != engine {
                continue;
            }
            let n = count.fetch_add(1, Ordering::Relaxed);
            if times.is_none_or(|times| n < times) {
                panic!("injected fault: {} engine panics at start", engine.name());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_counted_panics_and_delays() {
        let faults = Faults::parse("panic:skills:2, journal-stall-ms:50");
        assert_eq!(faults.journal_stall, Some(Duration::from_millis(50)));
        for _ in 0..2 {
            let caught = std::panic::catch_unwind(|| faults.on_start(Engine::Skills));
            assert!(caught.is_err());
        }
        faults.on_start(Engine::Skills);
        faults.on_start(Engine::Fim);
    }
}
