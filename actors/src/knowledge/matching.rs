//! Matching the words of a profile (key themes, owned, missing and disliked things) against
//! the words of a query, a gift idea or a product: which words of a phrase say what a thing is,
//! and when two stems name the same thing. Shared by the idea generator and the scorer, on top
//! of [`text`]'s folding and stemming.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::text;

/// Words of a key theme, a profile item or a description that say how the person relates to a
/// thing (likes, wants, a fan of), how often, how many or how good, rather than what the thing
/// is. Polish (folded) and English, matched in any inflection.
const FILLER_WORDS: &str = "\
    lubi uwielbia kocha interesuje pasjonuje wspomina pasja pasjonat hobby fan fanka \
    milosnik milosniczka chcialby chcialaby potrzebuje marzy znosi cierpi nie \
    czas wolny czesto bardzo zawsze codziennie weekend weekendy osoba jest \
    nowy nowa nowe dobry dobra dobre dobrych jakis jakas \
    razy tydzien tygodniu dzien dziennie miesiac roku lata \
    wszystkie wszystko wszystkich rozne roznych kilka wiele mnostwo sporo \
    likes loves enjoys wants needs mentions lover into time free often always every person \
    dont doesnt dislikes once twice week weeks month year years various several \
    all whole new good some";

/// Filler words matched only as written: in another inflection they name things ("dużo" and
/// "duże" share a stem, as do "pięć" and "piec", "lot" and "loty", "hates" and "hat").
const FILLER_FORMS: &str = "\
    duzo piec lot hates many jeden jedna dwa dwie trzy cztery szesc siedem osiem";

/// Nouns that head many product names without saying what the product is ("Zestaw narzędzi").
/// Kept apart from [`FILLER_WORDS`]: they are left out when comparing things (a "zestaw kluczy"
/// is keys) but kept in a search query, where "zestaw do fondue" finds what the person wants.
const GENERIC_NOUNS: &str = "zestaw zestawy komplet set";

/// Whether the word says nothing about what a thing is (see [`FILLER_WORDS`], [`FILLER_FORMS`]).
pub fn is_filler(word: &str) -> bool {
    static FILLER: OnceLock<WordList> = OnceLock::new();
    let folded = text::fold(word);
    WordList::cached(&FILLER, FILLER_WORDS).matches(&folded)
        || FILLER_FORMS.split_whitespace().any(|w| w == folded)
}

/// Whether the word is a noun that heads product names of any kind (see [`GENERIC_NOUNS`]).
pub fn is_generic_noun(word: &str) -> bool {
    static GENERIC: OnceLock<WordList> = OnceLock::new();
    WordList::cached(&GENERIC, GENERIC_NOUNS).matches(word)
}

/// A whitespace-separated word list, folded and stemmed once: a word matches an entry when
/// their folded forms or their stems are equal.
pub struct WordList {
    folded: HashSet<String>,
    stems: HashSet<String>,
}

impl WordList {
    pub fn new(list: &str) -> Self {
        let folded: HashSet<String> = list.split_whitespace().map(text::fold).collect();
        let stems = folded.iter().map(|entry| text::stem(entry)).collect();
        WordList { folded, stems }
    }

    /// The list in `cell`, built on first use.
    pub fn cached(cell: &'static OnceLock<WordList>, list: &str) -> &'static WordList {
        cell.get_or_init(|| WordList::new(list))
    }

    pub fn matches(&self, word: &str) -> bool {
        let folded = text::fold(word);
        self.folded.contains(&folded) || self.stems.contains(&text::stem(&folded))
    }
}

/// Content stems of a phrase: its terms without one-letter words, filler words and generic
/// nouns ("lubi", "zestaw", …), so that the first one is the phrase's main noun.
pub fn content_terms(phrase: &str) -> Vec<String> {
    text::words(phrase)
        .iter()
        .filter(|w| w.len() > 1 && !is_filler(w) && !is_generic_noun(w))
        .map(|w| text::stem(w))
        .collect()
}

/// Stems naming the same thing: [`text::stems_match`], or tolerant of Polish inflection that
/// changes the end of a stem: a differing last letter after a long common start ("zegarek" ~
/// "zegarka") or the fleeting "e" ("wędek" ~ "wędka").
pub fn loose_match(a: &str, b: &str) -> bool {
    if text::stems_match(a, b) {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common >= 5 && common + 1 >= a.chars().count().min(b.chars().count())
        || drops_fleeting_e(a, b)
        || drops_fleeting_e(b, a)
}

/// Whether `long` is `short` with the Polish fleeting "e" before its last letter ("wędek",
/// genitive plural of "wędka", folded and stemmed: "wedek" ~ "wedk").
fn drops_fleeting_e(long: &str, short: &str) -> bool {
    let (long, short): (Vec<char>, Vec<char>) = (long.chars().collect(), short.chars().collect());
    long.len() == short.len() + 1
        && short.len() >= 3
        && long[long.len() - 2] == 'e'
        && long[..long.len() - 2] == short[..short.len() - 1]
        && long.last() == short.last()
}

/// How exactly a stem of some text (`term`) matches a stem of the profile (`stem`): the same
/// stem fully, a longer form ("kaw" → "kawowy") or a [`loose_match`] nearly, a shorter stem that
/// merely begins the profile's ("biegiem" → "bieg" for "bieganie") only a little; 0 when they
/// do not match.
pub fn match_weight(term: &str, stem: &str) -> f64 {
    if term.as_bytes().first() != stem.as_bytes().first() {
        0.0
    } else if term == stem {
        1.0
    } else if stem.len() >= 4 && term.starts_with(stem) {
        0.8
    } else if term.len() >= 4 && stem.starts_with(term) {
        0.3
    } else if loose_match(term, stem) {
        0.8
    } else {
        0.0
    }
}

/// Whether every stem of `item` occurs among `terms`, in any order (never for an empty item).
pub fn contains_all(terms: &[String], item: &[String]) -> bool {
    !item.is_empty() && item.iter().all(|i| terms.iter().any(|t| loose_match(t, i)))
}

/// Whether the terms name the thing: its main (first) stem, or all of its stems.
pub fn mentions(terms: &[String], thing: &[String]) -> bool {
    let head = thing.first();
    head.is_some_and(|h| terms.iter().any(|t| loose_match(t, h))) || contains_all(terms, thing)
}

/// Whether a query would find a product like `title`: the query's main noun leads the title
/// (brands aside, one of its first two stems), or it shares two or more stems with it that make
/// up at least half of the query.
pub fn resembles(query: &[String], title: &[String]) -> bool {
    let Some(head) = query.first() else {
        return false;
    };
    let leads = title.iter().take(2).any(|t| loose_match(head, t));
    let shared = query
        .iter()
        .filter(|q| title.iter().any(|t| loose_match(q, t)))
        .count();
    leads || (shared >= 2 && shared * 2 >= query.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(phrase: &str) -> Vec<String> {
        content_terms(phrase)
    }

    #[test]
    fn filler_words_match_in_any_case_and_inflection() {
        for word in [
            "Lubi",
            "uwielbia",
            "miłośnik",
            "miłośniczką",
            "codziennie",
            "Loves",
        ] {
            assert!(is_filler(word), "{word}");
        }
        for word in ["kawa", "bieganie", "gitara", "running"] {
            assert!(!is_filler(word), "{word}");
        }
        assert!(is_generic_noun("Zestaw") && is_generic_noun("zestawy"));
        assert!(!is_filler("zestaw"), "kept in queries");
        assert!(is_filler("dużo") && is_filler("pięć") && is_filler("hates"));
        for thing in ["duże", "pieca", "loty", "hat"] {
            assert!(!is_filler(thing), "{thing}");
        }
    }

    #[test]
    fn content_terms_lead_with_what_the_thing_is() {
        assert_eq!(terms("Uwielbia dobrą kawę"), terms("kawa"));
        assert_eq!(terms("Zestaw kluczy nasadowych"), terms("klucze nasadowe"));
        assert!(terms("lubi bardzo dużo").is_empty());
        assert_eq!(
            terms("She loves a good coffee every week"),
            text::terms("coffee")
        );
    }

    #[test]
    fn loose_matches_tolerate_polish_inflection() {
        assert!(loose_match(&text::stem("zegarek"), &text::stem("zegarka")));
        assert!(loose_match(&text::stem("wędek"), &text::stem("wędka")));
        assert!(loose_match("bieg", "biegacz"));
        assert!(!loose_match("kot", "kotlet"));
        assert!(!loose_match(&text::stem("kubek"), &text::stem("kurtka")));
    }

    #[test]
    fn match_weights_rank_exact_longer_and_shorter_forms() {
        assert_eq!(match_weight("kaw", "kaw"), 1.0);
        assert_eq!(match_weight("biegow", "bieg"), 0.8);
        assert_eq!(match_weight("bieg", "biegani"), 0.3);
        assert_eq!(match_weight("wedek", "wedk"), 0.8);
        assert_eq!(match_weight("kubk", "kawa"), 0.0);
    }

    #[test]
    fn a_thing_is_mentioned_by_its_main_noun_or_all_its_words() {
        let query = terms("pas biegowy na telefon");
        assert!(mentions(&query, &terms("pas skórzany")), "main noun");
        assert!(!mentions(&query, &terms("etui na telefon")));
        assert!(mentions(
            &terms("telefon z etui"),
            &terms("etui na telefon")
        ));
        assert!(contains_all(&query, &terms("telefon pas")));
        assert!(!contains_all(&query, &[]), "an empty thing is in nothing");
    }

    #[test]
    fn a_query_resembles_a_title_it_leads_or_mostly_shares() {
        let title = terms("Skarpety kompresyjne do biegania");
        assert!(resembles(&terms("skarpety biegowe"), &title));
        assert!(resembles(&terms("kompresyjne do biegania"), &title));
        assert!(!resembles(&terms("pas do biegania z bidonem"), &title));
        assert!(!resembles(&[], &title));
    }
}
