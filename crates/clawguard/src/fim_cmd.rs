//! `clawguard fim …`: the fim engine's verbs.

use anyhow::Result;
use clap::Subcommand;

use crate::commands::{Failure, Globals};

#[derive(Debug, Subcommand)]
pub enum FimCommand {
    /// Not built yet.
    Todo,
}

pub fn run(_ctx: &Globals, cmd: FimCommand) -> Result<u8> {
    match cmd {
        FimCommand::Todo => Err(Failure::Usage("not built yet".into()).into()),
    }
}
