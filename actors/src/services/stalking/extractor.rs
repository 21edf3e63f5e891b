//! The embedded fact extractor: gift-relevant facts, as short sentences in the session language,
//! from the public text of a social profile (bio, captions, hashtags). No LLM.
//!
//! The text is cleaned (links and @mentions dropped, a few telling emojis turned into words,
//! hashtags split on camel case and on known words: `#coffeelover` → "coffee lover"), then read
//! twice: through the interest taxonomy ("Lubi bieganie (wspomina: maraton)") and through small
//! word lists for what the taxonomy does not cover — pets, parenthood and places travelled.

use std::sync::OnceLock;

use crate::knowledge::matching::loose_match;
use crate::knowledge::{InterestMatch, interests, text};
use crate::vocabulary::Locale;

const MAX_FACTS: usize = 10;
const MAX_INTEREST_FACTS: usize = 6;
const MAX_MENTIONS: usize = 2;
const MAX_PLACES: usize = 4;

pub fn extract_facts(text: &str, locale: Locale) -> Vec<String> {
    let prepared = prepare(text);
    let words = raw_words(&prepared);
    let found = interests::detect_in_terms(&text::terms(&prepared));
    let pets: Vec<(&Pet, bool)> = PETS
        .iter()
        .filter_map(|pet| pet_mention(pet, &words).map(|owned| (pet, owned)))
        .collect();
    let family = family_facts(&words, locale);
    let places = places(&words);
    let written = Written::new(text);

    let mut facts = Facts::default();
    let mut travel_told = false;
    for found in found.iter().take(MAX_INTEREST_FACTS) {
        let id = found.interest.id.as_str();
        let told_otherwise = pets.iter().any(|(pet, _)| pet.interest == Some(id))
            || (!family.is_empty() && CHILD_INTERESTS.contains(&id));
        if told_otherwise {
            continue;
        }
        if id == "travel" {
            travel_told = true;
            facts.push(travel_fact(&places, locale));
        } else {
            facts.push(interest_fact(found, &written, locale));
        }
    }
    for (pet, owned) in &pets {
        facts.push(pet_fact(pet, *owned, locale));
    }
    for fact in family {
        facts.push(fact);
    }
    if !travel_told && !places.is_empty() {
        facts.push(travel_fact(&places, locale));
    }
    facts.0
}

/// Interests that a fact about the person's family already covers.
const CHILD_INTERESTS: [&str; 2] = ["kids_toys", "babies"];

/// Facts in order of discovery, without duplicates, at most [`MAX_FACTS`].
#[derive(Default)]
struct Facts(Vec<String>);

impl Facts {
    fn push(&mut self, fact: String) {
        let key = text::fold(&fact);
        if self.0.len() < MAX_FACTS && !self.0.iter().any(|f| text::fold(f) == key) {
            self.0.push(fact);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cleaning

/// The text with links and @mentions removed, telling emojis replaced by words and hashtags
/// expanded into the words they are made of.
fn prepare(raw: &str) -> String {
    raw.split_whitespace()
        .filter(|token| !is_link(token) && !token.starts_with('@'))
        .map(|token| {
            if token.contains('#') {
                token
                    .split('#')
                    .map(expand_hashtag)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                replace_emojis(token)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_link(token: &str) -> bool {
    let lower = token.to_lowercase();
    if lower.starts_with("http") || lower.starts_with("www.") || lower.contains("://") {
        return true;
    }
    // "linktr.ee/anna", "sklep.pl": a dot inside the token followed by a short domain ending
    let trimmed = lower.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '/');
    let Some((host, rest)) = trimmed.split_once('.') else {
        return false;
    };
    let domain = rest.split('/').next().unwrap_or_default();
    !host.is_empty()
        && host.chars().all(|c| c.is_alphanumeric() || c == '-')
        && (2..=4).contains(&domain.len())
        && domain.chars().all(|c| c.is_ascii_lowercase())
}

/// Emojis that say something about a hobby, with the words they stand for.
const EMOJIS: &[(char, &str)] = &[
    ('☕', "kawa coffee"),
    ('🏃', "bieganie running"),
    ('🐶', "pies dog"),
    ('🐕', "pies dog"),
    ('🐱', "kot cat"),
    ('🐈', "kot cat"),
    ('📚', "książki books"),
    ('✈', "podróże travel"),
    ('🌍', "podróże travel"),
    ('🎮', "gaming"),
    ('🧘', "joga yoga"),
    ('🚴', "rower cycling"),
    ('📷', "fotografia photography"),
    ('📸', "fotografia photography"),
    ('🎸', "gitara guitar"),
    ('🍷', "wino wine"),
    ('⚽', "piłka nożna football"),
    ('🎨', "malowanie painting"),
    ('🌱', "ogród garden"),
    ('🪴', "rośliny plants"),
    ('🍰', "pieczenie baking"),
    ('🧁', "pieczenie baking"),
    ('⛰', "góry mountains"),
    ('🏔', "góry mountains"),
    ('🎧', "muzyka music"),
];

fn replace_emojis(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        match EMOJIS.iter().find(|(emoji, _)| *emoji == c) {
            Some((_, words)) => {
                out.push(' ');
                out.push_str(words);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out
}

/// A hashtag as words: camel case split ("CoffeeLover"), plus the known words a lowercase tag
/// is glued from ("coffeelover" → "coffee lover").
fn expand_hashtag(tag: &str) -> String {
    let spaced = replace_emojis(&split_camel_case(tag));
    let mut words = vec![spaced.clone()];
    for part in text::fold(&spaced).split(|c: char| !c.is_alphanumeric()) {
        words.extend(segment(part));
    }
    words.join(" ")
}

fn split_camel_case(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len() + 4);
    let mut previous_lower = false;
    for c in tag.chars() {
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// The known words inside a glued lowercase tag, in order. Words of five letters or more are
/// trusted anywhere; shorter ones ("dog", "kawa") only when the rest of the tag starts or ends
/// with another known word ("dog|mom", "kawa|lover"), so "kawaii" stays unsplit.
fn segment(part: &str) -> Vec<String> {
    if part.len() < 6 {
        return Vec::new();
    }
    let vocabulary = vocabulary();
    let mut found: Vec<(usize, &str)> = vocabulary
        .iter()
        .filter(|w| w.len() >= 3 && w.len() < part.len())
        .filter_map(|w| part.find(w.as_str()).map(|at| (at, w.as_str())))
        .filter(|(at, w)| w.len() >= 5 || glued_to_known_word(part, *at, w, vocabulary))
        .collect();
    found.sort_by_key(|(at, w)| (*at, std::cmp::Reverse(w.len())));
    found.into_iter().map(|(_, w)| w.to_owned()).collect()
}

/// Whether a short word at the start of a tag is followed by another known word ("dog|mom",
/// also after a plural "s": "dogs|of…"), or one at its end is preceded by one ("coffee|lover").
fn glued_to_known_word(part: &str, at: usize, word: &str, vocabulary: &[String]) -> bool {
    let known = |piece: &str, at_start: bool| {
        vocabulary.iter().any(|v| {
            v.len() >= 2
                && if at_start {
                    piece.starts_with(v.as_str())
                } else {
                    piece.ends_with(v.as_str())
                }
        })
    };
    let after = part.get(at + word.len()..).unwrap_or_default();
    let before = part.get(..at).unwrap_or_default();
    let after_plural = after.strip_prefix('s').unwrap_or(after);
    (at == 0 && (known(after, true) || known(after_plural, true)))
        || (after.is_empty() && known(before, false))
}

/// Words of tags that glue hobby words together ("coffee|lover", "yoga|life", "dogs|of|…").
const TAG_WORDS: &str = "\
    lover lovers love life lifestyle addict holic time daily gram girl girls boy boys lady mom \
    mum dad mama tata fan fanka club team world moment style of insta instagram inspiration \
    motivation everyday day pl polska moja moj my";

/// Every word a glued hashtag may be made of: taxonomy keywords, pets, family, places, tag words.
fn vocabulary() -> &'static [String] {
    static VOCABULARY: OnceLock<Vec<String>> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let keywords = interests::all()
            .iter()
            .flat_map(|i| i.keywords.iter().map(String::as_str));
        let pets = PETS.iter().flat_map(|p| p.forms.split_whitespace());
        let places = PLACES
            .iter()
            .flat_map(|p| p.forms.split(',').map(str::trim));
        let family = PARENTS.iter().flat_map(|p| p.forms.split_whitespace());
        let mut words: Vec<String> = keywords
            .chain(pets)
            .chain(places)
            .chain(family)
            .chain(TAG_WORDS.split_whitespace())
            .map(text::fold)
            .filter(|w| !w.contains(' '))
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    })
}

/// Whether `word` is one of the space-separated words of `list`.
fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// Stands between sentences in [`raw_words`], so that no pattern spans two of them.
const SENTENCE_BREAK: &str = ".";

/// The folded words of the text, stop words included (possessives matter here), with
/// [`SENTENCE_BREAK`] between sentences and between the parts of a bio ("|", "•", lines).
fn raw_words(prepared: &str) -> Vec<String> {
    let folded = text::fold(prepared);
    let mut words: Vec<String> = Vec::new();
    for sentence in folded.split(['.', '!', '?', '|', '•', ';', '\n']) {
        words.extend(
            sentence
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
        if words.last().is_some_and(|w| w != SENTENCE_BREAK) {
            words.push(SENTENCE_BREAK.to_owned());
        }
    }
    words
}

// ---------------------------------------------------------------------------------------------
// Interests

fn interest_fact(found: &InterestMatch, written: &Written, locale: Locale) -> String {
    let interest = found.interest;
    let label = interest.label(locale);
    let special = match (interest.id.as_str(), locale) {
        ("kids_toys", Locale::Pl) => Some("Ma w otoczeniu dzieci".to_owned()),
        ("kids_toys", Locale::En) => Some("Has children in the family".to_owned()),
        ("babies", Locale::Pl) => Some("Ma małe dziecko lub spodziewa się dziecka".to_owned()),
        ("babies", Locale::En) => Some("Has a baby or is expecting one".to_owned()),
        _ => None,
    };
    let sentence = special.unwrap_or_else(|| match locale {
        Locale::Pl => format!("Lubi {}", accusative(label)),
        Locale::En => format!("Likes {label}"),
    });
    let mentions = mentions(found, label, written);
    if mentions.is_empty() {
        return sentence;
    }
    match locale {
        Locale::Pl => format!("{sentence} (wspomina: {})", mentions.join(", ")),
        Locale::En => format!("{sentence} (mentions: {})", mentions.join(", ")),
    }
}

/// The keywords that revealed the interest as the person wrote them (not read from emojis),
/// except those that merely repeat its label or an earlier mention.
fn mentions(found: &InterestMatch, label: &str, written: &Written) -> Vec<&'static str> {
    let mut mentions: Vec<&'static str> = Vec::new();
    let mut seen: Vec<Vec<String>> = vec![text::terms(label)];
    for keyword in &found.keywords {
        let terms = text::terms(keyword);
        let repeats = seen.iter().any(|s| covers(s, &terms) || covers(&terms, s));
        if written.has(keyword, &terms) && !repeats && mentions.len() < MAX_MENTIONS {
            mentions.push(*keyword);
            seen.push(terms);
        }
    }
    mentions
}

/// The text as the person wrote it, before emojis were read as words.
struct Written {
    folded: String,
    terms: Vec<String>,
}

impl Written {
    fn new(raw: &str) -> Self {
        Self {
            folded: text::fold(raw),
            terms: text::terms(raw),
        }
    }

    /// Whether the keyword (with its terms) occurs in the text, even glued into a hashtag.
    fn has(&self, keyword: &str, terms: &[String]) -> bool {
        self.folded.contains(&text::fold(keyword)) || text::contains_phrase(&self.terms, terms)
    }
}

/// Whether every term of `part` matches one of `whole`.
fn covers(whole: &[String], part: &[String]) -> bool {
    part.iter().all(|p| whole.iter().any(|w| loose_match(w, p)))
}

/// A Polish label in the accusative case, as the object of "lubi": feminine singular nouns
/// change their ending (kawa → kawę) and so do the adjectives agreeing with them (piłka nożna →
/// piłkę nożną); everything else (bieganie, gry planszowe, tenis) stays as it is.
fn accusative(label: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut noun_next = true;
    let mut feminine = false;
    for word in label.split_whitespace() {
        let lower = word.to_lowercase();
        if matches!(lower.as_str(), "i" | "oraz" | "lub" | "albo") {
            out.push(word.to_owned());
            noun_next = true;
            continue;
        }
        let changed = if noun_next {
            feminine = word.ends_with('a') && !word.ends_with("ęta");
            noun_next = false;
            feminine.then(|| replace_last(word, 'ę'))
        } else {
            (feminine && word.ends_with('a')).then(|| replace_last(word, 'ą'))
        };
        out.push(changed.unwrap_or_else(|| word.to_owned()));
    }
    out.join(" ")
}

fn replace_last(word: &str, ending: char) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    chars.pop();
    chars.push(ending);
    chars.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// Pets

struct Pet {
    /// Folded word forms, Polish and English, space-separated.
    forms: &'static str,
    owns_pl: &'static str,
    owns_en: &'static str,
    likes_pl: &'static str,
    likes_en: &'static str,
    /// The taxonomy interest the fact replaces.
    interest: Option<&'static str>,
}

const PETS: &[Pet] = &[
    Pet {
        forms: "\
            pies psa psem psu psy psow psami piesek pieska pieskiem psiak psiaka psiakiem psiaki \
            szczeniak szczeniaka dog dogs doggo doggy puppy puppies",
        owns_pl: "Ma psa",
        owns_en: "Has a dog",
        likes_pl: "Lubi psy",
        likes_en: "Loves dogs",
        interest: Some("dogs"),
    },
    Pet {
        forms: "\
            kot kota kotem kotu koty kotow kotami kotek kotka kotkiem kotki kocur kocura cat cats \
            kitty kitten kittens",
        owns_pl: "Ma kota",
        owns_en: "Has a cat",
        likes_pl: "Lubi koty",
        likes_en: "Loves cats",
        interest: Some("cats"),
    },
    Pet {
        forms: "\
            kon konia koniem konie koni konik jezdziectwo jezdziectwa konno horse horses \
            equestrian pony",
        owns_pl: "Ma konia lub jeździ konno",
        owns_en: "Has a horse or rides",
        likes_pl: "Lubi konie i jazdę konną",
        likes_en: "Loves horses and riding",
        interest: None,
    },
    Pet {
        forms: "krolik krolika krolikiem kroliki krolikow rabbit rabbits bunny",
        owns_pl: "Ma królika",
        owns_en: "Has a rabbit",
        likes_pl: "Lubi króliki",
        likes_en: "Loves rabbits",
        interest: None,
    },
    Pet {
        forms: "papuga papugi papuge papuzka papuzki parrot parrots budgie",
        owns_pl: "Ma papugę",
        owns_en: "Has a parrot",
        likes_pl: "Lubi papugi",
        likes_en: "Loves parrots",
        interest: None,
    },
    Pet {
        forms: "akwarium akwarysta akwarystka akwarystyka rybki aquarium fishtank",
        owns_pl: "Ma akwarium",
        owns_en: "Keeps an aquarium",
        likes_pl: "Interesuje się akwarystyką",
        likes_en: "Into aquariums",
        interest: None,
    },
    Pet {
        forms: "chomik chomika chomiki chomikiem hamster hamsters",
        owns_pl: "Ma chomika",
        owns_en: "Has a hamster",
        likes_pl: "Lubi chomiki",
        likes_en: "Loves hamsters",
        interest: None,
    },
];

/// Words that, just before a pet word, say the pet is the person's own ("mój pies", "my dog"),
/// or just after it ("dog mom").
const OWNER_BEFORE: &str = "\
    moj moja mojego moim moje nasz nasza naszego naszym my our mam mamy have psia kocia";
const OWNER_AFTER: &str = "mom mum mama dad tata owner parent lady";

/// Whether the pet is mentioned, and if so whether as the person's own.
fn pet_mention(pet: &Pet, words: &[String]) -> Option<bool> {
    let positions: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| listed(pet.forms, w))
        .map(|(at, _)| at)
        .collect();
    if positions.is_empty() {
        return None;
    }
    let owned = positions.iter().any(|&at| {
        let before = words.get(at.saturating_sub(2)..at).unwrap_or_default();
        let after = words.get(at + 1).map(String::as_str);
        before.iter().any(|w| listed(OWNER_BEFORE, w))
            || after.is_some_and(|w| listed(OWNER_AFTER, w))
    });
    Some(owned)
}

fn pet_fact(pet: &Pet, owned: bool, locale: Locale) -> String {
    let fact = match (owned, locale) {
        (true, Locale::Pl) => pet.owns_pl,
        (true, Locale::En) => pet.owns_en,
        (false, Locale::Pl) => pet.likes_pl,
        (false, Locale::En) => pet.likes_en,
    };
    fact.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Family

struct Parent {
    /// Folded word forms, space-separated.
    forms: &'static str,
    pl: &'static str,
    en: &'static str,
}

const PARENTS: &[Parent] = &[
    Parent {
        forms: "mama mamusia mamuska matka mom mum mother mommy mummy",
        pl: "Jest mamą",
        en: "Is a mother",
    },
    Parent {
        forms: "tata tato tatus ojciec dad daddy father",
        pl: "Jest tatą",
        en: "Is a father",
    },
    Parent {
        forms: "babcia babci babunia grandma granny grandmother",
        pl: "Jest babcią",
        en: "Is a grandmother",
    },
    Parent {
        forms: "dziadek dziadkiem dziadzia grandpa grandfather granddad",
        pl: "Jest dziadkiem",
        en: "Is a grandfather",
    },
];

/// Words that make "mama"/"mom" about a pet or a plant, not a child ("psia mama", "dog mom").
const NOT_CHILDREN: &str = "psia kocia roslinna dog dogs cat cats plant plants pies kot";

const CHILD_WORDS: &str = "\
    dzieci dziecka dziecko dzieciakow dzieciaki corek corki synow synowie kids children boys \
    girls sons daughters kiddos";

const OWN_CHILD: &str = "syn synek synka corka coreczka coreczki son daughter dzieci kids children";

#[rustfmt::skip]
const NUMBERS: &[(&str, u32)] = &[
    ("jedno", 1), ("jednego", 1), ("one", 1), ("1", 1),
    ("dwoje", 2), ("dwojga", 2), ("dwojka", 2), ("dwojki", 2), ("dwoch", 2), ("dwie", 2),
    ("two", 2), ("2", 2),
    ("troje", 3), ("trojga", 3), ("trojka", 3), ("trojki", 3), ("trzech", 3), ("trzy", 3),
    ("three", 3), ("3", 3),
    ("czworo", 4), ("czworga", 4), ("czworka", 4), ("czworki", 4), ("czterech", 4),
    ("four", 4), ("4", 4),
    ("piecioro", 5), ("pieciorga", 5), ("five", 5), ("5", 5),
];

/// Parenthood and the number of children: "mama dwójki dzieci", "mom of two", "my son".
fn family_facts(words: &[String], locale: Locale) -> Vec<String> {
    let parents: Vec<(&Parent, usize)> = PARENTS
        .iter()
        .filter_map(|p| {
            words
                .iter()
                .enumerate()
                .find(|(at, w)| {
                    let about_pet = at
                        .checked_sub(1)
                        .and_then(|b| words.get(b))
                        .is_some_and(|b| listed(NOT_CHILDREN, b));
                    listed(p.forms, w) && !about_pet
                })
                .map(|(at, _)| (p, at))
        })
        .collect();
    let children = children_count(words, &parents);
    let mut facts: Vec<String> = parents
        .iter()
        .map(|(parent, _)| match (locale, children) {
            (Locale::Pl, Some(n)) if parent.pl.ends_with('ą') => {
                format!("{} {}", parent.pl, children_genitive_pl(n))
            }
            (Locale::En, Some(n)) => format!("{} of {}", parent.en, number_en(n)),
            (Locale::Pl, _) => parent.pl.to_owned(),
            (Locale::En, None) => parent.en.to_owned(),
        })
        .collect();
    let has_children = children.is_some() || owns_child(words);
    if facts.is_empty() && has_children {
        facts.push(match (locale, children) {
            (Locale::Pl, Some(n)) => format!("Ma {}", children_accusative_pl(n)),
            (Locale::En, Some(n)) => format!(
                "Has {} {}",
                number_en(n),
                if n == 1 { "child" } else { "children" }
            ),
            (Locale::Pl, None) => "Ma dzieci".to_owned(),
            (Locale::En, None) => "Has children".to_owned(),
        });
    }
    facts
}

/// A number of children: a number word followed by a children word ("dwójki dzieci", "two
/// kids"), or right after a parent word ("mama dwójki", "mom of 2").
fn children_count(words: &[String], parents: &[(&Parent, usize)]) -> Option<u32> {
    words.iter().enumerate().find_map(|(at, word)| {
        let (_, n) = NUMBERS.iter().find(|(form, _)| form == word)?;
        let before_children = words
            .iter()
            .skip(at + 1)
            .take(2)
            .any(|w| listed(CHILD_WORDS, w));
        let after_parent = parents.iter().any(|(_, p)| *p < at && at - *p <= 2);
        (before_children || after_parent).then_some(*n)
    })
}

fn owns_child(words: &[String]) -> bool {
    words.windows(2).any(|pair| match pair {
        [owner, child] => {
            ["moj", "moja", "moje", "my", "our", "nasz", "nasza", "nasze"].contains(&owner.as_str())
                && listed(OWN_CHILD, child)
        }
        _ => false,
    })
}

fn children_genitive_pl(n: u32) -> String {
    match n {
        1 => "jednego dziecka".to_owned(),
        2 => "dwojga dzieci".to_owned(),
        3 => "trojga dzieci".to_owned(),
        4 => "czworga dzieci".to_owned(),
        n => format!("{n} dzieci"),
    }
}

fn children_accusative_pl(n: u32) -> String {
    match n {
        1 => "jedno dziecko".to_owned(),
        2 => "dwoje dzieci".to_owned(),
        3 => "troje dzieci".to_owned(),
        4 => "czworo dzieci".to_owned(),
        n => format!("{n} dzieci"),
    }
}

fn number_en(n: u32) -> String {
    match n {
        1 => "one".to_owned(),
        2 => "two".to_owned(),
        3 => "three".to_owned(),
        4 => "four".to_owned(),
        5 => "five".to_owned(),
        n => n.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Places

struct Place {
    pl: &'static str,
    en: &'static str,
    /// Folded forms, comma-separated; two-word names are matched as adjacent words.
    forms: &'static str,
}

const fn place(pl: &'static str, en: &'static str, forms: &'static str) -> Place {
    Place { pl, en, forms }
}

#[rustfmt::skip]
const PLACES: &[Place] = &[
    place("Japonia", "Japan",
        "japonia, japonii, japonie, japan, tokio, tokyo, kioto, kyoto"),
    place("Włochy", "Italy",
        "wlochy, wloch, wloszech, italy, italia, rzym, rzymie, rome, wenecja, wenecji, \
         venice, toskania, toskanii, tuscany"),
    place("Hiszpania", "Spain",
        "hiszpania, hiszpanii, hiszpanie, spain, barcelona, barcelonie, madryt, madrycie, \
         madrid, majorka, majorce, mallorca, teneryfa, teneryfie, tenerife"),
    place("Grecja", "Greece",
        "grecja, grecji, grecje, greece, kreta, krecie, crete, santorini, ateny, atenach, \
         athens"),
    place("Chorwacja", "Croatia",
        "chorwacja, chorwacji, chorwacje, croatia, dubrownik, dubrowniku, dubrovnik"),
    place("Portugalia", "Portugal",
        "portugalia, portugalii, portugalie, portugal, lizbona, lizbonie, lisbon, madera, \
         maderze, madeira"),
    place("Francja", "France",
        "francja, francji, francje, france, paryz, paryzu, paris"),
    place("Tajlandia", "Thailand",
        "tajlandia, tajlandii, tajlandie, thailand, bangkok, bangkoku"),
    place("Bali", "Bali",
        "bali"),
    place("Islandia", "Iceland",
        "islandia, islandii, islandie, iceland"),
    place("Norwegia", "Norway",
        "norwegia, norwegii, norwegie, norway"),
    place("USA", "the USA",
        "usa, nowy jork, nowym jorku, new york, nyc, kalifornia, kalifornii, california"),
    place("Wielka Brytania", "the UK",
        "londyn, londynie, london, anglia, anglii, england, szkocja, szkocji, scotland"),
    place("Egipt", "Egypt",
        "egipt, egipcie, egypt"),
    place("Turcja", "Turkey",
        "turcja, turcji, turcje, stambul, stambule, istanbul"),
    place("Meksyk", "Mexico",
        "meksyk, meksyku, mexico"),
    place("Wietnam", "Vietnam",
        "wietnam, wietnamie, vietnam"),
    place("Maroko", "Morocco",
        "maroko, maroku, morocco"),
    place("Alpy", "the Alps",
        "alpy, alpach, alps"),
    place("Dolomity", "the Dolomites",
        "dolomity, dolomitach, dolomites"),
];

/// The places the text names, in the order it names them.
fn places(words: &[String]) -> Vec<&'static Place> {
    let padded = format!(" {} ", words.join(" "));
    let mut found: Vec<(usize, &'static Place)> = PLACES
        .iter()
        .filter_map(|place| {
            let first = place
                .forms
                .split(',')
                .filter_map(|form| padded.find(&format!(" {} ", form.trim())))
                .min()?;
            Some((first, place))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found
        .into_iter()
        .take(MAX_PLACES)
        .map(|(_, place)| place)
        .collect()
}

fn travel_fact(places: &[&Place], locale: Locale) -> String {
    let names: Vec<&str> = places
        .iter()
        .map(|p| match locale {
            Locale::Pl => p.pl,
            Locale::En => p.en,
        })
        .collect();
    match (locale, names.is_empty()) {
        (Locale::Pl, true) => "Lubi podróże".to_owned(),
        (Locale::En, true) => "Likes travelling".to_owned(),
        (Locale::Pl, false) => format!("Lubi podróże (wspomina: {})", names.join(", ")),
        (Locale::En, false) => format!("Likes travelling (mentions: {})", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(facts: &[String], needle: &str) -> bool {
        facts
            .iter()
            .any(|f| text::fold(f).contains(&text::fold(needle)))
    }

    const BIO_PL: &str = "Biegaczka 🏃‍♀️ | mama dwójki dzieci | kawa przede wszystkim ☕ \
        #maraton #CoffeeLover | mój pies Burek 🐶 | wspomnienia z Japonii 🇯🇵 \
        https://linktr.ee/ania.biega @nike";

    const BIO_EN: &str = "Marathon runner 🏃 | coffee addict | dog mom to Luna \
        #coffeelover #runningmotivation | last summer in Italy 🇮🇹 www.anna-runs.com";

    #[test]
    fn reads_a_polish_instagram_bio() {
        let facts = extract_facts(BIO_PL, Locale::Pl);
        assert!(has(&facts, "Lubi bieganie"), "{facts:?}");
        assert!(has(&facts, "maraton"), "{facts:?}");
        assert!(has(&facts, "Lubi kawę"), "{facts:?}");
        assert!(facts.contains(&"Ma psa".to_owned()), "{facts:?}");
        assert!(
            facts.contains(&"Jest mamą dwojga dzieci".to_owned()),
            "{facts:?}"
        );
        assert!(has(&facts, "Japonia"), "{facts:?}");
        assert!(facts.len() <= MAX_FACTS);
    }

    #[test]
    fn reads_an_english_bio_with_glued_hashtags() {
        let facts = extract_facts(BIO_EN, Locale::En);
        assert!(has(&facts, "Likes running"), "{facts:?}");
        assert!(has(&facts, "Likes coffee"), "{facts:?}");
        assert!(facts.contains(&"Has a dog".to_owned()), "{facts:?}");
        assert!(has(&facts, "Italy"), "{facts:?}");
        assert!(
            !has(&facts, "mother"),
            "a dog mom is not a mother: {facts:?}"
        );
    }

    #[test]
    fn neutral_text_gives_no_facts() {
        assert!(
            extract_facts(
                "Dzień dobry! Dziś pada deszcz, jutro poniedziałek.",
                Locale::Pl
            )
            .is_empty()
        );
        assert!(extract_facts("Hello there, see you tomorrow at noon.", Locale::En).is_empty());
        assert!(extract_facts("", Locale::Pl).is_empty());
    }

    #[test]
    fn links_and_mentions_are_ignored() {
        let facts = extract_facts(
            "https://coffee.com/running @coffee_runner www.dog.pl",
            Locale::En,
        );
        assert!(facts.is_empty(), "{facts:?}");
    }

    #[test]
    fn hashtags_are_split_on_camel_case_and_known_words() {
        assert!(has(&extract_facts("#RunningIsLife", Locale::En), "running"));
        assert!(has(&extract_facts("#kawalover", Locale::Pl), "kaw"));
        assert!(!has(&extract_facts("#kawaii", Locale::Pl), "kaw"));
        assert_eq!(segment("dogmom"), vec!["dog".to_owned(), "mom".to_owned()]);
    }

    #[test]
    fn pets_family_and_places() {
        let facts = extract_facts("I love cats. Mom of 3. Trips: Lisbon, Crete.", Locale::En);
        assert!(facts.contains(&"Loves cats".to_owned()), "{facts:?}");
        assert!(
            facts.contains(&"Is a mother of three".to_owned()),
            "{facts:?}"
        );
        assert!(has(&facts, "Portugal, Greece"), "{facts:?}");
        let facts = extract_facts("Nasz kot Filemon i moja córka Zosia", Locale::Pl);
        assert!(facts.contains(&"Ma kota".to_owned()), "{facts:?}");
        assert!(facts.contains(&"Ma dzieci".to_owned()), "{facts:?}");
    }

    #[test]
    fn facts_are_deduplicated_and_capped() {
        let text = format!(
            "{BIO_PL} {BIO_PL} uwielbiam ogród, gry planszowe, wino, jogę, rower, \
            fotografię, książki, gitarę, góry i Grecję"
        );
        let facts = extract_facts(&text, Locale::Pl);
        assert!(facts.len() <= MAX_FACTS, "{facts:?}");
        let mut keys: Vec<String> = facts.iter().map(|f| text::fold(f)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), facts.len());
    }

    #[test]
    fn polish_labels_take_the_accusative() {
        assert_eq!(accusative("kawa"), "kawę");
        assert_eq!(accusative("piłka nożna"), "piłkę nożną");
        assert_eq!(accusative("bieganie"), "bieganie");
        assert_eq!(accusative("gry planszowe"), "gry planszowe");
        assert_eq!(accusative("zwierzęta"), "zwierzęta");
        assert_eq!(accusative("uroda i pielęgnacja"), "urodę i pielęgnację");
    }
}
