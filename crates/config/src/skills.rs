//! `[skills]`: settings of the skills engine.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ConfigError;

/// `[skills]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SkillsConfig {
    /// Run this engine in the daemon.
    pub enabled: bool,
}

impl Default for SkillsConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

impl SkillsConfig {
    /// Checks values that parse but are not acceptable; errors name the key.
    pub(crate) fn validate(&self, _path: &Path) -> Result<(), ConfigError> {
        Ok(())
    }
}
