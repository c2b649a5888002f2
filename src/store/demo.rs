//! Demo data: a believable small B2B business, all relative to now, written through the
//! ordinary mutation path so that it has clocks and history like hand-entered data.
//!
//! `generate(store, None)` makes the hand-sized book (about 40 customers and 80 deals);
//! `generate(store, Some(n))` makes `n` deals, `n / 5` customers and `2n` activities for
//! benchmarks. Both are deterministic for a given "now".

use fastrand::Rng;

use super::{Result, Store, StoreError, Table, Write, stages};
use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::ids::new_id;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

const COMPANIES: &[(&str, &str, &str)] = &[
    ("ACME Industrial GmbH", "Manufacturing", "DACH"),
    ("Acme Logistics Ltd", "Logistics", "UK"),
    ("上海华为技术有限公司", "Telecom", "China"),
    ("北京京东世纪贸易有限公司", "Retail", "China"),
    ("株式会社ソニー", "Electronics", "Japan"),
    ("삼성전자 주식회사", "Electronics", "Korea"),
    ("Globex Corporation", "Energy", "US"),
    ("Initech Software", "Software", "US"),
    ("Umbrella Health", "Healthcare", "US"),
    ("Stark Components", "Manufacturing", "US"),
    ("Wayne Foods", "Food", "US"),
    ("Nordwind Energie AG", "Energy", "DACH"),
    ("Bäckerei Müller", "Food", "DACH"),
    ("Hanseatic Shipping", "Logistics", "DACH"),
    ("Lumière Cosmétiques", "Retail", "France"),
    ("Boulangerie Dubois", "Food", "France"),
    ("Fjord Analytics AS", "Software", "Nordics"),
    ("Svensson Bygg AB", "Construction", "Nordics"),
    ("Tulip Agritech BV", "Agriculture", "Benelux"),
    ("Delft Precision", "Manufacturing", "Benelux"),
    ("Iberia Solar SL", "Energy", "Iberia"),
    ("Casa Rossi Srl", "Food", "Italy"),
    ("Milano Moda SpA", "Retail", "Italy"),
    ("Pioneer Dental Clinics", "Healthcare", "UK"),
    ("Thames Water Tech", "Utilities", "UK"),
    ("Maple Leaf Robotics", "Manufacturing", "Canada"),
    ("Outback Mining Co", "Mining", "Australia"),
    ("Kiwi Cloud Ltd", "Software", "New Zealand"),
    ("Andes Coffee Traders", "Food", "LatAm"),
    ("Rio Verde Logística", "Logistics", "LatAm"),
    ("Sahara Telecom", "Telecom", "MEA"),
    ("Cedar Hospitality", "Hospitality", "MEA"),
    ("深圳比亚迪汽车有限公司", "Automotive", "China"),
    ("Bangalore Bytes Pvt Ltd", "Software", "India"),
    ("Lotus Textiles", "Manufacturing", "India"),
    ("Hanoi Furniture JSC", "Manufacturing", "SEA"),
    ("Singapore Fintech Pte", "Finance", "SEA"),
    ("Blue Harbor Bank", "Finance", "US"),
    ("Summit Insurance", "Finance", "US"),
    ("Greenfield Schools", "Education", "UK"),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kim",
    "Lena", "Marco", "Nora", "Omar", "Priya", "Rafael", "Sara", "Tom", "Yuki",
];
const LAST_NAMES: &[&str] = &[
    "Schmidt", "Brown", "Martin", "Rossi", "García", "Khan", "Tanaka", "Novak", "Larsen", "Silva",
    "Müller", "Dubois", "Kowalski", "Jensen", "Patel", "Nguyen",
];
const CJK_CONTACTS: &[&str] = &["Li Wei", "王芳", "张伟", "佐藤 花子", "김민준"];
const TITLES: &[&str] = &[
    "CEO",
    "CFO",
    "Head of Purchasing",
    "IT Director",
    "Operations Manager",
    "Buyer",
];
const DEAL_KINDS: &[&str] = &[
    "renewal",
    "expansion",
    "pilot",
    "rollout",
    "support contract",
    "upgrade",
    "new site",
    "training",
    "licences",
    "framework agreement",
];
const SOURCES: &[&str] = &[
    "referral",
    "website",
    "trade fair",
    "cold call",
    "partner",
    "existing customer",
];
const LOST_REASONS: &[&str] = &["price", "timing", "competitor", "no budget", "no decision"];
const TAGS: &[&str] = &[
    "VIP",
    "at risk",
    "reference",
    "partner",
    "public sector",
    "newsletter",
];
const CALL_SUBJECTS: &[&str] = &[
    "Discovery call",
    "Send proposal",
    "Follow up on quote",
    "Demo for the team",
    "Check budget approval",
    "Negotiate terms",
    "Contract review",
    "Kick-off meeting",
    "Quarterly review",
    "Service visit",
    "Complaint about delivery",
    "Renewal talk",
];

/// Rows written, for the rate a caller reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub customers: usize,
    pub contacts: usize,
    pub deals: usize,
    pub activities: usize,
}

impl Generated {
    pub fn rows(&self) -> usize {
        self.customers + self.contacts + self.deals + self.activities
    }
}

/// Fills an empty database with demo data. Refuses a database that already has data, so
/// a demo never mixes with a real book.
pub fn generate(store: &mut Store, scale: Option<usize>) -> Result<Generated> {
    if !store.is_empty()? {
        return Err(StoreError::Invalid(
            "this database already has customers or deals; run the demo on a new database (use --db)".into(),
        ));
    }
    store.bulk_load(|store| {
        let made = fill(store, scale)?;
        promote_buyers(store)?;
        Ok(made)
    })
}

fn fill(store: &mut Store, scale: Option<usize>) -> Result<Generated> {
    let stages = stages::list(store.conn())?;
    let stage_ids: Vec<String> = stages.iter().map(|s| s.id.clone()).collect();
    let now = store.now_millis();
    let me = store.member_id().to_string();
    let mut rng = Rng::with_seed(0x5A1E5);
    let (n_deals, n_customers) = match scale {
        Some(n) => (n, (n / 5).max(1)),
        None => (80, COMPANIES.len()),
    };
    let mut out = Generated::default();
    let mut writes: Vec<Write> = Vec::with_capacity(4096);
    let mut customers: Vec<(String, String)> = Vec::with_capacity(n_customers);

    for i in 0..n_customers {
        let (name, industry, region) = match (scale, COMPANIES.get(i)) {
            (None, Some((n, ind, reg))) => (n.to_string(), *ind, *reg),
            _ => {
                let (base, ind, reg) = COMPANIES[i % COMPANIES.len()];
                (format!("{base} #{}", i / COMPANIES.len() + 1), ind, reg)
            }
        };
        let id = new_id();
        let tier = match rng.u8(0..10) {
            0..=1 => Tier::Key,
            2..=7 => Tier::Normal,
            _ => Tier::Low,
        };
        let status = match rng.u8(0..20) {
            0..=4 => CustomerStatus::Prospect,
            5..=15 => CustomerStatus::Active,
            16..=17 => CustomerStatus::AtRisk,
            _ => CustomerStatus::Churned,
        };
        let created = now - rng.i64(60..900) * DAY;
        writes.push(
            Write::insert(Table::Customers, id.clone())
                .set("name", name.clone())
                .set("kind", "company".to_string())
                .set("industry", industry.to_string())
                .set("region", region.to_string())
                .set("tier", tier.as_str().to_string())
                .set("status", status.as_str().to_string())
                .set("owner_id", me.clone())
                .set(
                    "satisfaction",
                    (status != CustomerStatus::Prospect).then(|| rng.i64(2..=5)),
                )
                .set("source", SOURCES[rng.usize(..SOURCES.len())].to_string())
                .set("website", format!("https://example.com/{}", i + 1))
                .set("created_at", created)
                .set("updated_at", created),
        );
        out.customers += 1;
        if rng.u8(0..3) == 0 {
            let tag = TAGS[rng.usize(..TAGS.len())];
            writes.push(
                Write::insert(Table::CustomerTags, format!("{id}:{}", tag.to_lowercase()))
                    .set("customer_id", id.clone())
                    .set("tag", tag.to_string()),
            );
        }
        let n_contacts = if scale.is_some() { 1 } else { rng.usize(1..=3) };
        for c in 0..n_contacts {
            let person = if i % 7 == 2 && c == 0 {
                CJK_CONTACTS[(i / 7) % CJK_CONTACTS.len()].to_string()
            } else {
                format!(
                    "{} {}",
                    FIRST_NAMES[rng.usize(..FIRST_NAMES.len())],
                    LAST_NAMES[rng.usize(..LAST_NAMES.len())]
                )
            };
            let email = format!(
                "{}@example.com",
                person
                    .to_lowercase()
                    .replace(' ', ".")
                    .replace(|ch: char| !ch.is_ascii(), "x")
            );
            writes.push(
                Write::insert(Table::Contacts, new_id())
                    .set("customer_id", id.clone())
                    .set("name", person)
                    .set("title", TITLES[rng.usize(..TITLES.len())].to_string())
                    .set("phone", format!("+1 555 {:04}", rng.u16(0..10_000)))
                    .set("email", email)
                    .set("is_primary", c == 0),
            );
            out.contacts += 1;
        }
        // Past contact with the customer: some recent, some long ago (revisit due).
        if status != CustomerStatus::Prospect || rng.bool() {
            let when = now - rng.i64(1..120) * DAY - rng.i64(0..8) * HOUR;
            writes.push(activity(
                &mut rng,
                &id,
                None,
                Some(when),
                None,
                &me,
                created,
            ));
            out.activities += 1;
        }
        customers.push((id, name));
        flush_if_full(store, &mut writes)?;
    }

    let n_activities_target = match scale {
        Some(n) => 2 * n,
        None => 0,
    };
    for i in 0..n_deals {
        let (customer_id, customer_name) = &customers[rng.usize(..customers.len())];
        let id = new_id();
        let created = now - rng.i64(1..200) * DAY;
        let stage_idx = rng.usize(..stage_ids.len());
        // Every stage gets deals; about a fifth are closed.
        let status = match rng.u8(0..10) {
            0 => "won",
            1 => "lost",
            _ => "open",
        };
        let title = format!(
            "{} {}",
            short_name(customer_name),
            DEAL_KINDS[rng.usize(..DEAL_KINDS.len())]
        );
        let amount = rng.i64(5..400) * 50_000;
        let closed_at = (status != "open").then(|| now - rng.i64(0..90) * DAY);
        let close_date = chrono::DateTime::from_timestamp_millis(now + rng.i64(-20..120) * DAY)
            .map(|d| d.date_naive().to_string());
        // Some deals rot: untouched for a month.
        let updated = if status == "open" && rng.u8(0..6) == 0 {
            now - rng.i64(20..60) * DAY
        } else {
            now - rng.i64(0..5) * DAY
        };
        writes.push(
            Write::insert(Table::Deals, id.clone())
                .set("title", title.clone())
                .set("customer_id", customer_id.clone())
                .set("stage_id", stage_ids[stage_idx].clone())
                .set("status", status.to_string())
                .set("amount_minor", amount)
                .set(
                    "currency",
                    if i % 17 == 5 { "USD" } else { "EUR" }.to_string(),
                )
                .set("expected_close", close_date)
                .set("source", SOURCES[rng.usize(..SOURCES.len())].to_string())
                .set("owner_id", me.clone())
                .set(
                    "lost_reason",
                    (status == "lost")
                        .then(|| LOST_REASONS[rng.usize(..LOST_REASONS.len())].to_string()),
                )
                .set("closed_at", closed_at)
                .set("position", -(updated as f64) - i as f64)
                .set("created_at", created)
                .set("updated_at", updated),
        );
        out.deals += 1;
        // History: created in the first stage, moved up to where it is, then closed.
        let mut at = created;
        let mut from: Option<&String> = None;
        for stage in &stage_ids[..=stage_idx] {
            writes.push(history(&id, from, stage, "open", "open", at, &me));
            from = Some(stage);
            at += rng.i64(1..15) * DAY;
        }
        if let Some(closed) = closed_at {
            writes.push(history(
                &id,
                from,
                &stage_ids[stage_idx],
                "open",
                status,
                closed.max(at),
                &me,
            ));
        }
        // Activities: a past call, and for most open deals a scheduled next step.
        let last_touch = updated.min(now - HOUR);
        writes.push(activity(
            &mut rng,
            customer_id,
            Some(&id),
            Some(last_touch),
            None,
            &me,
            created,
        ));
        out.activities += 1;
        if status == "open" && rng.u8(0..8) != 0 {
            let due = match rng.u8(0..10) {
                0 => now - rng.i64(1..72) * HOUR,        // overdue
                1..=2 => now + rng.i64(1..6) * HOUR / 2, // later today, mostly
                _ => now + rng.i64(1..21) * DAY,
            };
            writes.push(activity(
                &mut rng,
                customer_id,
                Some(&id),
                None,
                Some(due),
                &me,
                created,
            ));
            out.activities += 1;
        }
        while scale.is_some() && out.activities < n_activities_target * (i + 1) / n_deals {
            let when = now - rng.i64(1..300) * DAY;
            writes.push(activity(
                &mut rng,
                customer_id,
                Some(&id),
                Some(when),
                None,
                &me,
                created,
            ));
            out.activities += 1;
        }
        flush_if_full(store, &mut writes)?;
    }
    if !writes.is_empty() {
        store.apply("demo data", std::mem::take(&mut writes))?;
    }
    Ok(out)
}

/// A customer who has bought is no prospect: the demo's random statuses are brought in
/// line with the rule that a won deal makes a prospect active.
fn promote_buyers(store: &mut Store) -> Result<()> {
    let ids: Vec<String> = {
        let mut stmt = store.conn().prepare(
            "SELECT c.id FROM customers c
              WHERE c.status = 'prospect' AND c.deleted_at IS NULL
                AND EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = c.id
                             AND d.status = 'won' AND d.deleted_at IS NULL)",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let writes: Vec<Write> = ids
        .into_iter()
        .map(|id| Write::update(Table::Customers, id).set("status", "active".to_string()))
        .collect();
    if !writes.is_empty() {
        store.apply("demo data", writes)?;
    }
    Ok(())
}

fn flush_if_full(store: &mut Store, writes: &mut Vec<Write>) -> Result<()> {
    if writes.len() >= 20_000 {
        store.apply("demo data", std::mem::take(writes))?;
    }
    Ok(())
}

/// "ACME Industrial GmbH" → "ACME Industrial": a customer's name without its legal form.
fn short_name(name: &str) -> String {
    let cut = name
        .trim_end_matches(|c: char| c == '#' || c.is_ascii_digit() || c == ' ')
        .trim_end_matches(" GmbH")
        .trim_end_matches(" Ltd")
        .trim_end_matches(" AG")
        .trim_end_matches(" AB")
        .trim_end_matches(" AS")
        .trim_end_matches(" BV")
        .trim_end_matches(" SL")
        .trim_end_matches(" Srl")
        .trim_end_matches(" SpA")
        .trim_end_matches(" Pte")
        .trim_end_matches(" JSC")
        .trim_end_matches(" Pvt");
    cut.to_string()
}

fn history(
    deal: &str,
    from: Option<&String>,
    to: &str,
    from_status: &str,
    to_status: &str,
    at: i64,
    by: &str,
) -> Write {
    Write::insert(Table::StageChanges, new_id())
        .set("deal_id", deal.to_string())
        .set("from_stage_id", from.cloned())
        .set("to_stage_id", to.to_string())
        .set("from_status", from.map(|_| from_status.to_string()))
        .set("to_status", to_status.to_string())
        .set("at", at)
        .set("by", by.to_string())
}

fn activity(
    rng: &mut Rng,
    customer: &str,
    deal: Option<&str>,
    done_at: Option<i64>,
    due_at: Option<i64>,
    owner: &str,
    created: i64,
) -> Write {
    let kinds = ["call", "email", "meeting", "visit", "note", "service"];
    let kind = kinds[rng.usize(..kinds.len())];
    let subject = CALL_SUBJECTS[rng.usize(..CALL_SUBJECTS.len())];
    let stamp = done_at.or(due_at).unwrap_or(created);
    Write::insert(Table::Activities, new_id())
        .set("kind", kind.to_string())
        .set("subject", subject.to_string())
        .set("deal_id", deal.map(str::to_string))
        .set("customer_id", customer.to_string())
        .set("due_at", due_at)
        .set("done_at", done_at)
        .set(
            "outcome",
            done_at.map(|_| "Went well; next step agreed".to_string()),
        )
        .set("owner_id", owner.to_string())
        .set("created_at", created.min(stamp))
        .set("updated_at", created.min(stamp))
}
