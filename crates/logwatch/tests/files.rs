//! File and OpenClaw sources against real files in temp dirs.

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use clawguard_logwatch::{MAX_LINE_BYTES, Position, SourceSpec, StartAt};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_from_end_and_from_beginning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.log");
    append(&path, b"old 1\nold 2\n");
    let mut end = start(vec![source(file_spec(&path), vec![], StartAt::End)]);
    settle().await;
    append(&path, b"new 1\nnew 2\n");
    let lines = end.recv_n(2, WAIT).await;
    assert_eq!(texts(&lines), ["new 1", "new 2"]);
    match &lines[1].position {
        Position::File {
            offset, path: p, ..
        } => {
            assert_eq!(*offset, 24);
            assert_eq!(p, &path);
        }
        other => panic!("unexpected {other:?}"),
    }
    end.expect_quiet(QUIET).await;
    end.stop().await;

    let mut begin = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    let lines = begin.recv_n(4, WAIT).await;
    assert_eq!(texts(&lines), ["old 1", "old 2", "new 1", "new 2"]);
    begin.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_create_rotation_keeps_late_writes_to_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.log");
    let rotated = dir.path().join("app.log.1");
    append(&path, b"a\n");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["a"]);
    let mut writer = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    writer.write_all(b"b\n").unwrap();
    std::fs::rename(&path, &rotated).unwrap();
    // The writer has not reopened yet: these go to the rotated file.
    writer.write_all(b"c\n").unwrap();
    std::fs::File::create(&path).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    writer.write_all(b"d (late)\n").unwrap();
    drop(writer);
    append(&path, b"e\nf\n");
    let lines = run.recv_n(5, WAIT).await;
    assert_eq!(texts(&lines), ["b", "c", "d (late)", "e", "f"]);
    // Lines from the new file carry its identity and restart at offset 0.
    let Position::File { offset, .. } = &lines[3].position else {
        panic!("file position")
    };
    assert_eq!(*offset, 2);
    append(&rotated, b"after switch\n");
    append(&path, b"g\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["g"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copytruncate_and_truncation_restart_at_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trunc.log");
    append(
        &path,
        b"first line that is long\nsecond line that is long\n",
    );
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    assert_eq!(run.recv_n(2, WAIT).await.len(), 2);
    // copytruncate: copy away, then truncate in place.
    std::fs::copy(&path, dir.path().join("trunc.log.1")).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    append(&path, b"x1\n");
    let lines = run.recv_n(1, WAIT).await;
    assert_eq!(texts(&lines), ["x1"]);
    let Position::File { offset, .. } = &lines[0].position else {
        panic!("file position")
    };
    assert_eq!(*offset, 3);
    // Truncated and immediately rewritten longer than our offset: the head check notices.
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(0).unwrap();
    file.write_all(b"y1 rewritten\ny2\n").unwrap();
    drop(file);
    let lines = run.recv_n(2, WAIT).await;
    assert_eq!(texts(&lines), ["y1 rewritten", "y2"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_and_directories_appearing_later() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/c/late.log");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::End)]);
    settle().await;
    std::fs::create_dir(dir.path().join("a")).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    std::fs::create_dir_all(dir.path().join("a/b/c")).unwrap();
    // Created after start: read from its beginning even with StartAt::End.
    append(&path, b"hello\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["hello"]);
    append(&path, b"again\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["again"]);
    // Deleted, then created again: followed from 0.
    std::fs::remove_file(&path).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    append(&path, b"reborn\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["reborn"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn glob_picks_up_new_matching_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("site1")).unwrap();
    append(&dir.path().join("site1/access.log"), b"s1 old\n");
    let pattern = dir.path().join("*/access.log");
    let mut run = start(vec![source(
        SourceSpec::File { pattern },
        vec![],
        StartAt::End,
    )]);
    settle().await;
    append(&dir.path().join("site1/access.log"), b"s1 new\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["s1 new"]);
    std::fs::create_dir(dir.path().join("site2")).unwrap();
    append(&dir.path().join("site2/access.log"), b"s2 first\n");
    append(&dir.path().join("site2/other.log"), b"not matched\n");
    let lines = run.recv_n(1, WAIT).await;
    assert_eq!(texts(&lines), ["s2 first"]);
    assert_eq!(
        lines[0].position.path(),
        Some(dir.path().join("site2/access.log").as_path())
    );
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_resumes_exactly_including_rotation_while_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("svc.log");
    append(&path, b"1\n2\n3\n");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    let lines = run.recv_n(3, WAIT).await;
    // The daemon processed only the first two lines before stopping.
    let saved = lines[1].position.clone();
    run.stop().await;
    append(&path, b"4\n");

    let mut run = start(vec![source(file_spec(&path), vec![saved], StartAt::End)]);
    let lines = run.recv_n(2, WAIT).await;
    assert_eq!(texts(&lines), ["3", "4"]);
    run.expect_quiet(QUIET).await;
    let saved = lines[1].position.clone();
    run.stop().await;

    // Rotated while stopped; the old file got one more line first.
    append(&path, b"5\n");
    std::fs::rename(&path, dir.path().join("svc.log-20261125")).unwrap();
    append(&path, b"6\n7\n");
    let mut run = start(vec![source(file_spec(&path), vec![saved], StartAt::End)]);
    let lines = run.recv_n(3, WAIT).await;
    assert_eq!(texts(&lines), ["5", "6", "7"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_line_empty_rewritten_file_is_detected() {
    // fail2ban #3365: a first line of "\n" made every file look the same.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty-first.log");
    append(&path, b"\nA\n");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    let lines = run.recv_n(2, WAIT).await;
    assert_eq!(texts(&lines), ["", "A"]);
    let saved = lines[1].position.clone();
    run.stop().await;
    // Rewritten in place (same inode), again starting with an empty line, now longer.
    std::fs::write(&path, b"\nBBBBBB\nC\n").unwrap();
    let mut run = start(vec![source(file_spec(&path), vec![saved], StartAt::End)]);
    assert_eq!(texts(&run.recv_n(3, WAIT).await), ["", "BBBBBB", "C"]);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabyte_line_is_truncated_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    settle().await;
    let mut data = vec![b'x'; 10 * 1024 * 1024];
    data.extend_from_slice(b"\nafter\n");
    append(&path, &data);
    let lines = run.recv_n(2, Duration::from_secs(20)).await;
    assert!(lines[0].truncated);
    assert_eq!(lines[0].bytes.len(), MAX_LINE_BYTES);
    assert!(lines[0].bytes.capacity() <= MAX_LINE_BYTES);
    let Position::File { offset, .. } = &lines[0].position else {
        panic!("file position")
    };
    assert_eq!(*offset, 10 * 1024 * 1024 + 1);
    assert_eq!(texts(&lines[1..]), ["after"]);
    assert!(!lines[1].truncated);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_and_partial_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bytes.log");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    settle().await;
    append(&path, b"\xff\xfe bad \x80\r\n");
    let lines = run.recv_n(1, WAIT).await;
    assert_eq!(lines[0].bytes, b"\xff\xfe bad \x80");
    append(&path, b"partial");
    run.expect_quiet(QUIET).await;
    append(&path, b" done\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["partial done"]);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openclaw_follows_newest_file_per_profile() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("openclaw");
    std::fs::create_dir(&logs).unwrap();
    append(&logs.join("openclaw-2026-01-01.log"), b"{\"day\":1}\n");
    append(&logs.join("openclaw-2026-01-02.log"), b"{\"day\":2}\n");
    append(
        &logs.join("openclaw-work-2026-01-01.log"),
        b"{\"work\":1}\n",
    );
    append(
        &logs.join("openclaw-2026-01-02.1.log"),
        b"{\"rotated\":1}\n",
    );
    let spec = SourceSpec::OpenClaw {
        owners: None,
        dirs: vec![logs.clone(), dir.path().join("openclaw-1000")],
    };
    let mut run = start(vec![source(spec, vec![], StartAt::Beginning)]);
    let mut got = texts(&run.recv_n(2, WAIT).await);
    got.sort();
    assert_eq!(got, ["{\"day\":2}", "{\"work\":1}"]);
    append(&logs.join("openclaw-2026-01-01.log"), b"{\"old\":1}\n");
    run.expect_quiet(QUIET).await;
    // A new day: the new file is read from the start; the old one is finished first.
    append(
        &logs.join("openclaw-2026-01-02.log"),
        b"{\"day\":2,\"late\":1}\n",
    );
    append(&logs.join("openclaw-2026-01-03.log"), b"{\"day\":3}\n");
    let lines = run.recv_n(2, WAIT).await;
    assert_eq!(texts(&lines), ["{\"day\":2,\"late\":1}", "{\"day\":3}"]);
    assert_eq!(
        lines[1].position.path(),
        Some(logs.join("openclaw-2026-01-03.log").as_path())
    );
    // The per-uid directory appears later.
    let uid_dir = dir.path().join("openclaw-1000");
    std::fs::create_dir(&uid_dir).unwrap();
    append(&uid_dir.join("openclaw-2026-01-03.log"), b"{\"uid\":1}\n");
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["{\"uid\":1}"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_specs_are_rejected() {
    let relative = source(
        SourceSpec::File {
            pattern: "var/log/x".into(),
        },
        vec![],
        StartAt::End,
    );
    let (tx, _rx) = tokio::sync::mpsc::channel(1);
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    assert!(clawguard_logwatch::spawn(vec![relative], tx.clone(), stop_rx.clone()).is_err());
    let dup = source(
        file_spec(std::path::Path::new("/x.log")),
        vec![],
        StartAt::End,
    );
    assert!(
        clawguard_logwatch::spawn(vec![dup.clone(), dup], tx.clone(), stop_rx.clone()).is_err()
    );
    let journal = source(
        SourceSpec::Journal {
            matches: vec!["--output=cat".into()],
            directory: None,
            files: vec![],
        },
        vec![],
        StartAt::End,
    );
    assert!(clawguard_logwatch::spawn(vec![journal], tx, stop_rx).is_err());
}

/// Latency from `write(2)` to the line arriving, over 1,000 appends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_latency() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latency.log");
    append(&path, b"");
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::End)]);
    settle().await;
    let mut writer = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    let mut latencies = Vec::with_capacity(1000);
    for i in 0..1000 {
        let sent = Instant::now();
        writer
            .write_all(format!("line {i} from 203.0.113.7\n").as_bytes())
            .unwrap();
        let line = run.recv_n(1, WAIT).await;
        latencies.push(sent.elapsed());
        assert_eq!(
            line[0].bytes,
            format!("line {i} from 203.0.113.7").as_bytes()
        );
    }
    latencies.sort();
    let p50 = latencies[500];
    let p99 = latencies[990];
    let max = latencies[999];
    eprintln!("append latency over 1000 appends: p50 {p50:?} p99 {p99:?} max {max:?}");
    assert!(p99 < Duration::from_millis(500), "p99 {p99:?}");
    let stop = run.stop().await;
    eprintln!("shutdown took {stop:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openclaw_restart_reads_older_day_rest_then_newer_file() {
    let dir = tempfile::tempdir().unwrap();
    let day1 = dir.path().join("openclaw-2026-01-01.log");
    append(&day1, b"{\"n\":1}\n{\"n\":2}\n");
    let spec = SourceSpec::OpenClaw {
        owners: None,
        dirs: vec![dir.path().to_path_buf()],
    };
    let mut run = start(vec![source(spec.clone(), vec![], StartAt::Beginning)]);
    let lines = run.recv_n(2, WAIT).await;
    let saved = lines[0].position.clone();
    run.stop().await;
    // While stopped: one more line on day 1, then day 2 began.
    append(&day1, b"{\"n\":3}\n");
    append(&dir.path().join("openclaw-2026-01-02.log"), b"{\"n\":4}\n");
    // A symlink planted in the directory is never followed.
    std::os::unix::fs::symlink(&day1, dir.path().join("openclaw-2026-01-09.log")).unwrap();
    let mut run = start(vec![source(spec, vec![saved], StartAt::End)]);
    let lines = run.recv_n(3, WAIT).await;
    assert_eq!(texts(&lines), ["{\"n\":2}", "{\"n\":3}", "{\"n\":4}"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn glob_rename_within_pattern_is_not_read_twice() {
    let dir = tempfile::tempdir().unwrap();
    let pattern = dir.path().join("app*.log");
    let current = dir.path().join("app.log");
    append(&current, b"one\n");
    let mut run = start(vec![source(
        SourceSpec::File { pattern },
        vec![],
        StartAt::Beginning,
    )]);
    assert_eq!(texts(&run.recv_n(1, WAIT).await), ["one"]);
    let renamed = dir.path().join("app-1.log");
    std::fs::rename(&current, &renamed).unwrap();
    append(&renamed, b"two\n");
    append(&current, b"three\n");
    let mut got = texts(&run.recv_n(2, WAIT).await);
    got.sort();
    assert_eq!(got, ["three", "two"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_count_bound() {
    let dir = tempfile::tempdir().unwrap();
    let total = clawguard_logwatch::MAX_FILES_PER_SOURCE + 4;
    for i in 0..total {
        append(&dir.path().join(format!("f{i:04}.log")), b"x\n");
    }
    let mut run = start(vec![source(
        SourceSpec::File {
            pattern: dir.path().join("*.log"),
        },
        vec![],
        StartAt::Beginning,
    )]);
    let lines = run
        .recv_n(clawguard_logwatch::MAX_FILES_PER_SOURCE, WAIT)
        .await;
    assert!(lines.iter().all(|l| l.bytes == b"x"));
    run.expect_quiet(QUIET).await;
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backpressure_loses_nothing_and_shutdown_stays_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("burst.log");
    let mut data = Vec::new();
    for i in 0..5000 {
        data.extend_from_slice(format!("burst {i}\n").as_bytes());
    }
    append(&path, &data);
    // Channel of 64: the reader waits for room instead of dropping lines.
    let mut run = start(vec![source(file_spec(&path), vec![], StartAt::Beginning)]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = run.recv_n(5000, Duration::from_secs(20)).await;
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.bytes, format!("burst {i}").as_bytes());
    }
    // Blocked on a full channel, the task still stops within 1 s.
    append(&path, &data);
    tokio::time::sleep(Duration::from_millis(200)).await;
    run.stop().await;
}
