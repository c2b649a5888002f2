use super::*;

fn pipeline(id: &str, name: &str) -> Pipeline {
    Pipeline {
        id: id.into(),
        name: name.into(),
        position: 0,
    }
}

fn stage(id: &str, name: &str, position: i64, pipeline_id: &str) -> Stage {
    Stage {
        id: id.into(),
        name: name.into(),
        position,
        probability: 10,
        rot_days: 14,
        pipeline_id: pipeline_id.into(),
    }
}

fn sales() -> (Pipeline, Vec<Stage>) {
    let p = pipeline("p1", "Sales");
    let stages = vec![
        stage("lead", "Lead", 0, "p1"),
        stage("proposal", "Proposal", 1, "p1"),
        stage("won-soon", "Negotiation", 2, "p1"),
    ];
    (p, stages)
}

#[test]
fn probability_is_a_percentage() {
    assert_eq!(check_probability(0), Ok(0));
    assert_eq!(check_probability(100), Ok(100));
    assert_eq!(check_probability(150), Err(SetupError::Probability(150)));
    assert_eq!(check_probability(-1), Err(SetupError::Probability(-1)));
    assert_eq!(
        SetupError::Probability(150).to_string(),
        "a win probability is a percentage from 0 to 100, not 150"
    );
}

#[test]
fn rot_days_are_days_up_to_a_century() {
    assert_eq!(check_rot_days(0), Ok(0));
    assert_eq!(check_rot_days(MAX_ROT_DAYS), Ok(MAX_ROT_DAYS));
    assert!(check_rot_days(-3).is_err());
    assert!(check_rot_days(MAX_ROT_DAYS + 1).is_err());
}

#[test]
fn names_are_trimmed_and_required() {
    assert_eq!(check_name("stage", "  Demo "), Ok("Demo".into()));
    assert_eq!(
        check_name("stage", "  ").unwrap_err().to_string(),
        "a stage needs a name"
    );
}

#[test]
fn a_stage_name_is_unique_in_its_pipeline_only() {
    let (p, mut stages) = sales();
    stages.push(stage("r-lead", "Lead", 0, "p2"));
    assert_eq!(
        check_unique_stage(&p, &stages, "lead", None)
            .unwrap_err()
            .to_string(),
        "the Sales pipeline already has a stage named 'lead'"
    );
    // Renaming a stage to its own name in another case is no clash.
    assert!(check_unique_stage(&p, &stages, "LEAD", Some("lead")).is_ok());
    let renewals = pipeline("p2", "Renewals");
    assert!(check_unique_stage(&renewals, &stages, "Proposal", None).is_ok());
    let pipelines = [p, renewals];
    assert!(check_unique_pipeline(&pipelines, "renewals", None).is_err());
    assert!(check_unique_pipeline(&pipelines, "renewals", Some("p2")).is_ok());
}

#[test]
fn a_stage_with_deals_is_deleted_only_with_a_target() {
    let (p, stages) = sales();
    let err = delete_target(&p, &stages, &stages[1], 3, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'Proposal' holds 3 deal(s); say where they go with --move-to (another stage of Sales)"
    );
    let to = delete_target(&p, &stages, &stages[1], 3, Some(&stages[2])).unwrap();
    assert_eq!(to.id, "won-soon");
    assert_eq!(
        delete_target(&p, &stages, &stages[1], 3, Some(&stages[1])),
        Err(SetupError::MoveToItself("Proposal".into()))
    );
    let elsewhere = stage("r-lead", "Lead", 0, "p2");
    assert!(matches!(
        delete_target(&p, &stages, &stages[1], 3, Some(&elsewhere)),
        Err(SetupError::MoveToOtherPipeline { .. })
    ));
}

#[test]
fn an_empty_stage_forwards_to_its_neighbour_and_the_last_one_stays() {
    let (p, stages) = sales();
    assert_eq!(
        delete_target(&p, &stages, &stages[1], 0, None).unwrap().id,
        "lead"
    );
    assert_eq!(
        delete_target(&p, &stages, &stages[0], 0, None).unwrap().id,
        "proposal"
    );
    let only = vec![stages[0].clone()];
    assert_eq!(
        delete_target(&p, &only, &only[0], 0, None),
        Err(SetupError::LastStage("Lead".into()))
    );
}

#[test]
fn a_deleted_pipelines_stages_go_to_the_same_name_or_the_first() {
    let (_, stages) = sales();
    let target = vec![
        stage("r-new", "New", 0, "p2"),
        stage("r-proposal", "proposal", 1, "p2"),
    ];
    let map = pipeline_delete_targets(&stages, &target);
    let ids: Vec<(&str, &str)> = map
        .iter()
        .map(|(from, to)| (from.as_str(), to.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("lead", "r-new"),
            ("proposal", "r-proposal"),
            ("won-soon", "r-new")
        ]
    );
}

#[test]
fn reordering_renumbers_only_what_moves() {
    let (_, stages) = sales();
    assert_eq!(
        reorder(&stages, "won-soon", 1).unwrap(),
        [
            ("won-soon".to_string(), 0),
            ("lead".to_string(), 1),
            ("proposal".to_string(), 2)
        ]
    );
    assert_eq!(reorder(&stages, "lead", 1).unwrap(), []);
    assert_eq!(
        reorder(&stages, "lead", 4).unwrap_err().to_string(),
        "a stage's position is from 1 to 3, not 4"
    );
    assert!(reorder(&stages, "lead", 0).is_err());
}

fn links(entries: &[(&str, bool, Option<&str>)]) -> HashMap<String, StageLink> {
    entries
        .iter()
        .map(|(id, deleted, to)| {
            (
                id.to_string(),
                StageLink {
                    deleted: *deleted,
                    moved_to: to.map(str::to_string),
                },
            )
        })
        .collect()
}

#[test]
fn forwarding_follows_chains_to_a_live_stage() {
    let l = links(&[
        ("a", false, None),
        ("b", true, Some("c")),
        ("c", true, Some("d")),
        ("d", false, None),
    ]);
    assert_eq!(forward(&l, "a", "a"), None);
    assert_eq!(forward(&l, "b", "a").as_deref(), Some("d"));
}

#[test]
fn forwarding_that_ends_nowhere_goes_to_the_fallback() {
    // Two teammates each deleted the stage the other sent deals to.
    let l = links(&[
        ("first", false, None),
        ("x", true, Some("y")),
        ("y", true, Some("x")),
        ("lost", true, None),
        ("dangling", true, Some("unknown")),
    ]);
    for from in ["x", "y", "lost", "dangling", "never-seen"] {
        assert_eq!(
            forward(&l, from, "first").as_deref(),
            Some("first"),
            "{from}"
        );
    }
}
