//! Hybrid logical clock: wall-clock milliseconds, a counter for events within the same
//! millisecond (or while the wall clock lags a clock we have seen), and the site id that
//! breaks ties. Written fixed-width so that comparing two clock *strings* compares the
//! clocks: `0001764072000000-00000-0123456789abcdef`.

use std::fmt;
use std::str::FromStr;

/// Digits of the millisecond part (enough until the year 5138).
const MS_WIDTH: usize = 16;
/// Digits of the counter.
const COUNTER_WIDTH: usize = 5;
/// Hex digits of a site id.
pub const SITE_WIDTH: usize = 16;
const MAX_COUNTER: u32 = 99_999;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub millis: i64,
    pub counter: u32,
    pub site: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("hlc-bad", value = .0.as_str()))]
pub struct BadHlc(pub String);

impl Hlc {
    /// The clock before any event, for a site.
    pub fn zero(site: &str) -> Hlc {
        Hlc {
            millis: 0,
            counter: 0,
            site: site.to_string(),
        }
    }

    /// The next clock for a local event at wall time `now_ms`, after `last`.
    pub fn tick(last: &Hlc, now_ms: i64, site: &str) -> Hlc {
        if now_ms > last.millis {
            Hlc {
                millis: now_ms,
                counter: 0,
                site: site.to_string(),
            }
        } else {
            last.successor(site)
        }
    }

    /// The clock after also having seen `remote`: the local clock never falls behind any
    /// clock it has received, so the next local edit wins over everything merged so far.
    pub fn observe(last: &Hlc, remote: &Hlc, now_ms: i64, site: &str) -> Hlc {
        let newest = if remote > last { remote } else { last };
        if now_ms > newest.millis {
            Hlc {
                millis: now_ms,
                counter: 0,
                site: site.to_string(),
            }
        } else {
            newest.successor(site)
        }
    }

    fn successor(&self, site: &str) -> Hlc {
        if self.counter >= MAX_COUNTER {
            Hlc {
                millis: self.millis + 1,
                counter: 0,
                site: site.to_string(),
            }
        } else {
            Hlc {
                millis: self.millis,
                counter: self.counter + 1,
                site: site.to_string(),
            }
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:0mw$}-{:0cw$}-{}",
            self.millis.max(0),
            self.counter,
            self.site,
            mw = MS_WIDTH,
            cw = COUNTER_WIDTH
        )
    }
}

impl FromStr for Hlc {
    type Err = BadHlc;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadHlc(s.to_string());
        let mut parts = s.splitn(3, '-');
        let (ms, counter, site) = (
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
        );
        if ms.len() != MS_WIDTH || counter.len() != COUNTER_WIDTH || site.len() != SITE_WIDTH {
            return Err(bad());
        }
        Ok(Hlc {
            millis: ms.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
            site: site.to_string(),
        })
    }
}

/// A new random site id: sixteen hex digits from the random part of a UUIDv7.
pub fn new_site_id() -> String {
    let hex = uuid::Uuid::now_v7().simple().to_string();
    hex[hex.len() - SITE_WIDTH..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbb";

    #[test]
    fn string_order_is_clock_order() {
        let clocks = [
            Hlc {
                millis: 5,
                counter: 0,
                site: B.into(),
            },
            Hlc {
                millis: 5,
                counter: 1,
                site: A.into(),
            },
            Hlc {
                millis: 40,
                counter: 0,
                site: A.into(),
            },
            Hlc {
                millis: 1_764_072_000_000,
                counter: 99_999,
                site: A.into(),
            },
        ];
        for pair in clocks.windows(2) {
            assert!(pair[0] < pair[1]);
            assert!(pair[0].to_string() < pair[1].to_string());
            assert_eq!(pair[1].to_string().parse::<Hlc>().unwrap(), pair[1]);
        }
    }

    #[test]
    fn tick_is_monotonic_even_when_the_wall_clock_goes_back() {
        let a = Hlc::tick(&Hlc::zero(A), 100, A);
        let b = Hlc::tick(&a, 90, A);
        assert!(b > a);
        assert_eq!((b.millis, b.counter), (100, 1));
    }

    #[test]
    fn observing_a_remote_clock_moves_past_it() {
        let local = Hlc::tick(&Hlc::zero(A), 100, A);
        let remote = Hlc {
            millis: 5_000,
            counter: 3,
            site: B.into(),
        };
        let next = Hlc::observe(&local, &remote, 200, A);
        assert!(next > remote);
        assert!(Hlc::tick(&next, 200, A) > remote);
    }

    #[test]
    fn malformed_clocks_are_rejected() {
        assert!("12-3-x".parse::<Hlc>().is_err());
        assert_eq!(new_site_id().len(), SITE_WIDTH);
    }
}
