//! The shell page: `web/app/index.html`, a minijinja template rendered once per language and
//! page when the files are loaded. It links the hashed stylesheets, preloads every module,
//! maps plain module URLs to hashed ones with an import map, and embeds the language's
//! catalog.
//!
//! The landing page carries the stylesheets inline instead: a linked stylesheet blocks the
//! first paint for one more round trip, and on a slow mobile network (Fast 3G: 562.5 ms per
//! request) that alone put the Start link past one second in about half of the runs.

use std::collections::{BTreeMap, VecDeque};

use base64::Engine;
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior, Value, context};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::assets::Assets;
use super::catalog::{Catalogs, Language};
use super::files::SourceFile;
use super::pages::Page;
use super::{LoadError, PageSettings};

const TEMPLATE: &str = "index.html";
/// The app's entry module, loaded by the shell.
pub const ENTRY: &str = "/assets/js/main.js";
/// The base stylesheet, linked first; every other stylesheet in its folder follows, by name.
const BASE_STYLESHEET: &str = "/assets/css/app.css";
const STYLESHEETS: &str = "/assets/css/";
pub const FAVICON: &str = "/assets/favicon.svg";
const MODULES: &str = "/assets/js/";

/// What the shell pages need besides the catalogs: asset URLs and the import map.
pub struct Shell {
    env: Environment<'static>,
    stylesheets: Vec<String>,
    /// Every stylesheet's text, in link order, for the landing page.
    inline_styles: String,
    modules: Vec<Preload>,
    entry: String,
    favicon: String,
    import_map: String,
}

/// A module the shell preloads; `boot`: the entry or one it imports statically.
#[derive(Debug, PartialEq, Serialize)]
struct Preload {
    url: String,
    boot: bool,
}

/// A link of the language switch.
#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: &'static str,
    current: bool,
}

impl Shell {
    pub fn new(files: &[SourceFile], assets: &Assets) -> Result<Self, LoadError> {
        let template = files
            .iter()
            .find(|f| f.path == TEMPLATE)
            .ok_or_else(|| LoadError::Missing(TEMPLATE.into()))?;
        let source = String::from_utf8(template.bytes.to_vec())
            .map_err(|_| LoadError::Template(format!("web/app/{TEMPLATE} is not UTF-8")))?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(escape_markup);
        env.add_template_owned(TEMPLATE, source)
            .map_err(|e| LoadError::Template(describe(&e)))?;
        let url = |plain: &str| {
            assets
                .url(plain)
                .map(str::to_owned)
                .ok_or_else(|| LoadError::Missing(format!("web/app{plain}")))
        };
        let mapped: BTreeMap<&str, &str> = assets.matching(MODULES, ".js").collect();
        let stylesheets = stylesheets(assets, url(BASE_STYLESHEET)?);
        Ok(Self {
            env,
            inline_styles: inline_styles(assets, &stylesheets)?,
            stylesheets,
            modules: preload_order(assets, &mapped),
            entry: url(ENTRY)?,
            favicon: url(FAVICON)?,
            import_map: script_text(&serde_json::json!({ "imports": mapped })),
        })
    }

    /// The `script-src` source that allows the import map (the only inline script that
    /// runs).
    pub fn import_map_source(&self) -> String {
        hash_source(&self.import_map)
    }

    /// The `style-src` source that allows the landing page's inline styles.
    pub fn inline_styles_source(&self) -> String {
        hash_source(&self.inline_styles)
    }

    /// The shell of `page` in `language`.
    pub fn render(
        &self,
        page: Page,
        language: Language,
        catalogs: &Catalogs,
        settings: PageSettings,
    ) -> Result<String, LoadError> {
        let catalog = catalogs.get(language);
        let languages: Vec<LanguageLink> = Language::ALL
            .into_iter()
            .map(|l| LanguageLink {
                code: l.code(),
                name: native_name(l),
                current: l == language,
            })
            .collect();
        let template = self
            .env
            .get_template(TEMPLATE)
            .map_err(|e| LoadError::Template(describe(&e)))?;
        template
            .render(context! {
                lang => language.code(),
                page => page.name(),
                max_questions => settings.max_questions,
                t => catalog,
                languages => languages,
                stylesheets => &self.stylesheets,
                inline_styles => Value::from_safe_string(self.inline_styles.clone()),
                modules => &self.modules,
                entry => &self.entry,
                favicon => &self.favicon,
                import_map => Value::from_safe_string(self.import_map.clone()),
                catalog => Value::from_safe_string(script_text(&serde_json::Value::Object(catalog.clone()))),
            })
            .map_err(|e| {
                LoadError::Template(format!(
                    "{} (page {}, language {})",
                    describe(&e),
                    page.name(),
                    language.code()
                ))
            })
    }
}

fn stylesheets(assets: &Assets, base: String) -> Vec<String> {
    let others = assets
        .matching(STYLESHEETS, ".css")
        .filter(|(plain, _)| *plain != BASE_STYLESHEET)
        .map(|(_, url)| url.to_owned());
    std::iter::once(base).chain(others).collect()
}

/// Writes `value` into the page, escaping in text `&`, `<`, `>` and quotes (minijinja's
/// own escaping also turns every `/` of a URL into `&#x2f;`).
fn escape_markup(out: &mut Output<'_>, state: &State<'_, '_>, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(text) if !value.is_safe() && matches!(state.auto_escape(), AutoEscape::Html) => {
            let mut escaped = String::with_capacity(text.len());
            for c in text.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    _ => escaped.push(c),
                }
            }
            out.write_str(&escaped).map_err(Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// The preloads of `modules` in the order the entry needs them: the entry, then what it
/// imports, breadth first, then the other modules by name. A browser fetches preloads in
/// document order, six at a time on HTTP/1.1; the others are marked low priority, so that
/// the app's first API requests are not queued behind the screens' modules.
fn preload_order(assets: &Assets, modules: &BTreeMap<&str, &str>) -> Vec<Preload> {
    let mut boot: Vec<String> = Vec::new();
    let mut pending = VecDeque::from([ENTRY.to_owned()]);
    while let Some(plain) = pending.pop_front() {
        if boot.contains(&plain) || !modules.contains_key(plain.as_str()) {
            continue;
        }
        if let Some(module) = assets.get_plain(&plain) {
            pending.extend(static_imports(&String::from_utf8_lossy(&module.body)));
        }
        boot.push(plain);
    }
    let preload = |plain: &str, boot: bool| Preload {
        url: modules
            .get(plain)
            .map(|url| (*url).to_owned())
            .unwrap_or_default(),
        boot,
    };
    let rest = modules
        .keys()
        .filter(|plain| !boot.iter().any(|b| b == *plain))
        .map(|plain| preload(plain, false));
    boot.iter()
        .map(|plain| preload(plain, true))
        .chain(rest)
        .collect()
}

/// The modules of the app a module imports statically (`import … from "/assets/js/x.js"`,
/// `import "/assets/js/x.js"`, `export … from …`), in the order they appear.
fn static_imports(source: &str) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for marker in ["from \"", "from '", "import \"", "import '"] {
        let quote = &marker[marker.len() - 1..];
        for (at, _) in source.match_indices(marker) {
            let rest = &source[at + marker.len()..];
            let specifier = rest.split(quote).next().unwrap_or_default();
            if specifier.starts_with(MODULES) {
                found.push((at, specifier.to_owned()));
            }
        }
    }
    found.sort();
    found.into_iter().map(|(_, specifier)| specifier).collect()
}

/// The text of the stylesheets at `urls`, one after the other.
fn inline_styles(assets: &Assets, urls: &[String]) -> Result<String, LoadError> {
    let mut text = String::new();
    for url in urls {
        let body = assets
            .get(url)
            .map(|asset| String::from_utf8_lossy(&asset.body).into_owned())
            .unwrap_or_default();
        if body.to_ascii_lowercase().contains("</style") {
            return Err(LoadError::Template(format!("{url} contains </style")));
        }
        text.push_str(&body);
        text.push('\n');
    }
    Ok(text)
}

/// A CSP hash source (`'sha256-…'`) for an inline element's text.
fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// A language's name in that language, as the switch shows it.
fn native_name(language: Language) -> &'static str {
    match language {
        Language::Pl => "Polski",
        Language::En => "English",
    }
}

/// JSON for the body of a `<script>` element: `<` is escaped so no text can close it.
fn script_text(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// A template error with its location and the chain of causes.
fn describe(error: &minijinja::Error) -> String {
    let mut text = format!("web/app/{TEMPLATE}: {error:#}");
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_entry_and_its_imports_are_preloaded_first() {
        let module = |name: &str, text: &str| {
            SourceFile::new(format!("assets/js/{name}"), text.as_bytes().to_vec())
        };
        let files = [
            module("a-view.js", "import { h } from \"/assets/js/dom.js\";"),
            module(
                "main.js",
                "import { start } from '/assets/js/router.js';\nimport \"/assets/js/dom.js\";",
            ),
            module(
                "router.js",
                "import {\n  h,\n} from \"/assets/js/dom.js\";\nconst v = import(\"/assets/js/a-view.js\");",
            ),
            module("dom.js", "export const h = 1;"),
            module("unused.js", ""),
        ];
        let assets = Assets::from_files(&files);
        let modules: BTreeMap<&str, &str> = assets.matching(MODULES, ".js").collect();
        let expected: Vec<Preload> = [
            ("main", true),
            ("router", true),
            ("dom", true),
            ("a-view", false),
            ("unused", false),
        ]
        .into_iter()
        .map(|(name, boot)| Preload {
            url: assets
                .url(&format!("/assets/js/{name}.js"))
                .unwrap()
                .to_owned(),
            boot,
        })
        .collect();
        assert_eq!(preload_order(&assets, &modules), expected);
    }

    #[test]
    fn script_text_cannot_close_its_element() {
        let text = script_text(&serde_json::json!({"a": "</script><!--"}));
        assert!(!text.contains('<'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["a"], "</script><!--");
    }
}
