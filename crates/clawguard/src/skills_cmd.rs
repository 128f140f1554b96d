//! `clawguard skills …`: the skills engine's verbs.

use anyhow::Result;
use clap::Subcommand;

use crate::commands::{Failure, Globals};

#[derive(Debug, Subcommand)]
pub enum SkillsCommand {
    /// Not built yet.
    Todo,
}

pub fn run(_ctx: &Globals, cmd: SkillsCommand) -> Result<u8> {
    match cmd {
        SkillsCommand::Todo => Err(Failure::Usage("not built yet".into()).into()),
    }
}
