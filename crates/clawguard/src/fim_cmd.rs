//! `clawguard fim …`: the fim engine's verbs.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use clawguard_fim::engine::Written;
use clawguard_fim::hash::HashAlgo;
use clawguard_fim::policy::Policy;
use clawguard_fim::{Fim, FimError, Report, exit};
use serde::Serialize;

use crate::context::{Globals, now_ms};
use crate::output::print_json;

const EXIT_CODES: &str = "\
Exit codes (as AIDE's, so existing cron jobs keep working):
  0   no differences
  1   entries added       (bit 1)
  2   entries removed     (bit 2)
  4   entries changed     (bit 4; a ClawHub fingerprint mismatch counts here)
      check/update add the bits: 7 = added + removed + changed
  8   BASELINE REJECTED: bad signature, not signed by the pinned key, malformed
  9   BASELINE REPLACED: validly signed, but not the baseline this host last
      wrote, or older than a generation the report chain has seen
  10  no baseline (run `clawguard fim init`)
  11  bad usage, policy or rule
  12  IO error: the scan or the baseline write did not complete
  13  signing key missing, readable by others, or not the pinned key
  14  NO FRESHNESS RECORD: <state_dir>/fim/baseline.digest (or report.chain)
      is missing while a baseline and a pinned key exist, so an older baseline
      could pass as current (restore it, or check the host and run
      `clawguard fim init`)
Errors in the command line itself and in the config file exit 11 too, not 2
(2 is the removed bit).";

#[derive(Debug, Subcommand)]
pub enum FimCommand {
    /// Record a new signed baseline of the policy (or of PATH…).
    #[command(after_help = EXIT_CODES)]
    Init(FimArgs),
    /// Compare the filesystem with the baseline.
    #[command(after_help = EXIT_CODES)]
    Check(FimArgs),
    /// Check, then write a new baseline of what was seen.
    #[command(after_help = EXIT_CODES)]
    Update(FimArgs),
    /// Accept the current state of PATH… (and what lies under it) into the
    /// baseline, leaving every other entry as it was.
    #[command(after_help = EXIT_CODES)]
    Accept(AcceptArgs),
}

#[derive(Debug, Args)]
pub struct FimArgs {
    /// Watch these paths instead of the `[fim]` policy (rule from --rule).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// Paths whose current state becomes the baseline's.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The policy's paths, when the baseline was made from command-line
    /// paths (`init PATH…`): accept needs to know their rule.
    #[arg(long = "watch", value_name = "PATH")]
    pub watch: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Baseline file [default: fim.baseline, else <state_dir>/fim/baseline.cgfim].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ed25519 signing key [default: fim.signing_key].
    #[arg(long, value_name = "FILE")]
    pub signing_key: Option<PathBuf>,
    /// Content hash for init/update: blake3, sha256, sha512 [default: fim.hash].
    #[arg(long, value_name = "ALGO")]
    pub hash: Option<String>,
    /// Rule for command-line paths (`R`, `L`, `>`, `p+u+g+hash`, …).
    #[arg(long, default_value = "R")]
    pub rule: String,
    /// Hashing threads [default: fim.threads, 0 = one per CPU].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Globals, cmd: FimCommand) -> Result<u8> {
    let json = match &cmd {
        FimCommand::Init(a) | FimCommand::Check(a) | FimCommand::Update(a) => a.common.json,
        FimCommand::Accept(a) => a.common.json,
    };
    match execute(ctx, cmd) {
        Ok(code) => Ok(code),
        Err(err) => {
            let code = err.exit_code();
            if json {
                #[derive(Serialize)]
                struct Failure {
                    error: String,
                    exit_code: u8,
                }
                print_json(&Failure {
                    error: err.to_string(),
                    exit_code: code,
                })?;
            }
            eprintln!("clawguard fim: {err}");
            Ok(code)
        }
    }
}

fn setup(ctx: &Globals, paths: &[PathBuf], common: &CommonArgs) -> Result<Fim, FimError> {
    let mut fim = Fim::from_config(&ctx.config.fim, &ctx.state_dir)?;
    let hash = match &common.hash {
        Some(name) => HashAlgo::parse(name)?,
        None => fim.policy.hash,
    };
    if !paths.is_empty() {
        let diff_roots = std::mem::take(&mut fim.policy.diff_roots);
        fim.policy = Policy::from_paths(paths, &common.rule, hash)?;
        fim.policy.diff_roots = diff_roots;
    }
    fim.policy.hash = hash;
    if let Some(baseline) = &common.baseline {
        fim.baseline = baseline.clone();
    }
    if let Some(key) = &common.signing_key {
        fim.signing_key = key.clone();
    }
    if let Some(threads) = common.threads.filter(|&t| t > 0) {
        fim.limits.threads = threads;
    }
    Ok(fim)
}

fn execute(ctx: &Globals, cmd: FimCommand) -> Result<u8, FimError> {
    match cmd {
        FimCommand::Init(args) => {
            let fim = setup(ctx, &args.paths, &args.common)?;
            let written = fim.init(now_ms())?;
            print_written("init", &written, args.common.json)?;
            Ok(0)
        }
        FimCommand::Check(args) => check(ctx, &args, false),
        FimCommand::Update(args) => check(ctx, &args, true),
        FimCommand::Accept(args) => {
            let fim = setup(ctx, &args.watch, &args.common)?;
            let written = fim.accept(&args.paths, now_ms())?;
            print_written("accept", &written, args.common.json)?;
            Ok(0)
        }
    }
}

fn check(ctx: &Globals, args: &FimArgs, update: bool) -> Result<u8, FimError> {
    let fim = setup(ctx, &args.paths, &args.common)?;
    let report = fim.check(now_ms(), update)?;
    if args.common.json {
        print_json(&report).map_err(stdout_error)?;
    } else {
        print_report(&report, update).map_err(stdout_error)?;
    }
    Ok(report.exit_code())
}

fn stdout_error(e: impl std::fmt::Display) -> FimError {
    FimError::Io {
        path: "stdout".into(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn print_written(verb: &str, written: &Written, json: bool) -> Result<(), FimError> {
    if json {
        return print_json(written).map_err(stdout_error);
    }
    let mut out = std::io::stdout().lock();
    let result = (|| -> std::io::Result<()> {
        writeln!(
            out,
            "fim {verb}: {} entries in {:.2} s -> {} ({}, digest {})",
            written.entries,
            written.duration_ms as f64 / 1000.0,
            written.baseline.path,
            written.baseline.hash,
            written.baseline.digest
        )?;
        writeln!(out, "signed by Ed25519 key {}", written.baseline.public_key)?;
        if !written.problems.is_empty() {
            writeln!(out, "\nProblems ({}):", written.problems.len())?;
            for p in &written.problems {
                writeln!(out, "  {}: {}", p.path, p.message)?;
            }
        }
        Ok(())
    })();
    result.map_err(stdout_error)
}

fn print_report(report: &Report, update: bool) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let s = &report.summary;
    writeln!(
        out,
        "fim {}: {} entries in {:.2} s against {} ({}, digest {})",
        if update { "update" } else { "check" },
        s.entries,
        report.duration_ms as f64 / 1000.0,
        report.baseline.path,
        report.baseline.hash,
        report.baseline.digest
    )?;
    if s.added + s.removed + s.changed + s.fingerprint_mismatches == 0 {
        writeln!(out, "No differences.")?;
    }
    if !report.added.is_empty() {
        writeln!(out, "\nAdded ({}):", s.added)?;
        for path in &report.added {
            writeln!(out, "  + {path}")?;
        }
    }
    if !report.removed.is_empty() {
        writeln!(out, "\nRemoved ({}):", s.removed)?;
        for path in &report.removed {
            writeln!(out, "  - {path}")?;
        }
    }
    if !report.changed.is_empty() {
        writeln!(out, "\nChanged ({}):", s.changed)?;
        for c in &report.changed {
            writeln!(out, "  ~ {}: {}", c.path, c.changes.join(" "))?;
        }
    }
    if !report.diffs.is_empty() {
        writeln!(out, "\nContent diffs (secrets masked):")?;
        for d in &report.diffs {
            writeln!(out, "  {}:", d.path)?;
            for line in &d.lines {
                writeln!(out, "    {line}")?;
            }
        }
    }
    let mismatches: Vec<_> = report.fingerprints.iter().filter(|f| !f.matches).collect();
    if !mismatches.is_empty() {
        writeln!(
            out,
            "\nClawHub fingerprint mismatches ({}):",
            mismatches.len()
        )?;
        for f in mismatches {
            writeln!(
                out,
                "  ! {}: recorded {}, computed {}",
                f.skill,
                f.expected,
                f.actual
                    .as_deref()
                    .or(f.error.as_deref())
                    .unwrap_or("nothing")
            )?;
        }
    }
    if !report.problems.is_empty() {
        writeln!(out, "\nProblems ({}):", s.problems)?;
        for p in &report.problems {
            writeln!(out, "  {}: {}", p.path, p.message)?;
        }
    }
    if s.truncated {
        writeln!(out, "\n(lists truncated; the counts are exact)")?;
    }
    writeln!(
        out,
        "\nSummary: {} added, {} removed, {} changed, {} problems (exit {})",
        s.added,
        s.removed,
        s.changed,
        s.problems,
        report.exit_code()
    )?;
    if let Some(new) = &report.new_baseline {
        writeln!(out, "New baseline: {} (digest {})", new.path, new.digest)?;
    }
    writeln!(
        out,
        "Report digest {} (previous {})",
        report.report_digest,
        report.previous_report_digest.as_deref().unwrap_or("none")
    )?;
    out.flush()
}

// The exit codes above are the library's; keep them in one place.
const _: () = assert!(exit::TAMPERED == 8 && exit::CHANGED == 4);
