//! What the demo generator draws from: companies, people, deal kinds, reasons, the
//! steps of a deal's progress log, and the random draws that pick among them.

use fastrand::Rng;

use crate::domain::customer::CustomerStatus;
use crate::domain::deal::DealStatus;

pub(super) const MINUTE: i64 = 60_000;
pub(super) const HOUR: i64 = 60 * MINUTE;
pub(super) const DAY: i64 = 24 * HOUR;

/// Name, industry, region and web domain.
pub(super) const COMPANIES: &[(&str, &str, &str, &str)] = &[
    (
        "ACME Industrial GmbH",
        "Manufacturing",
        "DACH",
        "acme-industrial.example",
    ),
    (
        "Acme Logistics Ltd",
        "Logistics",
        "UK",
        "acme-logistics.example",
    ),
    (
        "上海华为技术有限公司",
        "Telecom",
        "China",
        "huawei-sh.example",
    ),
    (
        "北京京东世纪贸易有限公司",
        "Retail",
        "China",
        "jd-beijing.example",
    ),
    ("株式会社ソニー", "Electronics", "Japan", "sony-jp.example"),
    (
        "삼성전자 주식회사",
        "Electronics",
        "Korea",
        "samsung-kr.example",
    ),
    ("Globex Corporation", "Energy", "US", "globex.example"),
    ("Initech Software", "Software", "US", "initech.example"),
    (
        "Umbrella Health",
        "Healthcare",
        "US",
        "umbrella-health.example",
    ),
    (
        "Stark Components",
        "Manufacturing",
        "US",
        "stark-components.example",
    ),
    ("Wayne Foods", "Food", "US", "wayne-foods.example"),
    ("Nordwind Energie AG", "Energy", "DACH", "nordwind.example"),
    (
        "Bäckerei Müller",
        "Food",
        "DACH",
        "baeckerei-mueller.example",
    ),
    (
        "Hanseatic Shipping",
        "Logistics",
        "DACH",
        "hanseatic.example",
    ),
    ("Lumière Cosmétiques", "Retail", "France", "lumiere.example"),
    ("Boulangerie Dubois", "Food", "France", "dubois.example"),
    ("Fjord Analytics AS", "Software", "Nordics", "fjord.example"),
    (
        "Svensson Bygg AB",
        "Construction",
        "Nordics",
        "svensson.example",
    ),
    (
        "Tulip Agritech BV",
        "Agriculture",
        "Benelux",
        "tulip.example",
    ),
    (
        "Delft Precision",
        "Manufacturing",
        "Benelux",
        "delft-precision.example",
    ),
    (
        "Iberia Solar SL",
        "Energy",
        "Iberia",
        "iberia-solar.example",
    ),
    ("Casa Rossi Srl", "Food", "Italy", "casarossi.example"),
    ("Milano Moda SpA", "Retail", "Italy", "milano-moda.example"),
    (
        "Pioneer Dental Clinics",
        "Healthcare",
        "UK",
        "pioneer-dental.example",
    ),
    (
        "Thames Water Tech",
        "Utilities",
        "UK",
        "thames-tech.example",
    ),
    (
        "Maple Leaf Robotics",
        "Manufacturing",
        "Canada",
        "mapleleaf.example",
    ),
    (
        "Outback Mining Co",
        "Mining",
        "Australia",
        "outback.example",
    ),
    (
        "Kiwi Cloud Ltd",
        "Software",
        "New Zealand",
        "kiwicloud.example",
    ),
    (
        "Andes Coffee Traders",
        "Food",
        "LatAm",
        "andes-coffee.example",
    ),
    (
        "Rio Verde Logística",
        "Logistics",
        "LatAm",
        "rioverde.example",
    ),
    ("Sahara Telecom", "Telecom", "MEA", "sahara-telecom.example"),
    ("Cedar Hospitality", "Hospitality", "MEA", "cedar.example"),
    (
        "深圳比亚迪汽车有限公司",
        "Automotive",
        "China",
        "byd-sz.example",
    ),
    (
        "Bangalore Bytes Pvt Ltd",
        "Software",
        "India",
        "bbytes.example",
    ),
    (
        "Lotus Textiles",
        "Manufacturing",
        "India",
        "lotus-textiles.example",
    ),
    (
        "Hanoi Furniture JSC",
        "Manufacturing",
        "SEA",
        "hanoi-furniture.example",
    ),
    (
        "Singapore Fintech Pte",
        "Finance",
        "SEA",
        "sgfintech.example",
    ),
    ("Blue Harbor Bank", "Finance", "US", "blueharbor.example"),
    ("Summit Insurance", "Finance", "US", "summit-ins.example"),
    (
        "Greenfield Schools",
        "Education",
        "UK",
        "greenfield.example",
    ),
];

pub(super) const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kim",
    "Lena", "Marco", "Nora", "Omar", "Priya", "Rafael", "Sara", "Tom", "Yuki",
];
pub(super) const LAST_NAMES: &[&str] = &[
    "Schmidt", "Brown", "Martin", "Rossi", "García", "Khan", "Tanaka", "Novak", "Larsen", "Silva",
    "Müller", "Dubois", "Kowalski", "Jensen", "Patel", "Nguyen",
];
/// People at companies in China, Japan and Korea: name and the mailbox they use.
pub(super) const CHINESE_PEOPLE: &[(&str, &str)] = &[
    ("王芳", "wang.fang"),
    ("张伟", "zhang.wei"),
    ("李娜", "li.na"),
    ("陈静", "chen.jing"),
    ("刘洋", "liu.yang"),
];
pub(super) const JAPANESE_PEOPLE: &[(&str, &str)] =
    &[("佐藤 花子", "hanako.sato"), ("鈴木 一郎", "ichiro.suzuki")];
pub(super) const KOREAN_PEOPLE: &[(&str, &str)] =
    &[("김민준", "minjun.kim"), ("이서연", "seoyeon.lee")];
pub(super) const TITLES: &[&str] = &[
    "CEO",
    "CFO",
    "Head of Purchasing",
    "IT Director",
    "Operations Manager",
    "Buyer",
];
pub(super) const DEAL_KINDS: &[&str] = &[
    "rollout",
    "licences",
    "renewal",
    "expansion",
    "pilot",
    "support contract",
    "upgrade",
    "new site",
    "training",
    "framework agreement",
];
pub(super) const SOURCES: &[&str] = &["referral", "website", "trade fair", "cold call", "partner"];
pub(super) const LOST_REASONS: &[&str] =
    &["price", "timing", "competitor", "no budget", "no decision"];
/// Tags besides "VIP" (key customers) and "at risk" (customers at risk).
pub(super) const OTHER_TAGS: &[&str] = &["reference", "partner", "public sector", "newsletter"];
/// What gets done with a deal in each stage (by stage position; later stages reuse the
/// last list): past activities and the next step.
pub(super) const STAGE_STEPS: &[&[(&str, &str)]] = &[
    &[
        ("call", "Discovery call"),
        ("email", "Send company profile"),
    ],
    &[
        ("meeting", "Demo for the team"),
        ("call", "Check budget approval"),
    ],
    &[("email", "Send proposal"), ("call", "Follow up on quote")],
    &[("meeting", "Negotiate terms"), ("email", "Contract review")],
];
pub(super) const OUTCOMES: &[&str] = &[
    "Went well; next step agreed",
    "Positive; they want a second meeting",
    "Sent the revised quote",
    "They need sign-off from finance",
    "Left a voicemail; followed up by email",
];

/// `n` values in random order: `share` percent of each given value, the rest `otherwise`.
pub(super) fn shuffled<T: Copy>(
    rng: &mut Rng,
    n: usize,
    shares: &[(T, usize)],
    otherwise: T,
) -> Vec<T> {
    let mut values = Vec::with_capacity(n);
    for &(value, percent) in shares {
        values.extend(std::iter::repeat_n(value, (n * percent).div_ceil(100)));
    }
    values.truncate(n);
    values.resize(n, otherwise);
    rng.shuffle(&mut values);
    values
}

/// A deal's status, given its customer's. A customer's first deal is the one its status
/// rests on: a prospect's is still open; everyone else's was won.
pub(super) fn deal_status(rng: &mut Rng, customer: CustomerStatus, first: bool) -> DealStatus {
    use DealStatus::{Lost, Open, Won};
    let roll = rng.u8(0..100);
    match customer {
        CustomerStatus::Prospect if first => Open,
        CustomerStatus::Prospect => [Open, Lost][usize::from(roll >= 85)],
        _ if first => Won,
        CustomerStatus::Active => match roll {
            0..65 => Open,
            65..85 => Won,
            _ => Lost,
        },
        CustomerStatus::AtRisk => match roll {
            0..45 => Open,
            45..60 => Won,
            _ => Lost,
        },
        // Nothing open: a churned customer's later deals were lost, or won long ago.
        CustomerStatus::Churned => [Won, Lost][usize::from(roll >= 25)],
    }
}

/// A stage for a deal that is open or was lost: early stages hold more deals.
pub(super) fn weighted_stage(rng: &mut Rng, n: usize) -> usize {
    // With four stages: 5, 4, 3 and 2 parts.
    let weights: Vec<u64> = (0..n).map(|i| (n - i + 1) as u64).collect();
    let total: u64 = weights.iter().sum();
    let mut roll = rng.u64(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    n - 1
}

/// A kind and subject for work done in the stage at position `s`.
pub(super) fn step_for(rng: &mut Rng, s: usize) -> (&'static str, &'static str) {
    let steps = STAGE_STEPS[s.min(STAGE_STEPS.len() - 1)];
    steps[rng.usize(..steps.len())]
}

/// A contact's name and mailbox, as people are called in the customer's region.
pub(super) fn person(rng: &mut Rng, region: &str) -> (String, String) {
    let local = match region {
        "China" => Some(CHINESE_PEOPLE),
        "Japan" => Some(JAPANESE_PEOPLE),
        "Korea" => Some(KOREAN_PEOPLE),
        _ => None,
    };
    if let Some(people) = local {
        let (name, mailbox) = people[rng.usize(..people.len())];
        return (name.to_string(), mailbox.to_string());
    }
    let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
    let mailbox = format!("{first}.{last}")
        .to_lowercase()
        .replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '.', "");
    (format!("{first} {last}"), mailbox)
}

/// The UTC calendar date of an instant, as deals store expected close dates.
pub(super) fn date(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.date_naive().to_string())
}

/// "ACME Industrial GmbH" → "ACME Industrial", "上海华为技术有限公司" → "上海华为技术": a
/// company name without its legal form.
pub(super) fn short_name(name: &str) -> &str {
    const FORMS: &[&str] = &[
        " GmbH",
        " Ltd",
        " AG",
        " AB",
        " AS",
        " BV",
        " SL",
        " Srl",
        " SpA",
        " Pte",
        " JSC",
        " Pvt",
        " Corporation",
        " Co",
        "有限公司",
        " 주식회사",
    ];
    let mut cut = name.strip_prefix("株式会社").unwrap_or(name);
    while let Some(shorter) = FORMS.iter().find_map(|f| cut.strip_suffix(f)) {
        cut = shorter;
    }
    cut
}
