//! The customers board (by status or by tier) and the customer profile.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::customer::{days_since_contact, is_revisit_due};
use crate::domain::money::Money;
use crate::store::customers::{CustomerSummary, Grouping};
use crate::text::{clean, truncate};
use crate::tui::app::{App, CARD_HEIGHT, HEADER_HEIGHT};
use crate::tui::customers::{CustomerColumn, Profile, ProfileItem};
use crate::tui::theme;

fn ltv(app: &App, minor: i64) -> String {
    Money::new(minor, app.settings.default_currency.clone()).format_short()
}

pub fn render_board(app: &App, frame: &mut Frame, area: Rect) {
    let b = &app.customers;
    let shown = b.first_col..(b.first_col + b.cols_visible).min(b.columns.len());
    let n = shown.len().max(1) as u32;
    let areas = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(area);
    for (slot, idx) in shown.clone().enumerate() {
        let block = if slot == 0 {
            Block::default()
        } else {
            Block::default()
                .borders(Borders::LEFT)
                .border_style(theme::dim())
        };
        let inner = block.inner(areas[slot]);
        frame.render_widget(block, areas[slot]);
        render_column(app, &b.columns[idx], idx == b.col, frame, inner);
    }
    if shown.end < b.columns.len() {
        let x = area.x + area.width.saturating_sub(1);
        frame.render_widget(
            Paragraph::new("›").style(theme::amount()),
            Rect {
                x,
                width: 1,
                height: 1,
                ..area
            },
        );
    }
}

fn render_column(app: &App, column: &CustomerColumn, focused: bool, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(1) as usize;
    let [header, cards] =
        Layout::vertical([Constraint::Length(HEADER_HEIGHT), Constraint::Min(0)]).areas(area);
    let count = column.totals.count;
    let title_style = if focused {
        theme::tab_active()
    } else {
        theme::title()
    };
    let grouping = match app.customers.grouping {
        Grouping::Status => "",
        Grouping::Tier => " tier",
    };
    let above = column.offset;
    let below = count.saturating_sub(column.offset + column.cards.len());
    let mut rule = String::new();
    if above > 0 {
        rule.push_str(&format!("↑{above} "));
    }
    if below > 0 {
        rule.push_str(&format!("↓{below}"));
    }
    let filter = app
        .customers
        .filter
        .as_deref()
        .map(|f| format!(" · “{f}”"))
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                truncate(&format!(" {}{grouping} ({count}) ", column.title), width),
                title_style,
            )),
            Line::from(vec![
                Span::styled(
                    format!(" LTV {}", ltv(app, column.totals.lifetime_minor)),
                    theme::amount(),
                ),
                Span::styled(truncate(&filter, width.saturating_sub(14)), theme::dim()),
            ]),
            Line::from(Span::styled(
                format!(
                    " {}{}",
                    rule,
                    "─".repeat(width.saturating_sub(rule.chars().count() + 1))
                ),
                theme::dim(),
            )),
        ]),
        header,
    );
    if column.cards.is_empty() {
        frame.render_widget(Paragraph::new(" no customers").style(theme::dim()), cards);
        return;
    }
    for (i, s) in column.cards.iter().enumerate() {
        let y = cards.y + (i as u16) * CARD_HEIGHT;
        if y + CARD_HEIGHT - 1 > cards.y + cards.height {
            break;
        }
        let rect = Rect {
            x: cards.x,
            y,
            width: cards.width,
            height: CARD_HEIGHT - 1,
        };
        render_card(
            app,
            s,
            focused && column.offset + i == column.selected,
            frame,
            rect,
        );
    }
}

fn render_card(app: &App, s: &CustomerSummary, selected: bool, frame: &mut Frame, area: Rect) {
    let now = app.now();
    let c = &s.customer;
    let width = area.width.saturating_sub(2) as usize;
    let due = is_revisit_due(
        c.status,
        s.last_contact,
        c.created_at,
        c.tier,
        &app.settings.cadence,
        now,
    );
    let contact = match days_since_contact(s.last_contact, now) {
        Some(d) => format!("{d}d since contact"),
        None => "never contacted".into(),
    };
    let contact_style = if due {
        theme::overdue()
    } else {
        theme::label()
    };
    let next = match s.next_reminder {
        Some(t) => format!("next {}", app.zone.short_time(t, now)),
        None => "no revisit set".into(),
    };
    let owner = s.owner_name.as_deref().unwrap_or("—");
    let lines = vec![
        Line::from(vec![
            Span::styled(if selected { "▌" } else { " " }, theme::amount()),
            Span::styled(truncate(&c.name, width), theme::title()),
        ]),
        Line::from(Span::styled(
            truncate(&format!(" {} · {owner}", c.tier.label()), width + 1),
            theme::dim(),
        )),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(contact.clone(), contact_style),
            Span::styled(
                truncate(&format!(" · {next}"), width.saturating_sub(contact.len())),
                theme::dim(),
            ),
        ]),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(
                format!(
                    "LTV {}",
                    ltv(app, s.lifetime_value(app.settings.default_currency.code()))
                ),
                theme::amount(),
            ),
            Span::styled(format!(" · {} open", s.open_deals), theme::dim()),
        ]),
    ];
    let style = if selected {
        theme::selected_card()
    } else {
        Style::new()
    };
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

fn field<'a>(label: &'a str, value: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:>13}  "), theme::label()),
        Span::raw(clean(&value)),
    ])
}

fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme::title()))
}

pub fn render_profile(app: &App, p: &Profile, frame: &mut Frame, area: Rect) {
    let now = app.now();
    let zone = app.zone;
    let s = &p.summary;
    let c = &s.customer;
    let currency = &app.settings.default_currency;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let due = is_revisit_due(
        c.status,
        s.last_contact,
        c.created_at,
        c.tier,
        &app.settings.cadence,
        now,
    );
    let last = match s.last_contact {
        Some(t) => format!(
            "{} ({} days ago){}",
            zone.date_time(t),
            days_since_contact(Some(t), now).unwrap_or(0),
            if due { " — revisit due" } else { "" }
        ),
        None => "never".into(),
    };
    let mut lines = vec![
        Line::from(Span::styled(clean(&c.name), theme::title())),
        field("Kind", c.kind.label().into()),
        field("Status", c.status.label().into()),
        field(
            "Tier",
            format!(
                "{} (revisit every {} days)",
                c.tier.label(),
                app.settings.cadence.days(c.tier)
            ),
        ),
        field("Industry", c.industry.clone().unwrap_or_else(|| "—".into())),
        field("Region", c.region.clone().unwrap_or_else(|| "—".into())),
        field("Owner", s.owner_name.clone().unwrap_or_else(|| "—".into())),
        field(
            "Satisfaction",
            c.satisfaction.map_or("—".into(), |v| {
                format!(
                    "{}{} {v}/5",
                    "★".repeat(v as usize),
                    "☆".repeat(5 - v as usize)
                )
            }),
        ),
        field(
            "Tags",
            if p.tags.is_empty() {
                "—".into()
            } else {
                p.tags.join(", ")
            },
        ),
        field("Website", c.website.clone().unwrap_or_else(|| "—".into())),
        field("Last contact", last),
        field(
            "Next reminder",
            s.next_reminder
                .map_or("none scheduled".into(), |t| zone.date_time(t)),
        ),
    ];
    if let Some(n) = &c.notes {
        lines.push(field("Notes", n.clone()));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        "Contacts (a add · Enter edit · p primary · D remove)",
    ));
    if p.contacts.is_empty() {
        lines.push(Line::from(Span::styled("  none yet", theme::hint())));
    }
    let selected_item = p.item();
    for contact in &p.contacts {
        let is_sel = matches!(&selected_item, Some(ProfileItem::Contact(x)) if x.id == contact.id);
        let star = if contact.is_primary { "★" } else { " " };
        let text = format!(
            "{star} {}  {}  {}  {}",
            contact.name,
            contact.title.as_deref().unwrap_or(""),
            contact.phone.as_deref().unwrap_or(""),
            contact.email.as_deref().unwrap_or("")
        );
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}",
                if is_sel { "›" } else { " " },
                truncate(&text, left.width.saturating_sub(3) as usize)
            ),
            if is_sel {
                theme::selected()
            } else {
                Style::new()
            },
        )));
    }
    lines.push(Line::from(""));
    lines.push(heading("Open deals (Enter opens in the pipeline)"));
    if p.open_deals.is_empty() {
        lines.push(Line::from(Span::styled("  none", theme::hint())));
    }
    for d in &p.open_deals {
        let is_sel = matches!(&selected_item, Some(ProfileItem::Deal(x)) if x.deal.id == d.deal.id);
        let text = format!(
            "{}  {}  {}",
            d.deal.title,
            d.stage_name,
            d.deal.amount.format_short()
        );
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}",
                if is_sel { "›" } else { " " },
                truncate(&text, left.width.saturating_sub(3) as usize)
            ),
            if is_sel {
                theme::selected()
            } else {
                Style::new()
            },
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::RIGHT)
                .border_style(theme::dim()),
        ),
        left,
    );

    let mut log = vec![heading("Cooperation history (won deals)")];
    if p.won_deals.is_empty() {
        log.push(Line::from(Span::styled(
            "  no purchases yet",
            theme::hint(),
        )));
    } else {
        let first = p.won_deals.iter().filter_map(|d| d.deal.closed_at).min();
        let last = p.won_deals.iter().filter_map(|d| d.deal.closed_at).max();
        log.push(Line::from(vec![Span::styled(
            format!(
                "  Lifetime value {}",
                Money::new(s.lifetime_value(currency.code()), currency.clone())
            ),
            theme::amount(),
        )]));
        if let (Some(f), Some(l)) = (first, last) {
            log.push(Line::from(Span::styled(
                format!(
                    "  First purchase {} · last {}",
                    zone.local(f).date(),
                    zone.local(l).date()
                ),
                theme::dim(),
            )));
        }
        for d in &p.won_deals {
            log.push(Line::from(format!(
                "  {}  {}  {}",
                d.deal
                    .closed_at
                    .map(|t| zone.local(t).date().to_string())
                    .unwrap_or_default(),
                clean(&d.deal.title),
                d.deal.amount
            )));
        }
    }
    log.push(Line::from(""));
    log.push(heading("Service timeline (n log · f schedule a revisit)"));
    if p.timeline.is_empty() {
        log.push(Line::from(Span::styled("  nothing yet", theme::hint())));
    }
    for row in &p.timeline {
        let a = &row.activity;
        let (when, style) = match (a.done_at, a.due_at) {
            (Some(t), _) => (zone.date_time(t), theme::dim()),
            (None, Some(t)) if t < now => {
                (format!("{} overdue", zone.date_time(t)), theme::overdue())
            }
            (None, Some(t)) => (format!("{} due", zone.date_time(t)), theme::today()),
            _ => (zone.date_time(a.created_at), theme::dim()),
        };
        let about = row
            .deal_title
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        log.push(Line::from(vec![
            Span::styled(format!(" {when}  "), style),
            Span::styled(format!("{:<9}", a.kind.as_str()), theme::label()),
            Span::raw(clean(&format!("{}{about}", a.subject))),
        ]));
    }
    frame.render_widget(
        Paragraph::new(log).wrap(Wrap { trim: false }),
        right.inner(Margin {
            horizontal: 1,
            vertical: 0,
        }),
    );
}
