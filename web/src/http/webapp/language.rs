//! The visitor's language: `?lang=` (remembered in the `pf_lang` cookie), else the cookie,
//! else `Accept-Language` (Polish unless English is preferred), else Polish.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;

use super::catalog::Language;

pub const COOKIE: &str = "pf_lang";

/// The language of a page, and whether it was chosen by `?lang=` (and so is to be
/// remembered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub language: Language,
    pub from_query: bool,
}

pub fn choose(request: &HttpRequest) -> Choice {
    if let Some(language) = from_query(request.query_string()) {
        return Choice {
            language,
            from_query: true,
        };
    }
    let language = request
        .cookie(COOKIE)
        .and_then(|cookie| Language::parse(cookie.value()))
        .unwrap_or_else(|| {
            from_accept_language(
                request
                    .headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            )
        });
    Choice {
        language,
        from_query: false,
    }
}

/// The cookie that remembers `language` for a year.
pub fn cookie(language: Language, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, language.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// A supported `lang` query parameter; anything else is ignored.
fn from_query(query: &str) -> Option<Language> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "lang")
        .and_then(|(_, value)| Language::parse(&value))
}

/// English when the header ranks it above Polish (by weight, then by order); Polish
/// otherwise.
fn from_accept_language(header: Option<&str>) -> Language {
    let mut best: Option<(f32, Language)> = None;
    for entry in header.unwrap_or_default().split(',') {
        let mut parts = entry.split(';').map(str::trim);
        let tag = parts.next().unwrap_or_default().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or_default();
        let Some(language) = Language::parse(primary) else {
            continue;
        };
        let weight = parts
            .find_map(|p| p.strip_prefix("q="))
            .map_or(1.0, |q| q.parse::<f32>().unwrap_or(0.0));
        if weight > 0.0 && best.is_none_or(|(top, _)| weight > top) {
            best = Some((weight, language));
        }
    }
    best.map_or(Language::DEFAULT, |(_, language)| language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_english_only_when_preferred() {
        let pick = |header| from_accept_language(Some(header));
        assert_eq!(pick("en-US,en;q=0.9"), Language::En);
        assert_eq!(pick("de-DE,de;q=0.9,en;q=0.5"), Language::En);
        assert_eq!(pick("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7"), Language::Pl);
        assert_eq!(pick("en;q=0.5,pl;q=0.8"), Language::Pl);
        assert_eq!(pick("en, pl"), Language::En);
        assert_eq!(pick("pl, en"), Language::Pl);
        assert_eq!(pick("en;q=0"), Language::Pl);
        assert_eq!(pick("fr, de"), Language::Pl);
        assert_eq!(from_accept_language(None), Language::Pl);
    }

    #[test]
    fn only_supported_query_values_count() {
        assert_eq!(from_query("lang=en"), Some(Language::En));
        assert_eq!(from_query("a=1&lang=pl"), Some(Language::Pl));
        assert_eq!(from_query("lang=de"), None);
        assert_eq!(from_query(""), None);
    }
}
