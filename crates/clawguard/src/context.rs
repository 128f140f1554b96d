//! What every verb starts from: the loaded config, where it came from, and
//! the state directory. Leaf module: it imports nothing from the rest of the
//! crate.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clawguard_config::{Config, ConfigError};
use clawguard_state::State;

/// Global options every verb needs.
pub struct Globals {
    pub config: Config,
    pub config_path: PathBuf,
    pub state_dir: PathBuf,
}

impl Globals {
    /// Load the config (`--config`, else the default path, else the built-in
    /// defaults) and pick the state dir (`--state-dir`, else the config's).
    pub fn load(config: Option<PathBuf>, state_dir: Option<PathBuf>) -> Result<Self, ConfigError> {
        let explicit = config.is_some();
        let config_path = config.unwrap_or_else(|| PathBuf::from(clawguard_config::DEFAULT_PATH));
        let config = Config::load_or_default(&config_path, explicit)?;
        let state_dir = state_dir.unwrap_or_else(|| config.daemon.state_dir.clone());
        Ok(Globals {
            config,
            config_path,
            state_dir,
        })
    }

    pub fn open_state(&self) -> Result<State> {
        State::open(&self.state_dir).context("opening the state database")
    }
}

/// Now, as Unix epoch milliseconds (0 if the clock is before 1970).
pub use clawguard_sys::clock::now_ms;
