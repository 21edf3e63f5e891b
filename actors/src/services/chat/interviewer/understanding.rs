//! Understanding the giver's answers without a language model: clicked suggestions, free text
//! in Polish or English (interests via the taxonomy, relationship words, gender, age, lists of
//! possessions and dislikes), "I don't know", plain "no", and requests to stop. Negated
//! clauses ("nie lubi biegać", "doesn't drink coffee") never count as interests.

use super::model::{AgeBracket, Gender, PendingOption, RelKind};
use crate::knowledge::{interests, text};
use crate::vocabulary::Locale;

/// A word of the answer as typed, and folded (lowercase, no diacritics).
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) orig: String,
    pub(super) fold: String,
}

/// The words of `text`. Hyphens and apostrophes inside a word are kept ("e-booków",
/// "doesn't"); everything else that is not a letter or digit separates words.
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let joins = (c == '-' || c == '\'')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            current.push(c);
        } else if !current.is_empty() {
            out.push(make_token(std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        out.push(make_token(current));
    }
    out
}

fn make_token(orig: String) -> Token {
    let fold = text::fold(&orig);
    Token { orig, fold }
}

/// One clause of an answer (split at punctuation and at "ale"/"but"), with its polarity.
#[derive(Debug, Clone)]
pub(super) struct Clause {
    pub(super) tokens: Vec<Token>,
    /// Where a negation starts ("nie", "doesn't", …): the words from there on do not count
    /// as interests ("Biega i nie pije kawy" → only running).
    pub(super) negated_from: Option<usize>,
    /// Says what the person dislikes; the disliked thing starts here.
    pub(super) dislike_from: Option<usize>,
}

impl Clause {
    /// The words before any negation.
    pub(super) fn affirmative(&self) -> &[Token] {
        let end = self.negated_from.unwrap_or(self.tokens.len());
        self.tokens.get(..end).unwrap_or(&[])
    }
}

fn join(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| t.orig.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

const CLAUSE_BREAKS: &[&str] = &[
    "ale",
    "lecz",
    "jednak",
    "natomiast",
    "but",
    "however",
    "although",
    "though",
    "whereas",
];

const NEGATIONS: &[&str] = &[
    "nie",
    "nigdy",
    "nic",
    "brak",
    "zadnych",
    "zadnego",
    "zadne",
    "zadna",
    "ani",
    "not",
    "never",
    "nothing",
    "none",
    "nobody",
    "neither",
    "nor",
    "doesn't",
    "don't",
    "isn't",
    "didn't",
    "hasn't",
    "haven't",
    "won't",
    "can't",
    "cannot",
    "doesnt",
    "dont",
    "isnt",
    "nienawidzi",
    "hates",
    "dislikes",
    "unika",
    "avoids",
];

/// Phrases (folded words) after which the disliked thing is named.
const DISLIKE_MARKERS: &[&[&str]] = &[
    &["nie", "lubi"],
    &["nie", "przepada", "za"],
    &["nie", "przepada"],
    &["nie", "znosi"],
    &["nie", "cierpi"],
    &["nie", "trawi"],
    &["nie", "chce"],
    &["nie", "pije"],
    &["nie", "je"],
    &["nie", "uzywa"],
    &["nie", "nosi"],
    &["nienawidzi"],
    &["unika"],
    &["doesn't", "like"],
    &["does", "not", "like"],
    &["doesnt", "like"],
    &["dislikes"],
    &["hates"],
    &["can't", "stand"],
    &["cannot", "stand"],
    &["not", "a", "fan", "of"],
    &["doesn't", "want"],
    &["doesn't", "drink"],
    &["doesn't", "eat"],
    &["doesn't", "wear"],
    &["doesn't", "use"],
    &["avoids"],
];

/// Splits an answer into clauses.
pub(super) fn clauses(text: &str, locale: Locale) -> Vec<Clause> {
    let mut out = Vec::new();
    for piece in text.split(['.', ',', ';', '!', '?', '\n', ':', '(', ')']) {
        let mut current: Vec<Token> = Vec::new();
        for token in tokens(piece) {
            if CLAUSE_BREAKS.contains(&token.fold.as_str()) {
                if !current.is_empty() {
                    out.push(make_clause(std::mem::take(&mut current), locale));
                }
            } else {
                current.push(token);
            }
        }
        if !current.is_empty() {
            out.push(make_clause(current, locale));
        }
    }
    out
}

fn make_clause(tokens: Vec<Token>, locale: Locale) -> Clause {
    let negation = tokens.iter().position(|t| {
        NEGATIONS.contains(&t.fold.as_str()) || (locale == Locale::En && t.fold == "no")
    });
    let folds: Vec<&str> = tokens.iter().map(|t| t.fold.as_str()).collect();
    let marker = DISLIKE_MARKERS.iter().find_map(|marker| {
        folds
            .windows(marker.len())
            .position(|w| w == *marker)
            .map(|at| (at, at + marker.len()))
    });
    let negated_from = match (negation, marker) {
        (Some(n), Some((m, _))) => Some(n.min(m)),
        (n, m) => n.or(m.map(|(at, _)| at)),
    };
    Clause {
        tokens,
        negated_from,
        dislike_from: marker.map(|(_, from)| from),
    }
}

fn starts_with_phrase(folds: &[&str], phrase: &[&str]) -> bool {
    folds.len() >= phrase.len() && folds.iter().zip(phrase).all(|(a, b)| a == b)
}

fn contains_phrase(folds: &[&str], phrase: &[&str]) -> bool {
    folds.windows(phrase.len()).any(|w| w == phrase)
}

fn folds_of(tokens: &[Token]) -> Vec<&str> {
    tokens.iter().map(|t| t.fold.as_str()).collect()
}

// -------------------------------------------------------------------- control answers

const STOP_OPENINGS: &[&[&str]] = &[
    &["wystarczy"],
    &["koniec"],
    &["zakoncz"],
    &["zakonczmy"],
    &["skonczmy"],
    &["konczmy"],
    &["dosc"],
    &["to", "wszystko"],
    &["stop"],
    &["enough"],
    &["that's", "enough"],
    &["thats", "enough"],
    &["that's", "all"],
    &["finish"],
    &["end"],
    &["done"],
    &["ok", "stop"],
];

const STOP_ANYWHERE: &[&[&str]] = &[
    &["wystarczy", "pytan"],
    &["koniec", "pytan"],
    &["dosc", "pytan"],
    &["zakoncz", "wywiad"],
    &["zakoncz", "rozmowe"],
    &["pokaz", "prezenty"],
    &["pokaz", "wyniki"],
    &["no", "more", "questions"],
    &["stop", "asking"],
    &["enough", "questions"],
    &["that's", "enough"],
    &["show", "me", "the", "gifts"],
    &["show", "results"],
];

/// The giver explicitly wants to end the interview ("wystarczy", "koniec", "that's enough").
pub(super) fn is_stop_request(text: &str) -> bool {
    let toks = tokens(text);
    let folds = folds_of(&toks);
    (folds.len() <= 4 && STOP_OPENINGS.iter().any(|p| starts_with_phrase(&folds, p)))
        || STOP_ANYWHERE.iter().any(|p| contains_phrase(&folds, p))
}

const DONT_KNOW: &[&[&str]] = &[
    &["nie", "wiem"],
    &["nie", "mam", "pojecia"],
    &["nie", "mam", "zdania"],
    &["trudno", "powiedziec"],
    &["ciezko", "powiedziec"],
    &["nie", "jestem", "pewien"],
    &["nie", "jestem", "pewna"],
    &["nie", "jestem", "pewny"],
    &["nie", "pamietam"],
    &["nie", "orientuje"],
    &["nie", "wiadomo"],
    &["nie", "znam"],
    &["pomin"],
    &["don't", "know"],
    &["dont", "know"],
    &["do", "not", "know"],
    &["no", "idea"],
    &["not", "sure"],
    &["dunno"],
    &["idk"],
    &["hard", "to", "say"],
    &["no", "clue"],
    &["skip"],
    &["pass"],
];

/// "Nie wiem", "I don't know", "no idea", an empty answer, "?".
pub(super) fn is_dont_know(text: &str) -> bool {
    let toks = tokens(text);
    if toks.is_empty() {
        return true;
    }
    let folds = folds_of(&toks);
    DONT_KNOW.iter().any(|p| contains_phrase(&folds, p))
}

const NEGATIVE_OPENINGS: &[&str] = &[
    "nie", "nic", "brak", "raczej", "zadne", "zadnych", "zadnego", "nigdy", "no", "nope", "none",
    "nothing", "never", "not", "nah", "n/a",
];

/// A plain "no" ("Nie", "Raczej nie", "Nothing", "Not really", "Nie ma").
pub(super) fn is_negative(text: &str) -> bool {
    let toks = tokens(text);
    let Some(first) = toks.first() else {
        return false;
    };
    if first.fold == "raczej" {
        // "Raczej nie" is a no, "raczej tak" is not.
        return toks.iter().any(|t| t.fold == "nie");
    }
    NEGATIVE_OPENINGS.contains(&first.fold.as_str())
}

// -------------------------------------------------------------------- suggested answers

/// Normalises for comparing an answer with a suggestion.
fn squash(text: &str) -> String {
    tokens(text)
        .iter()
        .map(|t| t.fold.clone())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The suggestion the answer repeats exactly (full sentence or button label).
pub(super) fn exact_option(options: &[PendingOption], answer: &str) -> Option<usize> {
    let answer = squash(answer);
    if answer.is_empty() {
        return None;
    }
    options
        .iter()
        .position(|o| squash(&o.full) == answer || squash(&o.short) == answer)
}

/// Whether any of the keywords occurs in the text.
pub(super) fn mentions_any(keywords: &[&str], text: &str) -> bool {
    let toks = tokens(text);
    let folds = folds_of(&toks);
    keywords.iter().any(|k| keyword_in(k, &folds))
}

/// Whether a keyword (folded stem or prefix) occurs among the words.
fn keyword_in(keyword: &str, folds: &[&str]) -> bool {
    let keyword = text::fold(keyword);
    let short = keyword.chars().count() < 4;
    folds.iter().any(|word| {
        if short {
            *word == keyword || text::stem(word) == keyword
        } else {
            word.starts_with(&keyword)
        }
    })
}

/// The suggestions a free-text answer talks about (in its affirmative clauses): by their
/// keywords, or because every word of the button label occurs in the answer.
pub(super) fn mentioned_options(
    options: &[PendingOption],
    answer: &str,
    locale: Locale,
) -> Vec<usize> {
    let mut found = Vec::new();
    for clause in clauses(answer, locale) {
        let words = clause.affirmative();
        if words.is_empty() {
            continue;
        }
        let folds = folds_of(words);
        let terms = text::terms(&join(words));
        for (index, option) in options.iter().enumerate() {
            if found.contains(&index) {
                continue;
            }
            let by_keyword = option.keywords.iter().any(|k| keyword_in(k, &folds));
            let label = text::terms(&option.short);
            let by_label = !label.is_empty()
                && label
                    .iter()
                    .all(|l| terms.iter().any(|t| text::stems_match(t, l)));
            if by_keyword || by_label {
                found.push(index);
            }
        }
    }
    found.sort_unstable();
    found
}

// -------------------------------------------------------------------- interests

/// What free text says about interests: the ones it reveals (strongest first) and the
/// things the person dislikes.
#[derive(Debug, Default)]
pub(super) struct FreeText {
    pub(super) interests: Vec<&'static str>,
    pub(super) dislikes: Vec<String>,
}

pub(super) fn read_free_text(answer: &str, locale: Locale) -> FreeText {
    let mut result = FreeText::default();
    for clause in clauses(answer, locale) {
        for m in interests::detect(&join(clause.affirmative())) {
            let id = m.interest.id.as_str();
            if !result.interests.contains(&id) {
                result.interests.push(id);
            }
        }
        if let Some(from) = clause.dislike_from {
            let object: Vec<Token> = clause.tokens.iter().skip(from).cloned().collect();
            let labelled: Vec<String> = interests::detect(&join(&object))
                .iter()
                .map(|m| m.interest.label(locale).to_owned())
                .collect();
            if labelled.is_empty() {
                result.dislikes.extend(split_items(&object));
            } else {
                result.dislikes.extend(labelled);
            }
        }
    }
    dedup_folded(&mut result.dislikes);
    result
}

// -------------------------------------------------------------------- relationship, gender, age

/// Relationship words (folded) and what they say.
const RELATION_WORDS: &[(&[&str], RelKind, Option<Gender>)] = {
    use Gender::{Female as F, Male as M};
    use RelKind::*;
    &[
        (
            &[
                "partnerka",
                "partnerki",
                "partnerce",
                "partnerke",
                "partnerkom",
            ],
            Partner,
            Some(F),
        ),
        (&["partnera", "partnerowi", "partnerem"], Partner, Some(M)),
        (
            &[
                "partner", "polowka", "polowki", "polowce", "polowke", "spouse",
            ],
            Partner,
            None,
        ),
        (
            &[
                "ukochana",
                "ukochanej",
                "narzeczona",
                "narzeczonej",
                "fiancee",
            ],
            Partner,
            Some(F),
        ),
        (
            &[
                "ukochany",
                "ukochanego",
                "narzeczony",
                "narzeczonego",
                "fiance",
            ],
            Partner,
            Some(M),
        ),
        (&["zona", "zony", "zonie", "zone", "wife"], Wife, None),
        (
            &["maz", "meza", "mezowi", "mezem", "husband"],
            Husband,
            None,
        ),
        (
            &[
                "dziewczyna",
                "dziewczyny",
                "dziewczynie",
                "dziewczyne",
                "girlfriend",
            ],
            Girlfriend,
            None,
        ),
        (
            &["chlopak", "chlopaka", "chlopakowi", "boyfriend"],
            Boyfriend,
            None,
        ),
        (
            &[
                "mama", "mamy", "mamie", "mame", "mamusia", "mamusi", "matka", "matki", "matce",
                "matke", "mom", "mum", "mother", "mommy", "mummy",
            ],
            Parent,
            Some(F),
        ),
        (
            &[
                "tata", "taty", "tacie", "tate", "tato", "tatus", "tatusia", "ojciec", "ojca",
                "ojcu", "dad", "father", "daddy",
            ],
            Parent,
            Some(M),
        ),
        (
            &[
                "rodzic", "rodzice", "rodzicow", "rodzicom", "parent", "parents",
            ],
            Parent,
            None,
        ),
        (&["tesciowa", "tesciowej", "tesciowe"], ParentInLaw, Some(F)),
        (&["tesc", "tescia", "tesciowi"], ParentInLaw, Some(M)),
        (
            &[
                "siostra",
                "siostry",
                "siostrze",
                "siostre",
                "siostrzyczka",
                "sister",
            ],
            Sibling,
            Some(F),
        ),
        (
            &[
                "brat",
                "brata",
                "bratu",
                "bratem",
                "braciszek",
                "braciszka",
                "brother",
            ],
            Sibling,
            Some(M),
        ),
        (
            &["rodzenstwo", "rodzenstwa", "sibling", "siblings"],
            Sibling,
            None,
        ),
        (
            &["szwagierka", "szwagierki", "bratowa", "bratowej"],
            SiblingInLaw,
            Some(F),
        ),
        (&["szwagier", "szwagra", "szwagrowi"], SiblingInLaw, Some(M)),
        (
            &[
                "babcia",
                "babci",
                "babcie",
                "babunia",
                "babuni",
                "grandma",
                "grandmother",
                "granny",
                "nana",
                "nan",
            ],
            Grandparent,
            Some(F),
        ),
        (
            &[
                "dziadek",
                "dziadka",
                "dziadkowi",
                "dziadzius",
                "dziadziusia",
                "grandpa",
                "grandfather",
                "granddad",
                "grandad",
            ],
            Grandparent,
            Some(M),
        ),
        (
            &["dziadkowie", "dziadkow", "grandparent", "grandparents"],
            Grandparent,
            None,
        ),
        (
            &[
                "ciocia", "cioci", "ciocie", "ciotka", "ciotki", "aunt", "auntie",
            ],
            AuntUncle,
            Some(F),
        ),
        (
            &[
                "wujek", "wujka", "wujkowi", "wuj", "wuja", "stryj", "stryjek", "stryja", "uncle",
            ],
            AuntUncle,
            Some(M),
        ),
        (
            &[
                "corka", "corki", "corce", "corke", "coreczka", "coreczki", "daughter", "synowa",
            ],
            Child,
            Some(F),
        ),
        (
            &[
                "syn", "syna", "synowi", "synem", "synek", "synka", "son", "ziec",
            ],
            Child,
            Some(M),
        ),
        (
            &["dziecko", "dziecka", "dzieciak", "dzieci", "child", "kid"],
            Child,
            None,
        ),
        (
            &["wnuczka", "wnuczki", "wnuczce", "wnuczke", "granddaughter"],
            Grandchild,
            Some(F),
        ),
        (
            &["wnuk", "wnuka", "wnukowi", "wnuczek", "grandson"],
            Grandchild,
            Some(M),
        ),
        (
            &["wnucze", "wnuki", "wnukow", "grandchild", "grandkid"],
            Grandchild,
            None,
        ),
        (&["kuzynka", "kuzynki", "kuzynce"], Cousin, Some(F)),
        (&["kuzyn", "kuzyna", "kuzynowi"], Cousin, Some(M)),
        (&["cousin"], Cousin, None),
        (
            &[
                "siostrzenica",
                "siostrzenicy",
                "bratanica",
                "bratanicy",
                "niece",
            ],
            NieceNephew,
            Some(F),
        ),
        (
            &[
                "siostrzeniec",
                "siostrzenca",
                "bratanek",
                "bratanka",
                "nephew",
            ],
            NieceNephew,
            Some(M),
        ),
        (
            &[
                "przyjaciolka",
                "przyjaciolki",
                "przyjaciolce",
                "przyjaciolke",
                "kumpela",
                "kumpeli",
                "psiapsiolka",
                "znajoma",
                "znajomej",
                "kolezanka",
                "kolezanki",
                "kolezance",
                "kolezanke",
            ],
            Friend,
            Some(F),
        ),
        (
            &[
                "przyjaciel",
                "przyjaciela",
                "przyjacielowi",
                "kumpel",
                "kumpla",
                "znajomy",
                "znajomego",
                "kolega",
                "kolegi",
                "koledze",
                "kolege",
                "ziomek",
            ],
            Friend,
            Some(M),
        ),
        (&["friend", "buddy", "bestie", "bff", "mate"], Friend, None),
        (&["wspolpracownik", "wspolpracownika"], Colleague, Some(M)),
        (
            &["wspolpracowniczka", "wspolpracowniczki"],
            Colleague,
            Some(F),
        ),
        (
            &["colleague", "coworker", "co-worker", "workmate"],
            Colleague,
            None,
        ),
        (
            &[
                "szef",
                "szefa",
                "szefowi",
                "kierownik",
                "kierownika",
                "dyrektor",
                "dyrektora",
            ],
            Boss,
            Some(M),
        ),
        (
            &[
                "szefowa",
                "szefowej",
                "kierowniczka",
                "kierowniczki",
                "dyrektorka",
            ],
            Boss,
            Some(F),
        ),
        (&["boss", "manager"], Boss, None),
        (
            &["nauczyciel", "nauczyciela", "wychowawca", "wychowawcy"],
            Teacher,
            Some(M),
        ),
        (
            &["nauczycielka", "nauczycielki", "wychowawczyni"],
            Teacher,
            Some(F),
        ),
        (&["teacher"], Teacher, None),
        (
            &[
                "rodzina", "rodziny", "rodzinie", "krewny", "krewna", "krewnego", "family",
                "relative",
            ],
            Family,
            None,
        ),
    ]
};

/// The relationship named in the answer ("Dla mojej mamy", "my brother", "kolega z pracy").
pub(super) fn parse_relation(answer: &str) -> Option<(RelKind, Option<Gender>)> {
    let toks = tokens(answer);
    let folds = folds_of(&toks);
    let at_work = contains_phrase(&folds, &["z", "pracy"])
        || contains_phrase(&folds, &["w", "pracy"])
        || contains_phrase(&folds, &["from", "work"])
        || contains_phrase(&folds, &["at", "work"]);
    let in_law = folds.iter().any(|f| f.ends_with("in-law") || *f == "law");
    let other_half = contains_phrase(&folds, &["other", "half"])
        || contains_phrase(&folds, &["druga", "polowka"])
        || contains_phrase(&folds, &["drugiej", "polowki"])
        || contains_phrase(&folds, &["drugiej", "polowce"]);
    if other_half {
        return Some((RelKind::Partner, None));
    }
    for word in &folds {
        let base = word.strip_suffix("-in-law").unwrap_or(word);
        let Some((_, kind, gender)) = RELATION_WORDS
            .iter()
            .find(|(words, _, _)| words.contains(&base))
        else {
            continue;
        };
        let kind = match (*kind, at_work, in_law) {
            (RelKind::Friend, true, _) => RelKind::Colleague,
            (RelKind::Parent, _, true) => RelKind::ParentInLaw,
            (RelKind::Sibling, _, true) => RelKind::SiblingInLaw,
            (kind, _, _) => kind,
        };
        return Some((kind, gender.or(kind.implied_gender())));
    }
    if at_work {
        return Some((RelKind::Colleague, None));
    }
    None
}

/// The gender the answer states; `true` when it also says the person is a child.
pub(super) fn parse_gender(answer: &str) -> Option<(Gender, bool)> {
    let toks = tokens(answer);
    let folds = folds_of(&toks);
    if contains_phrase(&folds, &["wole", "nie"])
        || contains_phrase(&folds, &["rather", "not"])
        || contains_phrase(&folds, &["prefer", "not"])
        || folds.iter().any(|f| *f == "okreslam" || *f == "okreslac")
    {
        return Some((Gender::Undisclosed, false));
    }
    for word in &folds {
        let found = match *word {
            "kobieta" | "kobiety" | "kobiete" | "pani" | "woman" | "female" | "lady" => {
                Some((Gender::Female, false))
            }
            "mezczyzna" | "mezczyzny" | "facet" | "pan" | "man" | "male" | "guy" => {
                Some((Gender::Male, false))
            }
            "dziewczynka" | "dziewczynki" | "girl" => Some((Gender::Female, true)),
            "chlopiec" | "chlopca" | "boy" => Some((Gender::Male, true)),
            w if w.starts_with("niebinarn")
                || w == "non-binary"
                || w == "nonbinary"
                || w == "enby" =>
            {
                Some((Gender::NonBinary, false))
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    parse_relation(answer).and_then(|(_, g)| g.map(|g| (g, false)))
}

/// Gender revealed by pronouns ("she", "jej", "jego") when only one gender is used.
pub(super) fn pronoun_gender(answer: &str) -> Option<Gender> {
    let toks = tokens(answer);
    let female = toks.iter().any(|t| {
        matches!(
            t.fold.as_str(),
            "she" | "her" | "hers" | "herself" | "she's" | "she'd" | "ona" | "jej" | "niej"
        )
    });
    let male = toks.iter().any(|t| {
        matches!(
            t.fold.as_str(),
            "he" | "him" | "his" | "himself" | "he's" | "he'd" | "on" | "jego" | "mu" | "niego"
        )
    });
    match (female, male) {
        (true, false) => Some(Gender::Female),
        (false, true) => Some(Gender::Male),
        _ => None,
    }
}

/// The age bracket the answer states. With `loose`, a bare number counts as years (the
/// answer to the age question); otherwise it needs "lat"/"years" next to it.
pub(super) fn parse_age(answer: &str, loose: bool) -> Option<AgeBracket> {
    let toks = tokens(answer);
    for (i, token) in toks.iter().enumerate() {
        let digits: String = token
            .fold
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            continue;
        }
        let suffix = token.fold.get(digits.len()..).unwrap_or("");
        let next = toks.get(i + 1).map(|t| t.fold.as_str()).unwrap_or("");
        let unit = [
            "lat", "rok", "year", "yo", "letn", "latk", "-letn", "-year", "y",
        ]
        .iter()
        .any(|u| next.starts_with(u) || (!suffix.is_empty() && suffix.starts_with(u)));
        if (loose || unit)
            && let Ok(years) = digits.parse::<u32>()
            && let Some(bracket) = AgeBracket::from_years(years)
        {
            return Some(bracket);
        }
    }
    for token in &toks {
        let w = token.fold.as_str();
        let found = if w.starts_with("nastolat") || w.starts_with("teen") {
            Some(AgeBracket::Teen)
        } else if w.starts_with("emeryt")
            || w.starts_with("retire")
            || w.starts_with("pensioner")
            || w.starts_with("senior")
        {
            Some(AgeBracket::A66)
        } else if w.starts_with("student")
            || w == "studiuje"
            || w.starts_with("dwadziesc")
            || w.starts_with("dwudziest")
            || w == "twenties"
        {
            Some(AgeBracket::A18)
        } else if w.starts_with("trzydziest")
            || w.starts_with("trzydzies")
            || w == "thirties"
            || w == "thirty"
        {
            Some(AgeBracket::A26)
        } else if w.starts_with("czterdzies")
            || w.starts_with("czterdziest")
            || w == "forties"
            || w == "forty"
        {
            Some(AgeBracket::A36)
        } else if w.starts_with("piecdziesi")
            || w.starts_with("szescdziesi")
            || w == "fifties"
            || w == "fifty"
            || w == "sixties"
            || w == "sixty"
        {
            Some(AgeBracket::A51)
        } else if w.starts_with("siedemdziesi")
            || w.starts_with("osiemdziesi")
            || w.starts_with("dziewiecdziesi")
            || w == "seventies"
            || w == "eighties"
            || w == "seventy"
            || w == "eighty"
        {
            Some(AgeBracket::A66)
        } else if is_toddler_word(w, loose) {
            Some(AgeBracket::Toddler)
        } else if is_school_child_word(w, loose) {
            Some(AgeBracket::SchoolChild)
        } else if loose && (w == "dziecko" || w == "child" || w == "kid") {
            Some(AgeBracket::Child)
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Words saying a child is a baby or toddler: "roczek", "roczne", "niemowlę", "dwulatek",
/// "one-year-old"; with `loose` (the answer to the age question) also words that elsewhere
/// may speak of something else: "maluch", "baby", "toddler".
fn is_toddler_word(word: &str, loose: bool) -> bool {
    const STARTS: &[&str] = &[
        "roczek", "roczn", "roczk", "niemowl", "noworod", "dwulat", "dwuletn", "polrocz",
    ];
    STARTS.iter().any(|s| word.starts_with(s))
        || matches!(word, "one-year-old" | "two-year-old")
        || (loose
            && (word.starts_with("maluch")
                || matches!(word, "baby" | "toddler" | "infant" | "newborn")))
}

/// Words saying a child is 3–12: "przedszkolak", "trzylatek", "ośmiolatka",
/// "eight-year-old"; with `loose` also "podstawówka", "preschooler", "schoolboy".
fn is_school_child_word(word: &str, loose: bool) -> bool {
    const STARTS: &[&str] = &[
        "przedszkol",
        "trzylat",
        "czterolat",
        "pieciolat",
        "piecioletn",
        "szesciolat",
        "siedmiolat",
        "osmiolat",
        "dziewieciolat",
        "dziesieciolat",
        "jedenastolat",
        "dwunastolat",
    ];
    const LOOSE_STARTS: &[&str] = &["podstawowk", "preschool", "schoolboy", "schoolgirl"];
    if loose && LOOSE_STARTS.iter().any(|s| word.starts_with(s)) {
        return true;
    }
    const ENGLISH_AGES: &[&str] = &[
        "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ];
    STARTS.iter().any(|s| word.starts_with(s))
        || ENGLISH_AGES
            .iter()
            .any(|n| word.strip_prefix(n) == Some("-year-old"))
}

// -------------------------------------------------------------------- lists of things

const MISSING_MARKERS: &[&str] = &[
    "brakuje",
    "brak",
    "przydalby",
    "przydalaby",
    "przydaloby",
    "przydalyby",
    "marzy",
    "chcialby",
    "chcialaby",
    "potrzebuje",
    "szuka",
    "lacks",
    "lacking",
    "needs",
    "need",
    "wants",
    "want",
    "missing",
    "wishes",
    "wish",
    "dreams",
    "dreaming",
    "she'd",
    "he'd",
    "would",
];

/// Words dropped at the start or end of a listed item.
const FILLERS: &[&str] = &[
    "ma", "juz", "posiada", "tez", "takze", "rowniez", "jeszcze", "sobie", "swoj", "swoja",
    "swoje", "swojego", "jej", "mu", "jego", "ona", "on", "i", "oraz", "a", "w", "na", "do", "za",
    "z", "o", "bardzo", "duzo", "kilka", "wiele", "mnostwo", "nie", "lubi", "raczej", "has",
    "have", "had", "got", "already", "she", "he", "they", "her", "his", "him", "them", "their",
    "she's", "he's", "an", "the", "some", "lots", "lot", "of", "many", "several", "plenty", "too",
    "also", "as", "well", "and", "or", "love", "like", "to", "get", "doesn't", "does", "not",
    "really", "much", "any", "for",
];

const ITEM_SEPARATORS: &[&str] = &[
    "i", "oraz", "lub", "albo", "ani", "and", "or", "nor", "&", "+",
];

const NOTHING: &[&str] = &[
    "nic",
    "nothing",
    "wszystko",
    "everything",
    "none",
    "brak",
    "nie",
    "no",
    "niczego",
];

/// Splits a run of words into item phrases ("zegarek i słuchawki" → two items).
pub(super) fn split_items(tokens: &[Token]) -> Vec<String> {
    let mut items = Vec::new();
    let mut offset = 0;
    for group in tokens.split(|t| ITEM_SEPARATORS.contains(&t.fold.as_str())) {
        let group_offset = offset;
        offset += group.len() + 1;
        let mut start = 0;
        let mut end = group.len();
        while start < end
            && group
                .get(start)
                .is_some_and(|t| FILLERS.contains(&t.fold.as_str()))
        {
            start += 1;
        }
        while end > start
            && group
                .get(end - 1)
                .is_some_and(|t| FILLERS.contains(&t.fold.as_str()))
        {
            end -= 1;
        }
        let words = group.get(start..end).unwrap_or(&[]);
        if words.is_empty() || words.iter().all(|t| NOTHING.contains(&t.fold.as_str())) {
            continue;
        }
        if words.len() == 1 && words.iter().all(|t| t.fold.chars().count() < 3) {
            continue;
        }
        let kept: Vec<Token> = words.iter().take(4).cloned().collect();
        let mut end = kept.len();
        while end > 1
            && kept
                .get(end - 1)
                .is_some_and(|t| FILLERS.contains(&t.fold.as_str()))
        {
            end -= 1;
        }
        let item = join(kept.get(..end).unwrap_or(&[]));
        // A capital letter opening the answer is not part of a name.
        items.push(if group_offset + start == 0 {
            lower_first(&item)
        } else {
            item
        });
    }
    items
}

/// Lowercases the first letter unless the first word looks like a name or acronym
/// ("Garmin Forerunner" stays, "Zegarek" becomes "zegarek").
fn lower_first(item: &str) -> String {
    let first_word = item.split(' ').next().unwrap_or("");
    let upper_inside = first_word.chars().skip(1).any(char::is_uppercase);
    let mut chars = item.chars();
    match chars.next() {
        Some(c) if !upper_inside => c.to_lowercase().chain(chars).collect(),
        _ => item.to_owned(),
    }
}

/// What a "what does the person have / miss" answer lists: (has, missing).
pub(super) fn read_possessions(answer: &str, locale: Locale) -> (Vec<String>, Vec<String>) {
    let mut has = Vec::new();
    let mut missing = Vec::new();
    for clause in clauses(answer, locale) {
        let folds = folds_of(&clause.tokens);
        let lacks = folds.iter().any(|f| MISSING_MARKERS.contains(f))
            || contains_phrase(&folds, &["nie", "ma"])
            || contains_phrase(&folds, &["doesn't", "have"])
            || contains_phrase(&folds, &["does", "not", "have"])
            || contains_phrase(&folds, &["hasn't", "got"]);
        let words: Vec<Token> = clause
            .tokens
            .iter()
            .filter(|t| !MISSING_MARKERS.contains(&t.fold.as_str()))
            .cloned()
            .collect();
        let items = split_items(&words);
        if lacks {
            missing.extend(items);
        } else {
            has.extend(items);
        }
    }
    dedup_folded(&mut has);
    dedup_folded(&mut missing);
    (has, missing)
}

/// What a "what does the person dislike" answer lists.
pub(super) fn read_dislikes(answer: &str, locale: Locale) -> Vec<String> {
    let mut out = Vec::new();
    for clause in clauses(answer, locale) {
        let from = clause.dislike_from.unwrap_or(0);
        let words: Vec<Token> = clause.tokens.iter().skip(from).cloned().collect();
        let folds = folds_of(&words);
        if folds.is_empty()
            || (clause.dislike_from.is_none()
                && (folds.iter().any(|f| NOTHING.contains(f))
                    || contains_phrase(&folds, &["nie", "ma"])))
        {
            continue;
        }
        out.extend(split_items(&words));
    }
    dedup_folded(&mut out);
    out
}

/// Removes entries that fold to the same text, keeping the first.
pub(super) fn dedup_folded(items: &mut Vec<String>) {
    let mut seen: Vec<String> = Vec::new();
    items.retain(|item| {
        let key = squash(item);
        if key.is_empty() || seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

/// The answer as a sentence for a profile description: trimmed, capitalised, with a full stop.
pub(super) fn as_sentence(answer: &str) -> Option<String> {
    let trimmed = answer.trim().trim_end_matches([',', ';', ' ']);
    let mut chars = trimmed.chars();
    let first = chars.next()?;
    let mut sentence: String = first.to_uppercase().chain(chars).collect();
    if !sentence.ends_with(['.', '!', '?']) {
        sentence.push('.');
    }
    Some(sentence)
}
