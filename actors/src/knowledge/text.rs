//! Light text analysis for Polish and English: lowercase, fold diacritics, split into words,
//! drop stop words and strip common inflection endings, so that "biegania", "biegaczy" and
//! "bieganie" (or "runners" and "running") meet on a shared stem.

/// Lowercases and replaces Polish letters with their ASCII base letter.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            'é' | 'è' | 'ê' => 'e',
            'á' | 'à' | 'â' | 'ä' => 'a',
            'ü' | 'ú' => 'u',
            'ö' => 'o',
            other => other,
        })
        .collect()
}

/// Whether `marker` occurs in `text` at the start of a word ("kids" is not in "skids", nor
/// "men's" in "women's").
pub fn contains_word_start(text: &str, marker: &str) -> bool {
    text.match_indices(marker).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The words of `text`, folded, without stop words.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .map(str::to_owned)
        .collect()
}

/// The stems of the words of `text`: what matching and scoring compare.
pub fn terms(text: &str) -> Vec<String> {
    words(text).iter().map(|w| stem(w)).collect()
}

/// Inflection endings, longest first. Stripping stops at a stem of three letters.
const SUFFIXES: &[&str] = &[
    // Polish (diacritics already folded)
    "owego", "owych", "owemu", "owymi", "iami", "iach", "ania", "aniu", "anie", "enia", "eniu",
    "enie", "owie", "owej", "owym", "owa", "owe", "owy", "ami", "ach", "ich", "ych", "emu", "ego",
    "iem", "owi", "cie", "ie", "ia", "iu", "om", "em", "ow", "ej", "ym", "im", "a", "e", "i", "o",
    "u", "y", // English
    "ings", "ing", "ers", "er", "ies", "es", "s",
];

/// Strips one inflection ending (the longest that leaves at least three letters).
pub fn stem(word: &str) -> String {
    if word.chars().count() <= 3 || word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    for suffix in SUFFIXES {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= 3
        {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// Whether two stems name the same thing: equal, or one a prefix (of at least four letters)
/// of the other ("bieg" ~ "biegacz", "kaw" ~ "kawa").
pub fn stems_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 4 && long.starts_with(short)
}

/// Whether `phrase` occurs in `terms`: every stem of the phrase matches a term, in order and
/// adjacent ("ekspres do kawy" matches "...ekspres kawy..." since "do" is a stop word).
pub fn contains_phrase(terms: &[String], phrase: &[String]) -> bool {
    if phrase.is_empty() || phrase.len() > terms.len() {
        return false;
    }
    terms
        .windows(phrase.len())
        .any(|window| window.iter().zip(phrase).all(|(t, p)| stems_match(t, p)))
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Polish (folded) and English function words. Sorted, for binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "aby", "ale", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "bardzo", "be", "bo", "but", "by", "byc", "byl", "byla", "bylo", "chce", "ci", "cie", "co",
    "czy", "dla", "do", "does", "for", "from", "go", "ha", "has", "have", "he", "her", "him",
    "his", "i", "ich", "ie", "if", "in", "is", "it", "its", "ja", "jak", "jakie", "jakis", "jako",
    "je", "jego", "jej", "jesli", "jest", "jestem", "juz", "ktora", "ktore", "ktory", "lub", "ma",
    "mam", "me", "mi", "mnie", "moze", "my", "na", "nad", "nam", "nas", "nie", "niego", "niej",
    "nim", "o", "od", "of", "on", "ona", "one", "oni", "or", "po", "pod", "przez", "przy", "sa",
    "she", "sie", "so", "ta", "tak", "takze", "te", "tego", "tej", "the", "their", "them", "they",
    "this", "to", "too", "tu", "ty", "u", "w", "was", "we", "with", "z", "za", "ze",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn folds_polish_letters() {
        assert_eq!(fold("Zażółć GĘŚLĄ jaźń"), "zazolc gesla jazn");
    }

    #[test]
    fn inflected_polish_forms_meet() {
        let a = stem("biegania");
        let b = stem("bieganie");
        assert!(stems_match(&a, &b), "{a} vs {b}");
        assert!(stems_match(&stem("kawy"), &stem("kawa")));
        assert_eq!(terms("ogrodu"), terms("ogród"));
    }

    #[test]
    fn english_plurals_and_gerunds_meet() {
        assert!(stems_match(&stem("runners"), &stem("runner")));
        assert!(stems_match(&stem("gardening"), &stem("garden")));
    }

    #[test]
    fn short_prefixes_do_not_match() {
        assert!(!stems_match("kot", "kotlet"));
    }

    #[test]
    fn phrases_match_across_stop_words_and_inflection() {
        let text = terms("Nowy ekspres do kawy z młynkiem");
        assert!(contains_phrase(&text, &terms("ekspres kawa")));
        assert!(!contains_phrase(&text, &terms("kawa ekspres")));
    }
}
