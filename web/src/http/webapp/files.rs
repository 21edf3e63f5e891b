//! The files of `web/app/`: compiled into release builds; read from disk in debug builds, so
//! edits to scripts, styles and catalogs show on reload without recompiling.

use std::sync::Arc;

/// `web/app/`, relative to the web crate.
#[derive(rust_embed::Embed)]
#[folder = "app/"]
struct AppFolder;

/// One file of the app: its path under `web/app/` (with `/` separators) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Arc<[u8]>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The file's name without its folders.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// Every file of the app, sorted by path. Hidden files (editor swap files, `.gitkeep`) are
/// left out.
pub fn read_all() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = AppFolder::iter()
        .filter(|path| !path.split('/').any(|part| part.starts_with('.')))
        .filter_map(|path| {
            let file = AppFolder::get(&path)?;
            Some(SourceFile::new(path.into_owned(), file.data.into_owned()))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Whether the files are read from disk on each look (debug builds) rather than compiled in.
pub const LIVE: bool = cfg!(debug_assertions);
