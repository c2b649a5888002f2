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
fn one(entity: Entity, map: Option<&str>, csv: &str) -> Result<Record, String> {
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
    let stages = stages();
    let eur = Currency::eur();
    let cx = Context {
        stages: &stages,
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
