//! The tables that hold domain data and the fields a write may set: the one list that the
//! mutation path, the bulk load and the team-file merge all build their SQL from, so a
//! table or field name in a statement never comes from input.

/// The tables that hold domain data, with the fields a write may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Members,
    Pipelines,
    Stages,
    Customers,
    Contacts,
    CustomerTags,
    Deals,
    StageChanges,
    Activities,
    ListItems,
    FieldDefs,
    FieldValues,
}

impl Table {
    pub const ALL: [Table; 12] = [
        Table::Members,
        Table::Pipelines,
        Table::Stages,
        Table::Customers,
        Table::Contacts,
        Table::CustomerTags,
        Table::Deals,
        Table::StageChanges,
        Table::Activities,
        Table::ListItems,
        Table::FieldDefs,
        Table::FieldValues,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Members => "members",
            Table::Pipelines => "pipelines",
            Table::Stages => "stages",
            Table::Customers => "customers",
            Table::Contacts => "contacts",
            Table::CustomerTags => "customer_tags",
            Table::Deals => "deals",
            Table::StageChanges => "stage_changes",
            Table::Activities => "activities",
            Table::ListItems => "list_items",
            Table::FieldDefs => "field_defs",
            Table::FieldValues => "field_values",
        }
    }

    /// Every column but `id`.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Table::Members => &["name", "email", "created_at", "updated_at", "deleted_at"],
            Table::Pipelines => &["name", "position", "created_at", "updated_at", "deleted_at"],
            Table::Stages => &[
                "name",
                "position",
                "probability",
                "rot_days",
                "created_at",
                "updated_at",
                "deleted_at",
                "pipeline_id",
                "moved_to",
            ],
            Table::Customers => &[
                "name",
                "kind",
                "industry",
                "region",
                "tier",
                "status",
                "owner_id",
                "satisfaction",
                "source",
                "website",
                "notes",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::Contacts => &[
                "customer_id",
                "name",
                "title",
                "phone",
                "email",
                "is_primary",
                "notes",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::CustomerTags => &[
                "customer_id",
                "tag",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::Deals => &[
                "title",
                "customer_id",
                "contact_id",
                "stage_id",
                "status",
                "amount_minor",
                "currency",
                "expected_close",
                "source",
                "owner_id",
                "lost_reason",
                "closed_at",
                "position",
                "notes",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::StageChanges => &[
                "deal_id",
                "from_stage_id",
                "to_stage_id",
                "from_status",
                "to_status",
                "at",
                "by",
                "deleted_at",
            ],
            Table::Activities => &[
                "kind",
                "subject",
                "body",
                "deal_id",
                "customer_id",
                "contact_id",
                "due_at",
                "done_at",
                "outcome",
                "owner_id",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::ListItems => &[
                "list",
                "name",
                "position",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::FieldDefs => &[
                "entity",
                "name",
                "type",
                "choices",
                "required",
                "position",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::FieldValues => &[
                "field_id",
                "record_id",
                "value",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
        }
    }

    /// One row of the table, for messages: "no activity matches …".
    pub fn singular(self) -> &'static str {
        match self {
            Table::Members => "member",
            Table::Pipelines => "pipeline",
            Table::Stages => "stage",
            Table::Customers => "customer",
            Table::Contacts => "contact",
            Table::CustomerTags => "customer tag",
            Table::Deals => "deal",
            Table::StageChanges => "stage change",
            Table::Activities => "activity",
            Table::ListItems => "list entry",
            Table::FieldDefs => "custom field",
            Table::FieldValues => "custom field value",
        }
    }

    /// Whether rows carry `created_at` and `updated_at` (history rows are written once).
    pub(crate) fn has_timestamps(self) -> bool {
        self != Table::StageChanges
    }

    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }
}
