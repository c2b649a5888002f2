//! Pipelines and stages on an in-memory store: the rules refuse bad input and change
//! nothing; deletes move deals with history; a merge's stranded deals are sent on.

use super::*;
use crate::domain::deal::DealStatus;
use crate::domain::stage::DEFAULT_PIPELINE;
use crate::store::test_support::memory_store;
use crate::store::{deals, pipelines};
use crate::usecase::deals as deal_actions;
use crate::usecase::pipelines as pipeline_actions;
use crate::usecase::tests::{add_deal, count};

fn sales(store: &Store) -> Pipeline {
    pipelines::get(store.conn(), DEFAULT_PIPELINE.0).unwrap()
}

fn stage(store: &Store, name: &str, pipeline: Option<&Pipeline>) -> Stage {
    stages::resolve(store.conn(), name, pipeline).unwrap()
}

fn names(store: &Store, pipeline: &Pipeline) -> Vec<String> {
    stages::list_in(store.conn(), &pipeline.id)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect()
}

fn new(name: &str) -> NewStage {
    NewStage {
        name: name.into(),
        probability: None,
        rot_days: None,
        after: None,
    }
}

#[test]
fn a_stage_is_added_where_asked_and_bad_values_save_nothing() {
    let mut store = memory_store();
    let p = sales(&store);
    let demo = NewStage {
        probability: Some(40),
        rot_days: Some(5),
        after: Some("qualified".into()),
        ..new("Demo")
    };
    add(&mut store, &p, &demo).unwrap();
    assert_eq!(
        names(&store, &p),
        ["Lead", "Qualified", "Demo", "Proposal", "Negotiation"]
    );
    let added = stage(&store, "demo", Some(&p));
    assert_eq!((added.probability, added.rot_days), (40, 5));
    let before = count(&store, "SELECT count(*) FROM stages");
    let bad = [
        (
            NewStage {
                probability: Some(150),
                ..new("Pilot")
            },
            "a win probability is a percentage from 0 to 100, not 150",
        ),
        (
            NewStage {
                rot_days: Some(-1),
                ..new("Pilot")
            },
            "rotting days are a number of days from 0 to 36500, not -1",
        ),
        (
            new("PROPOSAL"),
            "the Sales pipeline already has a stage named 'PROPOSAL'",
        ),
        (new("  "), "a stage needs a name"),
    ];
    for (input, message) in bad {
        assert_eq!(
            add(&mut store, &p, &input).unwrap_err().to_string(),
            message
        );
    }
    assert_eq!(count(&store, "SELECT count(*) FROM stages"), before);
}

#[test]
fn a_stage_is_edited_and_reordered_in_one_change() {
    let mut store = memory_store();
    let p = sales(&store);
    let negotiation = stage(&store, "Negotiation", None);
    let patch = StagePatch {
        name: Some("Contract".into()),
        probability: Some(90),
        position: Some(1),
        ..StagePatch::default()
    };
    let undo = edit(&mut store, &negotiation, &patch).unwrap();
    assert_eq!(
        names(&store, &p),
        ["Contract", "Lead", "Qualified", "Proposal"]
    );
    assert_eq!(stage(&store, "contract", None).probability, 90);
    store.undo(&undo).unwrap();
    assert_eq!(
        names(&store, &p),
        ["Lead", "Qualified", "Proposal", "Negotiation"]
    );
    let taken = StagePatch {
        name: Some("lead".into()),
        ..StagePatch::default()
    };
    assert!(edit(&mut store, &negotiation, &taken).is_err());
    let far = StagePatch {
        position: Some(9),
        ..StagePatch::default()
    };
    assert_eq!(
        edit(&mut store, &negotiation, &far)
            .unwrap_err()
            .to_string(),
        "a stage's position is from 1 to 4, not 9"
    );
}

#[test]
fn a_stage_with_deals_is_deleted_only_with_move_to_and_its_deals_get_history() {
    let mut store = memory_store();
    let a = add_deal(&mut store, "ACME renewal", "ACME");
    let b = add_deal(&mut store, "Globex pilot", "Globex");
    deal_actions::win(&mut store, &b.deal_id).unwrap();
    let lead = stage(&store, "Lead", None);
    let qualified = stage(&store, "Qualified", None);
    let before = count(&store, "SELECT count(*) FROM stage_changes");
    let err = delete(&mut store, &lead, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'Lead' holds 1 deal(s); say where they go with --move-to (another stage of Sales)"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM stage_changes"), before);
    let (moved, undo) = delete(&mut store, &lead, Some(&qualified)).unwrap();
    assert_eq!(moved, 1);
    assert_eq!(
        deals::get(store.conn(), &a.deal_id).unwrap().stage_id,
        qualified.id
    );
    let history = deals::history(store.conn(), &a.deal_id).unwrap();
    assert_eq!(history.last().unwrap().to_stage, "Qualified");
    assert_eq!(
        count(&store, "SELECT count(*) FROM stage_changes"),
        before + 1
    );
    // The won deal keeps the stage it closed in, and reopens where its deals went.
    let won = deals::get(store.conn(), &b.deal_id).unwrap();
    assert_eq!(won.stage_id, lead.id);
    deal_actions::reopen(&mut store, &b.deal_id, None).unwrap();
    assert_eq!(
        deals::get(store.conn(), &b.deal_id).unwrap().stage_id,
        qualified.id
    );
    assert!(stages::resolve(store.conn(), "Lead", None).is_err());
    // Undo brings the stage back (the reopen first).
    let undo_reopen = store.undo(&undo);
    assert!(undo_reopen.is_ok());
    assert_eq!(stage(&store, "Lead", None).id, lead.id);
    assert_eq!(
        deals::get(store.conn(), &a.deal_id).unwrap().stage_id,
        lead.id
    );
}

#[test]
fn an_empty_stage_is_deleted_but_not_the_last_one() {
    let mut store = memory_store();
    let (id, _) = pipeline_actions::add(&mut store, "Renewals").unwrap();
    let renewals = pipelines::get(store.conn(), &id).unwrap();
    let all = stages::list_in(store.conn(), &id).unwrap();
    for s in &all[..all.len() - 1] {
        delete(&mut store, s, None).unwrap();
    }
    let last = all.last().unwrap();
    assert_eq!(
        delete(&mut store, last, None).unwrap_err().to_string(),
        "'Negotiation' is the only stage of its pipeline; a pipeline needs at least one stage"
    );
    assert_eq!(names(&store, &renewals), ["Negotiation"]);
    // A stage of another pipeline is no place for a deleted stage's deals.
    let lead = stage(&store, "Lead", Some(&sales(&store)));
    let qualified = stage(&store, "Qualified", None);
    add(&mut store, &renewals, &new("Check")).unwrap();
    let check = stage(&store, "Check", None);
    assert!(delete(&mut store, &check, Some(&qualified)).is_err());
    assert!(delete(&mut store, &lead, None).is_ok());
}

#[test]
fn a_deal_moves_into_another_pipelines_stage() {
    let mut store = memory_store();
    let a = add_deal(&mut store, "ACME renewal", "ACME");
    let (id, _) = pipeline_actions::add(&mut store, "Renewals").unwrap();
    let renewals = pipelines::get(store.conn(), &id).unwrap();
    let target = stage(&store, "Proposal", Some(&renewals));
    deal_actions::move_to_stage(&mut store, &a.deal_id, &target).unwrap();
    let deal = deals::get(store.conn(), &a.deal_id).unwrap();
    assert_eq!(deal.stage_id, target.id);
    assert_eq!(
        stages::list_in(store.conn(), &id)
            .unwrap()
            .iter()
            .filter(|s| s.id == deal.stage_id)
            .count(),
        1
    );
    let history = deals::history(store.conn(), &a.deal_id).unwrap();
    assert_eq!(history.len(), 2);
    // "Proposal" alone now names two stages.
    let err = stages::resolve(store.conn(), "proposal", None).unwrap_err();
    assert!(matches!(err, StoreError::Ambiguous { .. }), "{err}");
}

#[test]
fn a_pipeline_with_deals_is_deleted_only_with_move_to_and_never_the_last() {
    let mut store = memory_store();
    let (id, _) = pipeline_actions::add(&mut store, "Renewals").unwrap();
    let renewals = pipelines::get(store.conn(), &id).unwrap();
    let p = sales(&store);
    let a = add_deal(&mut store, "ACME renewal", "ACME");
    let proposal = stage(&store, "Proposal", Some(&p));
    deal_actions::move_to_stage(&mut store, &a.deal_id, &proposal).unwrap();
    assert!(pipeline_actions::add(&mut store, "renewals").is_err());
    assert_eq!(
        pipeline_actions::delete(&mut store, &p, None)
            .unwrap_err()
            .to_string(),
        "'Sales' holds 1 deal(s); say where they go with --move-to (another pipeline)"
    );
    let (moved, _) = pipeline_actions::delete(&mut store, &p, Some(&renewals)).unwrap();
    assert_eq!(moved, 1);
    let deal = deals::get(store.conn(), &a.deal_id).unwrap();
    // Into the stage of the same name.
    assert_eq!(deal.stage_id, stage(&store, "Proposal", Some(&renewals)).id);
    assert_eq!(deal.status, DealStatus::Open);
    assert_eq!(
        pipeline_actions::delete(&mut store, &renewals, None)
            .unwrap_err()
            .to_string(),
        "'Renewals' is the only pipeline; a book needs at least one"
    );
    let names: Vec<String> = pipelines::list(store.conn())
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Renewals"]);
}

#[test]
fn a_deal_left_in_a_deleted_stage_is_sent_on_once_with_history() {
    let mut store = memory_store();
    let a = add_deal(&mut store, "ACME renewal", "ACME");
    let lead = stage(&store, "Lead", None);
    let proposal = stage(&store, "Proposal", None);
    let qualified = stage(&store, "Qualified", None);
    // Qualified is deleted (its deals to Proposal); the deal then lands in it, as a merge
    // of a teammate's move made before they saw the delete would leave it.
    delete(&mut store, &qualified, Some(&proposal)).unwrap();
    store
        .apply(
            "teammate's move",
            vec![Write::update(Table::Deals, a.deal_id.clone()).set("stage_id", qualified.id)],
        )
        .unwrap();
    // And Proposal too, its deals to Lead: the chain goes on.
    delete(&mut store, &proposal, Some(&lead)).unwrap();
    let before = count(&store, "SELECT count(*) FROM stage_changes");
    assert_eq!(send_on_stranded(&mut store).unwrap(), 1);
    assert_eq!(
        deals::get(store.conn(), &a.deal_id).unwrap().stage_id,
        lead.id
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM stage_changes"),
        before + 1
    );
    assert_eq!(send_on_stranded(&mut store).unwrap(), 0);
    assert_eq!(
        count(&store, "SELECT count(*) FROM stage_changes"),
        before + 1
    );
}

#[test]
fn a_renamed_and_reordered_pipeline_keeps_its_deals() {
    let mut store = memory_store();
    let p = sales(&store);
    let (id, _) = pipeline_actions::add(&mut store, "Renewals").unwrap();
    let renewals = pipelines::get(store.conn(), &id).unwrap();
    pipeline_actions::rename(&mut store, &p, "New business").unwrap();
    assert!(pipeline_actions::rename(&mut store, &renewals, "new BUSINESS").is_err());
    pipeline_actions::reorder(&mut store, &renewals, 1).unwrap();
    let names: Vec<String> = pipelines::list(store.conn())
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Renewals", "New business"]);
}

#[test]
fn a_deal_is_not_added_to_a_stage_deleted_meanwhile() {
    let mut store = memory_store();
    let qualified = stage(&store, "Qualified", None);
    delete(&mut store, &qualified, None).unwrap();
    let before = count(&store, "SELECT count(*) FROM deals");
    let new = crate::store::deals::NewDeal {
        title: "Late".into(),
        customer: crate::store::deals::CustomerRef::Name("ACME".into()),
        stage_id: qualified.id.clone(),
        amount: crate::domain::money::Money::new(100, "EUR".parse().unwrap()),
        expected_close: None,
        source: None,
        notes: None,
        owner_id: None,
    };
    let err = deal_actions::add(&mut store, &new).unwrap_err();
    assert_eq!(err.to_string(), "no stage matches 'stage-qualified'");
    assert_eq!(count(&store, "SELECT count(*) FROM deals"), before);
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
}
