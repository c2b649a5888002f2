//! Demo data: a believable small B2B business, all relative to now, written through the
//! ordinary mutation path so that it has clocks, history and a search index like
//! hand-entered data.
//!
//! `generate(store, None)` makes the hand-sized book: about 40 customers and 80 deals.
//! `generate(store, Some(n))` makes `n` deals, `n / 5` customers and `2n` activities for
//! benchmarks. Both are deterministic for a given "now" (and local time zone, which
//! decides what "later today" means); only the ids differ from run to run.
//!
//! The book is coherent the way a real one is: each customer's status is drawn first and
//! its deals follow from it (a prospect has never won a deal; an active, at-risk or
//! churned customer has; a churned one won long ago and has nothing open), and every
//! date follows from the ones before it (a customer exists before its deals, a deal moves
//! through the stages in order before it closes, nothing is done in the future).
//!
//! Some things a user should meet on the first run are placed on purpose rather than left
//! to chance: every stage has open deals, some are rotting, some have no follow-up, and
//! some reminders are overdue and some due later today.

use fastrand::Rng;

use super::{Result, Store, StoreError, Table, Write, stages};
use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::deal::DealStatus;
use crate::domain::ids::new_id;
use crate::domain::stage::Stage;
use crate::domain::time::Zone;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Name, industry, region and web domain.
const COMPANIES: &[(&str, &str, &str, &str)] = &[
    (
        "ACME Industrial GmbH",
        "Manufacturing",
        "DACH",
        "acme-industrial.example",
    ),
    (
        "Acme Logistics Ltd",
        "Logistics",
        "UK",
        "acme-logistics.example",
    ),
    (
        "上海华为技术有限公司",
        "Telecom",
        "China",
        "huawei-sh.example",
    ),
    (
        "北京京东世纪贸易有限公司",
        "Retail",
        "China",
        "jd-beijing.example",
    ),
    ("株式会社ソニー", "Electronics", "Japan", "sony-jp.example"),
    (
        "삼성전자 주식회사",
        "Electronics",
        "Korea",
        "samsung-kr.example",
    ),
    ("Globex Corporation", "Energy", "US", "globex.example"),
    ("Initech Software", "Software", "US", "initech.example"),
    (
        "Umbrella Health",
        "Healthcare",
        "US",
        "umbrella-health.example",
    ),
    (
        "Stark Components",
        "Manufacturing",
        "US",
        "stark-components.example",
    ),
    ("Wayne Foods", "Food", "US", "wayne-foods.example"),
    ("Nordwind Energie AG", "Energy", "DACH", "nordwind.example"),
    (
        "Bäckerei Müller",
        "Food",
        "DACH",
        "baeckerei-mueller.example",
    ),
    (
        "Hanseatic Shipping",
        "Logistics",
        "DACH",
        "hanseatic.example",
    ),
    ("Lumière Cosmétiques", "Retail", "France", "lumiere.example"),
    ("Boulangerie Dubois", "Food", "France", "dubois.example"),
    ("Fjord Analytics AS", "Software", "Nordics", "fjord.example"),
    (
        "Svensson Bygg AB",
        "Construction",
        "Nordics",
        "svensson.example",
    ),
    (
        "Tulip Agritech BV",
        "Agriculture",
        "Benelux",
        "tulip.example",
    ),
    (
        "Delft Precision",
        "Manufacturing",
        "Benelux",
        "delft-precision.example",
    ),
    (
        "Iberia Solar SL",
        "Energy",
        "Iberia",
        "iberia-solar.example",
    ),
    ("Casa Rossi Srl", "Food", "Italy", "casarossi.example"),
    ("Milano Moda SpA", "Retail", "Italy", "milano-moda.example"),
    (
        "Pioneer Dental Clinics",
        "Healthcare",
        "UK",
        "pioneer-dental.example",
    ),
    (
        "Thames Water Tech",
        "Utilities",
        "UK",
        "thames-tech.example",
    ),
    (
        "Maple Leaf Robotics",
        "Manufacturing",
        "Canada",
        "mapleleaf.example",
    ),
    (
        "Outback Mining Co",
        "Mining",
        "Australia",
        "outback.example",
    ),
    (
        "Kiwi Cloud Ltd",
        "Software",
        "New Zealand",
        "kiwicloud.example",
    ),
    (
        "Andes Coffee Traders",
        "Food",
        "LatAm",
        "andes-coffee.example",
    ),
    (
        "Rio Verde Logística",
        "Logistics",
        "LatAm",
        "rioverde.example",
    ),
    ("Sahara Telecom", "Telecom", "MEA", "sahara-telecom.example"),
    ("Cedar Hospitality", "Hospitality", "MEA", "cedar.example"),
    (
        "深圳比亚迪汽车有限公司",
        "Automotive",
        "China",
        "byd-sz.example",
    ),
    (
        "Bangalore Bytes Pvt Ltd",
        "Software",
        "India",
        "bbytes.example",
    ),
    (
        "Lotus Textiles",
        "Manufacturing",
        "India",
        "lotus-textiles.example",
    ),
    (
        "Hanoi Furniture JSC",
        "Manufacturing",
        "SEA",
        "hanoi-furniture.example",
    ),
    (
        "Singapore Fintech Pte",
        "Finance",
        "SEA",
        "sgfintech.example",
    ),
    ("Blue Harbor Bank", "Finance", "US", "blueharbor.example"),
    ("Summit Insurance", "Finance", "US", "summit-ins.example"),
    (
        "Greenfield Schools",
        "Education",
        "UK",
        "greenfield.example",
    ),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kim",
    "Lena", "Marco", "Nora", "Omar", "Priya", "Rafael", "Sara", "Tom", "Yuki",
];
const LAST_NAMES: &[&str] = &[
    "Schmidt", "Brown", "Martin", "Rossi", "García", "Khan", "Tanaka", "Novak", "Larsen", "Silva",
    "Müller", "Dubois", "Kowalski", "Jensen", "Patel", "Nguyen",
];
/// People at companies in China, Japan and Korea: name and the mailbox they use.
const CHINESE_PEOPLE: &[(&str, &str)] = &[
    ("王芳", "wang.fang"),
    ("张伟", "zhang.wei"),
    ("李娜", "li.na"),
    ("陈静", "chen.jing"),
    ("刘洋", "liu.yang"),
];
const JAPANESE_PEOPLE: &[(&str, &str)] =
    &[("佐藤 花子", "hanako.sato"), ("鈴木 一郎", "ichiro.suzuki")];
const KOREAN_PEOPLE: &[(&str, &str)] = &[("김민준", "minjun.kim"), ("이서연", "seoyeon.lee")];
const TITLES: &[&str] = &[
    "CEO",
    "CFO",
    "Head of Purchasing",
    "IT Director",
    "Operations Manager",
    "Buyer",
];
const DEAL_KINDS: &[&str] = &[
    "rollout",
    "licences",
    "renewal",
    "expansion",
    "pilot",
    "support contract",
    "upgrade",
    "new site",
    "training",
    "framework agreement",
];
const SOURCES: &[&str] = &["referral", "website", "trade fair", "cold call", "partner"];
const LOST_REASONS: &[&str] = &["price", "timing", "competitor", "no budget", "no decision"];
/// Tags besides "VIP" (key customers) and "at risk" (customers at risk).
const OTHER_TAGS: &[&str] = &["reference", "partner", "public sector", "newsletter"];
/// What gets done with a deal in each stage (by stage position; later stages reuse the
/// last list): past activities and the next step.
const STAGE_STEPS: &[&[(&str, &str)]] = &[
    &[
        ("call", "Discovery call"),
        ("email", "Send company profile"),
    ],
    &[
        ("meeting", "Demo for the team"),
        ("call", "Check budget approval"),
    ],
    &[("email", "Send proposal"), ("call", "Follow up on quote")],
    &[("meeting", "Negotiate terms"), ("email", "Contract review")],
];
const OUTCOMES: &[&str] = &[
    "Went well; next step agreed",
    "Positive; they want a second meeting",
    "Sent the revised quote",
    "They need sign-off from finance",
    "Left a voicemail; followed up by email",
];

/// Rows written, for the rate a caller reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub customers: usize,
    pub contacts: usize,
    pub tags: usize,
    pub deals: usize,
    /// A deal's stage history: where it was created, and each move, win or loss since.
    pub stage_changes: usize,
    pub activities: usize,
}

impl Generated {
    /// Every row written to the data tables (not counting their sync clocks and the
    /// search index).
    pub fn rows(&self) -> usize {
        self.customers
            + self.contacts
            + self.tags
            + self.deals
            + self.stage_changes
            + self.activities
    }
}

/// Fills an empty database with demo data. Refuses a database that already has data, so
/// a demo never mixes with a real book.
pub fn generate(store: &mut Store, scale: Option<usize>) -> Result<Generated> {
    if scale == Some(0) {
        return Err(StoreError::Invalid(
            "--scale is how many deals to make: give 1 or more".into(),
        ));
    }
    if !store.is_empty()? {
        return Err(StoreError::Invalid(
            "this database already has customers or deals; run the demo on a new database (use --db)".into(),
        ));
    }
    let stages = stages::list(store.conn())?;
    if stages.is_empty() {
        return Err(StoreError::Invalid(
            "the pipeline has no stages; the demo needs at least one".into(),
        ));
    }
    let now = store.now_millis();
    // "Today" is the local day, as reminders and the agenda count it.
    let (_, today_end) = Zone::Local.today_window(now);
    let book = Book {
        now,
        today_end,
        me: store.member_id().to_string(),
        stages,
        scale,
    };
    store.bulk_load(|store| book.write(store))
}

/// Writes are collected per table and applied about a thousand customers at a time,
/// parents before children, so that `Store::apply` writes each run of rows of one table
/// with few statements.
const CUSTOMERS_PER_BATCH: usize = 1000;

/// What the generator needs to know, fixed for one run.
struct Book {
    now: i64,
    /// The next local midnight: reminders "due later today" fall before it.
    today_end: i64,
    me: String,
    stages: Vec<Stage>,
    scale: Option<usize>,
}

/// One customer before it is written: what its deals and activities depend on.
struct Customer {
    id: String,
    name: String,
    /// The name without its legal form, for deal titles.
    short: String,
    industry: &'static str,
    region: &'static str,
    domain: String,
    tier: Tier,
    status: CustomerStatus,
    currency: &'static str,
    deals: usize,
    contacts: Vec<Contact>,
    /// The earliest thing that happened with the customer; it was created before it.
    first_seen: i64,
}

impl Customer {
    fn primary_contact(&self) -> Option<String> {
        self.contacts.first().map(|c| c.id.clone())
    }
}

struct Contact {
    id: String,
    name: String,
    email: String,
}

/// A deal's open span: extra history goes between `created` and `last_done`.
struct DealSpan {
    id: String,
    created: i64,
    last_done: i64,
}

/// How an activity stands: done at a time, or a reminder due at one.
enum Done {
    At(i64),
    DueAt(i64),
}

/// The writes of one batch, per table, applied parents first.
#[derive(Default)]
struct Batch {
    customers: Vec<Write>,
    tags: Vec<Write>,
    contacts: Vec<Write>,
    deals: Vec<Write>,
    changes: Vec<Write>,
    activities: Vec<Write>,
}

impl Batch {
    /// Adds the batch's rows to `out`.
    fn count(&self, out: &mut Generated) {
        out.customers += self.customers.len();
        out.tags += self.tags.len();
        out.contacts += self.contacts.len();
        out.deals += self.deals.len();
        out.stage_changes += self.changes.len();
        out.activities += self.activities.len();
    }

    fn apply(self, store: &mut Store) -> Result<()> {
        let all: Vec<Write> = [
            self.customers,
            self.tags,
            self.contacts,
            self.deals,
            self.changes,
            self.activities,
        ]
        .into_iter()
        .flatten()
        .collect();
        if !all.is_empty() {
            store.apply("demo data", all)?;
        }
        Ok(())
    }
}

/// Counters that place what a first run must show (see the module comment).
#[derive(Default)]
struct Placed {
    /// Open deals so far.
    open: usize,
    /// Open deals with a follow-up scheduled so far.
    scheduled: usize,
    /// Won and lost deals so far, but for churned customers' old wins.
    closed: usize,
}

impl Book {
    /// Generates the book on a second thread while this one writes it, a batch at a time:
    /// making the rows and writing them take about as long as each other.
    fn write(&self, store: &mut Store) -> Result<Generated> {
        std::thread::scope(|scope| {
            // One batch waits while the next is made: memory stays at two batches.
            let (send, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
            scope.spawn(move || self.generate(|batch| send.send(batch).is_ok()));
            // Returning drops the receiver, which stops the generator if a write failed.
            let write_batches = move |store: &mut Store| -> Result<Generated> {
                let mut out = Generated::default();
                for batch in batches {
                    batch.count(&mut out);
                    batch.apply(store)?;
                }
                Ok(out)
            };
            write_batches(store)
        })
    }

    /// Makes the book, handing `emit` one batch at a time, parents before children; stops
    /// early when `emit` returns false.
    fn generate(&self, mut emit: impl FnMut(Batch) -> bool) {
        let mut rng = Rng::with_seed(0x5A1E5);
        let (n_deals, n_customers) = match self.scale {
            Some(n) => (n, (n / 5).max(1)),
            None => (80, COMPANIES.len()),
        };
        let statuses = shuffled(
            &mut rng,
            n_customers,
            &[
                (CustomerStatus::Prospect, 30),
                (CustomerStatus::AtRisk, 12),
                (CustomerStatus::Churned, 8),
            ],
            CustomerStatus::Active,
        );
        let tiers = shuffled(
            &mut rng,
            n_customers,
            &[(Tier::Key, 20), (Tier::Low, 25)],
            Tier::Normal,
        );
        // One deal per customer first, so that every customer's status is backed by a
        // deal; the rest go to customers at random.
        let mut deal_counts = vec![0usize; n_customers];
        for d in 0..n_deals {
            let c = if d < n_customers {
                d
            } else {
                rng.usize(..n_customers)
            };
            deal_counts[c] += 1;
        }
        let activity_target = self.scale.map(|n| 2 * n);
        let mut activities = 0;
        let mut placed = Placed::default();
        let mut batch = Batch::default();
        let mut deals_done = 0;
        let customers = statuses.into_iter().zip(tiers).zip(deal_counts);
        for (i, ((status, tier), deals)) in customers.enumerate() {
            let mut customer = self.customer(&mut rng, i, status, tier, deals);
            for d in 0..customer.deals {
                let span = self.deal(&mut rng, &mut customer, d, &mut placed, &mut batch);
                deals_done += 1;
                // Benchmarks want 2n activities: top up with more history on this deal.
                if let Some(target) = activity_target {
                    let due = target * deals_done / n_deals;
                    while activities + batch.activities.len() < due {
                        let when =
                            span.created + rng.i64(0..(span.last_done - span.created).max(1));
                        let stage = rng.usize(..STAGE_STEPS.len());
                        let subject = step_for(&mut rng, stage);
                        let w = self.activity(
                            &mut rng,
                            &customer,
                            Some(&span.id),
                            subject,
                            Done::At(when),
                            span.created,
                        );
                        batch.activities.push(w);
                    }
                }
            }
            self.customer_rows(&mut rng, &mut customer, &mut batch);
            if (i + 1) % CUSTOMERS_PER_BATCH == 0 {
                activities += batch.activities.len();
                if !emit(std::mem::take(&mut batch)) {
                    return;
                }
            }
        }
        emit(batch);
    }

    fn customer(
        &self,
        rng: &mut Rng,
        i: usize,
        status: CustomerStatus,
        tier: Tier,
        deals: usize,
    ) -> Customer {
        let (base, industry, region, domain) = COMPANIES[i % COMPANIES.len()];
        let round = i / COMPANIES.len();
        let (name, domain) = if round == 0 {
            (base.to_string(), domain.to_string())
        } else {
            (
                format!("{base} #{}", round + 1),
                format!("{}.{domain}", round + 1),
            )
        };
        let n_contacts = if self.scale.is_some() {
            1
        } else {
            rng.usize(1..=3)
        };
        let contacts = (0..n_contacts)
            .map(|_| {
                let (name, mailbox) = person(rng, region);
                Contact {
                    id: new_id(),
                    name,
                    email: format!("{mailbox}@{domain}"),
                }
            })
            .collect();
        // Without a deal there is nothing it can have won.
        let status = if deals == 0 {
            CustomerStatus::Prospect
        } else {
            status
        };
        Customer {
            id: new_id(),
            name,
            short: short_name(base).to_string(),
            industry,
            region,
            domain,
            tier,
            status,
            // American prospects are quoted in dollars, so the boards show a second
            // currency; lifetime values, of customers who have bought, stay in euros.
            currency: if region == "US" && status == CustomerStatus::Prospect {
                "USD"
            } else {
                "EUR"
            },
            deals,
            contacts,
            first_seen: self.now - rng.i64(3..30) * DAY,
        }
    }

    /// Deal number `d` of `customer`, with its history and activities.
    fn deal(
        &self,
        rng: &mut Rng,
        customer: &mut Customer,
        d: usize,
        placed: &mut Placed,
        batch: &mut Batch,
    ) -> DealSpan {
        let status = deal_status(rng, customer.status, d == 0);
        let last = self.stages.len() - 1;
        let stage_idx = match status {
            // The first open deals go one to each stage, so that every column has one.
            DealStatus::Open if placed.open < self.stages.len() => placed.open,
            DealStatus::Open | DealStatus::Lost => weighted_stage(rng, self.stages.len()),
            DealStatus::Won if rng.u8(0..5) != 0 => last,
            DealStatus::Won => last.saturating_sub(1),
        };
        let stage = &self.stages[stage_idx];
        // `end` is when the deal last changed: its close, or for an open deal its last
        // touch, which for a rotting deal is longer ago than the stage allows.
        let open_number = placed.open;
        let rotting = status == DealStatus::Open && open_number % 6 == 4;
        let end = match status {
            DealStatus::Open if rotting => {
                let days_ago = stage.rot_days + rng.i64(2..40);
                self.office_time(rng, days_ago)
            }
            DealStatus::Open => {
                let days_ago = rng.i64(0..stage.rot_days.max(1));
                self.office_time(rng, days_ago)
            }
            // Churned customers stopped buying a while ago.
            DealStatus::Won if customer.status == CustomerStatus::Churned => {
                let days_ago = rng.i64(200..700);
                self.office_time(rng, days_ago)
            }
            // Every fourth other close happened in the last two weeks, so that this
            // month's figures have something in them.
            DealStatus::Won | DealStatus::Lost => {
                let recent = placed.closed.is_multiple_of(4);
                placed.closed += 1;
                let days = match status {
                    _ if recent => rng.i64(1..14),
                    DealStatus::Won => rng.i64(5..420),
                    _ => rng.i64(1..150),
                };
                self.office_time(rng, days)
            }
        };
        let span = rng.i64(10 + 4 * stage_idx as i64..150) * DAY;
        let created = end - span;
        customer.first_seen = customer.first_seen.min(created - rng.i64(5..60) * DAY);
        let id = new_id();

        // History: created in the first stage, moved up a stage at a time, then closed.
        // Moves happen a whole number of days apart, at the time of day the deal began.
        let step_days = (span / DAY / (stage_idx as i64 + 2)).max(1);
        let moved_at = |s: usize| created + step_days * DAY * s as i64;
        for s in 0..=stage_idx {
            let from = s.checked_sub(1).map(|p| &self.stages[p]);
            let to = &self.stages[s];
            batch
                .changes
                .push(self.history(&id, from, to, DealStatus::Open, moved_at(s)));
        }
        let closed_at = (status != DealStatus::Open).then_some(end);
        if let Some(closed) = closed_at {
            batch
                .changes
                .push(self.history(&id, Some(stage), stage, status, closed));
        }

        let kind = DEAL_KINDS[(d + customer.name.len()) % DEAL_KINDS.len()];
        let title = match d / DEAL_KINDS.len() {
            0 => format!("{} {kind}", customer.short),
            again => format!("{} {kind} {}", customer.short, again + 1),
        };
        let amount = match customer.tier {
            Tier::Key => rng.i64(40..400),
            Tier::Normal => rng.i64(10..120),
            Tier::Low => rng.i64(2..30),
        } * 50_000;
        let expected_close = match status {
            DealStatus::Open if rng.u8(0..10) == 0 => self.now - rng.i64(1..20) * DAY, // slipped
            DealStatus::Open => self.now + rng.i64(7..120) * DAY,
            DealStatus::Won | DealStatus::Lost => end,
        };
        let source = if d > 0 {
            "existing customer"
        } else {
            SOURCES[rng.usize(..SOURCES.len())]
        };
        let lost_reason = (status == DealStatus::Lost)
            .then(|| LOST_REASONS[rng.usize(..LOST_REASONS.len())].to_string());
        batch.deals.push(
            Write::insert(Table::Deals, id.clone())
                .set("title", title)
                .set("customer_id", customer.id.clone())
                .set("contact_id", customer.primary_contact())
                .set("stage_id", stage.id.clone())
                .set("status", status.as_str().to_string())
                .set("amount_minor", amount)
                .set("currency", customer.currency.to_string())
                .set("expected_close", date(expected_close))
                .set("source", source.to_string())
                .set("owner_id", self.me.clone())
                .set("lost_reason", lost_reason)
                .set("closed_at", closed_at)
                .set("position", -(end as f64) - d as f64)
                .set("notes", None::<String>)
                .set("created_at", created)
                .set("updated_at", closed_at.unwrap_or(moved_at(stage_idx))),
        );

        // Past activities: one in each stage it went through, the last one at `end`. At
        // benchmark scale only the last; `write` spreads the rest of the volume.
        let last_done = end.min(self.now - MINUTE);
        let first_stage = if self.scale.is_some() { stage_idx } else { 0 };
        for s in first_stage..=stage_idx {
            let when = if s == stage_idx {
                last_done
            } else {
                moved_at(s) + rng.i64(0..step_days) * DAY + rng.i64(0..8) * 15 * MINUTE
            };
            let subject = step_for(rng, s);
            let w = self.activity(rng, customer, Some(&id), subject, Done::At(when), created);
            batch.activities.push(w);
        }
        // What comes next.
        match status {
            DealStatus::Open => {
                placed.open += 1;
                // Some open deals have nothing scheduled, rotting or not.
                if open_number % 5 != 2 {
                    let due = match placed.scheduled % 7 {
                        0 => self.business_hours(rng, -4..-1), // overdue
                        1 => self.later_today(rng),
                        _ => self.business_hours(rng, 0..21),
                    };
                    placed.scheduled += 1;
                    let next = step_for(rng, (stage_idx + 1).min(STAGE_STEPS.len() - 1));
                    let w = self.activity(rng, customer, Some(&id), next, Done::DueAt(due), end);
                    batch.activities.push(w);
                }
            }
            // The after-sale follow-up that winning offers: done by now for most deals,
            // still in the calendar for the ones won last week.
            DealStatus::Won => {
                let after = end + rng.i64(3..20) * DAY;
                let done = if after < self.now {
                    Done::At(after)
                } else {
                    Done::DueAt(after)
                };
                let subject = ("meeting", "Kick-off meeting");
                let w = self.activity(rng, customer, Some(&id), subject, done, end);
                batch.activities.push(w);
            }
            DealStatus::Lost => {}
        }
        DealSpan {
            id,
            created,
            last_done,
        }
    }

    /// The customer, its contacts and tags, and activities about the relationship itself.
    /// Written after its deals are drawn, since it was created before all of them.
    fn customer_rows(&self, rng: &mut Rng, c: &mut Customer, batch: &mut Batch) {
        let created = c.first_seen;
        let satisfaction = match c.status {
            CustomerStatus::Prospect => None,
            CustomerStatus::Active => Some(rng.i64(3..=5)),
            CustomerStatus::AtRisk => Some(rng.i64(1..=2)),
            CustomerStatus::Churned => Some(rng.i64(1..=3)),
        };
        batch.customers.push(
            Write::insert(Table::Customers, c.id.clone())
                .set("name", std::mem::take(&mut c.name))
                .set("kind", "company".to_string())
                .set("industry", c.industry.to_string())
                .set("region", c.region.to_string())
                .set("tier", c.tier.as_str().to_string())
                .set("status", c.status.as_str().to_string())
                .set("owner_id", self.me.clone())
                .set("satisfaction", satisfaction)
                .set("source", SOURCES[rng.usize(..SOURCES.len())].to_string())
                .set("website", format!("https://www.{}", c.domain))
                .set("notes", None::<String>)
                .set("created_at", created)
                .set("updated_at", created),
        );
        for (k, contact) in c.contacts.iter_mut().enumerate() {
            batch.contacts.push(
                Write::insert(Table::Contacts, contact.id.clone())
                    .set("customer_id", c.id.clone())
                    .set("name", std::mem::take(&mut contact.name))
                    .set("title", TITLES[rng.usize(..TITLES.len())].to_string())
                    .set("phone", format!("+1 555 {:04}", rng.u16(0..10_000)))
                    .set("email", std::mem::take(&mut contact.email))
                    .set("is_primary", k == 0)
                    .set("notes", None::<String>)
                    .set("created_at", created)
                    .set("updated_at", created),
            );
        }

        let mut tags: Vec<&str> = Vec::new();
        if c.tier == Tier::Key && rng.u8(0..3) != 0 {
            tags.push("VIP");
        }
        if c.status == CustomerStatus::AtRisk {
            tags.push("at risk");
        }
        if rng.u8(0..4) == 0 {
            tags.push(OTHER_TAGS[rng.usize(..OTHER_TAGS.len())]);
        }
        for tag in tags {
            batch.tags.push(
                Write::insert(
                    Table::CustomerTags,
                    format!("{}:{}", c.id, tag.to_lowercase()),
                )
                .set("customer_id", c.id.clone())
                .set("tag", tag.to_string())
                .set("deleted_at", None::<i64>)
                .set("created_at", created)
                .set("updated_at", created),
            );
        }

        // The last visit or call about the relationship: recent for some, long enough ago
        // for others that a revisit is due.
        let (subject, days_ago) = match c.status {
            CustomerStatus::Prospect => (("call", "Intro call"), rng.i64(2..60)),
            CustomerStatus::Active => (("visit", "Quarterly review"), rng.i64(1..120)),
            CustomerStatus::AtRisk => (("complaint", "Complaint about delivery"), rng.i64(2..25)),
            CustomerStatus::Churned => (("call", "Exit interview"), rng.i64(150..400)),
        };
        let when = self.office_time(rng, days_ago).max(created + HOUR);
        let w = self.activity(rng, c, None, subject, Done::At(when), created);
        batch.activities.push(w);
        // Key accounts have their next review in the calendar.
        if c.tier == Tier::Key && c.status == CustomerStatus::Active {
            let due = self.business_hours(rng, 3..40);
            let subject = ("visit", "Quarterly review");
            let w = self.activity(rng, c, None, subject, Done::DueAt(due), when);
            batch.activities.push(w);
        }
    }

    /// A time after `now` that is before the next local midnight.
    fn later_today(&self, rng: &mut Rng) -> i64 {
        let room = self.today_end - self.now;
        if room > HOUR {
            self.now + rng.i64(15 * MINUTE..room.min(6 * HOUR) - MINUTE)
        } else {
            self.now + room / 2
        }
    }

    /// Local business hours (about 8:00 to 17:00) on a day some `days` after tomorrow
    /// (yesterday is -2). Days are counted from the next local midnight, which is close
    /// enough across a daylight-saving change.
    fn business_hours(&self, rng: &mut Rng, days: std::ops::Range<i64>) -> i64 {
        self.today_end + rng.i64(days) * DAY + rng.i64(8 * 4..17 * 4) * 15 * MINUTE
    }

    /// A time in business hours `days_ago` days before today, and in the past: something
    /// done today happened earlier today.
    fn office_time(&self, rng: &mut Rng, days_ago: i64) -> i64 {
        let t = self.business_hours(rng, -1 - days_ago..-days_ago);
        if t < self.now {
            t
        } else {
            self.now - rng.i64(1..4) * HOUR
        }
    }

    fn history(
        &self,
        deal: &str,
        from: Option<&Stage>,
        to: &Stage,
        status: DealStatus,
        at: i64,
    ) -> Write {
        Write::insert(Table::StageChanges, new_id())
            .set("deal_id", deal.to_string())
            .set("from_stage_id", from.map(|s| s.id.clone()))
            .set("to_stage_id", to.id.clone())
            .set(
                "from_status",
                from.map(|_| DealStatus::Open.as_str().to_string()),
            )
            .set("to_status", status.as_str().to_string())
            .set("at", at)
            .set("by", self.me.clone())
    }

    fn activity(
        &self,
        rng: &mut Rng,
        c: &Customer,
        deal: Option<&str>,
        (kind, subject): (&str, &str),
        done: Done,
        created: i64,
    ) -> Write {
        let (done_at, due_at, stamp) = match done {
            Done::At(t) => (Some(t), None, t),
            Done::DueAt(t) => (None, Some(t), created),
        };
        let outcome = done_at.map(|_| OUTCOMES[rng.usize(..OUTCOMES.len())].to_string());
        Write::insert(Table::Activities, new_id())
            .set("kind", kind.to_string())
            .set("subject", subject.to_string())
            .set("body", None::<String>)
            .set("deal_id", deal.map(str::to_string))
            .set("customer_id", c.id.clone())
            .set("contact_id", c.primary_contact())
            .set("due_at", due_at)
            .set("done_at", done_at)
            .set("outcome", outcome)
            .set("owner_id", self.me.clone())
            .set("created_at", created.min(stamp))
            .set("updated_at", stamp)
    }
}

/// `n` values in random order: `share` percent of each given value, the rest `otherwise`.
fn shuffled<T: Copy>(rng: &mut Rng, n: usize, shares: &[(T, usize)], otherwise: T) -> Vec<T> {
    let mut values = Vec::with_capacity(n);
    for &(value, percent) in shares {
        values.extend(std::iter::repeat_n(value, (n * percent).div_ceil(100)));
    }
    values.truncate(n);
    values.resize(n, otherwise);
    rng.shuffle(&mut values);
    values
}

/// A deal's status, given its customer's. A customer's first deal is the one its status
/// rests on: a prospect's is still open; everyone else's was won.
fn deal_status(rng: &mut Rng, customer: CustomerStatus, first: bool) -> DealStatus {
    use DealStatus::{Lost, Open, Won};
    let roll = rng.u8(0..100);
    match customer {
        CustomerStatus::Prospect if first => Open,
        CustomerStatus::Prospect => [Open, Lost][usize::from(roll >= 85)],
        _ if first => Won,
        CustomerStatus::Active => match roll {
            0..65 => Open,
            65..85 => Won,
            _ => Lost,
        },
        CustomerStatus::AtRisk => match roll {
            0..45 => Open,
            45..60 => Won,
            _ => Lost,
        },
        // Nothing open: a churned customer's later deals were lost, or won long ago.
        CustomerStatus::Churned => [Won, Lost][usize::from(roll >= 25)],
    }
}

/// A stage for a deal that is open or was lost: early stages hold more deals.
fn weighted_stage(rng: &mut Rng, n: usize) -> usize {
    // With four stages: 5, 4, 3 and 2 parts.
    let weights: Vec<u64> = (0..n).map(|i| (n - i + 1) as u64).collect();
    let total: u64 = weights.iter().sum();
    let mut roll = rng.u64(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    n - 1
}

/// A kind and subject for work done in the stage at position `s`.
fn step_for(rng: &mut Rng, s: usize) -> (&'static str, &'static str) {
    let steps = STAGE_STEPS[s.min(STAGE_STEPS.len() - 1)];
    steps[rng.usize(..steps.len())]
}

/// A contact's name and mailbox, as people are called in the customer's region.
fn person(rng: &mut Rng, region: &str) -> (String, String) {
    let local = match region {
        "China" => Some(CHINESE_PEOPLE),
        "Japan" => Some(JAPANESE_PEOPLE),
        "Korea" => Some(KOREAN_PEOPLE),
        _ => None,
    };
    if let Some(people) = local {
        let (name, mailbox) = people[rng.usize(..people.len())];
        return (name.to_string(), mailbox.to_string());
    }
    let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
    let mailbox = format!("{first}.{last}")
        .to_lowercase()
        .replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '.', "");
    (format!("{first} {last}"), mailbox)
}

/// The UTC calendar date of an instant, as deals store expected close dates.
fn date(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.date_naive().to_string())
}

/// "ACME Industrial GmbH" → "ACME Industrial", "上海华为技术有限公司" → "上海华为技术": a
/// company name without its legal form.
fn short_name(name: &str) -> &str {
    const FORMS: &[&str] = &[
        " GmbH",
        " Ltd",
        " AG",
        " AB",
        " AS",
        " BV",
        " SL",
        " Srl",
        " SpA",
        " Pte",
        " JSC",
        " Pvt",
        " Corporation",
        " Co",
        "有限公司",
        " 주식회사",
    ];
    let mut cut = name.strip_prefix("株式会社").unwrap_or(name);
    while let Some(shorter) = FORMS.iter().find_map(|f| cut.strip_suffix(f)) {
        cut = shorter;
    }
    cut
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::store::deals::{self, DealRow};
    use crate::store::test_support::{fixed_clock, memory_store};

    fn demo_store(scale: Option<usize>) -> (Store, Generated) {
        let mut store = memory_store();
        let made = generate(&mut store, scale).unwrap();
        (store, made)
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn strings(store: &Store, sql: &str) -> Vec<String> {
        let mut stmt = store.conn().prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn all_deals(store: &Store) -> Vec<DealRow> {
        deals::list(store.conn(), &deals::Filter::default()).unwrap()
    }

    /// The next local midnight after the fixed clock, as `generate` computes it.
    fn today_end() -> i64 {
        Zone::Local.today_window(fixed_clock().now_millis()).1
    }

    #[test]
    fn the_small_book_has_the_size_and_mix_promised() {
        let (store, made) = demo_store(None);
        assert_eq!(made.customers, COMPANIES.len());
        assert_eq!(made.deals, 80);
        assert!(made.contacts >= made.customers);
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 40);
        assert_eq!(count(&store, "SELECT count(*) FROM deals"), 80);
        let statuses = strings(&store, "SELECT DISTINCT status FROM customers ORDER BY 1");
        assert_eq!(statuses, ["active", "at_risk", "churned", "prospect"]);
        let tiers = strings(&store, "SELECT DISTINCT tier FROM customers ORDER BY 1");
        assert_eq!(tiers, ["key", "low", "normal"]);
        let names = strings(&store, "SELECT name FROM customers");
        assert!(names.iter().any(|n| n == "上海华为技术有限公司"));
        assert!(count(&store, "SELECT count(*) FROM customer_tags") > 0);
        let deal_statuses = strings(&store, "SELECT DISTINCT status FROM deals ORDER BY 1");
        assert_eq!(deal_statuses, ["lost", "open", "won"]);
        // Search finds the Chinese name, as a user would type part of it.
        let hits = crate::store::search::search(store.conn(), "华为", 10).unwrap();
        assert!(hits.iter().any(|h| h.title == "上海华为技术有限公司"));
    }

    #[test]
    fn every_stage_has_open_deals() {
        let (store, _) = demo_store(None);
        let open: HashSet<String> = all_deals(&store)
            .into_iter()
            .filter(|d| d.deal.status == DealStatus::Open)
            .map(|d| d.deal.stage_id)
            .collect();
        for stage in stages::list(store.conn()).unwrap() {
            assert!(open.contains(&stage.id), "no open deal in {}", stage.name);
        }
    }

    #[test]
    fn customer_statuses_agree_with_their_deals() {
        for scale in [None, Some(500)] {
            let (store, _) = demo_store(scale);
            let mut by_customer: HashMap<String, Vec<DealStatus>> = HashMap::new();
            for d in all_deals(&store) {
                by_customer
                    .entry(d.deal.customer_id)
                    .or_default()
                    .push(d.deal.status);
            }
            let customers = {
                let mut stmt = store
                    .conn()
                    .prepare("SELECT id, name, status FROM customers")
                    .unwrap();
                stmt.query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<(String, String, String)>>()
            };
            for (id, name, status) in customers {
                let deals = by_customer.remove(&id).unwrap_or_default();
                let won = deals.contains(&DealStatus::Won);
                match status.as_str() {
                    "prospect" => assert!(!won, "prospect {name} has a won deal"),
                    _ => assert!(won, "{status} customer {name} has never won a deal"),
                }
                if status == "churned" {
                    assert!(
                        !deals.contains(&DealStatus::Open),
                        "churned {name} has open deals"
                    );
                }
            }
        }
    }

    #[test]
    fn customers_who_bought_have_a_lifetime_value() {
        let (store, _) = demo_store(None);
        let without = count(
            &store,
            "SELECT count(*) FROM customers c WHERE c.status != 'prospect'
               AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = c.id
                                AND d.status = 'won' AND d.currency = 'EUR'
                                AND d.amount_minor > 0)",
        );
        assert_eq!(without, 0);
    }

    #[test]
    fn closed_deals_are_closed_properly_and_lost_ones_say_why() {
        let (store, _) = demo_store(None);
        let now = fixed_clock().now_millis();
        let rows = all_deals(&store);
        let lost: Vec<_> = rows
            .iter()
            .filter(|d| d.deal.status == DealStatus::Lost)
            .collect();
        assert!(!lost.is_empty());
        for d in &lost {
            let reason = d.deal.lost_reason.as_deref().unwrap_or("");
            assert!(
                !reason.trim().is_empty(),
                "{} lost without a reason",
                d.deal.title
            );
        }
        assert!(rows.iter().any(|d| d.deal.status == DealStatus::Won));
        for d in &rows {
            let closed = d.deal.status != DealStatus::Open;
            assert_eq!(d.deal.closed_at.is_some(), closed, "{}", d.deal.title);
            assert!(d.deal.closed_at.is_none_or(|t| t <= now));
            assert!(d.deal.created_at <= d.deal.updated_at);
            assert!(d.deal.updated_at <= now);
        }
        // Every deal's history starts in the first stage and ends where the deal is.
        let history = deals::history(store.conn(), &rows[0].deal.id).unwrap();
        assert_eq!(history.first().and_then(|h| h.from_stage.as_ref()), None);
        assert_eq!(
            history.last().map(|h| h.to_stage.as_str()),
            Some(rows[0].stage_name.as_str())
        );
    }

    #[test]
    fn some_deals_closed_in_the_last_two_weeks() {
        let (store, _) = demo_store(None);
        let since = fixed_clock().now_millis() - 14 * DAY;
        let recent = |status: DealStatus| {
            all_deals(&store)
                .iter()
                .filter(|d| d.deal.status == status && d.deal.closed_at.unwrap_or(0) >= since)
                .count()
        };
        assert!(recent(DealStatus::Won) > 0 && recent(DealStatus::Lost) > 0);
    }

    #[test]
    fn some_open_deals_rot_and_some_have_no_follow_up() {
        let (store, _) = demo_store(None);
        let now = fixed_clock().now_millis();
        let open: Vec<DealRow> = all_deals(&store)
            .into_iter()
            .filter(|d| d.deal.status == DealStatus::Open)
            .collect();
        let rotting = open.iter().filter(|d| d.is_rotting(now)).count();
        let unplanned = open.iter().filter(|d| d.next_follow_up.is_none()).count();
        assert!(
            rotting > 0 && rotting < open.len() / 2,
            "{rotting} of {}",
            open.len()
        );
        assert!(
            unplanned > 0 && unplanned < open.len() / 2,
            "{unplanned} of {}",
            open.len()
        );
    }

    #[test]
    fn reminders_are_overdue_due_today_and_later() {
        let (store, _) = demo_store(None);
        let now = fixed_clock().now_millis();
        let end = today_end();
        let due: Vec<i64> =
            crate::store::activities::open_reminders(store.conn(), None, None, None, None)
                .unwrap()
                .into_iter()
                .filter_map(|r| r.activity.due_at)
                .collect();
        assert!(due.iter().any(|&t| t < now), "nothing overdue");
        assert!(
            due.iter().any(|&t| now <= t && t < end),
            "nothing due later today"
        );
        assert!(due.iter().any(|&t| t >= end), "nothing due after today");
        // Done activities are in the past.
        let future = count(
            &store,
            &format!("SELECT count(*) FROM activities WHERE done_at > {now}"),
        );
        assert_eq!(future, 0);
    }

    #[test]
    fn nothing_happens_before_the_customer_existed() {
        let (store, _) = demo_store(None);
        let early = count(
            &store,
            "SELECT count(*) FROM deals d JOIN customers c ON c.id = d.customer_id
              WHERE d.created_at < c.created_at",
        ) + count(
            &store,
            "SELECT count(*) FROM activities a JOIN customers c ON c.id = a.customer_id
              WHERE coalesce(a.done_at, a.due_at) < c.created_at",
        ) + count(
            &store,
            "SELECT count(*) FROM stage_changes s JOIN deals d ON d.id = s.deal_id
              WHERE s.at < d.created_at OR s.at > coalesce(d.closed_at, d.updated_at)",
        );
        assert_eq!(early, 0);
    }

    #[test]
    fn every_row_has_clocks_and_is_searchable() {
        let (store, _) = demo_store(None);
        let unclocked = count(
            &store,
            "SELECT count(*) FROM deals d WHERE NOT EXISTS
               (SELECT 1 FROM field_clock f WHERE f.tbl = 'deals' AND f.row_id = d.id
                   AND f.field = '*')",
        );
        assert_eq!(unclocked, 0);
        let indexed = count(
            &store,
            "SELECT count(*) FROM search_index WHERE kind = 'deal'",
        );
        assert_eq!(indexed, 80);
    }

    #[test]
    fn the_same_now_gives_the_same_book() {
        let fingerprint = |store: &Store| {
            strings(
                store,
                "SELECT c.name || '|' || c.status || '|' || c.tier || '|' || d.title || '|'
                        || d.status || '|' || d.stage_id || '|' || d.amount_minor || '|'
                        || d.created_at || '|' || coalesce(d.lost_reason, '')
                   FROM deals d JOIN customers c ON c.id = d.customer_id
                  ORDER BY 1",
            )
        };
        let (a, _) = demo_store(None);
        let (b, _) = demo_store(None);
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn the_scaled_book_has_the_requested_volume() {
        let (store, made) = demo_store(Some(500));
        assert_eq!(made.deals, 500);
        assert_eq!(made.customers, 100);
        assert_eq!(made.contacts, 100);
        assert!(
            (1000..1100).contains(&made.activities),
            "{}",
            made.activities
        );
        assert_eq!(count(&store, "SELECT count(*) FROM deals"), 500);
        assert_eq!(
            count(&store, "SELECT count(*) FROM activities"),
            made.activities as i64
        );
    }

    #[test]
    fn a_file_is_back_in_wal_mode_after_the_load_whether_or_not_it_could_leave_it() {
        let dir = tempfile::tempdir().unwrap();
        let mode = |store: &Store| -> String {
            store
                .conn()
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap()
        };
        let alone = dir.path().join("alone.db");
        let mut store = Store::open(&alone, fixed_clock()).unwrap();
        let made = generate(&mut store, None).unwrap();
        assert_eq!(mode(&store), "wal");
        assert_eq!(
            count(&store, "SELECT count(*) FROM deals"),
            made.deals as i64
        );

        // Another connection keeps the file in WAL mode; the load goes on in it.
        let shared = dir.path().join("shared.db");
        let mut store = Store::open(&shared, fixed_clock()).unwrap();
        let other = Store::open(&shared, fixed_clock()).unwrap();
        let made = generate(&mut store, None).unwrap();
        assert_eq!(mode(&store), "wal");
        assert_eq!(
            count(&other, "SELECT count(*) FROM deals"),
            made.deals as i64
        );
    }

    #[test]
    fn a_scale_of_nothing_is_refused_and_writes_nothing() {
        let mut store = memory_store();
        let err = generate(&mut store, Some(0)).unwrap_err();
        assert!(err.to_string().contains("give 1 or more"), "{err}");
        assert!(store.is_empty().unwrap());
    }

    #[test]
    fn a_database_with_data_is_refused() {
        let (mut store, _) = demo_store(None);
        let err = generate(&mut store, None).unwrap_err();
        assert!(err.to_string().contains("already has"));
    }
}
