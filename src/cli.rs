//! The command line, as clap derive types. `salesdesk` with no subcommand opens the TUI;
//! each subcommand does one job and exits. See DESIGN §4.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "salesdesk",
    version,
    about = "A terminal CRM: a pipeline board for deals, a customers board for relationships."
)]
pub struct Cli {
    /// The database file (else $SALESDESK_DB, else the data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// Open the TUI on a new temporary database filled with demo data (removed on quit).
    #[arg(long, conflicts_with = "db")]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Deals: the pipeline.
    #[command(subcommand)]
    Deal(DealCmd),
    /// Customers: the relationships.
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// The people at a customer.
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Calls, emails, meetings, visits, notes — logged or scheduled.
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// Overdue and today's reminders, and customers due a revisit. Exits 1 when
    /// anything is overdue.
    Remind {
        /// Print only how many reminders are overdue or due today (for a shell prompt).
        #[arg(long, conflicts_with = "format")]
        count: bool,
        /// Print one line from a template: `{overdue}` and `{today}` are replaced by the
        /// counts, e.g. --format '{overdue} {today}' (for a tmux status line).
        #[arg(long, value_name = "TEMPLATE")]
        format: Option<String>,
        /// List every reminder and revisit, not only the first ten of each.
        #[arg(long, conflicts_with_all = ["count", "format"])]
        all: bool,
    },
    /// Search deals, customers, contacts and activities.
    Search {
        /// What to look for (any text; quotes and operators are taken literally).
        text: Vec<String>,
    },
    /// Pipeline and customer figures for a period: win rate, cycle, funnel, forecast, churn.
    Report {
        /// month, quarter, year or all (this month, quarter or year, in local time), or a
        /// particular one: 2026-10 (a month), 2026-Q3 (a quarter), 2026 (a year).
        #[arg(long, default_value = "month")]
        period: String,
    },
    /// Fill a new database with demo data.
    Demo {
        /// Generate N deals (with N/5 customers and 2N activities) instead of the small demo.
        #[arg(long, value_name = "N")]
        scale: Option<std::num::NonZeroUsize>,
    },
    /// Copy the database to FILE (safe while SalesDesk is running).
    Backup { file: PathBuf },
    /// Show where the config is, or what it says.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Share the data with a team through a team file in a synced folder.
    #[command(subcommand)]
    Team(TeamCmd),
    /// Sync with the team file now: merge teammates' changes in, write the result back.
    Sync,
    /// Bring a book in: deals, customers, contacts or activities from CSV, Excel or
    /// vCard (exports of Pipedrive, HubSpot and Salesforce are recognised).
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),
    /// Take the book out: CSV (opens in Excel), JSON, Excel, vCard contacts or a
    /// calendar of follow-ups.
    Export(ExportArgs),
}

const IMPORT_EXAMPLES: &str = "Examples:
  salesdesk import deals pipedrive-deals.csv --dry-run
  salesdesk import deals book.xlsx --map book-map.toml --on-error skip
  salesdesk import contacts phone.vcf
  salesdesk import customers kunden.csv --encoding windows-1252";

/// What an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportWhat {
    Deals,
    Customers,
    Contacts,
    Activities,
}

impl ImportWhat {
    pub fn entity(self) -> crate::interop::map::Entity {
        use crate::interop::map::Entity;
        match self {
            ImportWhat::Deals => Entity::Deals,
            ImportWhat::Customers => Entity::Customers,
            ImportWhat::Contacts => Entity::Contacts,
            ImportWhat::Activities => Entity::Activities,
        }
    }
}

/// Whose export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// Recognise Pipedrive, HubSpot or Salesforce by the headers, else generic.
    Auto,
    Pipedrive,
    Hubspot,
    Salesforce,
    /// A header row naming the fields (title, customer, amount …), or a --map.
    Generic,
}

impl ImportFormat {
    pub fn format(self) -> crate::interop::map::Format {
        use crate::interop::map::Format;
        match self {
            ImportFormat::Auto => Format::Auto,
            ImportFormat::Pipedrive => Format::Pipedrive,
            ImportFormat::Hubspot => Format::Hubspot,
            ImportFormat::Salesforce => Format::Salesforce,
            ImportFormat::Generic => Format::Generic,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnErrorArg {
    /// Any bad row stops the import; nothing is written.
    Stop,
    /// Import the good rows and list the bad ones.
    Skip,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub what: ImportWhat,
    /// A .csv (comma, semicolon or tab; UTF-8, GBK or Windows-1252), an .xlsx workbook
    /// (first sheet), or a .vcf of contacts.
    pub file: PathBuf,
    /// Whose export the file is.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: ImportFormat,
    /// A TOML map: [columns] field = "column", [stages] "value" = "stage" / "won" /
    /// "lost", [defaults] currency, customer, date_format, stage.
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<PathBuf>,
    /// Show what would be created, updated and refused; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// What a bad row does: stop (nothing is written) or skip (the rest is written).
    #[arg(long, value_enum, default_value = "stop")]
    pub on_error: OnErrorArg,
    /// The text encoding of a CSV file (utf-8, gbk, gb18030, windows-1252 …); detected
    /// when not given.
    #[arg(long)]
    pub encoding: Option<String>,
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportWhat {
    Deals,
    Customers,
    Contacts,
    Activities,
    /// Contacts as vCard 4.0, the customer as the organisation.
    Vcard,
    /// Open follow-ups as an iCalendar file (events with alarms).
    Ics,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// csv, json or xlsx (default: from the -o file's extension, else csv).
    #[arg(long)]
    pub format: Option<String>,
    /// The file to write (default: standard output; an .xlsx needs a file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl Command {
    /// Whether the command may start a new database at a path where there is none: only
    /// one that puts something into an empty book. Any other, run with a mistyped `--db`,
    /// would make an empty file there and answer as if the book were empty.
    pub fn may_create_database(&self) -> bool {
        matches!(
            self,
            Command::Demo { .. }
                | Command::Deal(DealCmd::Add { .. })
                | Command::Customer(CustomerCmd::Add { .. })
                | Command::Team(TeamCmd::Init { .. } | TeamCmd::Join { .. })
                | Command::Import(_)
        )
    }

    /// Whether the command only reads the database: it opens it read-only
    /// ([`crate::store::Store::open_read`]), so that it neither takes nor waits for the
    /// write lock a long sync or import holds.
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            Command::Deal(DealCmd::List { .. } | DealCmd::Show { .. })
                | Command::Customer(CustomerCmd::List { .. } | CustomerCmd::Show { .. })
                | Command::Contact(ContactCmd::List { .. })
                | Command::Activity(ActivityCmd::List { .. })
                | Command::Remind { .. }
                | Command::Search { .. }
                | Command::Report { .. }
                | Command::Backup { .. }
                | Command::Export(_)
                | Command::Team(TeamCmd::Status | TeamCmd::Conflicts { .. })
        )
    }
}

#[derive(Debug, Subcommand)]
pub enum DealCmd {
    /// Add a deal; a new customer name creates a prospect.
    Add {
        title: String,
        #[arg(long)]
        customer: String,
        /// e.g. 12500, 12,500.50 or "12500 USD".
        // Hyphen values reach the money parser, which says why `-3` is refused.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        /// Stage name (default: the first stage).
        #[arg(long)]
        stage: Option<String>,
        /// Expected close: YYYY-MM-DD, +2w, tomorrow, next friday.
        #[arg(long)]
        close: Option<String>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// List deals.
    List {
        #[arg(long)]
        stage: Option<String>,
        /// open, won or lost.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        customer: Option<String>,
    },
    /// Show one deal with its history and activities.
    Show { reference: String },
    /// Change a deal's fields.
    Edit {
        reference: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        /// Expected close (or "none" to clear it).
        #[arg(long)]
        close: Option<String>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        customer: Option<String>,
    },
    /// Move an open deal to a stage.
    Move { reference: String, stage: String },
    /// Mark a deal won.
    Win { reference: String },
    /// Mark a deal lost (a reason is required).
    Lose {
        reference: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Reopen a won or lost deal.
    Reopen {
        reference: String,
        #[arg(long)]
        stage: Option<String>,
    },
    /// Delete a deal (it can be restored).
    Delete { reference: String },
    /// Restore a deleted deal.
    Restore { reference: String },
}

#[derive(Debug, Args)]
pub struct CustomerFields {
    /// key, normal or low.
    #[arg(long)]
    pub tier: Option<String>,
    /// prospect, active, at_risk or churned.
    #[arg(long)]
    pub status: Option<String>,
    /// company or person.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub industry: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Add a tag (repeatable).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Add a customer.
    Add {
        name: String,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// List customers.
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        tier: Option<String>,
    },
    /// Show a customer's profile, contacts, deals and history.
    Show { reference: String },
    /// Change a customer's profile.
    Edit {
        reference: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: CustomerFields,
        /// Satisfaction 1–5.
        #[arg(long)]
        satisfaction: Option<i64>,
        /// Remove a tag (repeatable).
        #[arg(long = "untag", value_name = "T")]
        untag: Vec<String>,
    },
    /// Delete a customer (it can be restored).
    Delete { reference: String },
    /// Restore a deleted customer.
    Restore { reference: String },
}

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Add a contact to a customer.
    Add {
        customer: String,
        name: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Make this the primary contact.
        #[arg(long)]
        primary: bool,
    },
    /// List a customer's contacts.
    List { customer: String },
    /// Remove a contact.
    Delete {
        /// The contact: its short id, full id or unique name.
        reference: String,
    },
    /// Change a contact.
    Edit {
        reference: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        primary: bool,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct About {
    /// The deal it is about.
    #[arg(long)]
    pub deal: Option<String>,
    /// The customer it is about.
    #[arg(long)]
    pub customer: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ActivityCmd {
    /// Log something that happened.
    Log {
        #[command(flatten)]
        about: About,
        /// call, email, meeting, visit, task, note, complaint or service.
        #[arg(long)]
        kind: String,
        subject: String,
        #[arg(long)]
        body: Option<String>,
        /// When it happened, if not just now: "yesterday 15:00", "2026-11-27 10:00", -2h.
        #[arg(long, allow_hyphen_values = true)]
        at: Option<String>,
    },
    /// Schedule a reminder.
    Schedule {
        #[command(flatten)]
        about: About,
        /// RFC 3339, "YYYY-MM-DD HH:MM", "HH:MM", "tomorrow 09:00", "mon 9:00", +2h, +3d, +1w.
        #[arg(long)]
        due: String,
        #[arg(long, default_value = "call")]
        kind: String,
        subject: String,
    },
    /// Mark a reminder done.
    Done {
        reference: String,
        #[arg(long)]
        outcome: Option<String>,
    },
    /// Change an activity's kind, subject or due time.
    Edit {
        /// The activity: its short id (as lists show it) or full id.
        reference: String,
        /// call, email, meeting, visit, task, note, complaint or service.
        #[arg(long)]
        kind: Option<String>,
        /// The new subject.
        #[arg(long)]
        subject: Option<String>,
        /// When a reminder is due (as for `schedule`).
        #[arg(long)]
        due: Option<String>,
    },
    /// Delete an activity or reminder (it can be restored by undo in the TUI).
    Delete {
        /// The activity: its short id or full id.
        reference: String,
    },
    /// List activities (newest first).
    List {
        #[arg(long)]
        deal: Option<String>,
        #[arg(long)]
        customer: Option<String>,
        /// Only open reminders.
        #[arg(long)]
        open: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the config file's path.
    Path,
    /// Print the settings in force.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Make a team file (PATH ending in .salesdesk, e.g. in a Dropbox or Syncthing
    /// folder) from this database, and link to it.
    Init { path: PathBuf },
    /// Link this database to the team file a teammate made, and sync.
    Join { path: PathBuf },
    /// Show the team file, the last sync, the members and any pending conflicts.
    Status,
    /// Stop syncing; the team file and all data stay where they are.
    Leave,
    /// List your values that a teammate's change replaced.
    Conflicts {
        /// Also list the resolved ones.
        #[arg(long)]
        all: bool,
    },
    /// Resolve a conflict: keep their value, or restore yours.
    Resolve {
        /// The conflict's number, as `team conflicts` shows it.
        id: i64,
        #[arg(long, value_parser = ["theirs", "mine"])]
        keep: String,
    },
}
