//! The web app, served by this binary: the shell page of every app route (with the landing
//! page rendered by the server), the static assets of `web/app/` at content-hashed URLs,
//! `/favicon.ico` and `/robots.txt`.
//!
//! Everything is prepared when the files are loaded (at start-up; in debug builds again
//! whenever a file changed): asset hashes and gzip copies, the import map, and the shell of
//! each page in each language with its gzip copy. A request only picks bytes.

mod assets;
pub mod catalog;
mod files;
mod language;
mod pages;
mod routes;
mod shell;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use assets::{Asset, Assets};
use catalog::{Catalogs, Language};
use files::SourceFile;
use pages::Page;
use shell::Shell;

pub use language::COOKIE as LANGUAGE_COOKIE;
pub use routes::configure;

/// Why the app's files cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("message catalogs: {0}")]
    Catalog(String),
    #[error("the shell template: {0}")]
    Template(String),
    #[error("{0} is missing")]
    Missing(String),
}

/// What the pages are told of the server's settings (on the shell's root element).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSettings {
    /// `MAX_QUESTIONS`: what the interview's counter counts to.
    pub max_questions: u32,
}

impl Default for PageSettings {
    fn default() -> Self {
        Self {
            max_questions: present_finder_actors::services::Settings::default().max_questions,
        }
    }
}

/// Everything served from one version of the app's files.
pub struct Snapshot {
    sources: Vec<SourceFile>,
    catalogs: Catalogs,
    assets: Assets,
    shells: HashMap<(Page, Language), Asset>,
    content_security_policy: String,
}

impl Snapshot {
    fn build(sources: Vec<SourceFile>, settings: PageSettings) -> Result<Self, LoadError> {
        let catalogs = Catalogs::from_files(&sources)?;
        let assets = Assets::from_files(&sources);
        let shell = Shell::new(&sources, &assets)?;
        let mut shells = HashMap::new();
        for page in Page::ALL {
            for language in Language::ALL {
                let html = shell.render(page, language, &catalogs, settings)?;
                shells.insert((page, language), Asset::html(html));
            }
        }
        let content_security_policy = format!(
            "default-src 'self'; script-src 'self' {}; style-src 'self' {}; \
             img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; \
             base-uri 'none'; form-action 'self'; object-src 'none'",
            shell.import_map_source(),
            shell.inline_styles_source()
        );
        Ok(Self {
            sources,
            catalogs,
            assets,
            shells,
            content_security_policy,
        })
    }

    pub fn catalogs(&self) -> &Catalogs {
        &self.catalogs
    }

    fn shell(&self, page: Page, language: Language) -> Option<&Asset> {
        self.shells.get(&(page, language))
    }
}

/// The web app's files, loaded once (release builds) or followed on disk (debug builds).
pub struct WebApp {
    snapshot: RwLock<Arc<Snapshot>>,
    settings: PageSettings,
}

impl WebApp {
    /// Loads and checks the app's files: invalid catalogs, a broken template or a missing
    /// entry module stop the server at start-up with the reason.
    pub fn load(settings: PageSettings) -> Result<Self, LoadError> {
        let snapshot = Snapshot::build(files::read_all(), settings)?;
        Ok(Self {
            snapshot: RwLock::new(Arc::new(snapshot)),
            settings,
        })
    }

    /// The snapshot being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The snapshot of the files as they are now: in debug builds the files are read again
    /// and, when any changed, everything is rebuilt.
    pub fn refreshed(&self) -> Result<Arc<Snapshot>, LoadError> {
        let current = self.snapshot();
        if !files::LIVE {
            return Ok(current);
        }
        let sources = files::read_all();
        if sources == current.sources {
            return Ok(current);
        }
        let fresh = Arc::new(Snapshot::build(sources, self.settings)?);
        *self
            .snapshot
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh.clone();
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn with_file(path: &str, text: &str) -> Vec<SourceFile> {
        let mut sources: Vec<SourceFile> = files::read_all()
            .into_iter()
            .filter(|f| f.path != path)
            .collect();
        sources.push(SourceFile::new(path, text.as_bytes().to_vec()));
        sources
    }

    fn load_error(sources: Vec<SourceFile>) -> String {
        match Snapshot::build(sources, PageSettings::default()) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn the_app_files_load() {
        let webapp = WebApp::load(PageSettings::default()).unwrap();
        let snapshot = webapp.refreshed().unwrap();
        assert_eq!(snapshot.shells.len(), Page::ALL.len() * Language::ALL.len());
    }

    #[test]
    fn a_top_level_key_in_two_catalog_files_stops_the_load() {
        let error = load_error(with_file("i18n/en/zz.json", r#"{"landing": {}}"#));
        assert!(
            error.contains("\"landing\"") && error.contains("web/app/i18n/en/zz.json"),
            "{error}"
        );
    }

    #[test]
    fn an_invalid_catalog_stops_the_load() {
        let error = load_error(with_file("i18n/pl/zz.json", "{ not json"));
        assert!(
            error.contains("web/app/i18n/pl/zz.json is not valid JSON"),
            "{error}"
        );
    }

    #[test]
    fn a_template_using_a_missing_message_stops_the_load() {
        let error = load_error(with_file("index.html", "<p>{{ t.landing.nothing }}</p>"));
        assert!(error.contains("index.html"), "{error}");
    }

    #[test]
    fn a_missing_entry_module_stops_the_load() {
        let sources = files::read_all()
            .into_iter()
            .filter(|f| f.path != "assets/js/main.js")
            .collect();
        let error = load_error(sources);
        assert_eq!(error, "web/app/assets/js/main.js is missing");
    }
}
