//! `clawguard events`: the `journalctl` of clawguard. Reads the event
//! journal (`<state_dir>/events.db`) by sequence number; `--follow` keeps
//! reading as the daemon commits; `--consumer NAME` reads as a named
//! consumer, from its cursor, and acknowledges what it printed.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use clawguard_event::{Engine, Record};
use clawguard_journal::Journal;

use crate::context::{Globals, now_ms};
use crate::exit::{self, Failure};
use crate::output::format_time;

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Start after this sequence number, or this long ago (`90s`, `30m`, `1h`, `2d`)
    #[arg(long, value_name = "SEQ|DURATION")]
    pub since: Option<String>,
    /// Keep printing events as they are committed (until interrupted)
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Only this engine's events: ban, fim, skills, journal, daemon, proc, proxy, audit
    #[arg(long, value_name = "ENGINE")]
    pub engine: Option<String>,
    /// JSON Lines: one JSON object per event, with seq, host and schema (the
    /// one reporting output that is not a single JSON document)
    #[arg(long)]
    pub json: bool,
    /// Read as this named consumer: start after its last acknowledged event
    /// and acknowledge what was printed (registered on first use)
    #[arg(long, value_name = "NAME", conflicts_with = "engine")]
    pub consumer: Option<String>,
    /// Remove the named consumer: retention no longer waits on its cursor
    #[arg(long, value_name = "NAME", conflicts_with_all = ["consumer", "follow", "since", "engine"])]
    pub forget_consumer: Option<String>,
}

/// How often `--follow` looks for new events.
const FOLLOW_EVERY: Duration = Duration::from_millis(200);
/// Records read per query.
const PAGE: usize = 1000;

pub fn run(ctx: &Globals, args: EventsArgs) -> Result<u8> {
    let engine = match &args.engine {
        Some(name) => Some(parse_engine(name)?),
        None => None,
    };
    let mut journal = Journal::open_existing(&ctx.state_dir)?;
    if let Some(name) = &args.forget_consumer {
        if journal.remove_consumer(name)? {
            println!("consumer {name} removed");
            return Ok(exit::OK);
        }
        return Err(Failure::usage(format!("no consumer named {name:?}")).into());
    }
    let mut after = match &args.since {
        Some(text) => since(&journal, text)?,
        None => 0,
    };
    if let Some(name) = &args.consumer {
        let acked = journal
            .register_consumer(name, after, now_ms())
            .map_err(|e| Failure::usage(format!("--consumer: {e}")))?;
        if args.since.is_none() {
            after = acked;
        }
    }
    let mut out = std::io::stdout().lock();
    loop {
        // Read before the page: a short page means nothing up to here is
        // left, so with `--engine` the cursor can skip the rows it filtered
        // out instead of scanning them again on every poll.
        let end = journal.last_seq()?;
        let page = journal.read_after(after, PAGE, engine)?;
        let done = page.len() < PAGE;
        for record in &page {
            print_record(&mut out, record, args.json)?;
        }
        if let Some(last) = page.last() {
            after = last.seq;
            out.flush()?;
            if let Some(name) = &args.consumer {
                journal.acknowledge(name, after, now_ms())?;
            }
        }
        if done {
            after = after.max(end);
            if !args.follow {
                return Ok(exit::OK);
            }
            std::thread::sleep(FOLLOW_EVERY);
        }
    }
}

fn parse_engine(name: &str) -> Result<Engine> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
        Failure::usage(format!(
            "--engine {name:?}: one of ban, fim, skills, journal, daemon, proc, proxy, audit"
        ))
        .into()
    })
}

/// `--since`: a sequence number (digits) or a duration back from now.
fn since(journal: &Journal, text: &str) -> Result<u64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .map_err(|e| Failure::usage(format!("--since {text}: {e}")).into());
    }
    let seconds = clawguard_config::parse_duration(text)
        .map_err(|e| Failure::usage(format!("--since {text}: {e}")))?;
    let from = now_ms().saturating_sub(seconds.max(0).saturating_mul(1000));
    journal
        .seq_before_time(from)
        .context("finding where --since starts")
}

fn print_record(out: &mut impl Write, record: &Record, json: bool) -> Result<()> {
    if json {
        serde_json::to_writer(&mut *out, record)?;
        writeln!(out)?;
        return Ok(());
    }
    let event = &record.event;
    writeln!(
        out,
        "{:>8} {} {:<8} {:<7} {}",
        record.seq,
        format_time(event.time_ms),
        format!("{:?}", event.severity()).to_lowercase(),
        clawguard_journal::store::engine_name(event.engine()),
        event.summary()
    )?;
    Ok(())
}
