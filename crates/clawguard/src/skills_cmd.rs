//! `clawguard skills …`: the skill auditor's verbs (scan, approve, policy,
//! rules). Detection lives in `clawguard-skills`; this is wiring and output.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use clawguard_skills::{
    Finding, JsonReport, Limits, Lockfile, Severity, SkillReport, Suppression, Verdict,
};

use crate::context::{Globals, now_ms};
use crate::exit::{self, Failure};
use crate::output::print_json;

/// `skills scan --help` after the options: the exit codes (from `exit`)
/// and what is scanned by default.
fn scan_after_help() -> String {
    format!(
        "{}\n\
With no PATH, scans every installed skill of every user: <workspace>/skills,
<workspace>/.agents/skills, ~/.agents/skills, ~/.openclaw/skills, hooks and
skills.load.extraDirs from openclaw.json, plus [skills] extra_dirs.",
        exit::skills::help_text()
    )
}

const POLICY_AFTER_HELP: &str = "\
Speaks OpenClaw's install-policy protocol (version 1). With no PATH, reads
OpenClaw's request (one JSON object with sourcePath, targetType, …) on
stdin; with a PATH, audits that directory, archive or file instead. Prints
one JSON document on stdout:
  {\"protocolVersion\":1,\"decision\":\"allow|warn|block\",\"reason\":\"…\",
   \"findings\":[{\"ruleId\",\"severity\":\"info|warn|critical\",\"message\",
   \"file\",\"line\",\"evidence\"}]}
A source that cannot be read or a malformed request is answered with
block (fail closed).
Exit codes: 0 an answer was printed (allow, warn or block), 2 bad usage or
invalid configuration (OpenClaw then fails closed).

openclaw.json:
  {\"security\":{\"installPolicy\":{\"enabled\":true,\"exec\":{\"source\":\"exec\",
   \"command\":\"/usr/local/bin/clawguard\",\"args\":[\"skills\",\"policy\"]}}}}";

#[derive(Debug, Subcommand)]
pub enum SkillsCommand {
    /// Audit skills, hooks and plugins (directories, SKILL.md files, .zip/.tar.gz archives).
    #[command(after_help = scan_after_help())]
    Scan(ScanArgs),
    /// Record skills as approved (file hashes and verdict) in the lockfile.
    Approve(ApproveArgs),
    /// OpenClaw `security.installPolicy` hook: audit a staged skill or plugin.
    #[command(after_help = POLICY_AFTER_HELP)]
    Policy(PolicyArgs),
    /// List every rule with its id, default severity and meaning.
    Rules(RulesArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warn,
    Block,
    /// Never fail on verdicts (exit 0 unless a path cannot be read).
    Never,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Skill directories, SKILL.md files or archives [default: every installed skill]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Exit 4 when a skill's verdict is at or above this.
    #[arg(long, value_enum, default_value = "block")]
    pub fail_on: FailOn,
    /// Scan the installed skills and report approved ones whose files changed.
    #[arg(long)]
    pub installed: bool,
    /// Home directories to search for installed skills [default: every user's].
    #[arg(long, value_name = "DIR")]
    pub home: Vec<PathBuf>,
    /// Suppression file (`[[suppress]]` rule/path/reason/expires), added to [skills] suppress.
    #[arg(long, value_name = "FILE")]
    pub suppressions: Option<PathBuf>,
    /// Approval lockfile [default: [skills] lockfile or <state_dir>/skills-lock.json].
    #[arg(long, value_name = "FILE")]
    pub lockfile: Option<PathBuf>,
    /// Also show info findings in text output.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// Skill directories to approve.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Approve even a skill whose verdict is `block`.
    #[arg(long)]
    pub force: bool,
    /// Approval lockfile [default: [skills] lockfile or <state_dir>/skills-lock.json].
    #[arg(long, value_name = "FILE")]
    pub lockfile: Option<PathBuf>,
    /// Suppression file, as for `scan`.
    #[arg(long, value_name = "FILE")]
    pub suppressions: Option<PathBuf>,
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The staged skill or plugin (directory, archive or file) [default: the
    /// `sourcePath` of the OpenClaw request read from stdin].
    pub path: Option<PathBuf>,
    /// Suppression file, as for `scan`.
    #[arg(long, value_name = "FILE")]
    pub suppressions: Option<PathBuf>,
    /// Accepted like every reporting verb's: the answer is always one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Globals, cmd: SkillsCommand) -> Result<u8> {
    match cmd {
        SkillsCommand::Scan(args) => scan(ctx, args),
        SkillsCommand::Approve(args) => approve(ctx, args),
        SkillsCommand::Policy(args) => policy(ctx, args),
        SkillsCommand::Rules(args) => rules(args),
    }
}

fn limits(ctx: &Globals) -> Limits {
    Limits::from_config(&ctx.config.skills)
}

fn lockfile_path(ctx: &Globals, flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| ctx.config.skills.lockfile.clone())
        .unwrap_or_else(|| ctx.state_dir.join("skills-lock.json"))
}

fn suppressions(ctx: &Globals, file: Option<&Path>) -> Result<Vec<Suppression>> {
    let mut list: Vec<Suppression> = ctx
        .config
        .skills
        .suppress
        .iter()
        .map(|s| Suppression {
            rule: s.rule.clone(),
            path: s.path.clone(),
            reason: s.reason.clone(),
            expires_day: s.expires_day(),
        })
        .collect();
    if let Some(path) = file {
        let entries = clawguard_config::SkillsConfig::load_suppression_file(path)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        list.extend(entries.iter().map(|s| Suppression {
            rule: s.rule.clone(),
            path: s.path.clone(),
            reason: s.reason.clone(),
            expires_day: s.expires_day(),
        }));
    }
    Ok(list)
}

/// The installed skill directories for `homes` (every user's when empty),
/// plus `[skills] extra_dirs`.
fn installed_dirs(ctx: &Globals, homes: &[PathBuf]) -> Vec<PathBuf> {
    let homes: Vec<PathBuf> = if homes.is_empty() {
        use clawguard_sys::passwd;
        let passwd = passwd::read(Path::new(passwd::PASSWD_PATH)).unwrap_or_default();
        let mut h = clawguard_skills::user_homes(&passwd);
        if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
            && !h.contains(&home)
        {
            h.push(home);
        }
        h
    } else {
        homes.to_vec()
    };
    let mut roots: Vec<PathBuf> = homes
        .iter()
        .flat_map(|h| clawguard_skills::skill_roots_for_home(h))
        .collect();
    roots.extend(ctx.config.skills.extra_dirs.iter().cloned());
    clawguard_skills::installed_skill_dirs(&roots)
}

fn scan(ctx: &Globals, args: ScanArgs) -> Result<u8> {
    let format = if args.json { Format::Json } else { args.format };
    let limits = limits(ctx);
    let suppress = suppressions(ctx, args.suppressions.as_deref())?;
    let installed = args.installed || args.paths.is_empty();
    let mut targets = args.paths.clone();
    if installed {
        targets.extend(installed_dirs(ctx, &args.home));
    }
    let lock = if installed {
        let path = lockfile_path(ctx, args.lockfile.as_deref());
        Some(Lockfile::load(&path).map_err(|e| Failure::Usage(e.to_string()))?)
    } else {
        None
    };
    let now = now_ms();
    let mut reports = Vec::new();
    let mut errors = 0usize;
    for target in &targets {
        match clawguard_skills::scan_path(target, &limits) {
            Ok(mut report) => {
                if let Some(lock) = &lock
                    && target.is_dir()
                {
                    add_drift(lock, target, &limits, &mut report)?;
                }
                clawguard_skills::apply_suppressions(&mut report, &suppress, now);
                reports.push(report);
            }
            Err(e) => {
                errors += 1;
                eprintln!("clawguard: skills scan: {e}");
            }
        }
    }
    match format {
        Format::Json => print_json(&JsonReport::new(&reports))?,
        Format::Sarif => print_json(&clawguard_skills::sarif(
            &reports,
            env!("CARGO_PKG_VERSION"),
        ))?,
        Format::Text => print_text(&reports, args.verbose, installed && targets.is_empty())?,
    }
    if errors > 0 {
        return Ok(exit::skills::PATH_UNREADABLE);
    }
    let threshold = match args.fail_on {
        FailOn::Warn => Some(Verdict::Warn),
        FailOn::Block => Some(Verdict::Block),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| reports.iter().any(|r| r.verdict >= t));
    Ok(if failed { exit::skills::FAIL_ON } else { 0 })
}

/// An approved skill whose files changed gets a `lockfile.changed` finding
/// (it is re-audited by the scan that carries it).
fn add_drift(lock: &Lockfile, dir: &Path, limits: &Limits, report: &mut SkillReport) -> Result<()> {
    let drift = clawguard_skills::still_approved(lock, dir, limits)
        .with_context(|| format!("re-reading {}", dir.display()))?;
    if let Some(drift) = drift
        && !drift.is_empty()
    {
        report.findings.push(Finding {
            rule: "lockfile.changed".into(),
            severity: Severity::High,
            file: String::new(),
            line: 0,
            message: format!(
                "approved skill changed since approval ({}); re-audited here, approve again once reviewed",
                drift.summary()
            ),
            evidence: String::new(),
            suppressed: None,
        });
        report.refresh_verdict();
    }
    Ok(())
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

fn print_text(reports: &[SkillReport], verbose: bool, nothing_installed: bool) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if nothing_installed {
        writeln!(out, "no installed skills found")?;
    }
    let mut counts = [0usize; 3];
    for r in reports {
        counts[r.verdict as usize] += 1;
        let shown: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| verbose || f.severity > Severity::Info)
            .collect();
        writeln!(
            out,
            "{:<5}  {}  {}  ({} findings)",
            r.verdict.as_str().to_uppercase(),
            r.name,
            r.path,
            shown.len()
        )?;
        for f in shown {
            let place = match (f.file.is_empty(), f.line) {
                (true, _) => "-".to_string(),
                (false, 0) => f.file.clone(),
                (false, n) => format!("{}:{n}", f.file),
            };
            let suppressed = f
                .suppressed
                .as_ref()
                .map(|r| format!(" [suppressed: {r}]"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:<8}  {}  {}  {}{}",
                severity_word(f.severity),
                f.rule,
                place,
                f.message,
                suppressed
            )?;
            if !f.evidence.is_empty() {
                writeln!(out, "            | {}", f.evidence)?;
            }
        }
    }
    writeln!(
        out,
        "{} skills: {} allow, {} warn, {} block",
        reports.len(),
        counts[0],
        counts[1],
        counts[2]
    )?;
    out.flush()?;
    Ok(())
}

fn approve(ctx: &Globals, args: ApproveArgs) -> Result<u8> {
    let limits = limits(ctx);
    let suppress = suppressions(ctx, args.suppressions.as_deref())?;
    let path = lockfile_path(ctx, args.lockfile.as_deref());
    let mut lock = Lockfile::load(&path).map_err(|e| Failure::Usage(e.to_string()))?;
    let now = now_ms();
    #[derive(serde::Serialize)]
    struct Approved {
        path: String,
        name: String,
        verdict: Verdict,
        approved: bool,
        files: usize,
    }
    let mut results = Vec::new();
    let mut refused = false;
    for dir in &args.paths {
        if !dir.is_dir() {
            return Err(Failure::Usage(format!(
                "{}: approve takes installed skill directories",
                dir.display()
            ))
            .into());
        }
        let source = clawguard_skills::read_dir_skill(dir, &limits)?;
        let mut report = clawguard_skills::analyze(&source, &limits);
        clawguard_skills::apply_suppressions(&mut report, &suppress, now);
        let ok = report.verdict != Verdict::Block || args.force;
        if ok {
            let key = clawguard_skills::lock_key(dir);
            lock.approve(&key, &report.name, &source, report.verdict, now);
        } else {
            refused = true;
            eprintln!(
                "clawguard: {}: verdict is block; not approved (review it, suppress the findings, or use --force)",
                dir.display()
            );
        }
        results.push(Approved {
            path: clawguard_skills::lock_key(dir),
            name: report.name,
            verdict: report.verdict,
            approved: ok,
            files: source.files.len(),
        });
    }
    lock.save(&path)?;
    if args.json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            lockfile: String,
            skills: &'a [Approved],
        }
        print_json(&Doc {
            lockfile: path.display().to_string(),
            skills: &results,
        })?;
    } else {
        for r in &results {
            println!(
                "{}  {}  {} ({} files, verdict {})",
                if r.approved { "approved" } else { "REFUSED " },
                r.name,
                r.path,
                r.files,
                r.verdict.as_str()
            );
        }
        println!("lockfile: {}", path.display());
    }
    Ok(if refused { exit::skills::FAIL_ON } else { 0 })
}

/// OpenClaw caps its request at 256 KiB; anything past this is not a request.
const MAX_POLICY_REQUEST_BYTES: u64 = 1 << 20;
/// OpenClaw keeps 100 findings and fails closed on a `warn` with more.
const MAX_POLICY_FINDINGS: usize = 100;
/// OpenClaw cuts a reason at 1000 characters.
const MAX_POLICY_REASON_CHARS: usize = 1000;

/// What OpenClaw asks: the parts of its install-policy request we use.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PolicyRequest {
    protocol_version: Option<serde_json::Value>,
    source_path: Option<String>,
    target_type: Option<String>,
    target_name: Option<String>,
}

/// One answer of OpenClaw's install-policy protocol, version 1.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyAnswer {
    protocol_version: u8,
    decision: &'static str,
    reason: String,
    findings: Vec<PolicyFinding>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyFinding {
    rule_id: String,
    /// OpenClaw's three levels: high and critical block, so both are `critical`.
    severity: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<String>,
}

fn policy(ctx: &Globals, args: PolicyArgs) -> Result<u8> {
    let limits = limits(ctx);
    let suppress = suppressions(ctx, args.suppressions.as_deref())?;
    let target = match &args.path {
        Some(path) => Ok((path.clone(), None)),
        None => {
            use std::io::IsTerminal;
            if std::io::stdin().is_terminal() {
                return Err(Failure::Usage(
                    "skills policy: give a PATH, or pipe OpenClaw's request on stdin".into(),
                )
                .into());
            }
            read_policy_request(std::io::stdin().lock()).map(|r| {
                (
                    PathBuf::from(r.source_path.unwrap_or_default()),
                    r.target_name,
                )
            })
        }
    };
    let answer = match target {
        Ok((path, target_name)) => match clawguard_skills::scan_path(&path, &limits) {
            Ok(mut report) => {
                clawguard_skills::apply_suppressions(&mut report, &suppress, now_ms());
                policy_answer(&report, target_name.as_deref())
            }
            Err(e) => fail_closed(format!("clawguard could not audit the source: {e}")),
        },
        Err(why) => fail_closed(format!("clawguard refused the request: {why}")),
    };
    eprintln!("{}: {}", answer.decision, answer.reason);
    print_json(&answer)?;
    Ok(0)
}

/// Reads and checks OpenClaw's request; an error is the reason to block.
fn read_policy_request(input: impl std::io::Read) -> Result<PolicyRequest, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    input
        .take(MAX_POLICY_REQUEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("could not read the request on stdin: {e}"))?;
    if bytes.len() as u64 > MAX_POLICY_REQUEST_BYTES {
        return Err(format!(
            "request on stdin is larger than {MAX_POLICY_REQUEST_BYTES} bytes"
        ));
    }
    let request: PolicyRequest = serde_json::from_slice(&bytes)
        .map_err(|e| format!("request on stdin is not an install-policy request: {e}"))?;
    match &request.protocol_version {
        None => return Err("request has no protocolVersion".into()),
        Some(v) if v.as_u64() != Some(1) => {
            return Err(format!(
                "unsupported protocolVersion {v} (clawguard speaks 1)"
            ));
        }
        Some(_) => {}
    }
    match request.source_path.as_deref() {
        None | Some("") => Err("request has no sourcePath".into()),
        Some(p) if !Path::new(p).is_absolute() => {
            Err(format!("request sourcePath {p:?} is not absolute"))
        }
        // Without a target type the request is not one OpenClaw sends.
        Some(_) => match request.target_type.as_deref() {
            Some("skill" | "plugin") => Ok(request),
            None => Err("request has no targetType".into()),
            Some(t) => Err(format!("unknown targetType {t:?}")),
        },
    }
}

fn fail_closed(reason: String) -> PolicyAnswer {
    PolicyAnswer {
        protocol_version: 1,
        decision: Verdict::Block.as_str(),
        reason: truncate_chars(reason, MAX_POLICY_REASON_CHARS),
        findings: Vec::new(),
    }
}

/// The answer for an audited skill. Deterministic for the same files (no
/// clock, sorted findings): OpenClaw fingerprints a `warn` to match the
/// operator's acknowledgement when it asks again.
fn policy_answer(report: &SkillReport, target_name: Option<&str>) -> PolicyAnswer {
    let mut shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none() && f.severity >= Severity::Low)
        .collect();
    shown.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)))
    });
    let name = target_name.unwrap_or(&report.name);
    let deciding: Vec<&&Finding> = shown
        .iter()
        .filter(|f| f.severity >= Severity::Medium)
        .collect();
    let reason = match deciding.first() {
        None => format!("clawguard found nothing at medium or above in {name}"),
        Some(worst) => {
            let mut reason = format!(
                "clawguard: {} in {name}; worst: {} ({}) at {}:{}: {}",
                plural(deciding.len(), "finding"),
                worst.rule,
                severity_word(worst.severity),
                worst.file,
                worst.line,
                worst.message
            );
            let others: Vec<&str> = deciding
                .iter()
                .map(|f| f.rule.as_str())
                .filter(|rule| *rule != worst.rule)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if !others.is_empty() {
                reason.push_str(&format!("; also {}", others.join(", ")));
            }
            reason
        }
    };
    let findings = shown
        .iter()
        .take(MAX_POLICY_FINDINGS)
        .map(|f| PolicyFinding {
            rule_id: f.rule.clone(),
            severity: match f.severity {
                Severity::High | Severity::Critical => "critical",
                Severity::Medium => "warn",
                _ => "info",
            },
            message: if f.message.trim().is_empty() {
                f.rule.clone()
            } else {
                f.message.clone()
            },
            file: (!f.file.trim().is_empty()).then(|| f.file.clone()),
            line: (f.line > 0).then_some(f.line),
            evidence: (!f.evidence.trim().is_empty()).then(|| f.evidence.clone()),
        })
        .collect();
    // A partial scan never answers allow, whatever was suppressed.
    let partial = report
        .findings
        .iter()
        .find(|f| clawguard_skills::is_partial_scan(f));
    let (decision, reason) = match partial {
        Some(f) if report.verdict == Verdict::Allow => (
            Verdict::Warn,
            format!(
                "clawguard scanned {name} only partially ({} at {}: {}); not allowed unreviewed",
                f.rule,
                if f.file.is_empty() { "-" } else { &f.file },
                f.message
            ),
        ),
        _ => (report.verdict, reason),
    };
    PolicyAnswer {
        protocol_version: 1,
        decision: decision.as_str(),
        reason: truncate_chars(reason, MAX_POLICY_REASON_CHARS),
        findings,
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn truncate_chars(mut s: String, max: usize) -> String {
    if let Some((at, _)) = s.char_indices().nth(max) {
        s.truncate(at);
    }
    s
}

fn rules(args: RulesArgs) -> Result<u8> {
    let catalog = clawguard_skills::rule_catalog();
    if args.json {
        #[derive(serde::Serialize)]
        struct Rule {
            id: &'static str,
            severity: Severity,
            description: &'static str,
        }
        let rules: Vec<Rule> = catalog
            .into_iter()
            .map(|(id, severity, description)| Rule {
                id,
                severity,
                description,
            })
            .collect();
        #[derive(serde::Serialize)]
        struct Doc {
            rules: Vec<Rule>,
        }
        print_json(&Doc { rules })?;
    } else {
        for (id, sev, text) in catalog {
            println!("{id:<44} {:<8} {text}", severity_word(sev));
        }
    }
    Ok(0)
}
