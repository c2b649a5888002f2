use super::*;
use crate::domain::stage::DEFAULT_STAGES;
use crate::interop::map::{Format, MapFile};

fn stages() -> Vec<Stage> {
    DEFAULT_STAGES
        .iter()
        .enumerate()
        .map(|(i, (id, name, p, rot))| Stage {
            id: id.to_string(),
            name: name.to_string(),
            position: i as i64,
            probability: *p,
            rot_days: *rot,
            pipeline_id: crate::domain::stage::DEFAULT_PIPELINE.0.into(),
        })
        .collect()
}

fn zone() -> Zone {
    Zone::Named(chrono_tz::Europe::Berlin)
}

/// Parses one data row of a CSV text (header first) with an optional map.
fn pipelines() -> Vec<Pipeline> {
    vec![Pipeline {
        id: crate::domain::stage::DEFAULT_PIPELINE.0.into(),
        name: crate::domain::stage::DEFAULT_PIPELINE.1.into(),
        position: 0,
    }]
}

fn one(entity: Entity, map: Option<&str>, csv: &str) -> Result<Record, String> {
    one_in(entity, map, csv, &stages(), &pipelines())
}

/// [`one`] in a book of `stages` and `pipelines`.
fn one_in(
    entity: Entity,
    map: Option<&str>,
    csv: &str,
    stages: &[Stage],
    pipelines: &[Pipeline],
) -> Result<Record, String> {
    let table = crate::interop::source::from_bytes(csv.as_bytes().to_vec(), None)
        .map_err(|e| e.to_string())?;
    let headers = table.headers.clone();
    let map = map.map(|m| MapFile::parse(m).unwrap());
    let mapping = Mapping::new(entity, Format::Auto, map.as_ref(), &headers)?;
    let row = table
        .into_iter()
        .next()
        .unwrap()
        .map_err(|e| e.to_string())?;
    let eur = Currency::eur();
    let cx = Context {
        stages,
        pipelines,
        zone: zone(),
        currency: &eur,
        now: 1_000,
        fields: &[],
    };
    parse(&mapping, &headers, &row, &cx).map_err(|e| e.to_string())
}

fn deal(map: Option<&str>, csv: &str) -> Result<DealRecord, String> {
    match one(Entity::Deals, map, csv)? {
        Record::Deal(d) => Ok(d),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_pipedrive_row_keeps_its_history() {
    let d = deal(
        None,
        "Deal - Title,Deal - Value,Deal - Currency of value,Organization,Deal - Stage,Deal - Status,Deal - Deal created,Deal - Won time,Deal - Lost reason\n\
         ACME renewal,\"12,500.50\",USD,ACME,Proposal,won,2026-01-05 09:00:00,2026-03-01 17:30:00,\n",
    )
    .unwrap();
    assert_eq!(d.title, "ACME renewal");
    assert_eq!(
        d.amount,
        Money::parse("12500.50 USD", &Currency::eur()).unwrap()
    );
    assert_eq!(
        (d.stage_id.as_str(), d.status),
        ("stage-proposal", DealStatus::Won)
    );
    assert_eq!(
        d.created_at,
        zone()
            .to_utc(
                NaiveDate::from_ymd_opt(2026, 1, 5)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap()
            )
            .unwrap()
    );
    assert!(d.closed_at.unwrap() > d.created_at);
    assert!(!d.closed_at_creation);
    assert_eq!(d.lost_reason, None);
}

#[test]
fn empty_cells_mean_not_given() {
    let d = deal(None, "Title,Customer,Amount,Stage,Close date\nA,B,,,\n").unwrap();
    assert_eq!(d.amount, Money::zero(Currency::eur()));
    assert_eq!(
        (d.stage_id.as_str(), d.status),
        ("stage-lead", DealStatus::Open)
    );
    assert_eq!(
        (d.expected_close, d.created_at, d.closed_at),
        (None, 1_000, None)
    );
    let d = deal(None, "Title,Customer,Stage\nA,B,lost\n").unwrap();
    assert_eq!(
        (d.status, d.closed_at, d.closed_at_creation),
        (DealStatus::Lost, Some(1_000), true)
    );
}

#[test]
fn a_salesforce_row_reads_us_dates_and_closed_stages() {
    let d = deal(
        None,
        "Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,Probability (%)\n\
         Big deal,Globex,Closed Lost,1000,3/15/2026,1/2/2026,0\n",
    )
    .unwrap();
    assert_eq!(d.status, DealStatus::Lost);
    assert!(d.closed_at.unwrap() > d.created_at);
}

#[test]
fn bad_cells_name_their_line_and_column() {
    let cases = [
        (
            "Title,Customer,Amount\nA,B,12.5x\n",
            "line 2, column 'Amount': ",
        ),
        (
            "Title,Customer,Close date\nA,B,30/11/2026\n",
            "line 2, column 'Close date': '30/11/2026' is not an ISO date",
        ),
        (
            "Title,Customer,Stage\nA,B,Negotiating\n",
            "line 2, column 'Stage': stage 'Negotiating' has no mapping",
        ),
        (
            "Title,Customer\n,B\n",
            "line 2, column 'Title': the title is empty",
        ),
        (
            "Title,Customer\nA,\n",
            "line 2, column 'Customer': no customer",
        ),
        (
            "Title,Customer,Amount,Currency\nA,B,5 USD,EUR\n",
            "line 2, column 'Amount': '5 USD' is in USD but the currency column says EUR",
        ),
        (
            "Title,Customer,Amount\nA,B,-5\n",
            "line 2, column 'Amount': amount '-5' is negative",
        ),
        (
            "Title,Customer,Status\nA,B,maybe\n",
            "line 2, column 'Status': status 'maybe' is not open, won or lost",
        ),
    ];
    for (csv, expected) in cases {
        let err = deal(None, csv).unwrap_err();
        assert!(err.starts_with(expected), "{csv:?}: {err}");
    }
    let map = "[columns]\ntitle = \"T\"\ncustomer = \"C\"\nclosed = \"D\"\n[defaults]\ndate_format = \"%d.%m.%Y\"\n";
    let d = deal(Some(map), "T,C,D,Status\nA,B,01.02.2026,won\n").unwrap();
    assert!(d.closed_at.is_some());
    let err = deal(Some(map), "T,C,D,Status\nA,B,2026-02-01,won\n").unwrap_err();
    assert!(
        err.contains("not a date in the map's date_format '%d.%m.%Y'"),
        "{err}"
    );
}

#[test]
fn contacts_and_customers_parse_their_fields() {
    let Record::Contact(c) = one(
        Entity::Contacts,
        None,
        "First Name,Last Name,Email,Phone Number,Job Title,Associated Company\nLi,Wei,li@acme.cn,+86 10 1234 5678,CTO,ACME\n",
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!((c.name.as_str(), c.customer.as_str()), ("Li Wei", "ACME"));
    assert_eq!(c.email.as_deref(), Some("li@acme.cn"));
    let err = one(
        Entity::Contacts,
        None,
        "Name,Company,Email\nLi,ACME,not-an-email\n",
    )
    .unwrap_err();
    assert!(err.starts_with("line 2, column 'Email'"), "{err}");

    let Record::Customer(c) = one(
        Entity::Customers,
        None,
        "Name,Tier,Status,Satisfaction\nACME,Key,At risk,4\n",
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(
        (c.tier, c.status, c.satisfaction),
        (Some(Tier::Key), Some(CustomerStatus::AtRisk), Some(4))
    );
    let err = one(Entity::Customers, None, "Name,Satisfaction\nACME,9\n").unwrap_err();
    assert!(err.starts_with("line 2, column 'Satisfaction'"), "{err}");
}

/// A Berlin wall-clock time as the tests' zone reads it.
fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> Millis {
    zone()
        .to_utc(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .unwrap()
}

#[test]
fn a_stage_history_cell_gives_each_step_in_time_order() {
    // An export's lines, out of order, one with an RFC 3339 time, one with spaces around.
    let csv = "Title,Customer,Stage,Status,Stage history\n\
               A,B,Proposal,won,\"2026-02-01 10:00:00 open Qualified\n  2026-01-05 09:00:00 open lead  \n\n\
               2026-03-01T16:30:00Z won Proposal\n2026-02-15 08:00 open Proposal\"\n";
    let d = deal(None, csv).unwrap();
    let steps: Vec<(Millis, &str, DealStatus)> = d
        .history
        .iter()
        .map(|h| (h.at, h.stage_id.as_str(), h.status))
        .collect();
    assert_eq!(
        steps,
        [
            (berlin(2026, 1, 5, 9, 0), "stage-lead", DealStatus::Open),
            (
                berlin(2026, 2, 1, 10, 0),
                "stage-qualified",
                DealStatus::Open
            ),
            (
                berlin(2026, 2, 15, 8, 0),
                "stage-proposal",
                DealStatus::Open
            ),
            (
                berlin(2026, 3, 1, 17, 30),
                "stage-proposal",
                DealStatus::Won
            ),
        ]
    );
    // No column, or an empty cell: no history (the importer makes one).
    assert!(
        deal(None, "Title,Customer\nA,B\n")
            .unwrap()
            .history
            .is_empty()
    );
    let d = deal(None, "Title,Customer,Stage history\nA,B,\n").unwrap();
    assert!(d.history.is_empty());
    // The map's stage names apply to the history as to the stage cell.
    let map = "[stages]\n\"Phase 1\" = \"Lead\"\n";
    let d = deal(
        Some(map),
        "Title,Customer,Stage history\nA,B,2026-01-05 09:00 open Phase 1\n",
    )
    .unwrap();
    assert_eq!(d.history[0].stage_id, "stage-lead");
}

#[test]
fn a_bad_stage_history_line_is_named() {
    let cases = [
        (
            "2026-01-05 09:00 open Nowhere",
            "line 1: no stage named 'Nowhere'; the stages are Lead, Qualified",
        ),
        (
            "2026-01-05 09:00 open Lead\nyesterday open Lead",
            "line 2: ",
        ),
        (
            "2026-01-05 09:00 maybe Lead",
            "line 1: '2026-01-05 09:00 maybe Lead' is not a time, a status and a stage",
        ),
        (
            "2026-01-05 09:00 open",
            "line 1: '2026-01-05 09:00 open' is not a time",
        ),
        (
            "2026-13-05 09:00 open Lead",
            "line 1: '2026-13-05 09:00' is not an ISO date",
        ),
    ];
    for (cell, expected) in cases {
        let csv = format!("Title,Customer,Stage history\nA,B,\"{cell}\"\n");
        let err = deal(None, &csv).unwrap_err();
        let at = "line 2, column 'Stage history': stage history, ";
        assert!(
            err.starts_with(&format!("{at}{expected}")),
            "{cell:?}: {err}"
        );
    }
    let long = vec!["2026-01-05 09:00 open Lead"; 10_001].join("\n");
    let err = deal(
        None,
        &format!("Title,Customer,Stage history\nA,B,\"{long}\"\n"),
    )
    .unwrap_err();
    assert!(err.contains("line 10001: more than 10000 steps"), "{err}");
}

#[test]
fn a_pipeline_cell_finds_stage_names_in_that_pipeline() {
    // A second pipeline with a stage of the same name as the first's.
    let mut stages = stages();
    let partners = Pipeline {
        id: "pipeline-partners".into(),
        name: "Partners".into(),
        position: 1,
    };
    for (i, name) in ["Lead", "Signed"].into_iter().enumerate() {
        stages.push(Stage {
            id: format!("partners-{}", name.to_lowercase()),
            name: name.into(),
            position: i as i64,
            probability: 50,
            rot_days: 14,
            pipeline_id: partners.id.clone(),
        });
    }
    let mut pipelines = pipelines();
    pipelines.push(partners);
    let deal_in = |csv: &str| match one_in(Entity::Deals, None, csv, &stages, &pipelines) {
        Ok(Record::Deal(d)) => Ok(d),
        Ok(other) => panic!("{other:?}"),
        Err(e) => Err(e),
    };
    let csv = "Title,Customer,Pipeline,Stage,Stage history\n\
               A,B,partners,Lead,2026-01-05 09:00 open Lead\n";
    let d = deal_in(csv).unwrap();
    assert_eq!(d.stage_id, "partners-lead");
    assert_eq!(d.history[0].stage_id, "partners-lead");
    // Won goes to the last stage of the deal's own pipeline.
    let d = deal_in("Title,Customer,Pipeline,Stage\nA,B,Sales,won\n").unwrap();
    assert_eq!(
        (d.stage_id.as_str(), d.status),
        ("stage-negotiation", DealStatus::Won)
    );
    // Without a pipeline, names are looked up across the book, as before.
    assert_eq!(
        deal_in("Title,Customer,Stage\nA,B,Lead\n")
            .unwrap()
            .stage_id,
        "stage-lead"
    );
    let err = deal_in("Title,Customer,Pipeline,Stage\nA,B,Channel,Lead\n").unwrap_err();
    assert!(
        err.starts_with(
            "line 2, column 'Pipeline': no pipeline named 'Channel' (the book has: Sales, Partners)"
        ),
        "{err}"
    );
    let err = deal_in("Title,Customer,Pipeline,Stage\nA,B,Partners,Proposal\n").unwrap_err();
    assert!(err.contains("stage 'Proposal' has no mapping"), "{err}");
}

#[test]
fn tags_joined_in_one_cell_split_back_as_they_were() {
    let tags: Vec<String> = ["Shanghai, Pudong", r"a\b", r"ends\", "VIP"]
        .iter()
        .map(|t| t.to_string())
        .collect();
    let cell = join_tags(&tags);
    assert_eq!(cell, r"Shanghai\, Pudong, a\\b, ends\\, VIP");
    let back: Vec<String> = split_tags(&cell)
        .iter()
        .map(|t| t.trim().to_string())
        .collect();
    assert_eq!(back, tags);
    // As a person types them: a backslash before anything else stays, a last one too.
    assert_eq!(split_tags(r"a\nb,c\"), [r"a\nb", r"c\"]);
}
