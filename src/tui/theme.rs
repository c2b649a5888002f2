//! Colours and styles, in one place so that views agree on what red means.

use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn hint() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}
pub fn selected() -> Style {
    Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
pub fn selected_card() -> Style {
    Style::new().bg(Color::Rgb(40, 52, 80))
}
pub fn overdue() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn today() -> Style {
    Style::new().fg(Color::Green)
}
pub fn later() -> Style {
    Style::new().fg(Color::Gray)
}
pub fn no_next_step() -> Style {
    Style::new().fg(Color::Yellow)
}
pub fn rotting() -> Style {
    Style::new().fg(Color::Magenta)
}
pub fn amount() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red)
}
pub fn ok() -> Style {
    Style::new().fg(Color::Green)
}
pub fn label() -> Style {
    Style::new().fg(Color::Gray)
}
pub fn label_focused() -> Style {
    Style::new().fg(Color::White).add_modifier(Modifier::BOLD)
}
pub fn input() -> Style {
    Style::new()
}
pub fn input_focused() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}
pub fn modal_border() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn tab_active() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}
pub fn bar() -> Style {
    Style::new().bg(Color::Rgb(30, 30, 30))
}
