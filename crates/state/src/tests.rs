use super::*;

fn ban(target: &str, jail: &str, start_ms: i64, end_ms: Option<i64>) -> BanRecord {
    BanRecord {
        target: target.parse().unwrap(),
        jail: jail.into(),
        start_ms,
        end_ms,
        failures: 3,
        ban_count: 1,
        manual: false,
    }
}

#[test]
fn bans_survive_reopen_and_expire_by_time() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut state = State::open(dir.path()).unwrap();
        state
            .record_bans(&[
                ban("203.0.113.7/32", "sshd", 1_000, Some(10_000)),
                ban("2001:db8:1::/64", "sshd", 2_000, None),
                ban("198.51.100.9/32", "web", 3_000, Some(4_000)),
            ])
            .unwrap();
    }
    let state = State::open(dir.path()).unwrap();
    let active = state.active_bans(5_000).unwrap();
    let targets: Vec<String> = active.iter().map(|b| b.target.to_string()).collect();
    assert_eq!(targets, ["203.0.113.7/32", "2001:db8:1::/64"]);
    assert!(active[1].end_ms.is_none());
    assert_eq!(state.active_bans(20_000).unwrap().len(), 1);
}

#[test]
fn lifting_ends_only_open_bans_of_that_target() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    state
        .record_bans(&[
            ban("203.0.113.7/32", "sshd", 0, Some(10_000)),
            ban("203.0.113.7/32", "web", 0, Some(10_000)),
            ban("203.0.113.8/32", "sshd", 0, Some(10_000)),
        ])
        .unwrap();
    let target = "203.0.113.7/32".parse().unwrap();
    assert_eq!(state.lift_ban(&target, Some("sshd"), 5).unwrap(), 1);
    assert_eq!(state.active_bans(6).unwrap().len(), 2);
    assert_eq!(state.lift_ban(&target, None, 7).unwrap(), 1);
    assert_eq!(state.active_bans(8).unwrap().len(), 1);
    assert_eq!(state.lift_ban(&target, None, 9).unwrap(), 0);
}

#[test]
fn history_counts_bans_per_target_and_jail() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    state
        .record_bans(&[
            ban("203.0.113.7/32", "sshd", 100, Some(200)),
            ban("203.0.113.7/32", "sshd", 300, Some(400)),
            ban("203.0.113.7/32", "web", 500, Some(600)),
        ])
        .unwrap();
    let mut history = state.ban_history(0).unwrap();
    history.sort_by(|a, b| a.jail.cmp(&b.jail));
    assert_eq!(history[0].bans, 2);
    assert_eq!(history[0].last_start_ms, 300);
    assert_eq!(history[1].bans, 1);
    assert_eq!(state.ban_history(250).unwrap().len(), 2);
    assert_eq!(state.purge(450).unwrap(), 2);
    assert_eq!(state.ban_history(0).unwrap().len(), 1);
}

#[test]
fn positions_upsert() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    state
        .save_positions(&[("file:/var/log/auth.log".into(), "a".into())], 1)
        .unwrap();
    state
        .save_positions(&[("file:/var/log/auth.log".into(), "b".into())], 2)
        .unwrap();
    let positions = state.positions().unwrap();
    assert_eq!(positions.len(), 1);
    assert_eq!(positions["file:/var/log/auth.log"], "b");
}

#[test]
fn control_queue_is_fifo_and_drained() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    let target: IpNet = "198.51.100.0/24".parse().unwrap();
    state
        .push_control(&ControlRequest::Ban {
            target,
            jail: "manual".into(),
            end_ms: Some(9),
        })
        .unwrap();
    state
        .push_control(&ControlRequest::Unban { target })
        .unwrap();
    let requests = state.take_control().unwrap();
    assert_eq!(requests.len(), 2);
    assert!(matches!(requests[1].request, ControlRequest::Unban { .. }));
    assert!(state.take_control().unwrap().is_empty());
}

#[test]
fn control_requests_report_their_outcome_and_ids_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    let target: IpNet = "203.0.113.7/32".parse().unwrap();
    let first = state
        .push_control(&ControlRequest::Unban { target })
        .unwrap();
    assert_eq!(state.control_status(first).unwrap(), ControlStatus::Queued);
    let taken = state.take_control().unwrap();
    assert_eq!(taken[0].id, first);
    assert_eq!(state.control_status(first).unwrap(), ControlStatus::Taken);
    state.finish_control(first, 42, true, "unbanned").unwrap();
    assert_eq!(
        state.control_status(first).unwrap(),
        ControlStatus::Done {
            done_ms: 42,
            ok: true,
            outcome: "unbanned".into()
        }
    );
    // The queue is empty now; a new request must not take the old id, or
    // its sender would read the old outcome.
    let second = state
        .push_control(&ControlRequest::Unban { target })
        .unwrap();
    assert!(second > first, "{second} after {first}");
    assert_eq!(state.control_status(second).unwrap(), ControlStatus::Queued);
}

#[test]
fn finished_control_outcomes_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    let target: IpNet = "203.0.113.8/32".parse().unwrap();
    let mut ids = Vec::new();
    for _ in 0..MAX_CONTROL_DONE + 5 {
        let id = state
            .push_control(&ControlRequest::Unban { target })
            .unwrap();
        state.take_control().unwrap();
        state.finish_control(id, 1, true, "done").unwrap();
        ids.push(id);
    }
    let kept: i64 = state
        .conn
        .query_row("SELECT count(*) FROM control_done", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, MAX_CONTROL_DONE);
    assert_eq!(state.control_status(ids[0]).unwrap(), ControlStatus::Taken);
    assert!(matches!(
        state.control_status(*ids.last().unwrap()).unwrap(),
        ControlStatus::Done { .. }
    ));
}

#[test]
fn corrupt_rows_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let state = State::open(dir.path()).unwrap();
    state
        .conn
        .execute(
            "INSERT INTO bans(target, jail, start_ms, end_ms, failures, ban_count, manual)
             VALUES ('not-an-ip', 'x', 0, NULL, 1, 1, 0)",
            [],
        )
        .unwrap();
    let err = state.active_bans(0).unwrap_err();
    assert!(err.to_string().contains("not-an-ip"), "{err}");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let state = State::open(dir.path()).unwrap();
        state
            .conn
            .execute("UPDATE meta SET value = '99' WHERE key = 'schema'", [])
            .unwrap();
    }
    let err = State::open(dir.path()).unwrap_err();
    assert!(matches!(err, StateError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn state_dir_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    State::open(&nested).unwrap();
    let mode = std::fs::metadata(&nested).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn ban_ids_grow_in_storing_order_and_purge_keeps_the_newest_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::open(dir.path()).unwrap();
    // A later row may carry an earlier start (a log line's time).
    let first = state
        .record_bans(&[ban("203.0.113.7/32", "sshd", 5_000, Some(9_000))])
        .unwrap();
    let second = state
        .record_bans(&[
            ban("203.0.113.8/32", "sshd", 1_000, Some(9_000)),
            ban("203.0.113.9/32", "sshd", 1_000, Some(9_000)),
        ])
        .unwrap();
    assert!(second > first);
    assert_eq!(state.record_bans(&[]).unwrap(), 0);
    state.save_progress(&[], Some(first), 10).unwrap();
    // Only a lower marker is ignored.
    state.save_progress(&[], Some(first - 1), 11).unwrap();
    let through = state.ban_events_through_id().unwrap().unwrap();
    assert_eq!(through, first);
    let later: Vec<String> = state
        .active_bans_stored_after(2_000, through)
        .unwrap()
        .iter()
        .map(|(_, b)| b.target.to_string())
        .collect();
    assert_eq!(later, ["203.0.113.8/32", "203.0.113.9/32"]);
    // Every row ended: the newest stays, so the next id is still higher.
    assert_eq!(state.purge(20_000).unwrap(), 2);
    let next = state
        .record_bans(&[ban("203.0.113.10/32", "sshd", 30_000, None)])
        .unwrap();
    assert!(next > second);
}
