//! Throughput check: run one filter over a log file and count what it found.
//!
//! Usage: `match_bench <filter.json> <log> [--pcre2|--rust] [--no-prefilter] [--print-ips]`
//!
//! `filter.json` holds a FilterDef: `{"name", "prefregex", "failregex": [],
//! "ignoreregex": [], "datepattern", "maxlines"}` (tags like `<HOST>` still in).
//! `--print-ips` prints one address per failure on stdout (like
//! `fail2ban-regex -o ip`) and the summary on stderr.

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clawguard_filter::{EngineChoice, Filter, FilterDef, FilterOptions, LineKind};
use serde_json::Value;

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn load_def(path: &str) -> Result<FilterDef, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    Ok(FilterDef {
        name: v
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("bench")
            .to_string(),
        prefregex: v.get("prefregex").and_then(Value::as_str).map(String::from),
        failregex: strings(&v, "failregex"),
        ignoreregex: strings(&v, "ignoreregex"),
        datepattern: v
            .get("datepattern")
            .and_then(Value::as_str)
            .map(String::from),
        maxlines: v
            .get("maxlines")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(1),
        journalmatch: Vec::new(),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags: Vec<&str> = args
        .iter()
        .filter(|a| a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(def_path), Some(log_path)) = (paths.first(), paths.get(1)) else {
        eprintln!(
            "usage: match_bench <filter.json> <log> [--pcre2|--rust] [--no-prefilter] [--print-ips]"
        );
        return ExitCode::from(2);
    };
    let def = match load_def(def_path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = FilterOptions {
        engine: if flags.contains(&"--pcre2") {
            EngineChoice::Pcre2Only
        } else if flags.contains(&"--rust") {
            EngineChoice::RustPreferred
        } else {
            EngineChoice::Auto
        },
        no_prefilter: flags.contains(&"--no-prefilter"),
        ..Default::default()
    };
    let print_ips = flags.contains(&"--print-ips");
    let mut filter = match Filter::compile_with(&def, opts) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // Read everything first so the timing covers matching only.
    let file = match std::fs::File::open(log_path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{log_path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for l in BufReader::new(file).split(b'\n') {
        match l {
            Ok(l) => lines.push(l),
            Err(e) => {
                eprintln!("{log_path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let (mut matched, mut ignored, mut missed, mut failures) = (0u64, 0u64, 0u64, 0u64);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let start = Instant::now();
    for raw in &lines {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let r = match std::str::from_utf8(raw) {
            Ok(s) => filter.process_line(s, now_ms),
            Err(_) => filter.process_bytes(raw, now_ms),
        };
        match r.kind {
            LineKind::Matched => matched += 1,
            LineKind::Ignored => ignored += 1,
            LineKind::Missed | LineKind::Truncated => missed += 1,
        }
        failures += r.failures.len() as u64;
        if print_ips {
            for f in &r.failures {
                let _ = writeln!(out, "{}", f.addr);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = out.flush();
    let n = lines.len() as f64;
    eprintln!(
        "filter {}: prefilter {}, engines {:?}",
        filter.name(),
        filter.has_prefilter(),
        filter.failregex_engines()
    );
    let summary = format!(
        "lines {} matched {matched} ignored {ignored} missed {missed} failures {failures} \
         limit-hits {} time {secs:.3}s lines/s {:.0}",
        lines.len(),
        filter.engine_limit_hits(),
        n / secs.max(1e-9)
    );
    if print_ips {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    ExitCode::SUCCESS
}
