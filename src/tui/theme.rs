//! Colours and styles by role, so that views agree on what red means and a user can
//! change it. Every style the TUI draws with is a [`Role`] of the [`Theme`] in force:
//! a built-in theme (`dark`, today's look; `light`; `high-contrast`) with the user's
//! `[theme]` colours on top, resolved once at start for what the terminal can show.
//!
//! - `NO_COLOR` set (no-color.org) gives [`Theme::mono`]: no colour at all, emphasis by
//!   bold, reverse and underline only (the selected card is reversed).
//! - Colours may be names (`red`, `lightblue`), 256-colour indexes (`238`) or hex
//!   (`#ff8800`). Hex reaches the terminal only when it says it shows true colour
//!   (`COLORTERM=truecolor|24bit`); otherwise the nearest of the 256-colour palette, and
//!   on a 16-colour terminal the nearest of the 16, so nothing is true-colour-only.
//!   Built-in themes name a 16-colour stand-in for each richer colour they use.
//! - The environment is read once, in `main` ([`Terminal::detect`]); drawing reads only
//!   the theme `views::render` installs for the frame ([`install`]), which is the App's.
//!   The free functions (`theme::dim()` …) are the roles of that theme.

use std::cell::RefCell;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;

use crate::config::{EntryError, ThemeSetting};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
}

/// What the environment says about colour, read once at start and passed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// `NO_COLOR` is set to something (no-color.org): no colour at all.
    pub no_color: bool,
    pub depth: ColorDepth,
}

impl Default for Terminal {
    /// Colour on, true colour: what the snapshots are drawn with.
    fn default() -> Self {
        Terminal {
            no_color: false,
            depth: ColorDepth::TrueColor,
        }
    }
}

impl Terminal {
    /// From the values of `NO_COLOR`, `COLORTERM` and `TERM`. An empty `NO_COLOR` does
    /// not count (no-color.org). True colour only when `COLORTERM` says so; 256 colours
    /// when `TERM` names a 256-colour or direct-colour terminal, or one of the terminals
    /// that show 256 without saying so in their name; else the 16 basic colours.
    pub fn detect(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Self {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        let term = term.unwrap_or("").to_ascii_lowercase();
        let depth = if colorterm == "truecolor" || colorterm == "24bit" {
            ColorDepth::TrueColor
        } else if term.contains("256")
            || term.contains("direct")
            || term.starts_with("xterm-kitty")
            || ["alacritty", "wezterm", "foot", "tmux", "screen-256color"]
                .iter()
                .any(|t| term.starts_with(t))
        {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        };
        Terminal { no_color, depth }
    }

    /// From this process's environment: for `main` only, so that nothing else depends on
    /// the machine it runs on.
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok();
        Terminal::detect(
            var("NO_COLOR").as_deref(),
            var("COLORTERM").as_deref(),
            var("TERM").as_deref(),
        )
    }
}

/// What the TUI draws with, by purpose. The config names are [`Role::name`]; a colour
/// given for a role paints its [`Role::paints`] side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Titles, column headers, section headings (bold).
    Header,
    /// Secondary text: dates, counts, separators, empty places.
    Muted,
    /// Key hints and explanations (muted, italic).
    Hint,
    /// The highlighted line of a list (search, picker, profile).
    Selected,
    /// A card on a board that is not selected.
    Card,
    /// The selected card.
    SelectedCard,
    /// A follow-up past its time.
    Overdue,
    /// A follow-up due today.
    Today,
    /// A follow-up after today.
    Later,
    /// The marker of an open deal or customer with nothing scheduled.
    NoNextStep,
    /// The flag of a deal with no activity for longer than its stage allows.
    Rotting,
    /// Amounts, keys in help, the selection bar.
    Amount,
    /// Error messages and invalid fields.
    Error,
    /// Confirmation messages.
    Success,
    /// Field labels and secondary names.
    Label,
    /// The label of the field being edited.
    LabelFocused,
    /// A field's text.
    Input,
    /// The text of the field being edited (underlined).
    InputFocused,
    /// Borders of popups.
    Border,
    /// The current view's tab.
    Tab,
    /// The tab line and the status bar.
    Bar,
    /// The figures on the Reports' bars.
    Chart,
}

/// Which side of a role a single colour paints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Fg,
    Bg,
}

impl Role {
    pub const ALL: [Role; 22] = [
        Role::Header,
        Role::Muted,
        Role::Hint,
        Role::Selected,
        Role::Card,
        Role::SelectedCard,
        Role::Overdue,
        Role::Today,
        Role::Later,
        Role::NoNextStep,
        Role::Rotting,
        Role::Amount,
        Role::Error,
        Role::Success,
        Role::Label,
        Role::LabelFocused,
        Role::Input,
        Role::InputFocused,
        Role::Border,
        Role::Tab,
        Role::Bar,
        Role::Chart,
    ];

    /// The name in `[theme]`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Header => "header",
            Role::Muted => "muted",
            Role::Hint => "hint",
            Role::Selected => "selected",
            Role::Card => "card",
            Role::SelectedCard => "selected_card",
            Role::Overdue => "overdue",
            Role::Today => "today",
            Role::Later => "later",
            Role::NoNextStep => "no_next_step",
            Role::Rotting => "rotting",
            Role::Amount => "amount",
            Role::Error => "error",
            Role::Success => "success",
            Role::Label => "label",
            Role::LabelFocused => "label_focused",
            Role::Input => "input",
            Role::InputFocused => "input_focused",
            Role::Border => "border",
            Role::Tab => "tab",
            Role::Bar => "bar",
            Role::Chart => "chart",
        }
    }

    /// What a single colour given for the role paints: the background of what is a
    /// highlighted area, the text of the rest. `"black on cyan"` gives both.
    pub fn paints(self) -> Side {
        match self {
            Role::Selected
            | Role::Card
            | Role::SelectedCard
            | Role::Tab
            | Role::Bar
            | Role::Chart => Side::Bg,
            _ => Side::Fg,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A colour as a theme gives it: what to show on a terminal of 256 colours or more
/// (`rich`), and the stand-in of the 16 basic colours (`basic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hue {
    pub rich: Color,
    pub basic: Color,
}

impl Hue {
    /// A basic colour: the same everywhere.
    const fn named(c: Color) -> Hue {
        Hue { rich: c, basic: c }
    }

    const fn rgb(r: u8, g: u8, b: u8, basic: Color) -> Hue {
        Hue {
            rich: Color::Rgb(r, g, b),
            basic,
        }
    }

    /// A colour as the config writes it: a name (`red`, `lightblue`, `dark-gray`), a
    /// 256-colour index (`238`) or hex (`#ff8800`).
    pub fn parse(text: &str) -> Option<Hue> {
        let text = text.trim();
        let color: Color = text.parse().ok()?;
        // ratatui also reads "reset"; a theme colour is a colour.
        if color == Color::Reset {
            return None;
        }
        Some(Hue {
            rich: color,
            basic: basic_of(color),
        })
    }

    /// The colour to send to a terminal of `depth`.
    fn on(self, depth: ColorDepth) -> Color {
        match (depth, self.rich) {
            (ColorDepth::Ansi16, _) => self.basic,
            (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(ansi256_of(r, g, b)),
            (_, rich) => rich,
        }
    }
}

/// One role of a built-in theme: colours and emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spec {
    fg: Option<Hue>,
    bg: Option<Hue>,
    mods: Modifier,
}

const NONE: Spec = Spec {
    fg: None,
    bg: None,
    mods: Modifier::empty(),
};

const fn fg(c: Color) -> Spec {
    Spec {
        fg: Some(Hue::named(c)),
        ..NONE
    }
}

const fn bg(h: Hue) -> Spec {
    Spec {
        bg: Some(h),
        ..NONE
    }
}

const fn on(f: Color, b: Color) -> Spec {
    Spec {
        fg: Some(Hue::named(f)),
        bg: Some(Hue::named(b)),
        ..NONE
    }
}

const fn mods(m: Modifier) -> Spec {
    Spec { mods: m, ..NONE }
}

impl Spec {
    const fn with(self, m: Modifier) -> Spec {
        Spec {
            mods: self.mods.union(m),
            ..self
        }
    }

    fn style(self, depth: ColorDepth) -> Style {
        let mut style = Style::new().add_modifier(self.mods);
        if let Some(h) = self.fg {
            style = style.fg(h.on(depth));
        }
        if let Some(h) = self.bg {
            style = style.bg(h.on(depth));
        }
        style
    }
}

const BOLD: Modifier = Modifier::BOLD;
const ITALIC: Modifier = Modifier::ITALIC;
const UNDERLINED: Modifier = Modifier::UNDERLINED;
const REVERSED: Modifier = Modifier::REVERSED;
const DIM: Modifier = Modifier::DIM;

/// The built-in themes by name.
pub const BUILT_IN: [&str; 3] = ["dark", "light", "high-contrast"];

/// A built-in theme's roles, in [`Role::ALL`] order.
fn built_in(name: &str) -> Option<&'static [Spec; 22]> {
    match name {
        "dark" => Some(&DARK),
        "light" => Some(&LIGHT),
        "high-contrast" => Some(&HIGH_CONTRAST),
        _ => None,
    }
}

use Color::{
    Black, Blue, Cyan, DarkGray, Gray, Green, LightCyan, LightGreen, LightMagenta, LightRed,
    LightYellow, Magenta, Red, White, Yellow,
};

/// Today's look, on a dark background.
#[rustfmt::skip]
const DARK: [Spec; 22] = [
            mods(BOLD),                                            // header
            fg(DarkGray),                                          // muted
            fg(DarkGray).with(ITALIC),                             // hint
            on(White, Blue).with(BOLD),                            // selected
            NONE,                                                  // card
            bg(Hue::rgb(40, 52, 80, Blue)),                        // selected_card
            fg(Red).with(BOLD),                                    // overdue
            fg(Green),                                             // today
            fg(Gray),                                              // later
            fg(Yellow),                                            // no_next_step
            fg(Magenta),                                           // rotting
            fg(Cyan),                                              // amount
            fg(Red),                                               // error
            fg(Green),                                             // success
            fg(Gray),                                              // label
            fg(White).with(BOLD),                                  // label_focused
            NONE,                                                  // input
            mods(UNDERLINED),                                      // input_focused
            fg(Cyan),                                              // border
            on(Black, Cyan).with(BOLD),                            // tab
            bg(Hue::rgb(30, 30, 30, Black)),                       // bar
            on(Black, Cyan),                                       // chart
];

/// Dark text on a light background: no light grey or yellow text.
#[rustfmt::skip]
const LIGHT: [Spec; 22] = [
            mods(BOLD),
            fg(DarkGray),
            fg(DarkGray).with(ITALIC),
            on(White, Blue).with(BOLD),
            NONE,
            bg(Hue::rgb(205, 222, 250, Cyan)),
            fg(Red).with(BOLD),
            Spec { fg: Some(Hue::rgb(0, 120, 0, Green)), ..NONE },
            fg(DarkGray),
            Spec { fg: Some(Hue::rgb(170, 90, 0, Magenta)), ..NONE }.with(BOLD),
            fg(Magenta),
            fg(Blue),
            fg(Red),
            Spec { fg: Some(Hue::rgb(0, 120, 0, Green)), ..NONE },
            fg(DarkGray),
            fg(Black).with(BOLD),
            NONE,
            mods(UNDERLINED),
            fg(Blue),
            on(White, Blue).with(BOLD),
            bg(Hue::rgb(228, 228, 228, White)),
            on(White, Blue),
];

/// The bright colours and bold, for low vision or a washed-out screen.
#[rustfmt::skip]
const HIGH_CONTRAST: [Spec; 22] = [
            mods(BOLD).with(UNDERLINED),
            fg(Gray),
            fg(Gray).with(ITALIC),
            on(Black, LightYellow).with(BOLD),
            NONE,
            on(Black, White).with(BOLD),
            fg(LightRed).with(BOLD).with(UNDERLINED),
            fg(LightGreen).with(BOLD),
            fg(White),
            fg(LightYellow).with(BOLD),
            fg(LightMagenta).with(BOLD),
            fg(LightCyan).with(BOLD),
            fg(LightRed).with(BOLD),
            fg(LightGreen).with(BOLD),
            fg(White),
            fg(LightYellow).with(BOLD),
            NONE,
            mods(UNDERLINED).with(BOLD),
            fg(White),
            on(Black, LightYellow).with(BOLD),
            bg(Hue::named(Black)),
            on(Black, LightYellow),
];

#[rustfmt::skip]
/// No colour (`NO_COLOR`): emphasis by bold, reverse, underline and dim only. What is
/// told apart by colour elsewhere is told apart here by emphasis: overdue is bold and
/// underlined, today bold, the selected card and line reversed.
const MONO: [Spec; 22] = [
    mods(BOLD),               // header
    mods(DIM),                // muted
    mods(DIM.union(ITALIC)),  // hint
    mods(REVERSED.union(BOLD)), // selected
    NONE,                     // card
    mods(REVERSED),           // selected_card
    mods(BOLD.union(UNDERLINED)), // overdue
    mods(BOLD),               // today
    NONE,                     // later
    mods(UNDERLINED),         // no_next_step
    mods(BOLD),               // rotting
    NONE,                     // amount
    mods(BOLD),               // error
    NONE,                     // success
    NONE,                     // label
    mods(BOLD),               // label_focused
    NONE,                     // input
    mods(UNDERLINED),         // input_focused
    NONE,                     // border
    mods(REVERSED.union(BOLD)), // tab
    NONE,                     // bar
    mods(REVERSED),           // chart
];

/// The styles of every role, resolved for one terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    styles: [Style; 22],
}

impl Default for Theme {
    /// `dark` in true colour: today's look.
    fn default() -> Self {
        Theme::resolve(&DARK, ColorDepth::TrueColor)
    }
}

impl Theme {
    fn resolve(specs: &[Spec; 22], depth: ColorDepth) -> Theme {
        Theme {
            styles: specs.map(|s| s.style(depth)),
        }
    }

    /// No colour at all (`NO_COLOR`).
    pub fn mono() -> Theme {
        Theme::resolve(&MONO, ColorDepth::Ansi16)
    }

    /// The theme `theme = …` / `[theme]` asks for, on `terminal`.
    pub fn from_setting(
        setting: &Spanned<ThemeSetting>,
        terminal: Terminal,
    ) -> Result<Theme, EntryError> {
        let theme = setting.get_ref();
        let base = theme.base.as_ref().map(|b| {
            // `theme = "light"` has its place on the whole value.
            let span = if b.span().is_empty() {
                setting.span()
            } else {
                b.span()
            };
            (b.get_ref().as_str(), span)
        });
        let colours: Vec<(&str, &str, std::ops::Range<usize>)> = theme
            .colours
            .iter()
            .map(|(role, colour)| (role.as_str(), colour.get_ref().as_str(), colour.span()))
            .collect();
        Theme::new(base, &colours, terminal)
    }

    /// The built-in `base` (`dark` when none) with `colours` (role name, colour, where
    /// in the config) on top, on `terminal`. Every entry is checked under `NO_COLOR`
    /// too, so a typo is found today and not the day colour is turned back on.
    pub fn new(
        base: Option<(&str, std::ops::Range<usize>)>,
        colours: &[(&str, &str, std::ops::Range<usize>)],
        terminal: Terminal,
    ) -> Result<Theme, EntryError> {
        let (base_name, base_span) = base.unwrap_or(("dark", 0..0));
        let mut specs = *built_in(base_name).ok_or_else(|| EntryError {
            span: base_span,
            message: crate::t!(
                "theme-not-built-in",
                name = crate::text::clean(base_name),
                themes = BUILT_IN.join(", ")
            ),
        })?;
        for (role_name, text, span) in colours {
            let role = Role::parse(role_name).ok_or_else(|| EntryError {
                span: span.clone(),
                message: crate::t!(
                    "theme-not-a-role",
                    role = crate::text::clean(role_name),
                    roles = Role::ALL.map(Role::name).join(", ")
                ),
            })?;
            let bad = || EntryError {
                span: span.clone(),
                message: crate::t!(
                    "theme-not-a-colour",
                    role = role.name(),
                    colour = crate::text::clean(text)
                ),
            };
            let spec = &mut specs[role.index()];
            match text.split_once(" on ") {
                Some((f, b)) => {
                    spec.fg = Some(Hue::parse(f).ok_or_else(bad)?);
                    spec.bg = Some(Hue::parse(b).ok_or_else(bad)?);
                }
                None => {
                    let hue = Some(Hue::parse(text).ok_or_else(bad)?);
                    match role.paints() {
                        Side::Fg => spec.fg = hue,
                        Side::Bg => spec.bg = hue,
                    }
                }
            }
        }
        if terminal.no_color {
            return Ok(Theme::mono());
        }
        Ok(Theme::resolve(&specs, terminal.depth))
    }

    /// The style of `role`.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role.index()]
    }
}

thread_local! {
    /// The theme of the frame being drawn: the App's, installed by `views::render`.
    static IN_FORCE: RefCell<Theme> = RefCell::new(Theme::default());
}

/// Makes `theme` the one the role functions below answer with, on this thread, until
/// another is installed. `views::render` does it at the start of every frame.
pub fn install(theme: &Theme) {
    IN_FORCE.with(|t| {
        if *t.borrow() != *theme {
            *t.borrow_mut() = theme.clone();
        }
    });
}

fn role(r: Role) -> Style {
    IN_FORCE.with(|t| t.borrow().style(r))
}

pub fn title() -> Style {
    role(Role::Header)
}
pub fn dim() -> Style {
    role(Role::Muted)
}
pub fn hint() -> Style {
    role(Role::Hint)
}
pub fn selected() -> Style {
    role(Role::Selected)
}
pub fn card() -> Style {
    role(Role::Card)
}
pub fn selected_card() -> Style {
    role(Role::SelectedCard)
}
pub fn overdue() -> Style {
    role(Role::Overdue)
}
pub fn today() -> Style {
    role(Role::Today)
}
pub fn later() -> Style {
    role(Role::Later)
}
pub fn no_next_step() -> Style {
    role(Role::NoNextStep)
}
pub fn rotting() -> Style {
    role(Role::Rotting)
}
pub fn amount() -> Style {
    role(Role::Amount)
}
pub fn error() -> Style {
    role(Role::Error)
}
pub fn ok() -> Style {
    role(Role::Success)
}
pub fn label() -> Style {
    role(Role::Label)
}
pub fn label_focused() -> Style {
    role(Role::LabelFocused)
}
pub fn input() -> Style {
    role(Role::Input)
}
pub fn input_focused() -> Style {
    role(Role::InputFocused)
}
pub fn modal_border() -> Style {
    role(Role::Border)
}
pub fn tab_active() -> Style {
    role(Role::Tab)
}
pub fn bar() -> Style {
    role(Role::Bar)
}
pub fn chart_value() -> Style {
    role(Role::Chart)
}

/// xterm's default palette for the 16 basic colours, to find the nearest one.
const BASIC: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The RGB of a 256-colour index in xterm's palette.
fn rgb_of_index(i: u8) -> (u8, u8, u8) {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => BASIC[usize::from(i)].1,
        16..=231 => {
            let n = i - 16;
            (
                STEPS[usize::from(n / 36)],
                STEPS[usize::from(n / 6 % 6)],
                STEPS[usize::from(n % 6)],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs().pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The nearest colour of xterm's 6×6×6 cube and grey ramp (16–255; the first 16 are
/// left out because terminals change them).
fn ansi256_of(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8)
        .min_by_key(|i| distance(rgb_of_index(*i), (r, g, b)))
        .unwrap_or(16)
}

/// The basic colour that stands in for `c` on a 16-colour terminal.
fn basic_of(c: Color) -> Color {
    let rgb = match c {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) if i >= 16 => rgb_of_index(i),
        Color::Indexed(i) => return BASIC[usize::from(i)].0,
        named => return named,
    };
    BASIC
        .iter()
        .min_by_key(|(_, v)| distance(*v, rgb))
        .map_or(Color::White, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(depth: ColorDepth) -> Terminal {
        Terminal {
            no_color: false,
            depth,
        }
    }

    #[test]
    fn the_environment_is_read_as_no_color_org_and_colorterm_say() {
        let t = Terminal::detect(Some("1"), None, Some("xterm-256color"));
        assert_eq!((t.no_color, t.depth), (true, ColorDepth::Ansi256));
        let t = Terminal::detect(Some(""), Some("truecolor"), Some("xterm"));
        assert_eq!((t.no_color, t.depth), (false, ColorDepth::TrueColor));
        assert_eq!(
            Terminal::detect(None, Some("24bit"), None).depth,
            ColorDepth::TrueColor
        );
        assert_eq!(
            Terminal::detect(None, None, Some("linux")).depth,
            ColorDepth::Ansi16
        );
        assert_eq!(
            Terminal::detect(None, None, Some("tmux-256color")).depth,
            ColorDepth::Ansi256
        );
    }

    #[test]
    fn the_default_theme_is_todays_look() {
        let t = Theme::default();
        assert_eq!(
            t.style(Role::Overdue),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        );
        assert_eq!(
            t.style(Role::SelectedCard),
            Style::new().bg(Color::Rgb(40, 52, 80))
        );
    }

    #[test]
    fn hex_falls_back_to_256_and_16_colours() {
        let colours = [("overdue", "#ff8800", 0..0)];
        let true_colour = Theme::new(None, &colours, term(ColorDepth::TrueColor)).unwrap();
        assert_eq!(
            true_colour.style(Role::Overdue).fg,
            Some(Color::Rgb(255, 136, 0))
        );
        let t256 = Theme::new(None, &colours, term(ColorDepth::Ansi256)).unwrap();
        assert_eq!(t256.style(Role::Overdue).fg, Some(Color::Indexed(208)));
        let t16 = Theme::new(None, &colours, term(ColorDepth::Ansi16)).unwrap();
        assert_eq!(t16.style(Role::Overdue).fg, Some(Color::Yellow));
        // Nothing the built-in themes use is beyond 16 colours on a 16-colour terminal,
        // nor true colour on a 256-colour one.
        for name in BUILT_IN {
            for (depth, ok) in [
                (
                    ColorDepth::Ansi16,
                    (|c: Color| !matches!(c, Color::Rgb(..) | Color::Indexed(_)))
                        as fn(Color) -> bool,
                ),
                (ColorDepth::Ansi256, |c: Color| !matches!(c, Color::Rgb(..))),
            ] {
                let t = Theme::new(Some((name, 0..0)), &[], term(depth)).unwrap();
                for role in Role::ALL {
                    let s = t.style(role);
                    for c in [s.fg, s.bg].into_iter().flatten() {
                        assert!(ok(c), "{name} {} at {depth:?}: {c:?}", role.name());
                    }
                }
            }
        }
    }

    #[test]
    fn indexes_names_and_pairs_are_colours() {
        let t = Theme::new(
            Some(("light", 0..0)),
            &[
                ("today", "238", 0..0),
                ("selected_card", "lightblue", 0..0),
                ("tab", "black on #00ffff", 0..0),
            ],
            term(ColorDepth::TrueColor),
        )
        .unwrap();
        assert_eq!(t.style(Role::Today).fg, Some(Color::Indexed(238)));
        assert_eq!(t.style(Role::SelectedCard).bg, Some(Color::LightBlue));
        assert_eq!(t.style(Role::Tab).fg, Some(Color::Black));
        assert_eq!(t.style(Role::Tab).bg, Some(Color::Rgb(0, 255, 255)));
    }

    #[test]
    fn no_color_has_no_colour_but_keeps_emphasis() {
        let t = Theme::new(
            Some(("high-contrast", 0..0)),
            &[("overdue", "red", 0..0)],
            Terminal {
                no_color: true,
                depth: ColorDepth::TrueColor,
            },
        )
        .unwrap();
        for role in Role::ALL {
            let s = t.style(role);
            assert_eq!((s.fg, s.bg), (None, None), "{}", role.name());
        }
        assert!(
            t.style(Role::SelectedCard)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(t.style(Role::Overdue).add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn bad_entries_say_what_and_where() {
        let err = Theme::new(Some(("solarized", 3..4)), &[], Terminal::default()).unwrap_err();
        assert_eq!(err.span, 3..4);
        assert!(
            err.to_string().contains("dark, light, high-contrast"),
            "{err}"
        );
        let err = Theme::new(None, &[("overdue", "redd", 5..6)], Terminal::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("theme.overdue = \"redd\" is not a colour"),
            "{err}"
        );
        let err = Theme::new(None, &[("overdu", "red", 6..7)], Terminal::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("theme.overdu is not a colour role"),
            "{err}"
        );
        for bad in ["#ff88", "256", "reset", "red on", ""] {
            assert!(
                Theme::new(None, &[("today", bad, 0..0)], Terminal::default()).is_err(),
                "{bad}"
            );
        }
    }
}
