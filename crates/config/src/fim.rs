//! `[fim]`: settings of the fim engine.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ConfigError;

/// `[fim]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FimConfig {
    /// Run this engine in the daemon.
    pub enabled: bool,
}

impl Default for FimConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

impl FimConfig {
    /// Checks values that parse but are not acceptable; errors name the key.
    pub(crate) fn validate(&self, _path: &Path) -> Result<(), ConfigError> {
        Ok(())
    }
}
