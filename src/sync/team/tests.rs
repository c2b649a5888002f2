use super::*;

#[test]
fn conflict_copies_are_recognised_by_both_naming_schemes() {
    for name in [
        "team (Jane's conflicted copy 2026-11-25).salesdesk",
        "team (conflicted copy 2026-11-25 101010).salesdesk",
        "team.sync-conflict-20261125-101010-ABCDEFG.salesdesk",
    ] {
        assert!(is_conflict_copy("team", name), "{name}");
    }
    for name in [
        "team.salesdesk",
        "team (backup).salesdesk",
        "other (Jane's conflicted copy 2026-11-25).salesdesk",
        "team.sync-conflict-20261125-101010-ABCDEFG.db",
        ".team.salesdesk.abc123.tmp",
        "teammates.sync-conflict-1.salesdesk",
    ] {
        assert!(!is_conflict_copy("team", name), "{name}");
    }
}

#[test]
fn team_files_must_be_named_salesdesk() {
    assert!(matches!(
        team_path(Path::new("team.db")),
        Err(SyncError::BadName(_))
    ));
    assert!(matches!(
        team_path(Path::new(".salesdesk")),
        Err(SyncError::BadName(_))
    ));
    assert!(
        team_path(Path::new("x/team.salesdesk"))
            .unwrap()
            .is_absolute()
    );
}

#[test]
fn temp_files_are_hidden_beside_the_team_file() {
    let temp = temp_path(Path::new("/shared/team.salesdesk"));
    let name = file_name(&temp);
    assert!(name.starts_with(".team.salesdesk.") && name.ends_with(".tmp"));
    assert_eq!(temp.parent(), Some(Path::new("/shared")));
}
