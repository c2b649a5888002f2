//! The command line, as clap derive types. `salesdesk` with no subcommand opens the TUI;
//! each subcommand does one job and exits. See DESIGN §4.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};

use crate::commands::completion;
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{CustomerKind, CustomerStatus, Tier};
use crate::domain::deal::DealStatus;
use crate::domain::stage::DEFAULT_STAGES;

// What arguments used by several commands say in `--help`. Each is one whole sentence
// (without the final stop, as clap shows a one-line doc comment), so that it can move
// into a message catalogue as it is.
const DEAL_REF: &str =
    "The deal: its title (any case), its short id as lists show it, or its full id";
const DELETED_DEAL_REF: &str = "The deleted deal: its title, short id or full id";
const CUSTOMER_REF: &str =
    "The customer: its name (any case), its short id as lists show it, or its full id";
const DELETED_CUSTOMER_REF: &str = "The deleted customer: its name, short id or full id";
const CURRENCY: &str = "An ISO 4217 currency code such as EUR, USD or CNY (default: default_currency in the config, or the deal's)";
const SOURCE: &str = "Where it came from: referral, website, trade fair …";
const NOTES: &str = "Free text kept with the record";
const PIPELINE_REF: &str = "The pipeline: its name (any case) or id";
const STAGE_PIPELINE: &str =
    "The pipeline the stage is in (needed when two pipelines have a stage of that name)";
const PROBABILITY: &str =
    "The chance that a deal in this stage is won, in percent (0 to 100); it weighs the pipeline";
const ROT_DAYS: &str =
    "Days without activity after which an open deal here is flagged as rotting (0 to 36500)";

/// `--stage` in `deal add --help`: the stages of a new book, from the domain's list.
fn stage_help() -> String {
    let names: Vec<&str> = DEFAULT_STAGES.iter().map(|(_, name, _, _)| *name).collect();
    format!(
        "The stage to start in (default: the first); a new book's stages: {}",
        names.join(", ")
    )
}

/// Completion candidates from a fixed list of the domain's words.
fn words(list: Vec<&'static str>) -> ArgValueCandidates {
    ArgValueCandidates::new(move || list.iter().map(|w| CompletionCandidate::new(*w)).collect())
}

fn activity_kinds() -> ArgValueCandidates {
    words(ActivityKind::ALL.iter().map(|k| k.as_str()).collect())
}

fn tiers() -> ArgValueCandidates {
    words(Tier::ALL.iter().map(|t| t.as_str()).collect())
}

fn customer_statuses() -> ArgValueCandidates {
    words(CustomerStatus::ALL.iter().map(|s| s.as_str()).collect())
}

fn customer_kinds() -> ArgValueCandidates {
    words(CustomerKind::ALL.iter().map(|k| k.as_str()).collect())
}

fn deal_statuses() -> ArgValueCandidates {
    words(DealStatus::ALL.iter().map(|s| s.as_str()).collect())
}

#[derive(Debug, Parser)]
#[command(
    name = "salesdesk",
    version,
    about = "A terminal CRM: a pipeline board for deals, a customers board for relationships.",
    long_about = "A terminal CRM: a pipeline board for deals, a customers board for relationships.\n\n\
                  With no subcommand SalesDesk opens the full-screen board; with one it does \
                  that job and exits, for scripts, cron and shell prompts.",
    after_help = TOP_EXAMPLES
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

const TOP_EXAMPLES: &str = "Examples:
  salesdesk                                   open the board
  salesdesk deal add \"ACME renewal\" --customer ACME --amount 12000 --close +3w
  salesdesk remind || echo \"something is overdue\"
  salesdesk deal show \"ACME renewal\" --json

Exit status: 0 done; 1 an error (or, for remind, something overdue); 2 a record named that
is unknown or ambiguous, or a command line clap cannot read. With --json an error is a JSON
object on standard error: {\"error\": {\"kind\", \"message\", \"candidates\"}}.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Deals: the pipeline.
    #[command(subcommand)]
    Deal(DealCmd),
    /// Customers: the relationships.
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// Pipelines: a sales process each, with its own stages.
    #[command(subcommand, after_help = PIPELINE_EXAMPLES)]
    Pipeline(PipelineCmd),
    /// The stages of a pipeline: its board's columns.
    #[command(subcommand, after_help = STAGE_EXAMPLES)]
    Stage(StageCmd),
    /// The lost reasons the team keeps in the book (the lost picker offers them).
    #[command(subcommand, after_help = REASON_EXAMPLES)]
    Reason(ListCmd),
    /// The deal sources the team keeps in the book (deal forms suggest them).
    #[command(subcommand, after_help = SOURCE_EXAMPLES)]
    Source(ListCmd),
    /// Custom fields: the book's own fields on deals, customers and contacts.
    #[command(subcommand, after_help = FIELD_EXAMPLES)]
    Field(FieldCmd),
    /// The people at a customer.
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Calls, emails, meetings, visits, notes — logged or scheduled.
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// Overdue and today's reminders, and customers due a revisit. Exits 1 when
    /// anything is overdue.
    #[command(after_help = REMIND_EXAMPLES)]
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
    #[command(after_help = "Examples:\n  salesdesk search acme\n  salesdesk search 华为 --json")]
    Search {
        /// What to look for (any text; quotes and operators are taken literally).
        text: Vec<String>,
    },
    /// Pipeline and customer figures for a period: win rate, cycle, funnel, forecast, churn.
    #[command(
        after_help = "Examples:\n  salesdesk report\n  salesdesk report --period quarter --json\n  salesdesk report --pipeline Renewals"
    )]
    Report {
        /// month, quarter, year or all (this month, quarter or year, in local time), or a
        /// particular one: 2026-10 (a month), 2026-Q3 (a quarter), 2026 (a year).
        #[arg(long, default_value = "month", add = words(vec!["month", "quarter", "year", "all"]))]
        period: String,
        /// Only the deals of this pipeline (its name or id); customer figures stay the
        /// whole book's. Default: every pipeline, each with its own stage conversion.
        #[arg(long, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
    },
    /// Fill a new database with demo data.
    Demo {
        /// Generate N deals (with N/5 customers and 2N activities) instead of the small demo.
        #[arg(long, value_name = "N")]
        scale: Option<std::num::NonZeroUsize>,
    },
    /// Copy the database to FILE (safe while SalesDesk is running).
    Backup {
        /// Where to write the copy; it must not exist yet.
        file: PathBuf,
    },
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
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(ExportArgs),
    /// Print the script that makes a shell complete SalesDesk's subcommands, options, deal
    /// titles, customer names and stages.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: Shell,
        /// Print a fixed script made from the command definitions (subcommands and
        /// options only, never running salesdesk), instead of the one that asks salesdesk
        /// on each Tab and so also completes names from the database.
        #[arg(long = "static")]
        fixed: bool,
    },
    /// Print the manual page (roff), or a subcommand's, or write them all to a directory.
    #[command(after_help = MAN_EXAMPLES)]
    Man {
        /// A subcommand as you would run it (`deal add`), or its page name (`deal-add`);
        /// none for the main page.
        #[arg(conflicts_with = "dir")]
        subcommand: Vec<String>,
        /// Write every page (salesdesk.1, salesdesk-deal.1, salesdesk-deal-add.1 …) into
        /// DIR instead, e.g. a package's share/man/man1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// A shell `salesdesk completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

const REMIND_EXAMPLES: &str = "Examples:
  salesdesk remind || echo \"something is overdue\"
  salesdesk remind --count                         in a shell prompt
  salesdesk remind --format '{overdue} overdue, {today} today'";

const EXPORT_EXAMPLES: &str = "Examples:
  salesdesk export deals -o deals.xlsx
  salesdesk export customers --format json > customers.json
  salesdesk export ics -o ~/Dropbox/follow-ups.ics";

const COMPLETIONS_EXAMPLES: &str = "Install:
  bash   echo 'source <(salesdesk completions bash)' >> ~/.bashrc
  zsh    echo 'source <(salesdesk completions zsh)' >> ~/.zshrc
  fish   salesdesk completions fish > ~/.config/fish/completions/salesdesk.fish
  elvish echo 'eval (salesdesk completions elvish | slurp)' >> ~/.config/elvish/rc.elv
  powershell: add `salesdesk completions powershell | Out-String | Invoke-Expression` to $PROFILE

Names are read from the database of the command line's --db, else SALESDESK_DB, else the
default one, read-only.";

const MAN_EXAMPLES: &str = "Examples:
  salesdesk man | man -l -
  salesdesk man deal add | man -l -
  salesdesk man --dir /usr/local/share/man/man1";

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
    /// What to write.
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// csv, json or xlsx (default: from the -o file's extension, else csv).
    #[arg(long, add = words(vec!["csv", "json", "xlsx"]))]
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
                | Command::Field(FieldCmd::Add { .. })
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
                | Command::Pipeline(PipelineCmd::List)
                | Command::Stage(StageCmd::List { .. })
                | Command::Reason(ListCmd::List)
                | Command::Source(ListCmd::List)
                | Command::Field(FieldCmd::List { .. })
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
    #[command(after_help = DEAL_ADD_EXAMPLES)]
    Add {
        /// What the deal is, e.g. "ACME renewal 2027"; how you name it later.
        title: String,
        /// Who it sells to: an existing customer's name, short id or id, or a new name,
        /// which adds the customer as a prospect.
        #[arg(long, add = ArgValueCompleter::new(completion::customers))]
        customer: String,
        /// e.g. 12500, 12,500.50 or "12500 USD".
        // Hyphen values reach the money parser, which says why `-3` is refused.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long, help = CURRENCY)]
        currency: Option<String>,
        #[arg(long, help = stage_help(), add = ArgValueCompleter::new(completion::stages))]
        stage: Option<String>,
        /// The pipeline to add it to (default: the first); --stage is then one of its stages.
        #[arg(long, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
        /// Expected close: YYYY-MM-DD, +2w, tomorrow, next friday.
        #[arg(long)]
        close: Option<String>,
        #[arg(long, help = SOURCE)]
        source: Option<String>,
        #[arg(long, help = NOTES)]
        notes: Option<String>,
        /// The team member it is for (their name, short id or id; default: me); a new
        /// customer it names is theirs too.
        #[arg(long)]
        owner: Option<String>,
        /// A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// List deals.
    #[command(after_help = DEAL_LIST_EXAMPLES)]
    List {
        /// Only deals in this stage.
        #[arg(long, add = ArgValueCompleter::new(completion::stages))]
        stage: Option<String>,
        /// Only deals in this pipeline (its name or id).
        #[arg(long, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
        /// open, won or lost.
        #[arg(long, add = deal_statuses())]
        status: Option<String>,
        /// Only this customer's deals (its name, short id or id).
        #[arg(long, add = ArgValueCompleter::new(completion::customers))]
        customer: Option<String>,
        /// Only records whose custom field NAME holds VALUE (repeatable; all must hold).
        #[arg(long = "where", value_name = "NAME=VALUE")]
        where_: Vec<String>,
    },
    /// Show one deal with its history and activities.
    Show {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
    },
    /// Change a deal's fields.
    #[command(after_help = DEAL_EDIT_EXAMPLES)]
    Edit {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
        /// The new title.
        #[arg(long)]
        title: Option<String>,
        /// The new amount, e.g. 12500, 12,500.50 or "12500 USD".
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long, help = CURRENCY)]
        currency: Option<String>,
        /// Expected close (or "none" to clear it).
        #[arg(long)]
        close: Option<String>,
        /// Where it came from ("none" clears it).
        #[arg(long)]
        source: Option<String>,
        /// Free text kept with the deal ("none" clears it).
        #[arg(long)]
        notes: Option<String>,
        /// Give the deal to another customer (its name, short id or id).
        #[arg(long, add = ArgValueCompleter::new(completion::customers))]
        customer: Option<String>,
        /// Give the deal to another team member (their name, short id or id).
        #[arg(long)]
        owner: Option<String>,
        /// A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// Move an open deal to a stage; a stage of another pipeline moves it to that pipeline.
    #[command(
        after_help = "Examples:\n  salesdesk deal move \"ACME renewal\" Proposal\n  salesdesk deal move \"ACME renewal\" Proposal --pipeline Renewals"
    )]
    Move {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
        /// The stage to move it to (its name, any case).
        #[arg(add = ArgValueCompleter::new(completion::stages))]
        stage: String,
        /// The pipeline of that stage, when two pipelines have a stage of that name.
        #[arg(long, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
    },
    /// Mark a deal won.
    Win {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
    },
    /// Mark a deal lost (a reason is required).
    #[command(after_help = "Example:\n  salesdesk deal lose \"ACME renewal\" --reason price")]
    Lose {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
        /// Why it was lost: price, timing, competitor … (required).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Reopen a won or lost deal.
    Reopen {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
        /// The stage to reopen it in (default: the one it left from).
        #[arg(long, add = ArgValueCompleter::new(completion::stages))]
        stage: Option<String>,
    },
    /// Delete a deal (it can be restored).
    Delete {
        #[arg(help = DEAL_REF, add = ArgValueCompleter::new(completion::deals))]
        reference: String,
    },
    /// Restore a deleted deal.
    Restore {
        #[arg(help = DELETED_DEAL_REF, add = ArgValueCompleter::new(completion::deleted_deals))]
        reference: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PipelineCmd {
    /// List the pipelines with their stages and open deals.
    List,
    /// Add a pipeline, with the default stages to rename, reorder or delete.
    Add {
        /// The new pipeline's name, e.g. Renewals.
        name: String,
    },
    /// Rename a pipeline.
    Rename {
        #[arg(help = PIPELINE_REF, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: String,
        /// Its new name.
        new_name: String,
    },
    /// Delete a pipeline with its stages; one that holds open deals needs --move-to.
    Delete {
        #[arg(help = PIPELINE_REF, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: String,
        /// The pipeline its open deals go to, each into the stage of the same name there,
        /// else its first stage.
        #[arg(long, value_name = "PIPELINE", add = ArgValueCompleter::new(completion::pipelines))]
        move_to: Option<String>,
    },
}

const PIPELINE_EXAMPLES: &str = "Examples:
  salesdesk pipeline add Renewals
  salesdesk pipeline rename Sales \"New business\"
  salesdesk pipeline delete Renewals --move-to Sales";

#[derive(Debug, Subcommand)]
pub enum StageCmd {
    /// List the stages, pipeline by pipeline, in board order.
    List {
        /// Only this pipeline's stages.
        #[arg(long, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
    },
    /// Add a stage to a pipeline.
    Add {
        /// The new stage's name, unique in its pipeline, e.g. Demo.
        name: String,
        /// The pipeline to add it to (needed when the book has more than one).
        #[arg(long, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
        #[arg(long, help = PROBABILITY, allow_hyphen_values = true, default_value_t = 0)]
        probability: i64,
        #[arg(long, help = ROT_DAYS, allow_hyphen_values = true, default_value_t = crate::domain::stage::DEFAULT_ROT_DAYS)]
        rot_days: i64,
        /// The stage it comes after (default: it comes last).
        #[arg(long, value_name = "STAGE", add = ArgValueCompleter::new(completion::stages))]
        after: Option<String>,
    },
    /// Change a stage: its name, probability, rotting days or place on the board.
    Edit {
        /// The stage: its name (any case) or id.
        #[arg(add = ArgValueCompleter::new(completion::stages))]
        stage: String,
        #[arg(long, help = STAGE_PIPELINE, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
        /// Its new name.
        #[arg(long)]
        name: Option<String>,
        #[arg(long, help = PROBABILITY, allow_hyphen_values = true)]
        probability: Option<i64>,
        #[arg(long, help = ROT_DAYS, allow_hyphen_values = true)]
        rot_days: Option<i64>,
        /// Its place on the board, from 1 (the first column).
        #[arg(long, allow_hyphen_values = true)]
        position: Option<i64>,
    },
    /// Delete a stage; one that holds open deals needs --move-to.
    Delete {
        /// The stage: its name (any case) or id.
        #[arg(add = ArgValueCompleter::new(completion::stages))]
        stage: String,
        #[arg(long, help = STAGE_PIPELINE, add = ArgValueCompleter::new(completion::pipelines))]
        pipeline: Option<String>,
        /// The stage of the same pipeline its open deals go to (each gets a history row).
        #[arg(long, value_name = "STAGE", add = ArgValueCompleter::new(completion::stages))]
        move_to: Option<String>,
    },
}

/// `field …`: the book's custom fields.
#[derive(Debug, Subcommand)]
pub enum FieldCmd {
    /// List the custom fields, of one kind of record or of all.
    List {
        /// deal, customer or contact (default: all three).
        #[arg(add = field_entities())]
        entity: Option<String>,
    },
    /// Add a custom field.
    Add {
        /// deal, customer or contact: the records that get the field.
        #[arg(add = field_entities())]
        entity: String,
        /// The field's name, e.g. Budget or "Contract date" (unique among the entity's fields).
        name: String,
        /// text, number, money, date, yes/no, choice or multi-choice.
        #[arg(long = "type", value_name = "TYPE", add = field_types())]
        kind: String,
        /// The choices of a choice or multi-choice field, comma-separated: small,medium,large.
        #[arg(long, value_name = "A,B,C")]
        choices: Option<String>,
        /// Every new record must be given a value, and none may be cleared.
        #[arg(long)]
        required: bool,
    },
    /// Delete a custom field (values stay in the book; adding it again brings them back).
    Delete {
        /// deal, customer or contact.
        #[arg(add = field_entities())]
        entity: String,
        /// The field's name, in any case.
        name: String,
    },
}

const FIELD_EXAMPLES: &str = "Examples:
  salesdesk field add deal Budget --type money
  salesdesk field add customer Size --type choice --choices small,medium,large --required
  salesdesk deal edit \"ACME renewal\" --set Budget=\"20000 USD\"
  salesdesk customer list --where Size=large --json
  salesdesk field delete deal Budget";

fn field_entities() -> ArgValueCandidates {
    words(vec!["deal", "customer", "contact"])
}

fn field_types() -> ArgValueCandidates {
    words(
        crate::domain::field::FieldType::ALL
            .iter()
            .map(|t| t.label())
            .collect(),
    )
}

/// `reason …` and `source …`: one of the book's lists.
#[derive(Debug, Subcommand)]
pub enum ListCmd {
    /// List the entries, in the order they were added.
    List,
    /// Add an entry.
    Add {
        /// The entry, e.g. "price" or "trade fair".
        name: String,
    },
    /// Remove an entry (deals that name it keep their text).
    Delete {
        /// The entry, in any case.
        name: String,
    },
}

const REASON_EXAMPLES: &str = "Examples:
  salesdesk reason add price
  salesdesk reason list --json
  salesdesk reason delete price";

const SOURCE_EXAMPLES: &str = "Examples:
  salesdesk source add \"trade fair\"
  salesdesk source list";

const STAGE_EXAMPLES: &str = "Examples:
  salesdesk stage list --pipeline Sales
  salesdesk stage add Demo --pipeline Sales --probability 40 --rot-days 7 --after Qualified
  salesdesk stage edit Demo --name \"Live demo\" --position 2
  salesdesk stage delete Qualified --move-to Proposal";

const DEAL_ADD_EXAMPLES: &str = "Examples:
  salesdesk deal add \"ACME renewal\" --customer ACME --amount 12000 --stage Proposal --close +3w
  salesdesk deal add \"华为 pilot\" --customer 华为 --amount \"80000 CNY\" --source referral";

const DEAL_LIST_EXAMPLES: &str = "Examples:
  salesdesk deal list --stage Proposal
  salesdesk deal list --status won --customer ACME --json";

const DEAL_EDIT_EXAMPLES: &str = "Examples:
  salesdesk deal edit \"ACME renewal\" --amount \"15000 USD\" --close 2027-01-31
  salesdesk deal edit \"ACME renewal\" --close none";

#[derive(Debug, Args)]
pub struct CustomerFields {
    /// key, normal or low.
    #[arg(long, add = tiers())]
    pub tier: Option<String>,
    /// prospect, active, at_risk or churned.
    #[arg(long, add = customer_statuses())]
    pub status: Option<String>,
    /// company or person.
    #[arg(long, add = customer_kinds())]
    pub kind: Option<String>,
    /// The industry, e.g. Manufacturing.
    #[arg(long)]
    pub industry: Option<String>,
    /// The region or territory, e.g. EMEA or 华东.
    #[arg(long)]
    pub region: Option<String>,
    /// The website.
    #[arg(long)]
    pub website: Option<String>,
    #[arg(long, help = SOURCE)]
    pub source: Option<String>,
    #[arg(long, help = NOTES)]
    pub notes: Option<String>,
    /// Add a tag (repeatable).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Add a customer.
    #[command(after_help = CUSTOMER_ADD_EXAMPLES)]
    Add {
        /// The company's or person's name.
        name: String,
        #[command(flatten)]
        fields: CustomerFields,
        /// The team member who owns it (their name, short id or id; default: me).
        #[arg(long)]
        owner: Option<String>,
    },
    /// List customers.
    #[command(
        after_help = "Examples:\n  salesdesk customer list --status at_risk\n  salesdesk customer list --tier key --json"
    )]
    List {
        /// Only customers with this status: prospect, active, at_risk or churned.
        #[arg(long, add = customer_statuses())]
        status: Option<String>,
        /// Only customers of this tier: key, normal or low.
        #[arg(long, add = tiers())]
        tier: Option<String>,
        /// Only records whose custom field NAME holds VALUE (repeatable; all must hold).
        #[arg(long = "where", value_name = "NAME=VALUE")]
        where_: Vec<String>,
    },
    /// Show a customer's profile, contacts, deals and history.
    Show {
        #[arg(help = CUSTOMER_REF, add = ArgValueCompleter::new(completion::customers))]
        reference: String,
    },
    /// Change a customer's profile.
    #[command(
        after_help = "Examples:\n  salesdesk customer edit ACME --tier key --tag VIP\n  salesdesk customer edit ACME --satisfaction 4 --untag \"at risk\""
    )]
    Edit {
        #[arg(help = CUSTOMER_REF, add = ArgValueCompleter::new(completion::customers))]
        reference: String,
        /// The new name.
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
        /// Give the customer to another team member (their name, short id or id); in a
        /// team in PostgreSQL, the customer and its deals then sync to them.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Delete a customer (it can be restored).
    Delete {
        #[arg(help = CUSTOMER_REF, add = ArgValueCompleter::new(completion::customers))]
        reference: String,
    },
    /// Restore a deleted customer.
    Restore {
        #[arg(help = DELETED_CUSTOMER_REF, add = ArgValueCompleter::new(completion::deleted_customers))]
        reference: String,
    },
}

const CUSTOMER_ADD_EXAMPLES: &str = "Examples:
  salesdesk customer add \"ACME Industrial\" --tier key --industry Manufacturing --tag VIP
  salesdesk customer add \"Li Wei\" --kind person --region 华东 --source referral";

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Add a contact to a customer.
    #[command(
        after_help = "Example:\n  salesdesk contact add ACME \"Li Wei\" --title CTO --email li.wei@acme.example --primary"
    )]
    Add {
        #[arg(help = CUSTOMER_REF, add = ArgValueCompleter::new(completion::customers))]
        customer: String,
        /// The person's name.
        name: String,
        /// Their job title, e.g. Purchasing manager.
        #[arg(long)]
        title: Option<String>,
        /// Their email address.
        #[arg(long)]
        email: Option<String>,
        /// Their phone number.
        #[arg(long)]
        phone: Option<String>,
        /// Make this the primary contact.
        #[arg(long)]
        primary: bool,
        /// A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// List a customer's contacts.
    List {
        #[arg(help = CUSTOMER_REF, add = ArgValueCompleter::new(completion::customers))]
        customer: String,
        /// Only records whose custom field NAME holds VALUE (repeatable; all must hold).
        #[arg(long = "where", value_name = "NAME=VALUE")]
        where_: Vec<String>,
    },
    /// Remove a contact.
    Delete {
        /// The contact: its short id, full id or unique name.
        reference: String,
    },
    /// Change a contact.
    Edit {
        /// The contact: its short id, full id or unique name.
        reference: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new job title ("none" clears it).
        #[arg(long)]
        title: Option<String>,
        /// The new email address ("none" clears it).
        #[arg(long)]
        email: Option<String>,
        /// The new phone number ("none" clears it).
        #[arg(long)]
        phone: Option<String>,
        /// Make this the primary contact.
        #[arg(long)]
        primary: bool,
        /// A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct About {
    /// The deal it is about (its title, short id or id).
    #[arg(long, add = ArgValueCompleter::new(completion::deals))]
    pub deal: Option<String>,
    /// The customer it is about (its name, short id or id).
    #[arg(long, add = ArgValueCompleter::new(completion::customers))]
    pub customer: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ActivityCmd {
    /// Log something that happened.
    #[command(after_help = ACTIVITY_LOG_EXAMPLES)]
    Log {
        #[command(flatten)]
        about: About,
        /// call, email, meeting, visit, task, note, complaint or service.
        #[arg(long, add = activity_kinds())]
        kind: String,
        /// What it was, in a line: "Called Li Wei about the quote".
        subject: String,
        /// The details: what was said, agreed, promised.
        #[arg(long)]
        body: Option<String>,
        /// When it happened, if not just now: "yesterday 15:00", "2026-11-27 10:00", -2h.
        #[arg(long, allow_hyphen_values = true)]
        at: Option<String>,
    },
    /// Schedule a reminder.
    #[command(after_help = ACTIVITY_SCHEDULE_EXAMPLES)]
    Schedule {
        #[command(flatten)]
        about: About,
        /// RFC 3339, "YYYY-MM-DD HH:MM", "HH:MM", "tomorrow 09:00", "mon 9:00", +2h, +3d, +1w.
        #[arg(long)]
        due: String,
        /// call, email, meeting, visit, task, note, complaint or service.
        #[arg(long, default_value = "call", add = activity_kinds())]
        kind: String,
        /// What to do, in a line: "Send the revised quote".
        subject: String,
    },
    /// Mark a reminder done.
    #[command(
        after_help = "Example:\n  salesdesk activity done 3f9a1c2e --outcome \"They want a pilot in March\""
    )]
    Done {
        /// The reminder: its short id (as `activity list` and `remind` show it) or full id.
        reference: String,
        /// What came of it, kept with the activity.
        #[arg(long)]
        outcome: Option<String>,
    },
    /// Change an activity's kind, subject or due time.
    Edit {
        /// The activity: its short id (as lists show it) or full id.
        reference: String,
        /// call, email, meeting, visit, task, note, complaint or service.
        #[arg(long, add = activity_kinds())]
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
        /// Only this deal's activities (its title, short id or id).
        #[arg(long, add = ArgValueCompleter::new(completion::deals))]
        deal: Option<String>,
        /// Only this customer's activities (its name, short id or id).
        #[arg(long, add = ArgValueCompleter::new(completion::customers))]
        customer: Option<String>,
        /// Only open reminders.
        #[arg(long)]
        open: bool,
    },
}

const ACTIVITY_LOG_EXAMPLES: &str = "Examples:
  salesdesk activity log --deal \"ACME renewal\" --kind call \"Talked budget with Li Wei\"
  salesdesk activity log --customer ACME --kind visit --at \"yesterday 15:00\" \"Site visit\"";

const ACTIVITY_SCHEDULE_EXAMPLES: &str = "Examples:
  salesdesk activity schedule --deal \"ACME renewal\" --due \"tomorrow 10:00\" \"Call Li Wei\"
  salesdesk activity schedule --customer ACME --due +1w --kind visit \"Quarterly review\"";

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
    /// folder) or a team in a PostgreSQL database (postgres://USER@HOST/DB) from this
    /// database, and link to it.
    Init {
        /// Where to make the team file, e.g. ~/Dropbox/sales/team.salesdesk, or the
        /// database's URL, without a password (PGPASSWORD or ~/.pgpass gives it).
        path: PathBuf,
    },
    /// Link this database to the team file or PostgreSQL team a teammate made, and sync.
    Join {
        /// The team file, once the sync service has brought it, or the database's URL.
        path: PathBuf,
    },
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
        /// theirs: keep the teammate's value (already in place); mine: write yours back.
        #[arg(long, value_parser = ["theirs", "mine"])]
        keep: String,
    },
    /// Move the team from its team file to a PostgreSQL database: syncs the file, makes
    /// the team there from everything, and links to it. Teammates then `team join` it.
    MoveTo {
        /// The database's URL, postgres://USER@HOST/DB (the password in PGPASSWORD or
        /// ~/.pgpass).
        url: String,
    },
    /// Add a member to a team in PostgreSQL: makes their login (an admin's job).
    AddMember {
        /// Their PostgreSQL login name, e.g. wei.
        name: String,
        /// rep: their own customers and deals; manager: everything; admin: also members.
        #[arg(long, value_parser = ["rep", "manager", "admin"])]
        role: String,
        /// A file holding their password (else one is made and printed once).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        /// The teammate they already are (name or id, as `team status` lists members):
        /// needed for those who synced through the team file before `team move-to`.
        #[arg(long)]
        member: Option<String>,
    },
    /// Change what a member of a team in PostgreSQL may see and do.
    Role {
        /// Their PostgreSQL login name.
        name: String,
        /// rep: their own customers and deals; manager: everything; admin: also members.
        #[arg(value_parser = ["rep", "manager", "admin"])]
        role: String,
    },
    /// Remove a member from a team in PostgreSQL: their login can no longer sync.
    RemoveMember {
        /// Their PostgreSQL login name.
        name: String,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    /// Every argument and option of every subcommand, as `salesdesk deal add --customer`.
    fn undescribed(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let described = arg
                .get_help()
                .is_some_and(|h| !h.to_string().trim().is_empty());
            if !described {
                out.push(format!("{path} {arg}"));
            }
        }
        for sub in cmd.get_subcommands() {
            undescribed(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_argument_and_option_has_a_description() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        undescribed(&cmd, "salesdesk", &mut missing);
        assert!(missing.is_empty(), "no help for: {missing:#?}");
    }

    #[test]
    fn the_definitions_hold_together() {
        Cli::command().debug_assert();
    }

    #[test]
    fn deal_add_help_lists_the_stages_and_examples() {
        let mut cmd = Cli::command();
        let help = cmd
            .find_subcommand_mut("deal")
            .and_then(|d| d.find_subcommand_mut("add"))
            .map(|add| add.render_help().to_string())
            .unwrap_or_default();
        for (_, stage, _, _) in DEFAULT_STAGES {
            assert!(help.contains(stage), "{stage} missing from {help}");
        }
        assert!(help.contains("Examples:"), "{help}");
    }
}
