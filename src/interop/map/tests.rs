use super::*;

fn headers(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn vendor_exports_are_recognised_by_their_headers() {
    let pipedrive = headers(&[
        "Deal - Title",
        "Deal - Value",
        "Deal - Currency of value",
        "Organization",
        "Deal - Stage",
        "Deal - Status",
    ]);
    let m = Mapping::new(Entity::Deals, Format::Auto, None, &pipedrive).unwrap();
    assert_eq!(m.format, Format::Pipedrive);
    assert_eq!(m.column(Field::Customer), Some(3));
    assert_eq!(m.column(Field::Status), Some(5));

    let salesforce = headers(&[
        "Opportunity Name",
        "Account Name",
        "Stage",
        "Amount",
        "Close Date",
        "Created Date",
        "Probability (%)",
    ]);
    let m = Mapping::new(Entity::Deals, Format::Auto, None, &salesforce).unwrap();
    assert_eq!(m.format, Format::Salesforce);
    assert_eq!(m.stage_target("closed won"), Some(&StageTarget::Won));
    assert_eq!(m.defaults.date_format.as_deref(), Some("%m/%d/%Y"));

    let hubspot = headers(&[
        "Deal Name",
        "Deal Stage",
        "Amount",
        "Close Date",
        "Pipeline",
    ]);
    let m = Mapping::new(Entity::Deals, Format::Auto, None, &hubspot).unwrap();
    assert_eq!(m.format, Format::Hubspot);
    assert_eq!(m.stage_target("closedlost"), Some(&StageTarget::Lost));
}

#[test]
fn a_plain_header_names_its_fields() {
    let plain = headers(&["Title", "Company", "Value", "Stage", "Close date", "Notes"]);
    let m = Mapping::new(Entity::Deals, Format::Auto, None, &plain).unwrap();
    assert_eq!(m.format, Format::Generic);
    assert_eq!(m.column(Field::Customer), Some(1));
    assert_eq!(m.column(Field::Amount), Some(2));
    assert_eq!(m.column(Field::ExpectedClose), Some(4));
}

#[test]
fn the_map_of_the_issue_reads_as_written() {
    let text = r#"
[columns]            # SalesDesk field = source column
id = "Ref"                   # the source's own id: re-importing updates instead of duplicating
title = "Opportunity"
customer = "Company"
stage = "Phase"
amount = "Value"
created = "Opened"
closed = "Closed on"
owner = "Rep"
[stages]             # source value = a stage name, or "won" / "lost"
Prospect = "Lead"
"In talks" = "Qualified"
Signed = "won"
Dropped = "lost"
[defaults]
currency = "USD"
customer = "Unknown"         # for rows with no company
date_format = "%Y-%m-%d"     # chrono format; default: ISO dates, else refused with the line
"#;
    let map = MapFile::parse(text).unwrap();
    let file = headers(&[
        "Ref",
        "Opportunity",
        "Company",
        "Phase",
        "Value",
        "Opened",
        "Closed on",
        "Rep",
    ]);
    let m = Mapping::new(Entity::Deals, Format::Auto, Some(&map), &file).unwrap();
    assert_eq!(m.column(Field::Id), Some(0));
    assert_eq!(m.column(Field::Closed), Some(6));
    assert_eq!(
        m.stage_target("in talks"),
        Some(&StageTarget::Stage("Qualified".into()))
    );
    assert_eq!(m.stage_target("SIGNED"), Some(&StageTarget::Won));
    assert_eq!(m.defaults.customer.as_deref(), Some("Unknown"));
}

#[test]
fn bad_maps_are_named() {
    let err = MapFile::parse("[columns]\ntitle = \"A\"\n[colums]\n").unwrap_err();
    assert!(
        err.starts_with("line 3, column 2: unknown field `colums`"),
        "{err}"
    );
    let file = headers(&["A", "B"]);
    let map = MapFile::parse("[columns]\ntitle = \"A\"\ncolour = \"B\"\n").unwrap();
    let err = Mapping::new(Entity::Deals, Format::Auto, Some(&map), &file).unwrap_err();
    assert!(
        err.contains("names 'colour', which deals do not have"),
        "{err}"
    );
    let map = MapFile::parse("[columns]\ntitle = \"Z\"\n").unwrap();
    let err = Mapping::new(Entity::Deals, Format::Auto, Some(&map), &file).unwrap_err();
    assert!(
        err.contains("column 'Z' (for title) is not in the file"),
        "{err}"
    );
    let err = Mapping::new(Entity::Deals, Format::Auto, None, &file).unwrap_err();
    assert!(err.starts_with("the file has no column for title"), "{err}");
}
