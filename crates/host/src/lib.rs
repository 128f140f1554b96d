//! clawguard's engine host: one supervisor for every engine.
//!
//! The configuration is built and checked once ([`supervisor::validate`]),
//! then the event journal's writer and every enabled [`Engine`] start. Each
//! engine runs on a thread of its own with the same [`Context`]: the config
//! as a watch of `Arc<Config>`, a sender into the event bus, a cancellation
//! token and the state directory. It reports its [`Health`] on a watch; the
//! supervisor restarts an engine that exits or panics (with backoff), marks
//! it failed after repeated failures, sends READY=1 once every enabled
//! engine has reported, feeds the watchdog only while none has failed, and
//! writes what it knows to [`status::STATUS_FILE`] for `clawguard status`.
//! SIGHUP validates the new configuration once and publishes it; each
//! engine applies what it can live.

pub mod engine;
mod engines;
pub mod fault;
pub mod notify;
pub mod restart;
pub mod skill_watch;
pub mod status;
pub mod supervisor;

pub use engine::{Context, Engine, Health, Report};
pub use supervisor::{HostError, Options, run, validate};

pub(crate) use clawguard_sys::clock::now_ms;
