//! Pipeline stages: the columns of the pipeline board. Won and lost are deal statuses,
//! not stages.

/// A pipeline column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub position: i64,
    /// Chance of closing, in percent (0–100); weights the pipeline.
    pub probability: i64,
    /// Days without activity after which an open deal here is *rotting*.
    pub rot_days: i64,
}

/// The stages a new database starts with. Their ids are fixed rather than random so that
/// two teammates' fresh databases agree on them when they first sync.
pub const DEFAULT_STAGES: [(&str, &str, i64, i64); 4] = [
    ("stage-lead", "Lead", 10, 14),
    ("stage-qualified", "Qualified", 25, 14),
    ("stage-proposal", "Proposal", 50, 10),
    ("stage-negotiation", "Negotiation", 75, 7),
];

impl Stage {
    /// Finds a stage by case-insensitive name or id; on failure names the valid ones.
    pub fn find<'a>(stages: &'a [Stage], name: &str) -> Result<&'a Stage, String> {
        let wanted = name.trim();
        stages
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(wanted) || s.id == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
                format!(
                    "no stage named '{wanted}'; the stages are {}",
                    names.join(", ")
                )
            })
    }
}
