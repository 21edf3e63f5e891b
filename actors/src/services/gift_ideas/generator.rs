//! The embedded idea generator: gift ideas and short Polish marketplace queries for one wave,
//! derived from the interview's key themes, the recipient profile and the facts read from social
//! profiles through the interest taxonomy. Deterministic and offline.
//!
//! Interests are weighed by where they were found (key themes most) and how strongly they were
//! stated (competing over a regular hobby over a mention), candidate queries (the
//! taxonomy's queries of the strongest interests, missing items, specific key themes, then
//! universal fallbacks) are ranked, cleaned of filler adjectives, filtered against what the
//! person owns or dislikes, earlier queries and badly scored products, and dealt round-robin to
//! the enabled marketplaces so that no query repeats within the wave.

use std::sync::OnceLock;

use crate::events::{Refinement, WaveFeedback};
use crate::knowledge::matching::{
    WordList, contains_all, content_terms, is_filler, loose_match, mentions, resembles,
};
use crate::knowledge::{Interest, StatedInterest, interests, text};
use crate::vocabulary::{Locale, Marketplace, PriceRange, RecipientProfile};

pub struct IdeaRequest<'a> {
    pub profile: &'a RecipientProfile,
    pub key_themes: &'a [String],
    pub facts: &'a [String],
    pub marketplaces: &'a [Marketplace],
    /// The budget (the embedded generator leaves it to the marketplace searches).
    pub price_range: PriceRange,
    pub locale: Locale,
    /// 1 for the first wave, 2 for the first regeneration, …
    pub wave: u32,
    pub feedback: Option<&'a WaveFeedback>,
    /// What "more like this / not this" asked for, after the results.
    pub refinement: Option<&'a Refinement>,
    /// Queries already searched in earlier waves of the session.
    pub previous_queries: &'a [String],
}

#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedIdeas {
    /// Short gift ideas in the session language.
    pub ideas: Vec<String>,
    /// Polish search queries, grouped by marketplace, best first within each.
    pub queries: Vec<SearchQuery>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub marketplace: Marketplace,
    pub query: String,
}

const MAX_QUERY_WORDS: usize = 5;
const MIN_QUERIES_PER_MARKETPLACE: usize = 4;
const MAX_QUERIES_PER_MARKETPLACE: usize = 8;
const MIN_IDEAS: usize = 6;
const MAX_IDEAS: usize = 8;

/// Interests never guessed (only searched when the profile names them) and never searched for
/// children or teenagers.
const ADULT_ONLY: [&str; 3] = ["wine", "beer", "spirits"];
/// An interest already searched in an earlier wave keeps this share of its weight.
const TRIED_FACTOR: f64 = 0.35;

/// Filler adjectives that make marketplace searches worse, never put into a query.
const BANNED_WORDS: &str = "\
    vintage retro klasyczny classic elegancki elegant premium luksusowy luxury używany used \
    stan oryginalny original idealny wyjątkowy unikalny unikatowy ekskluzywny exclusive modny \
    stylowy piękny najlepszy super fajny tani markowy designerski nowy okazja limitowany";

pub fn generate(request: &IdeaRequest<'_>) -> GeneratedIdeas {
    let guard = Guard::new(request);
    let ranked = rank_interests(request, &guard);
    let pool = query_pool(request, &ranked, &guard);
    GeneratedIdeas {
        ideas: ideas(request, &ranked, &guard),
        queries: distribute(&pool, request.marketplaces),
    }
}

// ---------------------------------------------------------------------------------------------
// Interests

/// The interests revealed by the request ([`interests::stated`]), strongest first; disliked
/// interests are left out and, from the second wave on, interests already searched are pushed
/// back.
fn rank_interests(request: &IdeaRequest<'_>, guard: &Guard) -> Vec<StatedInterest> {
    let profile = request.profile;
    let mut ranked = interests::stated(profile, request.key_themes, request.facts);
    let minor = matches!(audience(profile), Audience::Children | Audience::Teens);
    ranked.retain(|r| {
        let id = r.interest.id.as_str();
        let unsuitable = minor && ADULT_ONLY.contains(&id);
        !guard.disliked_interests.contains(&id) && !unsuitable
    });
    if request.wave >= 2 {
        let tried = tried_interests(request.previous_queries);
        for entry in &mut ranked {
            if tried.contains(&entry.interest.id.as_str()) {
                entry.weight *= TRIED_FACTOR;
            }
        }
    }
    // A stable sort keeps the order of first mention between equally strong interests.
    ranked.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    ranked
}

/// The interests earlier waves already searched for.
fn tried_interests(previous_queries: &[String]) -> Vec<&'static str> {
    let previous: Vec<String> = previous_queries.iter().map(|q| query_key(q)).collect();
    let mut tried: Vec<&'static str> = previous_queries
        .iter()
        .flat_map(|q| interests::detect(q))
        .map(|m| m.interest.id.as_str())
        .collect();
    tried.extend(
        interests::all()
            .iter()
            .filter(|i| i.queries.iter().any(|q| previous.contains(&query_key(q))))
            .map(|i| i.id.as_str()),
    );
    tried
}

// ---------------------------------------------------------------------------------------------
// Queries

/// Where a candidate query comes from, best source first. Only [`Tier::Profile`] queries set how
/// many queries a wave has; the other tiers fill it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// The person's interests, missing items and key themes.
    Profile,
    /// Universal gifts for the person's age group or the occasion.
    Audience,
    /// Universal gifts for anyone.
    Universal,
    /// Other interests of the same areas of life ("cycling" for a runner).
    Related,
    /// Any interest of the taxonomy: the last resort of late waves.
    Anything,
}

struct Candidate {
    query: String,
    tier: Tier,
    priority: f64,
}

impl Candidate {
    fn new(query: impl Into<String>, tier: Tier, priority: f64) -> Self {
        Self {
            query: query.into(),
            tier,
            priority,
        }
    }
}

/// Every acceptable query for the wave, best first, without duplicates.
fn query_pool(
    request: &IdeaRequest<'_>,
    ranked: &[StatedInterest],
    guard: &Guard,
) -> Vec<Candidate> {
    let mut candidates = refinement_queries(request);
    candidates.extend(interest_queries(ranked));
    candidates.extend(profile_queries(request));
    candidates.extend(related_queries(ranked, guard));
    candidates.extend(
        fallbacks(request.profile)
            .filter(|u| !guard.disliked_interests.contains(&u.interest))
            .enumerate()
            .map(|(rank, u)| {
                let tier = match u.audience {
                    Audience::Everyone => Tier::Universal,
                    _ => Tier::Audience,
                };
                Candidate::new(u.query, tier, decay(0.98, rank))
            }),
    );
    let guessable = interests::all()
        .iter()
        .filter(|i| !ADULT_ONLY.contains(&i.id.as_str()));
    candidates.extend(guessable.flat_map(|interest| {
        interest
            .queries
            .iter()
            .enumerate()
            .map(|(rank, q)| Candidate::new(q.clone(), Tier::Anything, decay(0.8, rank)))
    }));
    candidates.sort_by(|a, b| {
        a.tier
            .cmp(&b.tier)
            .then_with(|| b.priority.total_cmp(&a.priority))
    });

    // Every profile query counts; the other tiers only fill what the wave can use.
    let wanted = MAX_QUERIES_PER_MARKETPLACE * distinct(request.marketplaces).len().max(1);
    let mut seen: Vec<String> = guard.previous.clone();
    let mut pool = Vec::new();
    for candidate in candidates {
        if candidate.tier != Tier::Profile && pool.len() >= wanted {
            break;
        }
        let Some(query) = clean_query(&candidate.query) else {
            continue;
        };
        let key = query_key(&query);
        if key.is_empty() || seen.contains(&key) || !guard.allows(&query) {
            continue;
        }
        seen.push(key);
        pool.push(Candidate { query, ..candidate });
    }
    pool
}

fn decay(base: f64, rank: usize) -> f64 {
    base.powi(i32::try_from(rank).unwrap_or(i32::MAX))
}

/// The first queries of the taxonomy's other interests in the areas of life of the person's
/// interests, the strongest interest's area first.
fn related_queries(ranked: &[StatedInterest], guard: &Guard) -> Vec<Candidate> {
    let mut related: Vec<&'static Interest> = Vec::new();
    for area in ranked.iter().map(|r| r.interest.area) {
        for interest in interests::all().iter().filter(|i| i.area == area) {
            let known = ranked.iter().any(|r| r.interest.id == interest.id)
                || related.iter().any(|r| r.id == interest.id)
                || guard.disliked_interests.contains(&interest.id.as_str())
                || ADULT_ONLY.contains(&interest.id.as_str());
            if !known {
                related.push(interest);
            }
        }
    }
    related
        .iter()
        .enumerate()
        .flat_map(|(rank, interest)| {
            interest
                .queries
                .iter()
                .take(2)
                .enumerate()
                .map(move |(index, q)| {
                    Candidate::new(
                        q.clone(),
                        Tier::Related,
                        decay(0.9, rank) * decay(0.5, index),
                    )
                })
        })
        .collect()
}

/// The taxonomy's queries of each interest, its earlier queries and its stronger interests first.
fn interest_queries(ranked: &[StatedInterest]) -> Vec<Candidate> {
    let top = ranked.first().map_or(1.0, |r| r.weight).max(f64::EPSILON);
    ranked
        .iter()
        .flat_map(|r| {
            let strength = r.weight / top;
            r.interest.queries.iter().enumerate().map(move |(rank, q)| {
                Candidate::new(q.clone(), Tier::Profile, strength * decay(0.8, rank))
            })
        })
        .collect()
}

/// Queries for what the person liked on the results, before anything else: the wave after a
/// "more like this" searches near it.
fn refinement_queries(request: &IdeaRequest<'_>) -> Vec<Candidate> {
    request
        .refinement
        .map(|r| r.liked_kinds.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(rank, kind)| Candidate::new(kind.clone(), Tier::Profile, 2.0 * decay(0.9, rank)))
        .collect()
}

/// Queries written from the profile itself: the items the person is missing, then key themes
/// that name something more specific than an interest of the taxonomy. Only Polish text is
/// searched as is (every query is in Polish).
fn profile_queries(request: &IdeaRequest<'_>) -> Vec<Candidate> {
    let polish = |t: &String| request.locale == Locale::Pl || has_polish_letters(t);
    let missing = request
        .profile
        .possessions
        .what_is_missing
        .iter()
        .filter(|m| polish(m))
        .map(|item| content_words(item).join(" "))
        .filter(|item| !item.is_empty())
        .enumerate()
        .map(|(rank, query)| Candidate::new(query, Tier::Profile, 0.9 * decay(0.85, rank)));
    let themes = request
        .key_themes
        .iter()
        .filter(|t| polish(t))
        .filter_map(|theme| {
            let words = content_words(theme);
            if words.is_empty() || names_only_interests(&words) {
                return None;
            }
            let base = if words.len() > 1 { 0.75 } else { 0.4 };
            Some((words.join(" "), base))
        })
        .enumerate()
        .map(|(rank, (query, base))| Candidate::new(query, Tier::Profile, base * decay(0.9, rank)));
    missing.chain(themes).collect()
}

/// Whether every word is a keyword of an interest the words reveal ("bieganie", "kawa"): the
/// interest's own queries search for it better than the bare word would.
fn names_only_interests(words: &[String]) -> bool {
    let terms = text::terms(&words.join(" "));
    let keyword_terms: Vec<String> = interests::detect_in_terms(&terms)
        .iter()
        .flat_map(|m| m.interest.keywords.iter().flat_map(|k| text::terms(k)))
        .collect();
    !terms.is_empty()
        && terms
            .iter()
            .all(|t| keyword_terms.iter().any(|k| loose_match(t, k)))
}

/// Deals the pool to the marketplaces round-robin (each gets a share of the best queries),
/// 4–8 per marketplace, no query twice in the wave.
fn distribute(pool: &[Candidate], marketplaces: &[Marketplace]) -> Vec<SearchQuery> {
    let targets = distinct(marketplaces);
    if targets.is_empty() {
        return Vec::new();
    }
    let specific = pool.iter().filter(|c| c.tier == Tier::Profile).count();
    let per_marketplace =
        (specific / targets.len()).clamp(MIN_QUERIES_PER_MARKETPLACE, MAX_QUERIES_PER_MARKETPLACE);
    let mut dealt: Vec<(usize, usize, SearchQuery)> = pool
        .iter()
        .take(per_marketplace * targets.len())
        .enumerate()
        .filter_map(|(index, candidate)| {
            let slot = index % targets.len();
            targets.get(slot).map(|marketplace| {
                let query = SearchQuery {
                    marketplace: *marketplace,
                    query: candidate.query.clone(),
                };
                (slot, index, query)
            })
        })
        .collect();
    dealt.sort_by_key(|(slot, index, _)| (*slot, *index));
    dealt.into_iter().map(|(_, _, query)| query).collect()
}

/// The marketplaces in the given order, each once.
fn distinct(marketplaces: &[Marketplace]) -> Vec<Marketplace> {
    let mut targets: Vec<Marketplace> = Vec::new();
    for marketplace in marketplaces {
        if !targets.contains(marketplace) {
            targets.push(*marketplace);
        }
    }
    targets
}

/// A query as searched: lowercase words without punctuation or filler adjectives, at most five,
/// not ending on a preposition.
fn clean_query(raw: &str) -> Option<String> {
    let mut words: Vec<String> = raw
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty() && w != "-" && !is_banned(w))
        .collect();
    words.truncate(MAX_QUERY_WORDS);
    while words.last().is_some_and(|w| text::words(w).is_empty()) {
        words.pop();
    }
    while words.first().is_some_and(|w| text::words(w).is_empty()) {
        words.remove(0);
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// The words of a theme or item worth searching for, without filler and banned words.
fn content_words(raw: &str) -> Vec<String> {
    let kept: Vec<&str> = raw.split_whitespace().filter(|w| !is_filler(w)).collect();
    clean_query(&kept.join(" "))
        .map(|q| q.split(' ').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// What makes two queries the same search: their stems.
fn query_key(query: &str) -> String {
    text::terms(query).join(" ")
}

fn is_banned(word: &str) -> bool {
    static BANNED: OnceLock<WordList> = OnceLock::new();
    WordList::cached(&BANNED, BANNED_WORDS).matches(word)
}

fn has_polish_letters(text: &str) -> bool {
    text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c))
}

// ---------------------------------------------------------------------------------------------
// What a query or idea must avoid

/// Everything a query or an idea is checked against.
struct Guard {
    /// Keys of queries searched in earlier waves.
    previous: Vec<String>,
    owned: Vec<Vec<String>>,
    dislikes: Vec<Vec<String>>,
    disliked_interests: Vec<&'static str>,
    /// Content stems of the titles of badly scored products (regeneration waves only).
    bad_titles: Vec<Vec<String>>,
    /// The recipient's gender: ideas made for another are left out.
    gender: Option<String>,
    /// Kinds of product the user said "not this" to, as content stems.
    excluded: Vec<Vec<String>>,
}

impl Guard {
    fn new(request: &IdeaRequest<'_>) -> Self {
        let profile = request.profile;
        let phrases = |items: &[String]| -> Vec<Vec<String>> {
            items
                .iter()
                .map(|i| content_terms(i))
                .filter(|t| !t.is_empty())
                .collect()
        };
        let bad_titles = match request.feedback {
            Some(feedback) if request.wave >= 2 => feedback
                .bad_products
                .iter()
                .map(|p| content_terms(&p.title))
                .filter(|t| !t.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        Self {
            previous: request
                .previous_queries
                .iter()
                .map(|q| query_key(q))
                .collect(),
            owned: phrases(&profile.possessions.what_already_has),
            dislikes: phrases(&profile.dislikes),
            disliked_interests: profile
                .dislikes
                .iter()
                .flat_map(|d| interests::detect(d))
                .map(|m| m.interest.id.as_str())
                .collect(),
            bad_titles,
            gender: profile.personal_info_description.gender.clone(),
            excluded: phrases(
                request
                    .refinement
                    .map(|r| r.excluded_kinds.as_slice())
                    .unwrap_or_default(),
            ),
        }
    }

    /// Whether a query (or idea) is free of owned, disliked and badly scored things.
    fn allows(&self, phrase: &str) -> bool {
        let terms = content_terms(phrase);
        let Some(head) = terms.first() else {
            return true;
        };
        let names = |item: &Vec<String>| {
            item.first().is_some_and(|h| loose_match(head, h)) || contains_all(&terms, item)
        };
        let disliked_interest = interests::detect(phrase)
            .iter()
            .any(|m| self.disliked_interests.contains(&m.interest.id.as_str()));
        crate::knowledge::gender::suits(self.gender.as_deref(), phrase)
            && !self.owned.iter().any(names)
            && !self.dislikes.iter().any(|d| mentions(&terms, d))
            && !disliked_interest
            && !self.bad_titles.iter().any(|t| resembles(&terms, t))
            && !self.excluded.iter().any(|kind| contains_all(&terms, kind))
    }
}

// ---------------------------------------------------------------------------------------------
// Ideas

/// 6–8 short ideas in the session language: what the person is missing, then the taxonomy's
/// ideas of the strongest interests in turn, themes outside the taxonomy, universal ideas.
fn ideas(request: &IdeaRequest<'_>, ranked: &[StatedInterest], guard: &Guard) -> Vec<String> {
    let locale = request.locale;
    let mut candidates: Vec<String> = request.profile.possessions.what_is_missing.clone();
    let lists: Vec<&[String]> = ranked
        .iter()
        .take(4)
        .map(|r| r.interest.ideas(locale))
        .collect();
    let longest = lists.iter().map(|l| l.len()).max().unwrap_or(0);
    for rank in 0..longest {
        candidates.extend(lists.iter().filter_map(|l| l.get(rank)).cloned());
    }
    candidates.extend(request.key_themes.iter().filter_map(|theme| {
        let words = content_words(theme);
        (words.len() > 1 && !names_only_interests(&words)).then(|| match locale {
            Locale::Pl => format!("Prezent związany z: {}", theme.trim()),
            Locale::En => format!("A gift related to {}", theme.trim()),
        })
    }));
    candidates.extend(
        fallbacks(request.profile)
            .filter(|u| !guard.disliked_interests.contains(&u.interest))
            .map(|u| match locale {
                Locale::Pl => u.idea_pl.to_owned(),
                Locale::En => u.idea_en.to_owned(),
            }),
    );

    let mut ideas: Vec<String> = Vec::new();
    let mut seen: Vec<Vec<String>> = Vec::new();
    for candidate in candidates {
        let idea = capitalize(candidate.trim());
        let terms = text::terms(&idea);
        // "Kamizelka biegowa" and "Kamizelka biegowa z bukłakiem" are one idea
        let repeats = seen
            .iter()
            .any(|s| contains_all(&terms, s) || contains_all(s, &terms));
        if terms.is_empty() || repeats || !guard.allows(&idea) {
            continue;
        }
        seen.push(terms);
        ideas.push(idea);
        if ideas.len() == MAX_IDEAS {
            break;
        }
    }
    for (pl, en) in LAST_RESORT_IDEAS {
        if ideas.len() >= MIN_IDEAS {
            break;
        }
        ideas.push(match locale {
            Locale::Pl => (*pl).to_owned(),
            Locale::En => (*en).to_owned(),
        });
    }
    ideas
}

/// Ideas that suit anyone, when the profile and the universal gifts leave too few.
const LAST_RESORT_IDEAS: &[(&str, &str)] = &[
    (
        "Karta podarunkowa do ulubionego sklepu",
        "Gift card for a favourite shop",
    ),
    ("Bilety na koncert lub do kina", "Concert or cinema tickets"),
    ("Voucher na warsztaty", "Workshop voucher"),
    ("Wspólne wyjście lub wycieczka", "A shared outing or trip"),
    ("Kosz prezentowy", "Gift basket"),
    ("Kwiaty z bilecikiem", "Flowers with a card"),
];

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Universal gifts, when the profile says little

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Everyone,
    Adults,
    Seniors,
    Teens,
    Children,
    Couples,
}

struct Universal {
    query: &'static str,
    idea_pl: &'static str,
    idea_en: &'static str,
    /// The taxonomy interest the gift belongs to, so that dislikes rule it out.
    interest: &'static str,
    audience: Audience,
}

const fn universal(
    query: &'static str,
    audience: Audience,
    interest: &'static str,
    idea_pl: &'static str,
    idea_en: &'static str,
) -> Universal {
    Universal {
        query,
        idea_pl,
        idea_en,
        interest,
        audience,
    }
}

#[rustfmt::skip]
const UNIVERSAL: &[Universal] = &[
    universal("album na zdjęcia", Audience::Couples, "photography",
        "album na wspólne zdjęcia", "photo album"),
    universal("naszyjnik srebrny", Audience::Couples, "jewelry",
        "srebrny naszyjnik z inicjałem", "silver necklace"),
    universal("ramka cyfrowa na zdjęcia", Audience::Couples, "gadgets",
        "cyfrowa ramka na zdjęcia", "digital photo frame"),
    universal("bilety do kina dla dwojga", Audience::Couples, "movies",
        "bilety do kina dla dwojga", "cinema tickets for two"),
    universal("koc z rękawami", Audience::Seniors, "home_decor",
        "ciepły koc z rękawami", "blanket with sleeves"),
    universal("poduszka do czytania", Audience::Seniors, "reading",
        "poduszka do czytania w łóżku", "reading pillow"),
    universal("szal kaszmirowy", Audience::Seniors, "fashion",
        "kaszmirowy szal", "cashmere scarf"),
    universal("kapcie z wełny", Audience::Seniors, "fashion",
        "ciepłe kapcie z wełny", "wool slippers"),
    universal("puzzle 1000 elementów", Audience::Seniors, "puzzles",
        "puzzle 1000 elementów", "1000-piece jigsaw puzzle"),
    universal("masażer do karku", Audience::Seniors, "wellness",
        "masażer do karku i pleców", "neck massager"),
    universal("słuchawki bezprzewodowe", Audience::Teens, "gadgets",
        "słuchawki bezprzewodowe", "wireless headphones"),
    universal("głośnik bluetooth", Audience::Teens, "gadgets",
        "przenośny głośnik bluetooth", "Bluetooth speaker"),
    universal("gra karciana imprezowa", Audience::Teens, "board_games",
        "gra imprezowa dla znajomych", "party card game"),
    universal("bluza z kapturem", Audience::Teens, "fashion",
        "wygodna bluza z kapturem", "hoodie"),
    universal("powerbank", Audience::Teens, "gadgets",
        "powerbank", "power bank"),
    universal("klocki konstrukcyjne", Audience::Children, "lego",
        "klocki konstrukcyjne", "building blocks"),
    universal("gra planszowa dla dzieci", Audience::Children, "board_games",
        "gra planszowa dla dzieci", "board game for kids"),
    universal("zestaw plastyczny", Audience::Children, "art",
        "zestaw plastyczny w walizce", "art set for kids"),
    universal("pluszowy miś", Audience::Children, "kids_toys",
        "duży pluszowy miś", "big teddy bear"),
    universal("puzzle dla dzieci", Audience::Children, "puzzles",
        "puzzle dla dzieci", "jigsaw puzzle for kids"),
    universal("hulajnoga dla dzieci", Audience::Children, "kids_toys",
        "hulajnoga", "kids' scooter"),
    universal("portfel skórzany", Audience::Adults, "fashion",
        "skórzany portfel", "leather wallet"),
    universal("plecak miejski", Audience::Adults, "travel",
        "plecak miejski", "city backpack"),
    universal("rękawiczki skórzane", Audience::Adults, "fashion",
        "skórzane rękawiczki", "leather gloves"),
    universal("termos stalowy", Audience::Adults, "camping",
        "termos z kubkiem", "vacuum flask"),
    universal("zestaw herbat", Audience::Everyone, "tea",
        "zestaw herbat liściastych", "loose-leaf tea set"),
    universal("kubek termiczny", Audience::Everyone, "coffee",
        "kubek termiczny", "travel mug"),
    universal("świeca zapachowa", Audience::Everyone, "home_decor",
        "świeca zapachowa", "scented candle"),
    universal("gra planszowa", Audience::Everyone, "board_games",
        "gra planszowa", "board game"),
    universal("czekolada rzemieślnicza", Audience::Everyone, "sweets",
        "rzemieślnicza czekolada", "craft chocolate"),
    universal("zestaw kosmetyków", Audience::Everyone, "beauty",
        "zestaw kosmetyków pielęgnacyjnych", "skincare gift set"),
    universal("lampa stołowa", Audience::Everyone, "home_decor",
        "lampa stołowa", "table lamp"),
    universal("karta podarunkowa do księgarni", Audience::Everyone, "reading",
        "karta podarunkowa do księgarni", "bookshop gift card"),
    universal("notes w kropki", Audience::Everyone, "writing",
        "notes w twardej oprawie", "hardcover notebook"),
    universal("bilet na koncert", Audience::Everyone, "music",
        "bilet na koncert", "concert ticket"),
    universal("puzzle", Audience::Everyone, "puzzles",
        "puzzle", "jigsaw puzzle"),
];

/// Universal gifts, the ones for the recipient's age and the occasion first.
fn fallbacks(profile: &RecipientProfile) -> impl Iterator<Item = &'static Universal> {
    let audience = audience(profile);
    let couples = is_romantic(profile);
    let first = move |u: &&Universal| {
        (u.audience == Audience::Couples && couples) || (u.audience == audience)
    };
    let suits = move |u: &&Universal| match u.audience {
        Audience::Everyone => audience != Audience::Children,
        Audience::Couples => couples,
        other => other == audience,
    };
    UNIVERSAL
        .iter()
        .filter(first)
        .chain(UNIVERSAL.iter().filter(move |u| !first(u) && suits(u)))
}

/// The recipient's age group, from the age range ("66+", "13-17") or words such as "nastolatek".
fn audience(profile: &RecipientProfile) -> Audience {
    let info = &profile.personal_info_description;
    let age = info.age_range.as_deref().unwrap_or_default();
    let years: Option<u32> = age
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .and_then(|part| part.parse().ok());
    let words = text::fold(&format!(
        "{age} {}",
        info.relationship.as_deref().unwrap_or_default()
    ));
    let says = |stems: &[&str]| stems.iter().any(|s| words.contains(s));
    match years {
        Some(y) if y < 13 => Audience::Children,
        Some(y) if y < 18 => Audience::Teens,
        Some(y) if y >= 60 => Audience::Seniors,
        Some(_) => Audience::Adults,
        None if says(&["nastol", "teen"]) => Audience::Teens,
        None if says(&["dziec", "child", "kid"]) && !says(&["dorosl", "adult"]) => {
            Audience::Children
        }
        None if says(&["senior", "babci", "dziad", "grand", "emeryt"]) => Audience::Seniors,
        None => Audience::Adults,
    }
}

fn is_romantic(profile: &RecipientProfile) -> bool {
    let info = &profile.personal_info_description;
    let words = text::fold(&format!(
        "{} {}",
        info.occasion.as_deref().unwrap_or_default(),
        info.relationship.as_deref().unwrap_or_default()
    ));
    [
        "anniversary",
        "rocznic",
        "walentyn",
        "valentine",
        "zona",
        "maz",
        "partner",
        "dziewczyn",
        "chlopak",
        "wife",
        "husband",
        "girlfriend",
        "boyfriend",
    ]
    .iter()
    .any(|cue| words.contains(cue))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::{BadProduct, PersonalInfo, Possessions};

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn runner() -> (RecipientProfile, Vec<String>) {
        let profile = RecipientProfile {
            personal_info_description: PersonalInfo {
                relationship: Some("przyjaciel".into()),
                occasion: Some("birthday".into()),
                age_range: Some("26-35".into()),
                gender: Some("mężczyzna".into()),
            },
            lifestyle_description: Some(
                "Biega pięć razy w tygodniu i przygotowuje się do maratonu.".into(),
            ),
            preferences_description: Some("Uwielbia dobrą kawę, rano parzy espresso.".into()),
            recent_life_description: Some("Niedawno ukończył pierwszy półmaraton.".into()),
            possessions: Possessions {
                what_already_has: strings(&["zegarek sportowy"]),
                what_is_missing: strings(&["kamizelka biegowa"]),
            },
            dislikes: Vec::new(),
        };
        let themes = strings(&["bieganie", "maraton", "kawa speciality", "espresso"]);
        (profile, themes)
    }

    fn gamer() -> (RecipientProfile, Vec<String>) {
        let profile = RecipientProfile {
            personal_info_description: PersonalInfo {
                relationship: Some("syn".into()),
                occasion: Some("birthday".into()),
                age_range: Some("13-17".into()),
                gender: Some("chłopiec".into()),
            },
            lifestyle_description: Some("Popołudniami gra na komputerze i konsoli.".into()),
            preferences_description: Some("Lubi gry akcji i ogląda streamy e-sportowe.".into()),
            recent_life_description: None,
            possessions: Possessions {
                what_already_has: strings(&["konsola PlayStation 5"]),
                what_is_missing: strings(&["słuchawki gamingowe"]),
            },
            dislikes: Vec::new(),
        };
        let themes = strings(&["gry komputerowe", "gaming", "e-sport", "konsola"]);
        (profile, themes)
    }

    fn grandmother() -> (RecipientProfile, Vec<String>) {
        let profile = RecipientProfile {
            personal_info_description: PersonalInfo {
                relationship: Some("babcia".into()),
                occasion: Some("holiday".into()),
                age_range: Some("66+".into()),
                gender: Some("kobieta".into()),
            },
            lifestyle_description: Some(
                "Całe lato spędza na działce, uprawia warzywa i róże.".into(),
            ),
            preferences_description: Some("Piecze ciasta i drożdżówki dla wnuków.".into()),
            recent_life_description: None,
            possessions: Possessions {
                what_already_has: strings(&["robot kuchenny"]),
                what_is_missing: strings(&["forma do pieczenia"]),
            },
            dislikes: strings(&["gadżety elektroniczne"]),
        };
        let themes = strings(&["ogród", "pieczenie ciast", "róże", "wypieki"]);
        (profile, themes)
    }

    const MARKETPLACES: [Marketplace; 3] =
        [Marketplace::Allegro, Marketplace::Olx, Marketplace::Catalog];

    fn request<'a>(profile: &'a RecipientProfile, themes: &'a [String]) -> IdeaRequest<'a> {
        IdeaRequest {
            profile,
            key_themes: themes,
            facts: &[],
            marketplaces: &MARKETPLACES,
            price_range: PriceRange::default(),
            locale: Locale::Pl,
            wave: 1,
            feedback: None,
            refinement: None,
            previous_queries: &[],
        }
    }

    fn queries_of(ideas: &GeneratedIdeas) -> Vec<&str> {
        ideas.queries.iter().map(|q| q.query.as_str()).collect()
    }

    fn interests_of(query: &str) -> Vec<String> {
        interests::detect(query)
            .iter()
            .map(|m| m.interest.id.clone())
            .collect()
    }

    /// The shape every wave must have.
    fn assert_well_formed(generated: &GeneratedIdeas, marketplaces: &[Marketplace]) {
        for marketplace in marketplaces {
            let count = generated
                .queries
                .iter()
                .filter(|q| q.marketplace == *marketplace)
                .count();
            assert!(
                (MIN_QUERIES_PER_MARKETPLACE..=MAX_QUERIES_PER_MARKETPLACE).contains(&count),
                "{marketplace}: {count} queries in {:?}",
                generated.queries
            );
        }
        let mut keys: Vec<String> = Vec::new();
        for query in queries_of(generated) {
            assert!(
                query.split_whitespace().count() <= MAX_QUERY_WORDS,
                "{query}"
            );
            assert!(
                !query.split_whitespace().any(is_banned),
                "filler adjective in {query}"
            );
            let key = query_key(query);
            assert!(!keys.contains(&key), "duplicate query {query}");
            keys.push(key);
        }
        assert!(
            (MIN_IDEAS..=MAX_IDEAS).contains(&generated.ideas.len()),
            "{:?}",
            generated.ideas
        );
    }

    #[test]
    fn the_runner_gets_running_and_coffee_queries_on_every_marketplace() {
        let (profile, themes) = runner();
        let generated = generate(&request(&profile, &themes));
        assert_well_formed(&generated, &MARKETPLACES);
        let queries = queries_of(&generated);
        let first = queries.first().copied().unwrap_or_default();
        assert!(
            interests_of(first).contains(&"running".to_owned()),
            "strongest interest first: {queries:?}"
        );
        let related = queries
            .iter()
            .filter(|q| {
                let ids = interests_of(q);
                ids.contains(&"running".to_owned()) || ids.contains(&"coffee".to_owned())
            })
            .count();
        assert!(related * 2 >= queries.len(), "{queries:?}");
        assert!(
            queries
                .iter()
                .any(|q| interests_of(q).contains(&"coffee".to_owned()))
        );
    }

    #[test]
    fn never_searches_for_what_the_person_already_has() {
        let (profile, themes) = runner();
        let generated = generate(&request(&profile, &themes));
        for query in queries_of(&generated) {
            assert!(!query.starts_with("zegarek"), "owned: {query}");
        }
        for idea in &generated.ideas {
            assert!(!text::fold(idea).starts_with("zegarek"), "owned: {idea}");
        }
        let (profile, themes) = gamer();
        let generated = generate(&request(&profile, &themes));
        for query in queries_of(&generated) {
            assert!(!query.starts_with("konsol"), "owned: {query}");
        }
    }

    #[test]
    fn missing_items_are_searched() {
        let (profile, themes) = runner();
        let generated = generate(&request(&profile, &themes));
        assert!(queries_of(&generated).contains(&"kamizelka biegowa"));
        let (profile, themes) = gamer();
        let generated = generate(&request(&profile, &themes));
        assert!(queries_of(&generated).contains(&"słuchawki gamingowe"));
    }

    #[test]
    fn the_teenage_gamer_gets_gaming_queries() {
        let (profile, themes) = gamer();
        let generated = generate(&request(&profile, &themes));
        assert_well_formed(&generated, &MARKETPLACES);
        let queries = queries_of(&generated);
        let gaming = queries
            .iter()
            .filter(|q| interests_of(q).contains(&"video_games".to_owned()))
            .count();
        assert!(gaming >= 4, "{queries:?}");
    }

    #[test]
    fn the_grandmother_gets_garden_and_baking_queries_and_no_gadgets() {
        let (profile, themes) = grandmother();
        let generated = generate(&request(&profile, &themes));
        assert_well_formed(&generated, &MARKETPLACES);
        let queries = queries_of(&generated);
        for query in &queries {
            assert!(
                !interests_of(query).contains(&"gadgets".to_owned()),
                "disliked: {query}"
            );
        }
        for wanted in ["gardening", "baking"] {
            assert!(
                queries
                    .iter()
                    .any(|q| interests_of(q).contains(&wanted.to_owned())),
                "{wanted}: {queries:?}"
            );
        }
        assert!(queries.contains(&"forma do pieczenia"), "{queries:?}");
    }

    #[test]
    fn regeneration_avoids_earlier_queries_and_badly_scored_products() {
        let (profile, themes) = runner();
        let first = generate(&request(&profile, &themes));
        let previous: Vec<String> = queries_of(&first).iter().map(|q| (*q).to_owned()).collect();
        let feedback = WaveFeedback {
            bad_products: vec![
                BadProduct {
                    title: "Skarpety kompresyjne do biegania".into(),
                    provider: Marketplace::Allegro,
                    score: 3.0,
                    reasoning: None,
                },
                BadProduct {
                    title: "Młynek do kawy elektryczny".into(),
                    provider: Marketplace::Catalog,
                    score: 2.5,
                    reasoning: None,
                },
            ],
            provider_counts: Vec::new(),
        };
        let second = generate(&IdeaRequest {
            wave: 2,
            feedback: Some(&feedback),
            previous_queries: &previous,
            ..request(&profile, &themes)
        });
        assert_well_formed(&second, &MARKETPLACES);
        for query in queries_of(&second) {
            assert!(
                !previous.iter().any(|p| query_key(p) == query_key(query)),
                "{query}"
            );
            assert!(!query.starts_with("skarpet"), "like a bad product: {query}");
            assert!(!query.starts_with("młynek"), "like a bad product: {query}");
        }
    }

    #[test]
    fn regeneration_prefers_interests_not_yet_tried() {
        let profile = RecipientProfile::default();
        let themes = strings(&["bieganie", "maraton", "kawa"]);
        let previous = strings(&["pas biegowy", "skarpety do biegania"]);
        let generated = generate(&IdeaRequest {
            wave: 2,
            previous_queries: &previous,
            ..request(&profile, &themes)
        });
        let queries = queries_of(&generated);
        let first = queries.first().copied().unwrap_or_default();
        assert!(
            interests_of(first).contains(&"coffee".to_owned()),
            "untried interest first: {queries:?}"
        );
    }

    #[test]
    fn an_empty_profile_falls_back_to_universal_gifts_for_the_age() {
        let profile = RecipientProfile {
            personal_info_description: PersonalInfo {
                age_range: Some("66+".into()),
                ..PersonalInfo::default()
            },
            ..RecipientProfile::default()
        };
        let generated = generate(&request(&profile, &[]));
        assert_well_formed(&generated, &MARKETPLACES);
        let first = queries_of(&generated).first().copied().unwrap_or_default();
        let senior = UNIVERSAL
            .iter()
            .find(|u| u.audience == Audience::Seniors)
            .map(|u| u.query);
        assert_eq!(Some(first), senior);
    }

    #[test]
    fn english_sessions_get_english_ideas_and_polish_queries() {
        let (profile, _) = runner();
        let themes = strings(&["running", "marathon", "coffee"]);
        let generated = generate(&IdeaRequest {
            locale: Locale::En,
            ..request(&profile, &themes)
        });
        assert_well_formed(&generated, &MARKETPLACES);
        let running = interests::by_id("running").map(|i| i.ideas_en.clone());
        assert!(
            running.is_some_and(|ideas| ideas.iter().any(|i| generated.ideas.contains(i))),
            "{:?}",
            generated.ideas
        );
        assert!(
            queries_of(&generated)
                .iter()
                .all(|q| !q.contains("running"))
        );
    }

    #[test]
    fn generation_is_deterministic_and_cleans_queries() {
        let (profile, themes) = runner();
        assert_eq!(
            generate(&request(&profile, &themes)),
            generate(&request(&profile, &themes))
        );
        assert_eq!(
            clean_query("Elegancki, KLASYCZNY zegarek vintage do biegania premium").as_deref(),
            Some("zegarek do biegania")
        );
        assert_eq!(clean_query("kubek do").as_deref(), Some("kubek"));
        assert_eq!(clean_query("premium vintage"), None);
    }

    #[test]
    fn late_waves_on_every_marketplace_still_get_enough_distinct_queries() {
        let (profile, themes) = grandmother();
        let mut previous: Vec<String> = Vec::new();
        for wave in 1..=3 {
            let generated = generate(&IdeaRequest {
                marketplaces: &Marketplace::ALL,
                wave,
                previous_queries: &previous,
                ..request(&profile, &themes)
            });
            assert_well_formed(&generated, &Marketplace::ALL);
            for query in queries_of(&generated) {
                assert!(
                    !interests_of(query).contains(&"gadgets".to_owned()),
                    "{query}"
                );
                assert!(!previous.iter().any(|p| query_key(p) == query_key(query)));
            }
            previous.extend(queries_of(&generated).iter().map(|q| (*q).to_owned()));
        }
    }

    #[test]
    fn one_marketplace_gets_up_to_eight_queries_and_none_gets_none() {
        let (profile, themes) = runner();
        let only = [Marketplace::Catalog];
        let generated = generate(&IdeaRequest {
            marketplaces: &only,
            ..request(&profile, &themes)
        });
        assert_well_formed(&generated, &only);
        let generated = generate(&IdeaRequest {
            marketplaces: &[],
            ..request(&profile, &themes)
        });
        assert!(generated.queries.is_empty());
        assert!(!generated.ideas.is_empty());
    }

    #[test]
    fn a_refinement_searches_near_the_liked_kinds_and_never_for_the_excluded_ones() {
        let (profile, themes) = runner();
        let refinement = Refinement {
            liked_kinds: vec!["plecak turystyczny".into()],
            excluded_kinds: vec!["żel energetyczny".into(), "kamizelka biegowa".into()],
        };
        let generated = generate(&IdeaRequest {
            wave: 2,
            refinement: Some(&refinement),
            ..request(&profile, &themes)
        });
        assert_well_formed(&generated, &MARKETPLACES);
        let queries = queries_of(&generated);
        assert_eq!(queries.first(), Some(&"plecak turystyczny"), "{queries:?}");
        for query in &queries {
            let terms = text::terms(query);
            for kind in &refinement.excluded_kinds {
                assert!(
                    !contains_all(&terms, &content_terms(kind)),
                    "{query} searches for an excluded kind"
                );
            }
        }
    }
}
