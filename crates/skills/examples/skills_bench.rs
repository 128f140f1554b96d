//! Throughput of the analysis core, single-threaded:
//! - typical skills/s: every corpus skill (read once into memory) analyzed
//!   over and over for a few seconds;
//! - large text MB/s: a generated Markdown/code document (no payloads) of
//!   `SKILLS_BENCH_MB` megabytes (default 64) through `scan_text`.
//!
//! `cargo run --release -p clawguard-skills --example skills_bench -- CORPUS_DIR`
//! Prints one JSON object.

use std::time::{Duration, Instant};

use clawguard_skills::{Limits, analyze, read_dir_skill, scan_text};

fn main() {
    let corpus = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "crates/skills/tests/corpus".into());
    let limits = Limits::default();
    let mut sources = Vec::new();
    for kind in ["benign", "malicious"] {
        let dir = std::path::Path::new(&corpus).join(kind);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            sources.push(read_dir_skill(&p, &limits).expect("read skill"));
        }
    }
    let bytes_per_skill: usize = sources
        .iter()
        .map(|s| s.files.iter().map(|f| f.bytes.len()).sum::<usize>())
        .sum::<usize>()
        / sources.len();

    // Warm up (lazy regex compilation), then measure.
    for s in &sources {
        std::hint::black_box(analyze(s, &limits));
    }
    // `SKILLS_BENCH_ONLY=skills|markdown|code|prose` runs one part alone
    // (for profiling); by default all run.
    let only = std::env::var("SKILLS_BENCH_ONLY").ok();
    let runs = |part: &str| only.as_deref().is_none_or(|o| o == part);
    let mut n = 0u64;
    let start = Instant::now();
    while runs("skills") && start.elapsed() < Duration::from_secs(3) {
        for s in &sources {
            std::hint::black_box(analyze(s, &limits));
            n += 1;
        }
    }
    let skills_per_s = n as f64 / start.elapsed().as_secs_f64();

    let mb: usize = std::env::var("SKILLS_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let mut fields = vec![
        format!("\"skills\":{}", sources.len()),
        format!("\"avg_skill_bytes\":{bytes_per_skill}"),
        format!("\"skills_per_s\":{skills_per_s:.0}"),
        format!("\"large_mb\":{mb}"),
    ];
    let large: [(&str, &str, Generator); 3] = [
        ("markdown", "big.md", large_text),
        ("code", "big.py", large_code),
        ("prose", "big.md", large_prose),
    ];
    for (part, path, generate) in large {
        if !runs(part) {
            continue;
        }
        let text = generate(mb << 20);
        let start = Instant::now();
        let findings = scan_text(path, &text);
        let mb_per_s = text.len() as f64 / (1 << 20) as f64 / start.elapsed().as_secs_f64();
        fields.push(format!("\"large_{part}_mb_per_s\":{mb_per_s:.1}"));
        fields.push(format!("\"large_{part}_findings\":{}", findings.len()));
    }
    println!("{{{}}}", fields.join(","));
}

/// Makes a large input of about the given size.
type Generator = fn(usize) -> Vec<u8>;

/// Realistic skill documentation: prose, headings, lists, fenced shell and
/// JSON, URLs, a little non-Latin text; repeated with varying numbers.
fn large_text(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 4096);
    let mut i = 0u64;
    while out.len() < size {
        out.extend_from_slice(
            format!(
                "## Section {i}\n\nThis skill summarizes the user's notes and files them by project. It reads \
                 Markdown from the workspace, groups entries by date and writes a short digest. Ask before \
                 changing anything the user wrote; keep summaries under 200 words. 日本語のメモも扱えます。\n\n\
                 - Step {i}.1: list the files with `ls notes/`\n- Step {i}.2: read each file\n- Step {i}.3: \
                 write `digest-{i}.md`\n\n```bash\nrg -n \"TODO\" notes/ | head -n {n}\ncurl -s \
                 \"https://api.example.com/v1/items?page={i}\" -H \"Accept: application/json\" | jq '.items[].id'\n```\n\n\
                 ```json\n{{\"id\": {i}, \"name\": \"item-{i}\", \"tags\": [\"notes\", \"digest\"], \"size\": {n}}}\n```\n\n\
                 See https://docs.example.org/guide/{i} for details.\n\n",
                n = i % 97
            )
            .as_bytes(),
        );
        i += 1;
    }
    out
}

/// Plain prose, as in long reference documents.
fn large_prose(size: usize) -> Vec<u8> {
    let para = "The assistant reads the project's documents, summarizes each chapter and keeps a \
                glossary of the terms it meets. Keep answers short, cite the section you used and \
                prefer the user's own wording. Les résumés restent en français si le document l'est. \
                長い文書は章ごとに要約します。\n\n";
    let mut out = Vec::with_capacity(size + para.len());
    while out.len() < size {
        out.extend_from_slice(para.as_bytes());
    }
    out
}

fn large_code(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 4096);
    let mut i = 0u64;
    while out.len() < size {
        out.extend_from_slice(
            format!(
                "def handler_{i}(event, context):\n    \"\"\"Process one event and return a summary.\"\"\"\n    \
                 items = [x for x in event.get('items', []) if x.get('id') != {i}]\n    total = sum(int(x.get('size', 0)) for x in items)\n    \
                 logger.info('handled %d items (%d bytes)', len(items), total)\n    return {{'count': len(items), 'total': total, 'page': {i}}}\n\n"
            )
            .as_bytes(),
        );
        i += 1;
    }
    out
}
