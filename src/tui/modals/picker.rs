//! Pick one of a list (lost reasons), or choose "Other…" to type one.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, ListItem, Paragraph};

use super::{Outcome, centered, render_choices, step_selection};
use crate::t;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme;

/// What the picker is choosing.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    LostReason {
        deal_id: String,
    },
    Satisfaction {
        customer_id: String,
    },
    RemoveTag {
        customer_id: String,
    },
    /// Snooze targets, as instants; the last option asks for a time.
    Snooze {
        activity_id: String,
        targets: Vec<i64>,
    },
    /// Where the open deals of a deleted stage or pipeline go, one per option (ids).
    DeleteTarget {
        id: String,
        pipeline: bool,
        targets: Vec<String>,
    },
    /// The pipeline the board shows, one per option (ids).
    ShowPipeline {
        ids: Vec<String>,
    },
    /// The pipeline Reports are for, one per option (ids; `None` for all of them).
    ReportPipeline {
        ids: Vec<Option<String>>,
    },
    /// A team member's new role, one per option.
    MemberRole {
        login: String,
        kinds: Vec<crate::sync::postgres::Kind>,
    },
    /// The stage to reopen a closed deal into, one per option.
    Reopen {
        deal_id: String,
        stages: Vec<crate::domain::stage::Stage>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub title: String,
    pub subtitle: String,
    pub options: Vec<String>,
    pub selected: usize,
    pub purpose: Purpose,
}

/// The last entry: type a reason instead.
pub fn other() -> String {
    t!("picker-other-reason")
}

/// The report pipeline picker's first option: every pipeline, each with its own funnel.
pub fn all_pipelines() -> String {
    t!("picker-all-pipelines")
}

impl Picker {
    /// Which stage to reopen a closed deal into; the stage it closed from first.
    pub fn reopen(
        deal: &crate::domain::deal::Deal,
        stages: &[crate::domain::stage::Stage],
    ) -> Picker {
        let mut stages = stages.to_vec();
        if let Some(i) = stages.iter().position(|s| s.id == deal.stage_id) {
            let closed_from = stages.remove(i);
            stages.insert(0, closed_from);
        }
        Picker {
            title: t!("picker-reopen-title"),
            subtitle: deal.title.clone(),
            options: stages
                .iter()
                .map(|s| {
                    t!(
                        "detail-stage-open",
                        stage = s.name.as_str(),
                        probability = s.probability
                    )
                })
                .collect(),
            selected: 0,
            purpose: Purpose::Reopen {
                deal_id: deal.id.clone(),
                stages,
            },
        }
    }

    /// Which pipeline the board shows; the one shown now is selected.
    pub fn pipeline(
        pipelines: &[crate::domain::stage::Pipeline],
        current: Option<&crate::domain::stage::Pipeline>,
    ) -> Picker {
        Picker {
            title: t!("picker-pipeline-title"),
            subtitle: t!("picker-pipeline-subtitle"),
            options: pipelines.iter().map(|p| p.name.clone()).collect(),
            selected: current
                .and_then(|c| pipelines.iter().position(|p| p.id == c.id))
                .unwrap_or(0),
            purpose: Purpose::ShowPipeline {
                ids: pipelines.iter().map(|p| p.id.clone()).collect(),
            },
        }
    }

    /// Which pipeline Reports are for: all of them (first, the default) or one.
    pub fn report_pipeline(
        pipelines: &[crate::domain::stage::Pipeline],
        current: Option<&str>,
    ) -> Picker {
        let ids: Vec<Option<String>> = std::iter::once(None)
            .chain(pipelines.iter().map(|p| Some(p.id.clone())))
            .collect();
        Picker {
            title: t!("picker-report-pipeline-title"),
            subtitle: t!("picker-report-pipeline-subtitle"),
            options: std::iter::once(all_pipelines())
                .chain(pipelines.iter().map(|p| p.name.clone()))
                .collect(),
            selected: ids
                .iter()
                .position(|id| id.as_deref() == current)
                .unwrap_or(0),
            purpose: Purpose::ReportPipeline { ids },
        }
    }

    /// A member's new role; the one they have selected.
    pub fn member_role(login: &str, current: &str) -> Picker {
        use crate::sync::postgres::Kind;
        let kinds = vec![Kind::Rep, Kind::Manager, Kind::Admin];
        Picker {
            title: t!("picker-member-role-title"),
            subtitle: login.to_string(),
            options: kinds
                .iter()
                .map(|k| crate::i18n::noun(k.as_str()))
                .collect(),
            selected: kinds
                .iter()
                .position(|k| k.as_str() == current)
                .unwrap_or(0),
            purpose: Purpose::MemberRole {
                login: login.to_string(),
                kinds,
            },
        }
    }

    /// Where the deals of a stage or pipeline being deleted go: `targets` are (id, name).
    pub fn delete_target(
        title: String,
        targets: Vec<(String, String)>,
        id: String,
        pipeline: bool,
    ) -> Picker {
        Picker {
            title,
            subtitle: t!("picker-delete-target-subtitle"),
            options: targets.iter().map(|(_, name)| name.clone()).collect(),
            selected: 0,
            purpose: Purpose::DeleteTarget {
                id,
                pipeline,
                targets: targets.into_iter().map(|(id, _)| id).collect(),
            },
        }
    }

    pub fn lost_reason(deal_id: String, title: &str, reasons: &[String]) -> Picker {
        let mut options = reasons.to_vec();
        options.push(other());
        Picker {
            title: t!("form-title-why-lost"),
            subtitle: title.to_string(),
            options,
            selected: 0,
            purpose: Purpose::LostReason { deal_id },
        }
    }

    /// Satisfaction 1–5, or none.
    pub fn satisfaction(customer_id: String, name: &str, current: Option<i64>) -> Picker {
        let options = vec![
            t!("satisfaction-1"),
            t!("satisfaction-2"),
            t!("satisfaction-3"),
            t!("satisfaction-4"),
            t!("satisfaction-5"),
            t!("satisfaction-unknown"),
        ];
        Picker {
            title: t!("field-satisfaction"),
            subtitle: name.to_string(),
            selected: current.map_or(5, |v| (v.clamp(1, 5) - 1) as usize),
            options,
            purpose: Purpose::Satisfaction { customer_id },
        }
    }

    pub fn remove_tag(customer_id: String, name: &str, tags: Vec<String>) -> Picker {
        Picker {
            title: t!("picker-remove-tag-title"),
            subtitle: name.to_string(),
            options: tags,
            selected: 0,
            purpose: Purpose::RemoveTag { customer_id },
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        match keymap.lookup(Context::Picker, key) {
            Some(c @ (Command::Down | Command::Up)) => {
                step_selection(&mut self.selected, self.options.len(), c == Command::Down);
                Outcome::Consumed
            }
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::PickNumber) => {
                let number = match key.code {
                    KeyCode::Char(c) => c.to_digit(10),
                    _ => None,
                };
                match number.and_then(|n| (n as usize).checked_sub(1)) {
                    Some(i) if i < self.options.len() => {
                        self.selected = i;
                        self.choose()
                    }
                    _ => Outcome::Consumed,
                }
            }
            Some(Command::Submit) => self.choose(),
            _ => Outcome::Consumed,
        }
    }

    fn choose(&self) -> Outcome {
        let Some(choice) = self.options.get(self.selected) else {
            return Outcome::Consumed;
        };
        match &self.purpose {
            Purpose::LostReason { deal_id } if *choice == other() => {
                Outcome::Act(Action::AskLostReason(deal_id.clone()))
            }
            Purpose::LostReason { deal_id } => Outcome::Act(Action::LoseDeal {
                deal_id: deal_id.clone(),
                reason: choice.clone(),
            }),
            Purpose::Satisfaction { customer_id } => Outcome::Act(Action::SetSatisfaction {
                customer_id: customer_id.clone(),
                value: (self.selected < 5).then_some(self.selected as i64 + 1),
            }),
            Purpose::Snooze {
                activity_id,
                targets,
            } => match targets.get(self.selected) {
                Some(due_at) => Outcome::Act(Action::Snooze {
                    id: activity_id.clone(),
                    due_at: *due_at,
                }),
                None => Outcome::Act(Action::AskSnoozeTime(activity_id.clone())),
            },
            Purpose::Reopen { deal_id, stages } => match stages.get(self.selected) {
                Some(stage) => Outcome::Act(Action::ReopenDeal {
                    deal_id: deal_id.clone(),
                    stage: Box::new(stage.clone()),
                }),
                None => Outcome::Consumed,
            },
            Purpose::DeleteTarget {
                id,
                pipeline,
                targets,
            } => match targets.get(self.selected) {
                Some(to) if *pipeline => Outcome::Act(Action::DeletePipeline {
                    id: id.clone(),
                    move_to: Some(to.clone()),
                }),
                Some(to) => Outcome::Act(Action::DeleteStage {
                    id: id.clone(),
                    move_to: Some(to.clone()),
                }),
                None => Outcome::Consumed,
            },
            Purpose::ShowPipeline { ids } => match ids.get(self.selected) {
                Some(id) => Outcome::Act(Action::ShowPipeline(id.clone())),
                None => Outcome::Consumed,
            },
            Purpose::ReportPipeline { ids } => match ids.get(self.selected) {
                Some(id) => Outcome::Act(Action::ReportPipeline(id.clone())),
                None => Outcome::Consumed,
            },
            Purpose::MemberRole { login, kinds } => match kinds.get(self.selected) {
                Some(kind) => Outcome::Act(Action::SetMemberRole {
                    login: login.clone(),
                    kind: *kind,
                }),
                None => Outcome::Consumed,
            },
            Purpose::RemoveTag { customer_id } => Outcome::Act(Action::RemoveTag {
                customer_id: customer_id.clone(),
                tag: choice.clone(),
            }),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap) {
        let height = self.options.len() as u16 + 5;
        let rect = centered(area, 46, height);
        super::clear(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", crate::text::clean(&self.title)))
            .border_style(theme::modal_border());
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [head, body, foot] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Length(1),
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(crate::text::clean(&self.subtitle)).style(theme::dim()),
            head,
        );
        let items: Vec<ListItem> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| ListItem::new(format!("{} {}", i + 1, crate::text::clean(o))))
            .collect();
        render_choices(frame, body, items, self.selected);
        frame.render_widget(
            Paragraph::new(Line::from(keymap.hints(Context::Picker))).style(theme::hint()),
            foot,
        );
    }
}
