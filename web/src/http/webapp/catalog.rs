//! Message catalogs: `web/app/i18n/<lang>/<area>.json`, merged into one object per language.
//! Each area file owns its top-level keys, so a key defined by two files is an error, found
//! when the server starts rather than as a missing text on some screen.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::LoadError;
use super::files::SourceFile;

/// The languages of the app. Polish is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    Pl,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Pl, Language::En];
    pub const DEFAULT: Language = Language::Pl;

    pub fn code(self) -> &'static str {
        match self {
            Language::Pl => "pl",
            Language::En => "en",
        }
    }

    /// The position of the language in [`Language::ALL`].
    pub fn index(self) -> usize {
        match self {
            Language::Pl => 0,
            Language::En => 1,
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The CLDR plural categories of the language's cardinal numbers.
    pub fn plural_categories(self) -> &'static [&'static str] {
        match self {
            Language::Pl => &["few", "many", "one", "other"],
            Language::En => &["one", "other"],
        }
    }
}

/// Every CLDR plural category; an object whose keys are all among them is a plural message.
const CLDR_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The merged catalog of each language, indexed by [`Language::index`].
#[derive(Debug, Clone)]
pub struct Catalogs {
    by_language: [Map<String, Value>; 2],
}

impl Catalogs {
    /// Merges the catalog files among `files` (`i18n/<lang>/*.json`).
    pub fn from_files(files: &[SourceFile]) -> Result<Self, LoadError> {
        Ok(Self {
            by_language: [
                merge_language(files, Language::Pl)?,
                merge_language(files, Language::En)?,
            ],
        })
    }

    pub fn get(&self, language: Language) -> &Map<String, Value> {
        &self.by_language[language.index()]
    }

    /// What is wrong across the languages: keys one language has and another lacks, and
    /// plural messages whose categories are not the language's CLDR categories.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let reference = leaf_keys(self.get(Language::DEFAULT));
        for language in Language::ALL {
            let catalog = self.get(language);
            let keys = leaf_keys(catalog);
            for missing in reference.difference(&keys) {
                problems.push(format!("{}: missing {missing}", language.code()));
            }
            for extra in keys.difference(&reference) {
                problems.push(format!(
                    "{}: {extra} is not in {}",
                    language.code(),
                    Language::DEFAULT.code()
                ));
            }
            problems.extend(plural_problems(language, catalog));
        }
        problems
    }
}

fn merge_language(
    files: &[SourceFile],
    language: Language,
) -> Result<Map<String, Value>, LoadError> {
    let folder = format!("i18n/{}/", language.code());
    let area_files: Vec<&SourceFile> = files
        .iter()
        .filter(|f| f.path.starts_with(&folder) && f.path.ends_with(".json"))
        .collect();
    if area_files.is_empty() {
        return Err(LoadError::Catalog(format!(
            "no catalog for language {}: web/app/{folder}*.json is missing",
            language.code()
        )));
    }
    merge(&area_files)
}

/// One language's area files merged into one object; a top-level key may come from one
/// file only.
fn merge(files: &[&SourceFile]) -> Result<Map<String, Value>, LoadError> {
    let mut merged = Map::new();
    let mut owners: BTreeMap<String, &str> = BTreeMap::new();
    for file in files {
        let parsed: Value = serde_json::from_slice(&file.bytes).map_err(|error| {
            LoadError::Catalog(format!("web/app/{} is not valid JSON: {error}", file.path))
        })?;
        let Value::Object(entries) = parsed else {
            return Err(LoadError::Catalog(format!(
                "web/app/{} must hold a JSON object",
                file.path
            )));
        };
        for (key, value) in entries {
            if let Some(owner) = owners.insert(key.clone(), &file.path) {
                return Err(LoadError::Catalog(format!(
                    "the top-level key \"{key}\" is defined by both web/app/{owner} and web/app/{}",
                    file.path
                )));
            }
            merged.insert(key, value);
        }
    }
    Ok(merged)
}

/// A message with one form per plural category.
fn is_plural(value: &Value) -> bool {
    value.as_object().is_some_and(|forms| {
        !forms.is_empty() && forms.keys().all(|k| CLDR_CATEGORIES.contains(&k.as_str()))
    })
}

/// The dotted paths of every message (a plural message counts as one).
fn leaf_keys(catalog: &Map<String, Value>) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    visit_messages(catalog, "", &mut |path, _| {
        keys.insert(path.to_owned());
    });
    keys
}

fn plural_problems(language: Language, catalog: &Map<String, Value>) -> Vec<String> {
    let expected: BTreeSet<&str> = language.plural_categories().iter().copied().collect();
    let mut problems = Vec::new();
    visit_messages(catalog, "", &mut |path, message| {
        if let Some(forms) = message.as_object() {
            let found: BTreeSet<&str> = forms.keys().map(String::as_str).collect();
            if found != expected {
                problems.push(format!(
                    "{}: the plural message {path} has forms {found:?}, expected {expected:?}",
                    language.code()
                ));
            }
        }
    });
    problems
}

/// Calls `visit` with the path and value of every message: strings and plural objects.
fn visit_messages(node: &Map<String, Value>, prefix: &str, visit: &mut dyn FnMut(&str, &Value)) {
    for (key, value) in node {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(children) if !is_plural(value) => visit_messages(children, &path, visit),
            _ => visit(&path, value),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile::new(path, text.as_bytes().to_vec())
    }

    fn catalogs(files: &[SourceFile]) -> Result<Catalogs, LoadError> {
        Catalogs::from_files(files)
    }

    #[test]
    fn merges_the_area_files_of_each_language() {
        let catalogs = catalogs(&[
            file("i18n/pl/a.json", r#"{"nav": {"home": "Start"}}"#),
            file("i18n/pl/b.json", r#"{"saved": {"title": "Zapisane"}}"#),
            file("i18n/en/a.json", r#"{"nav": {"home": "Home"}}"#),
            file("i18n/en/b.json", r#"{"saved": {"title": "Saved"}}"#),
        ])
        .unwrap();
        assert_eq!(catalogs.get(Language::Pl)["saved"]["title"], "Zapisane");
        assert_eq!(catalogs.get(Language::En)["nav"]["home"], "Home");
        assert!(catalogs.problems().is_empty(), "{:?}", catalogs.problems());
    }

    #[test]
    fn a_key_defined_by_two_files_is_refused_naming_both() {
        let error = catalogs(&[
            file("i18n/pl/a.json", r#"{"nav": {}}"#),
            file("i18n/pl/b.json", r#"{"nav": {}}"#),
            file("i18n/en/a.json", "{}"),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("\"nav\"")
                && error.contains("i18n/pl/a.json")
                && error.contains("b.json"),
            "{error}"
        );
    }

    #[test]
    fn invalid_json_and_non_objects_are_refused_naming_the_file() {
        let invalid = catalogs(&[
            file("i18n/pl/a.json", "{\"nav\": "),
            file("i18n/en/a.json", "{}"),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            invalid.contains("i18n/pl/a.json is not valid JSON"),
            "{invalid}"
        );
        let list = catalogs(&[file("i18n/pl/a.json", "[]"), file("i18n/en/a.json", "{}")])
            .unwrap_err()
            .to_string();
        assert!(list.contains("must hold a JSON object"), "{list}");
    }

    #[test]
    fn a_missing_language_is_refused() {
        let error = catalogs(&[file("i18n/pl/a.json", "{}")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("language en"), "{error}");
    }

    #[test]
    fn problems_name_missing_keys_and_wrong_plural_forms() {
        let catalogs = catalogs(&[
            file(
                "i18n/pl/a.json",
                r#"{"gifts": {"one": "{count} prezent", "other": "{count} prezentu"}, "only": {"pl": "x"}}"#,
            ),
            file(
                "i18n/en/a.json",
                r#"{"gifts": {"one": "{count} gift", "other": "{count} gifts"}}"#,
            ),
        ])
        .unwrap();
        let problems = catalogs.problems();
        assert!(
            problems.iter().any(|p| p == "en: missing only.pl"),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("pl: the plural message gifts")),
            "{problems:?}"
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
