//! The members of a team in PostgreSQL: add one, change a role, remove one, list them.
//! `salesdesk team add-member | role | remove-member | status` and the TUI's Members
//! section (`S`) both come here, on a [`HubAdmin`] connection (the CLI's for one action,
//! the TUI's worker's kept between actions). Nothing is written locally: the hub holds
//! the team's logins, and it alone decides who may change them (only an admin).
//!
//! A new member's password is made here (from the system's random source) or read from
//! a file the admin names; either way it goes to the server and is handed back once to
//! be shown, never stored.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::store::Store;
use crate::sync::SyncError;
use crate::t;
use crate::text::clean;

pub use crate::sync::postgres::Kind;
pub use crate::sync::postgres::members::{HubAdmin, Login, Roster};

/// How long a made password is: 20 letters and digits, about 119 bits.
const PASSWORD_LEN: usize = 20;

/// The longest password file read: a password is one short line.
const PASSWORD_FILE_MAX: u64 = 1024;

/// Where a new member's password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Password {
    /// Made here and shown once.
    Generate,
    /// The first line of this file.
    File(PathBuf),
}

/// A member to add, as the admin typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub login: String,
    pub kind: Kind,
    pub password: Password,
    /// The local member id the login syncs as (a teammate from before `team move-to`).
    pub member: Option<String>,
}

/// A new member that passed every check here: what goes to the hub.
#[derive(Clone, PartialEq, Eq)]
pub struct CheckedMember {
    pub login: String,
    pub kind: Kind,
    password: String,
    /// The password was made here: it is shown once.
    generated: bool,
    pub member: Option<String>,
}

impl std::fmt::Debug for CheckedMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedMember")
            .field("login", &self.login)
            .field("kind", &self.kind)
            .field("generated", &self.generated)
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

/// A member added: how they join, and the password when it was made here.
#[derive(Clone, PartialEq, Eq)]
pub struct Added {
    pub login: String,
    pub kind: Kind,
    pub join_url: String,
    /// The made password, to show once; `None` when it came from a file, or when the
    /// login existed already and kept its own.
    pub password: Option<String>,
    /// The login existed on the server already (an earlier member's): it keeps its
    /// password, whatever was made or read for it.
    pub kept_password: bool,
}

impl std::fmt::Debug for Added {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Added")
            .field("login", &self.login)
            .field("kind", &self.kind)
            .field("join_url", &self.join_url)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("kept_password", &self.kept_password)
            .finish()
    }
}

/// Why a member could not be added, changed or removed.
#[derive(Debug)]
pub enum MemberError {
    /// The login name cannot be one (the form shows it at the name).
    Login(String),
    /// The password file cannot be used (shown at the file's field).
    PasswordFile(String),
    /// The local member named by `--member` is none, or not one.
    Member(String),
    /// The hub refused, or could not be reached.
    Hub(SyncError),
}

impl std::fmt::Display for MemberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MemberError::Login(why) | MemberError::PasswordFile(why) | MemberError::Member(why) => {
                f.write_str(why)
            }
            MemberError::Hub(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for MemberError {}

impl From<SyncError> for MemberError {
    fn from(e: SyncError) -> Self {
        MemberError::Hub(e)
    }
}

impl MemberError {
    /// The hub could not be reached or the connection broke: try again later.
    pub fn is_offline(&self) -> bool {
        matches!(self, MemberError::Hub(SyncError::Hub(h)) if h.is_offline())
    }
}

/// Checks a new member before anything is sent: the login's name, and the password (read
/// from its file, or made).
pub fn check(new: &NewMember) -> Result<CheckedMember, MemberError> {
    let login = new.login.trim();
    crate::sync::postgres::check_login(login).map_err(|e| MemberError::Login(e.to_string()))?;
    let (password, generated) = match &new.password {
        Password::Generate => (new_password()?, true),
        Password::File(path) => (read_password_file(path)?, false),
    };
    Ok(CheckedMember {
        login: login.to_string(),
        kind: new.kind,
        password,
        generated,
        member: new.member.clone(),
    })
}

/// Adds a checked member on the hub. Returns how they join (and the made password).
pub fn add_checked(hub: &mut HubAdmin, m: &CheckedMember) -> Result<Added, MemberError> {
    let (join_url, existed) = hub.add_member(&m.login, m.kind, &m.password, m.member.as_deref())?;
    Ok(Added {
        login: m.login.clone(),
        kind: m.kind,
        join_url,
        password: (m.generated && !existed).then(|| m.password.clone()),
        kept_password: existed,
    })
}

/// `team add-member`: checks the new member, then adds them on the hub.
pub fn add_member(hub: &mut HubAdmin, new: &NewMember) -> Result<Added, MemberError> {
    add_checked(hub, &check(new)?)
}

/// `team role`: what `login` may do from now on.
pub fn set_role(hub: &mut HubAdmin, login: &str, kind: Kind) -> Result<(), MemberError> {
    Ok(hub.set_role(login, kind)?)
}

/// `team remove-member`: the login can no longer sync; its records stay.
pub fn remove_member(hub: &mut HubAdmin, login: &str) -> Result<(), MemberError> {
    Ok(hub.remove_member(login)?)
}

/// The team's logins with their roles.
pub fn roster(hub: &mut HubAdmin) -> Result<Roster, MemberError> {
    Ok(hub.roster()?)
}

/// The id of the local member `reference` names (an id, or a name in any case), for
/// `team add-member --member`.
pub fn find_member(store: &Store, reference: &str) -> Result<String, MemberError> {
    let all = crate::store::members::list(store.conn())
        .map_err(|e| MemberError::Hub(SyncError::Store(e)))?;
    let found: Vec<_> = all
        .iter()
        .filter(|m| m.id == reference || m.name.eq_ignore_ascii_case(reference))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(MemberError::Member(t!(
            "team-no-member",
            name = clean(reference)
        ))),
        _ => Err(MemberError::Member(t!(
            "team-several-members",
            name = clean(reference)
        ))),
    }
}

/// A new password: letters and digits from the system's random source.
pub fn new_password() -> Result<String, MemberError> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(PASSWORD_LEN);
    while out.len() < PASSWORD_LEN {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| {
            MemberError::PasswordFile(t!("team-password-no-randomness", error = e.to_string()))
        })?;
        // Only bytes below a multiple of the alphabet's size, so every character is
        // equally likely.
        let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
        for b in bytes.into_iter().filter(|b| *b < limit) {
            if out.len() == PASSWORD_LEN {
                break;
            }
            out.push(ALPHABET[usize::from(b) % ALPHABET.len()] as char);
        }
    }
    Ok(out)
}

/// The password in a file: its first line, which must be all there is but a line end.
/// The file is the admin's, but read as untrusted: short, text, one line.
pub fn read_password_file(path: &Path) -> Result<String, MemberError> {
    let shown = path.display().to_string();
    let failed = |e: std::io::Error| {
        MemberError::PasswordFile(t!(
            "team-reading-password-file",
            path = shown.as_str(),
            error = e.to_string()
        ))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(PASSWORD_FILE_MAX + 1).read_to_end(&mut bytes))
        .map_err(failed)?;
    if bytes.len() as u64 > PASSWORD_FILE_MAX {
        return Err(MemberError::PasswordFile(t!(
            "team-password-file-large",
            path = shown.as_str(),
            max = PASSWORD_FILE_MAX
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        MemberError::PasswordFile(t!("team-password-file-bad", path = shown.as_str()))
    })?;
    let password = text.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(MemberError::PasswordFile(t!(
            "team-password-file-empty",
            path = shown.as_str()
        )));
    }
    if password.chars().any(char::is_control) {
        return Err(MemberError::PasswordFile(t!(
            "team-password-file-bad",
            path = shown.as_str()
        )));
    }
    Ok(password.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_password_is_twenty_letters_and_digits_and_never_the_same() {
        let a = new_password().unwrap();
        let b = new_password().unwrap();
        assert_eq!(a.len(), PASSWORD_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn a_password_file_is_one_short_line_of_text() {
        crate::i18n::use_in_thread(crate::i18n::Lang::En);
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        assert_eq!(
            read_password_file(&file("ok", b"s3cret\r\n")).unwrap(),
            "s3cret"
        );
        let refused = |p: PathBuf| read_password_file(&p).unwrap_err().to_string();
        assert!(refused(file("empty", b"\n")).contains("is empty"));
        assert!(refused(file("two", b"one\ntwo\n")).contains("one line"));
        assert!(refused(file("bin", &[0xff, 0xfe, b'a'])).contains("one line"));
        assert!(refused(file("big", &[b'a'; 2000])).contains("longer than"));
        assert!(refused(dir.path().join("missing")).contains("reading"));
    }

    #[test]
    fn a_bad_login_or_file_is_refused_before_the_hub_is_asked() {
        crate::i18n::use_in_thread(crate::i18n::Lang::En);
        let new = |login: &str, password: Password| NewMember {
            login: login.to_string(),
            kind: Kind::Rep,
            password,
            member: None,
        };
        assert!(matches!(
            check(&new("two words", Password::Generate)),
            Err(MemberError::Login(_))
        ));
        assert!(matches!(
            check(&new("wei", Password::File("/nonexistent/pw".into()))),
            Err(MemberError::PasswordFile(_))
        ));
        let ok = check(&new(" wei ", Password::Generate)).unwrap();
        assert_eq!(ok.login, "wei");
        assert!(ok.generated);
        assert!(!format!("{ok:?}").contains(&ok.password));
    }
}
