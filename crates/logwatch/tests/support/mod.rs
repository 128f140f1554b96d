//! Test helpers: start sources, collect lines with timeouts, stop and check shutdown is prompt.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use clawguard_logwatch::{
    LogLine, Position, SourceError, SourceId, SourceSpec, SourceStart, StartAt, spawn,
};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub struct Running {
    pub rx: mpsc::Receiver<LogLine>,
    shutdown: watch::Sender<bool>,
    handles: Vec<JoinHandle<Result<(), SourceError>>>,
}

pub fn source(spec: SourceSpec, resume: Vec<Position>, start_at: StartAt) -> SourceStart {
    SourceStart {
        id: SourceId::for_spec(&spec),
        spec,
        resume,
        start_at,
    }
}

pub fn file_spec(path: &Path) -> SourceSpec {
    SourceSpec::File {
        pattern: path.to_path_buf(),
    }
}

pub fn start(sources: Vec<SourceStart>) -> Running {
    let (tx, rx) = mpsc::channel(64);
    let (shutdown, shutdown_rx) = watch::channel(false);
    let handles = spawn(sources, tx, shutdown_rx).expect("valid sources");
    Running {
        rx,
        shutdown,
        handles,
    }
}

impl Running {
    /// Receives exactly `n` lines within `timeout` (panics otherwise).
    pub async fn recv_n(&mut self, n: usize, timeout: Duration) -> Vec<LogLine> {
        let deadline = Instant::now() + timeout;
        let mut lines = Vec::with_capacity(n);
        while lines.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(line)) => lines.push(line),
                Ok(None) => panic!("channel closed after {} of {n} lines", lines.len()),
                Err(_) => panic!(
                    "timeout after {} of {n} lines: {:?}",
                    lines.len(),
                    texts(&lines)
                ),
            }
        }
        lines
    }

    /// Asserts no line arrives within `quiet`.
    pub async fn expect_quiet(&mut self, quiet: Duration) {
        if let Ok(Some(line)) = tokio::time::timeout(quiet, self.rx.recv()).await {
            panic!("unexpected line {:?}", String::from_utf8_lossy(&line.bytes));
        }
    }

    /// Requests shutdown and checks every task ends within 1 s.
    pub async fn stop(self) -> Duration {
        let started = Instant::now();
        let _ = self.shutdown.send(true);
        for handle in self.handles {
            let result = tokio::time::timeout(Duration::from_secs(1), handle)
                .await
                .expect("source task stopped within 1 s")
                .expect("task did not panic");
            result.expect("source ended without error");
        }
        started.elapsed()
    }
}

pub fn texts(lines: &[LogLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| String::from_utf8_lossy(&l.bytes).into_owned())
        .collect()
}

pub fn append(path: &Path, data: &[u8]) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open for append");
    file.write_all(data).expect("append");
}

pub const WAIT: Duration = Duration::from_secs(5);
pub const QUIET: Duration = Duration::from_millis(300);

/// Lets a freshly started source finish its initial scan and set up watches.
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}
