//! One demo book as it is generated: customers with their contacts and tags, deals that
//! follow from each customer's status through the stages, and their activities, made a
//! batch at a time on a second thread while the first writes the batches.

use fastrand::Rng;

use super::pools::*;
use super::{Batch, CUSTOMERS_PER_BATCH, Generated};
use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::deal::DealStatus;
use crate::domain::ids::new_id;
use crate::domain::stage::Stage;
use crate::store::{Result, Store, Table, Write};

/// What the generator needs to know, fixed for one run.
pub(super) struct Book {
    pub(super) now: i64,
    /// The next local midnight: reminders "due later today" fall before it.
    pub(super) today_end: i64,
    pub(super) me: String,
    pub(super) stages: Vec<Stage>,
    pub(super) scale: Option<usize>,
    /// The pools' words in the book's language ([`Words::of_language`]).
    pub(super) words: Words,
}

/// The demo's own words (activity subjects and outcomes, sources, lost reasons, tags,
/// job titles, kinds of deal, industries and regions) in the language the book is made in: looked up once, not
/// per row. Company and people's names stay as the pools have them, from everywhere.
#[derive(Default)]
pub(super) struct Words(std::collections::HashMap<&'static str, String>);

impl Words {
    /// Every pool word the catalogue translates (`demo-word-…`); none in English.
    pub(super) fn of_language() -> Words {
        let mut map = std::collections::HashMap::new();
        if crate::i18n::current() == crate::i18n::Lang::En {
            return Words(map);
        }
        let steps = STAGE_STEPS.iter().flat_map(|s| s.iter().map(|(_, w)| *w));
        let all = steps
            .chain(FIXED_SUBJECTS.iter().copied())
            .chain(OUTCOMES.iter().copied())
            .chain(SOURCES.iter().copied())
            .chain(LOST_REASONS.iter().copied())
            .chain(OTHER_TAGS.iter().copied())
            .chain(TITLES.iter().copied())
            .chain(DEAL_KINDS.iter().copied())
            .chain(
                COMPANIES
                    .iter()
                    .flat_map(|(_, industry, region, _)| [*industry, *region]),
            )
            .chain(["existing customer", "at risk"]);
        for word in all {
            let key = format!("demo-word-{}", slug(word));
            if crate::i18n::has(crate::i18n::current(), &key) {
                map.insert(word, crate::i18n::message(&key, &[]));
            }
        }
        Words(map)
    }

    /// `word` in the book's language.
    fn say(&self, word: &str) -> String {
        self.0
            .get(word)
            .cloned()
            .unwrap_or_else(|| word.to_string())
    }
}

/// A pool word as a catalogue key's tail: "Went well; next step agreed" →
/// `went-well-next-step-agreed`.
fn slug(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Subjects the book writes besides the stages' steps.
const FIXED_SUBJECTS: [&str; 5] = [
    "Kick-off meeting",
    "Intro call",
    "Quarterly review",
    "Complaint about delivery",
    "Exit interview",
];

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
    pub(super) fn write(&self, store: &mut Store) -> Result<Generated> {
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

        let kind = self
            .words
            .say(DEAL_KINDS[(d + customer.name.len()) % DEAL_KINDS.len()]);
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
        let source = self.words.say(if d > 0 {
            "existing customer"
        } else {
            SOURCES[rng.usize(..SOURCES.len())]
        });
        let lost_reason = (status == DealStatus::Lost).then(|| {
            self.words
                .say(LOST_REASONS[rng.usize(..LOST_REASONS.len())])
        });
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
                .set("industry", self.words.say(c.industry))
                .set("region", self.words.say(c.region))
                .set("tier", c.tier.as_str().to_string())
                .set("status", c.status.as_str().to_string())
                .set("owner_id", self.me.clone())
                .set("satisfaction", satisfaction)
                .set(
                    "source",
                    self.words.say(SOURCES[rng.usize(..SOURCES.len())]),
                )
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
                    .set("title", self.words.say(TITLES[rng.usize(..TITLES.len())]))
                    .set("phone", format!("+1 555 {:04}", rng.u16(0..10_000)))
                    .set("email", std::mem::take(&mut contact.email))
                    .set("is_primary", k == 0)
                    .set("notes", None::<String>)
                    .set("created_at", created)
                    .set("updated_at", created),
            );
        }

        let mut tags: Vec<String> = Vec::new();
        if c.tier == Tier::Key && rng.u8(0..3) != 0 {
            tags.push("VIP".to_string());
        }
        if c.status == CustomerStatus::AtRisk {
            tags.push(self.words.say("at risk"));
        }
        if rng.u8(0..4) == 0 {
            tags.push(self.words.say(OTHER_TAGS[rng.usize(..OTHER_TAGS.len())]));
        }
        for tag in tags {
            batch.tags.push(
                Write::insert(
                    Table::CustomerTags,
                    format!("{}:{}", c.id, tag.to_lowercase()),
                )
                .set("customer_id", c.id.clone())
                .set("tag", tag)
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
        let outcome = done_at.map(|_| self.words.say(OUTCOMES[rng.usize(..OUTCOMES.len())]));
        Write::insert(Table::Activities, new_id())
            .set("kind", kind.to_string())
            .set("subject", self.words.say(subject))
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
