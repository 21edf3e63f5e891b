//! Reading marketplace listings into the one product record: what every marketplace client
//! needs (lenient numbers, prices written for people, HTML descriptions, offers that cannot
//! be shown).

use crate::services::provider::ProviderError;
use crate::vocabulary::Product;

/// Descriptions are cut to this many characters: the scorer and the result card need the
/// gist, not a seller's whole page.
const DESCRIPTION_CHARS: usize = 600;

/// The products of `items`; an item that cannot be shown (no title or no link) is left out,
/// but items none of which can be shown mean the answer's shape changed: an error, not an
/// empty success.
pub fn products<T>(
    provider: &'static str,
    items: Vec<T>,
    read: impl Fn(T) -> Option<Product>,
) -> Result<Vec<Product>, ProviderError> {
    let offered = items.len();
    let products: Vec<Product> = items.into_iter().filter_map(read).collect();
    if offered > 0 && products.is_empty() {
        return Err(ProviderError::Invalid {
            provider,
            reason: format!("none of the {offered} offers has a title and a link"),
        });
    }
    Ok(products)
}

/// The text, unless it is missing or blank.
pub fn nonempty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A number given as a JSON number or as a decimal string ("149.99", "149,99").
pub fn number(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => price_in(s),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// An id given as a JSON number or string.
pub fn id_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => nonempty(Some(s.clone())),
        _ => None,
    }
}

/// A price bound as a query parameter: whole złoty without decimals, otherwise two.
pub fn amount(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// The amount in a price written for people: "349,00 zł", "1 299,99 zł", "$89.99",
/// "₹11,990", "1.299,00 €". A separator followed by exactly two digits at the end is the
/// decimal one; other separators group thousands.
pub fn price_in(label: &str) -> Option<f64> {
    let kept: String = label
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}'))
        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .collect();
    let kept = kept.trim_end_matches([',', '.']);
    if kept.is_empty() {
        return None;
    }
    let decimal = kept
        .rfind([',', '.'])
        .filter(|&at| kept.len() - at - 1 <= 2);
    let number: String = match decimal {
        Some(at) => {
            let whole: String = kept[..at].chars().filter(char::is_ascii_digit).collect();
            format!("{whole}.{}", &kept[at + 1..])
        }
        None => kept.chars().filter(char::is_ascii_digit).collect(),
    };
    number.parse().ok().filter(|n: &f64| n.is_finite())
}

/// A description without its HTML (`<br />`, entities), on one line, cut to a readable
/// length.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(DESCRIPTION_CHARS) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::{amount, plain_text, price_in};

    #[test]
    fn prices_written_for_people_are_read() {
        for (label, value) in [
            ("349,00 zł", Some(349.0)),
            ("1 299,99 zł", Some(1299.99)),
            ("1\u{a0}299,99\u{a0}zł", Some(1299.99)),
            ("$89.99", Some(89.99)),
            ("S$6.65", Some(6.65)),
            ("₹11,990", Some(11990.0)),
            ("1.299,00 €", Some(1299.0)),
            ("1,299.50", Some(1299.5)),
            ("149.99", Some(149.99)),
            ("250 zł", Some(250.0)),
            ("Za darmo", None),
            ("", None),
        ] {
            assert_eq!(price_in(label), value, "{label}");
        }
    }

    #[test]
    fn bounds_are_written_without_needless_decimals() {
        assert_eq!(amount(100.0), "100");
        assert_eq!(amount(99.5), "99.50");
    }

    #[test]
    fn html_descriptions_become_one_line_of_text() {
        assert_eq!(
            plain_text("Sprzedam ekspres.<br />Odbiór Kraków &amp; wysyłka.\n\n<b>Polecam</b>"),
            "Sprzedam ekspres. Odbiór Kraków & wysyłka. Polecam"
        );
        let long = "słowo ".repeat(300);
        let cut = plain_text(&long);
        assert!(cut.chars().count() <= 601, "{}", cut.chars().count());
        assert!(cut.ends_with('…'));
    }
}
