//! Static assets at content-hashed URLs: `assets/js/api.js` is served as
//! `/assets/js/api.<hash>.js`, where the hash is the first 8 hex digits of the SHA-256 of its
//! content, so a URL names one version forever and can be cached as immutable. Text is
//! compressed once, when the assets are loaded.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use actix_web::web::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::files::SourceFile;

/// The folder of the assets inside `web/app/`.
const ASSETS: &str = "assets/";

/// One asset as sent: its bytes, and a gzip copy when that is smaller.
#[derive(Debug)]
pub struct Asset {
    pub content_type: &'static str,
    pub body: Bytes,
    pub gzip: Option<Bytes>,
    /// The content hash, 8 hex digits (also the asset's ETag).
    pub hash: String,
}

impl Asset {
    fn new(content_type: &'static str, body: Bytes) -> Self {
        Self {
            content_type,
            gzip: is_compressible(content_type)
                .then(|| gzip(&body))
                .filter(|compressed| compressed.len() < body.len()),
            hash: hex(&Sha256::digest(&body)[..4]),
            body,
        }
    }

    fn from_file(path: &str, bytes: &[u8]) -> Self {
        Self::new(content_type(path), Bytes::copy_from_slice(bytes))
    }

    /// A rendered page.
    pub fn html(html: String) -> Self {
        Self::new("text/html; charset=utf-8", Bytes::from(html))
    }

    /// The bytes sent to a client that does (`gzip`) or does not accept gzip.
    pub fn encoded(&self, gzip: bool) -> (&Bytes, bool) {
        match (&self.gzip, gzip) {
            (Some(compressed), true) => (compressed, true),
            _ => (&self.body, false),
        }
    }
}

/// Every asset, by its hashed URL, and the hashed URL of each plain one.
#[derive(Debug, Default)]
pub struct Assets {
    by_url: HashMap<String, Asset>,
    /// `/assets/js/api.js` → `/assets/js/api.1a2b3c4d.js`, sorted by plain URL.
    hashed: BTreeMap<String, String>,
}

impl Assets {
    pub fn from_files(files: &[SourceFile]) -> Self {
        let mut assets = Self::default();
        for file in files.iter().filter(|f| f.path.starts_with(ASSETS)) {
            let asset = Asset::from_file(&file.path, &file.bytes);
            let url = hashed_url(&file.path, &asset.hash);
            assets.hashed.insert(format!("/{}", file.path), url.clone());
            assets.by_url.insert(url, asset);
        }
        assets
    }

    /// The asset served at `url` (a hashed URL).
    pub fn get(&self, url: &str) -> Option<&Asset> {
        self.by_url.get(url)
    }

    /// The hashed URL of the asset at the plain URL `plain` (`/assets/css/app.css`).
    pub fn url(&self, plain: &str) -> Option<&str> {
        self.hashed.get(plain).map(String::as_str)
    }

    /// The asset at the plain URL `plain`.
    pub fn get_plain(&self, plain: &str) -> Option<&Asset> {
        self.url(plain).and_then(|url| self.get(url))
    }

    /// The plain and hashed URLs of the assets whose plain URL starts with `prefix` and
    /// ends with `suffix`, sorted by plain URL.
    pub fn matching<'a>(
        &'a self,
        prefix: &'a str,
        suffix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.hashed
            .iter()
            .filter(move |(plain, _)| plain.starts_with(prefix) && plain.ends_with(suffix))
            .map(|(plain, url)| (plain.as_str(), url.as_str()))
    }
}

/// `assets/js/api.js` with hash `1a2b3c4d` → `/assets/js/api.1a2b3c4d.js`.
fn hashed_url(path: &str, hash: &str) -> String {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let name = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{stem}.{hash}.{extension}"),
        _ => format!("{name}.{hash}"),
    };
    format!("/{folder}/{name}")
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Formats that are already compressed (images other than SVG, fonts) gain nothing.
fn is_compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/manifest")
        || content_type == "image/svg+xml"
}

/// `bytes` compressed with gzip at the best level (once per asset, so the time is spent
/// at start-up, never per request).
fn gzip(bytes: &[u8]) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    Bytes::from(encoder.finish().unwrap_or_default())
}

/// Whether a request's `Accept-Encoding` allows gzip: listed (or `*`) with a non-zero q.
pub fn accepts_gzip(accept_encoding: Option<&str>) -> bool {
    let Some(header) = accept_encoding else {
        return false;
    };
    let mut wildcard = false;
    for entry in header.split(',') {
        let mut parts = entry.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
        let allowed = parts
            .filter_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
            .all(|q| q.parse::<f32>().map_or(true, |q| q > 0.0));
        match coding.as_str() {
            "gzip" | "x-gzip" => return allowed,
            "*" => wildcard = allowed,
            _ => {}
        }
    }
    wildcard
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn hashed_urls_keep_the_folder_and_the_extension() {
        assert_eq!(
            hashed_url("assets/js/api.js", "0a1b2c3d"),
            "/assets/js/api.0a1b2c3d.js"
        );
        assert_eq!(
            hashed_url("assets/js/views/chat.view.js", "0a1b2c3d"),
            "/assets/js/views/chat.view.0a1b2c3d.js"
        );
        assert_eq!(
            hashed_url("assets/LICENSE", "0a1b2c3d"),
            "/assets/LICENSE.0a1b2c3d"
        );
    }

    #[test]
    fn the_hash_follows_the_content() {
        let files = [
            SourceFile::new("assets/a.css", b"body{color:red}".to_vec()),
            SourceFile::new("assets/b.css", b"body{color:red}".to_vec()),
            SourceFile::new("assets/c.css", b"body{color:blue}".to_vec()),
        ];
        let assets = Assets::from_files(&files);
        let hash = |plain: &str| assets.get_plain(plain).unwrap().hash.clone();
        assert_eq!(hash("/assets/a.css"), hash("/assets/b.css"));
        assert_ne!(hash("/assets/a.css"), hash("/assets/c.css"));
        assert_eq!(hash("/assets/a.css").len(), 8);
    }

    #[test]
    fn text_is_compressed_when_that_is_smaller() {
        let script = "export const x = 1;\n".repeat(50);
        let asset = Asset::from_file("assets/js/x.js", script.as_bytes());
        assert!(asset.gzip.as_ref().unwrap().len() < script.len());
        assert_eq!(asset.encoded(false), (&asset.body, false));
        let tiny = Asset::from_file("assets/js/y.js", b"1");
        assert!(tiny.gzip.is_none());
        let image = Asset::from_file("assets/img/x.png", &[0u8; 400]);
        assert!(image.gzip.is_none());
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts_gzip(Some("gzip, deflate, br")));
        assert!(accepts_gzip(Some("br;q=1.0, gzip;q=0.8")));
        assert!(accepts_gzip(Some("*")));
        assert!(!accepts_gzip(Some("gzip;q=0")));
        assert!(!accepts_gzip(Some("*;q=0.5, gzip;q=0")));
        assert!(!accepts_gzip(Some("br, identity")));
        assert!(!accepts_gzip(None));
    }
}
