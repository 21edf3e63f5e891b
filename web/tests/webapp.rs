//! The web app as a browser gets it: the shell page of every app route in the visitor's
//! language, assets at content-hashed URLs (immutable, typed, gzip), the import map, the
//! security headers, the JSON 404 kept for everything else, an uncompressed `/sse`, the
//! message catalogs, and the first page's transfer budget.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use api_client::Api;
use base64::Engine;
use common::{Harness, TestApp, fast_settings, set_cookies};
use present_finder_actors::services::fetch::catalog::Catalog;
use present_finder_actors::services::{ServiceName, Settings};
use present_finder_actors::testing::Transport;
use present_finder_web::http::WebConfig;
use present_finder_web::http::webapp::{PageSettings, WebApp};
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The app's routes, as a browser requests them.
fn app_routes() -> Vec<String> {
    [
        "/",
        "/login",
        "/start",
        "/saved",
        "/history",
        "/profiles",
        "/account",
        "/admin",
        "/auth/google/callback?code=c&state=s",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([format!("/chat/{}", Uuid::now_v7())])
    .collect()
}

/// The transfer budget of the first page (shell, stylesheets, every module; gzip).
const FIRST_PAGE_BUDGET: usize = 100_000;

struct Page {
    headers: HeaderMap,
    html: String,
}

async fn get(
    app: &TestApp,
    path: &str,
    configure: impl FnOnce(RequestBuilder) -> RequestBuilder,
) -> Response {
    let request = reqwest::Client::new().get(app.url(path));
    configure(request).send().await.unwrap()
}

async fn page(
    app: &TestApp,
    path: &str,
    configure: impl FnOnce(RequestBuilder) -> RequestBuilder,
) -> Page {
    let response = get(app, path, configure).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    Page {
        headers,
        html: response.text().await.unwrap(),
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

fn html_lang(html: &str) -> &str {
    let start = html.find("<html lang=\"").unwrap() + "<html lang=\"".len();
    &html[start..start + 2]
}

/// The values of `attribute` in the tags that start with `tag_start` (`<link rel="icon"`).
fn attribute_values(html: &str, tag_start: &str, attribute: &str) -> Vec<String> {
    html.match_indices(tag_start)
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            let marker = format!(" {attribute}=\"");
            let value = &tag[tag.find(&marker).unwrap() + marker.len()..];
            value[..value.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The text of the first `<script` element that starts with `tag_start`.
fn script_text<'a>(html: &'a str, tag_start: &str) -> &'a str {
    let start = html.find(tag_start).unwrap();
    let body = &html[start + html[start..].find('>').unwrap() + 1..];
    &body[..body.find("</script>").unwrap()]
}

fn import_map(html: &str) -> Vec<(String, String)> {
    let map: Value = serde_json::from_str(script_text(html, "<script type=\"importmap\"")).unwrap();
    map["imports"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(plain, hashed)| (plain.clone(), hashed.as_str().unwrap().to_owned()))
        .collect()
}

/// `<main id="main" …>…</main>`, what the landing renders and the app fills.
fn main_element(html: &str) -> &str {
    let start = html.find("<main id=\"main\"").unwrap();
    &html[start..start + html[start..].find("</main>").unwrap()]
}

fn app_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("app")
}

/// Every `.js` file under `web/app/assets/js`, as a plain URL.
fn module_files(folder: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            module_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "js") {
            let relative = path.strip_prefix(app_folder()).unwrap();
            found.insert(format!("/{}", relative.to_str().unwrap()));
        }
    }
}

/// The headers every page and asset carries.
fn assert_security_headers(headers: &HeaderMap, what: &str) {
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        header(headers, "referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
}

/// The Content-Security-Policy of a page.
fn assert_page_policy(headers: &HeaderMap, what: &str) {
    assert_security_headers(headers, what);
    let policy = header(headers, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "img-src 'self' data: https:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ] {
        assert!(policy.contains(directive), "{what}: {policy}");
    }
}

/// An asset opened on its own may load and run nothing.
fn assert_asset_policy(headers: &HeaderMap, what: &str) {
    assert_security_headers(headers, what);
    assert_eq!(
        header(headers, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'",
        "{what}"
    );
}

/// `'sha256-…'` of an inline element's text, as a CSP source.
fn hash_source(text: &str) -> String {
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text));
    format!("'sha256-{digest}'")
}

async fn assert_json_404(response: Response, what: &str) {
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{what}");
    assert!(
        header(response.headers(), "content-type").starts_with("application/json"),
        "{what}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["statusCode"], 404, "{what}: {body}");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .unwrap();
    plain
}

#[actix_rt::test]
async fn every_app_route_serves_the_shell_in_the_chosen_language() {
    let app = TestApp::spawn(Transport::InProcess).await;
    for path in app_routes() {
        let polish = page(&app, &path, |r| r).await;
        assert_eq!(html_lang(&polish.html), "pl", "{path} defaults to Polish");
        assert!(polish.html.contains("data-lang=\"pl\""), "{path}");
        assert_eq!(
            header(&polish.headers, "cache-control"),
            "no-cache",
            "{path}"
        );
        assert!(
            header(&polish.headers, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_page_policy(&polish.headers, &path);
        for part in [
            "<title>",
            "<meta name=\"description\"",
            "<meta name=\"theme-color\"",
            "<link rel=\"icon\"",
            "class=\"skip-link\" href=\"#main\"",
            "<nav class=\"site-nav\"",
            "<script type=\"application/json\" id=\"i18n\">",
        ] {
            assert!(polish.html.contains(part), "{path} lacks {part}");
        }
        let landing = main_element(&polish.html).contains("href=\"/start\"");
        assert_eq!(
            landing,
            path == "/",
            "{path}: only / renders the landing page"
        );

        let english = page(&app, &path, |r| r.header(header::COOKIE, "pf_lang=en")).await;
        assert_eq!(html_lang(&english.html), "en", "{path} with the cookie");
    }
    let head = reqwest::Client::new()
        .head(app.url("/history"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.bytes().await.unwrap().is_empty());
    app.stop().await;
}

/// The interview's counter counts to the server's `MAX_QUESTIONS`, which every page carries.
#[actix_rt::test]
async fn the_pages_carry_the_servers_question_cap() {
    let settings = Settings {
        max_questions: 7,
        ..fast_settings()
    };
    let harness = Harness::start_with(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
    )
    .await;
    let app = TestApp::serve(harness, WebConfig::for_tests()).await;
    for path in app_routes() {
        let shell = page(&app, &path, |r| r).await;
        assert!(
            shell.html.contains("data-max-questions=\"7\""),
            "{path} carries MAX_QUESTIONS"
        );
    }
    app.stop().await;
}

#[actix_rt::test]
async fn the_language_comes_from_the_query_then_the_cookie_then_accept_language() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let chosen = get(&app, "/saved?lang=en", |r| {
        r.header(header::COOKIE, "pf_lang=pl")
    })
    .await;
    let cookie = set_cookies(&chosen)
        .remove("pf_lang")
        .expect("?lang= sets the pf_lang cookie");
    let attributes: Vec<String> = cookie
        .split(';')
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert_eq!(attributes[0], "pf_lang=en");
    for attribute in ["path=/", "max-age=31536000", "samesite=lax"] {
        assert!(attributes.iter().any(|a| a == attribute), "{cookie}");
    }
    assert_eq!(html_lang(&chosen.text().await.unwrap()), "en");

    let back = get(&app, "/?lang=pl", |r| {
        r.header(header::COOKIE, "pf_lang=en")
    })
    .await;
    assert!(set_cookies(&back)["pf_lang"].starts_with("pf_lang=pl;"));
    assert_eq!(html_lang(&back.text().await.unwrap()), "pl");

    let unchosen = get(&app, "/?lang=de", |r| r).await;
    assert!(
        !set_cookies(&unchosen).contains_key("pf_lang"),
        "unsupported languages are ignored"
    );
    assert_eq!(html_lang(&unchosen.text().await.unwrap()), "pl");

    for (accept_language, expected) in [
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,en;q=0.7,pl;q=0.5", "en"),
        ("pl-PL,pl;q=0.9,en-US;q=0.8", "pl"),
        ("fr-FR", "pl"),
    ] {
        let shown = page(&app, "/", |r| {
            r.header(header::ACCEPT_LANGUAGE, accept_language)
        })
        .await;
        assert_eq!(html_lang(&shown.html), expected, "{accept_language}");
    }
    let remembered = page(&app, "/", |r| {
        r.header(header::ACCEPT_LANGUAGE, "en")
            .header(header::COOKIE, "pf_lang=pl")
    })
    .await;
    assert_eq!(
        html_lang(&remembered.html),
        "pl",
        "the cookie wins over Accept-Language"
    );
    app.stop().await;
}

#[actix_rt::test]
async fn the_landing_page_is_rendered_by_the_server_with_its_language_switch() {
    let app = TestApp::spawn(Transport::InProcess).await;
    for (language, other, start) in [
        ("pl", "en", "Zacznij szukać"),
        ("en", "pl", "Start searching"),
    ] {
        let landing = page(&app, &format!("/?lang={language}"), |r| r).await;
        let main = main_element(&landing.html);
        assert!(
            main.contains(&format!(">{start}</a>")),
            "{language}: {main}"
        );
        for market in ["OLX", "Allegro", "eBay", "Amazon"] {
            assert!(main.contains(market), "{language}: {market}");
        }
        assert_eq!(main.matches("<li class=\"step\">").count(), 4, "four steps");
        assert!(
            main.contains("href=\"/account\""),
            "privacy links to the account"
        );
        assert!(landing.html.contains(&format!(
            "<a href=\"?lang={language}\" hreflang=\"{language}\" lang=\"{language}\" aria-current=\"true\">"
        )));
        assert!(landing.html.contains(&format!(
            "<a href=\"?lang={other}\" hreflang=\"{other}\" lang=\"{other}\">"
        )));
        for link in ["/start", "/saved", "/history", "/profiles", "/account"] {
            assert!(
                landing.html.contains(&format!("<a href=\"{link}\"")),
                "nav: {link}"
            );
        }
    }
    app.stop().await;
}

#[actix_rt::test]
async fn assets_are_served_at_hashed_urls_typed_immutable_and_compressed() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let shell = page(&app, "/start", |r| r).await;
    let map = import_map(&shell.html);

    let mut expected = BTreeSet::new();
    module_files(&app_folder().join("assets/js"), &mut expected);
    let mapped: BTreeSet<String> = map.iter().map(|(plain, _)| plain.clone()).collect();
    assert_eq!(mapped, expected, "the import map covers every module");
    let preloaded: BTreeSet<String> =
        attribute_values(&shell.html, "<link rel=\"modulepreload\"", "href")
            .into_iter()
            .collect();
    let hashed: BTreeSet<String> = map.iter().map(|(_, url)| url.clone()).collect();
    assert_eq!(preloaded, hashed, "every module is preloaded");
    let entry = attribute_values(&shell.html, "<script type=\"module\"", "src");
    let main_js = map
        .iter()
        .find(|(plain, _)| plain == "/assets/js/main.js")
        .unwrap();
    assert_eq!(entry, vec![main_js.1.clone()]);

    let stylesheets = attribute_values(&shell.html, "<link rel=\"stylesheet\"", "href");
    assert!(
        stylesheets[0].starts_with("/assets/css/app."),
        "{stylesheets:?}"
    );
    assert!(
        stylesheets
            .iter()
            .any(|s| s.starts_with("/assets/css/landing."))
    );
    let favicon = attribute_values(&shell.html, "<link rel=\"icon\"", "href");

    let typed = map
        .iter()
        .map(|(_, url)| (url.clone(), "text/javascript; charset=utf-8"))
        .chain(
            stylesheets
                .iter()
                .map(|url| (url.clone(), "text/css; charset=utf-8")),
        )
        .chain(favicon.iter().map(|url| (url.clone(), "image/svg+xml")));
    for (url, content_type) in typed {
        let hash = url.rsplit('.').nth(1).unwrap();
        assert!(
            hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{url}"
        );
        let plain = get(&app, &url, |r| r).await;
        assert_eq!(plain.status(), StatusCode::OK, "{url}");
        let headers = plain.headers().clone();
        assert_eq!(header(&headers, "content-type"), content_type, "{url}");
        assert_eq!(
            header(&headers, "cache-control"),
            "public, max-age=31536000, immutable",
            "{url}"
        );
        assert!(
            header(&headers, "vary").contains("Accept-Encoding"),
            "{url}"
        );
        assert!(
            headers.get("content-encoding").is_none(),
            "{url} without Accept-Encoding"
        );
        assert_asset_policy(&headers, &url);
        let body = plain.bytes().await.unwrap();

        let compressed = get(&app, &url, |r| {
            r.header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        })
        .await;
        let encoding = compressed.headers().get("content-encoding").cloned();
        let compressed_body = compressed.bytes().await.unwrap();
        if body.len() > 200 {
            assert_eq!(encoding.unwrap(), "gzip", "{url}");
            assert!(compressed_body.len() < body.len(), "{url}");
            assert_eq!(gunzip(&compressed_body), body.to_vec(), "{url}");
        }

        let stale = url.replace(hash, "00000000");
        assert_json_404(get(&app, &stale, |r| r).await, &stale).await;
    }
    assert_json_404(
        get(&app, "/assets/js/nothing.0a1b2c3d.js", |r| r).await,
        "unknown asset",
    )
    .await;
    app.stop().await;
}

#[actix_rt::test]
async fn the_only_inline_scripts_are_the_import_map_and_the_catalog() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let shell = page(&app, "/start", |r| r).await;
    let scripts: Vec<&str> = shell
        .html
        .match_indices("<script")
        .map(|(at, _)| &shell.html[at..at + shell.html[at..].find('>').unwrap() + 1])
        .collect();
    assert_eq!(scripts.len(), 3, "{scripts:?}");
    assert_eq!(scripts[0], "<script type=\"importmap\">");
    assert!(scripts[1].starts_with("<script type=\"module\" src=\"/assets/js/main."));
    assert_eq!(scripts[2], "<script type=\"application/json\" id=\"i18n\">");

    let map_text = script_text(&shell.html, "<script type=\"importmap\"");
    let policy = header(&shell.headers, "content-security-policy");
    assert!(
        policy.contains(&format!("script-src 'self' {};", hash_source(map_text))),
        "the policy allows exactly the import map: {policy}"
    );
    assert!(
        !shell.html.contains("<style"),
        "pages other than / link their stylesheets"
    );
    let catalog: Value = serde_json::from_str(script_text(
        &shell.html,
        "<script type=\"application/json\"",
    ))
    .unwrap();
    assert!(catalog["landing"]["hero"]["title"].is_string());
    app.stop().await;
}

#[actix_rt::test]
async fn the_landing_page_carries_its_styles_inline_allowed_by_their_hash() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let landing = page(&app, "/", |r| r).await;
    assert!(
        !landing.html.contains("<link rel=\"stylesheet\""),
        "no render-blocking request"
    );
    let start = landing.html.find("<style>").unwrap() + "<style>".len();
    let styles = &landing.html[start..start + landing.html[start..].find("</style>").unwrap()];
    let css =
        |name: &str| std::fs::read_to_string(app_folder().join("assets/css").join(name)).unwrap();
    assert!(
        styles.starts_with(&css("app.css")),
        "the base stylesheet comes first"
    );
    assert!(styles.contains(&css("landing.css")));
    let policy = header(&landing.headers, "content-security-policy");
    assert!(
        policy.contains(&format!("style-src 'self' {};", hash_source(styles))),
        "{policy}"
    );
    assert_eq!(landing.html.matches("<style").count(), 1);
    app.stop().await;
}

#[actix_rt::test]
async fn favicon_and_robots_answer_at_their_fixed_urls() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let favicon = get(&app, "/favicon.ico", |r| r).await;
    assert_eq!(favicon.status(), StatusCode::OK);
    assert_eq!(header(favicon.headers(), "content-type"), "image/svg+xml");
    let svg = favicon.text().await.unwrap();
    let on_disk = std::fs::read_to_string(app_folder().join("assets/favicon.svg")).unwrap();
    assert_eq!(svg, on_disk);

    let robots = get(&app, "/robots.txt", |r| r).await;
    assert_eq!(robots.status(), StatusCode::OK);
    assert!(header(robots.headers(), "content-type").starts_with("text/plain"));
    assert!(robots.text().await.unwrap().starts_with("User-agent: *"));
    app.stop().await;
}

#[actix_rt::test]
async fn everything_else_keeps_the_api_json_404_and_the_api_routes() {
    let app = TestApp::spawn(Transport::InProcess).await;
    for path in [
        "/nope",
        "/chat/not-a-uuid",
        "/chats/x/y/z",
        "/restapi/unknown",
        "/start/more",
        "/index.html",
    ] {
        assert_json_404(get(&app, path, |r| r).await, path).await;
    }
    let client = reqwest::Client::new();
    let post_landing = client.post(app.url("/")).send().await.unwrap();
    assert_json_404(post_landing, "POST /").await;

    // GET of the Google callback is a page; POST is the API's code exchange.
    let callback = client
        .post(app.url("/auth/google/callback"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(callback.status(), StatusCode::BAD_REQUEST);
    let body: Value = callback.json().await.unwrap();
    assert_eq!(body["details"][0]["field"], "code", "{body}");

    let openapi = get(&app, "/openapi.json", |r| r).await;
    assert_eq!(openapi.status(), StatusCode::OK);
    app.stop().await;
}

#[actix_rt::test]
async fn the_event_stream_is_never_compressed() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let api = Api::guest(&app).await;
    let chat_id = api.start(json!({})).await;
    let response = api
        .http
        .request(Method::GET, app.url(&format!("/sse?clientId={chat_id}")))
        .bearer_auth(&api.token)
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .header("Last-Event-ID", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), "content-type"),
        "text/event-stream"
    );
    let encoding = response.headers().get("content-encoding");
    assert!(
        encoding.is_none_or(|e| e == "identity"),
        "the stream is sent as it is: {encoding:?}"
    );
    let mut response = response;
    let mut text = String::new();
    while !text.contains("\ndata: ") {
        let chunk = tokio::time::timeout(Duration::from_secs(30), response.chunk())
            .await
            .expect("the stored event arrives without waiting for more")
            .unwrap()
            .expect("the stream stays open");
        text.push_str(std::str::from_utf8(&chunk).expect("plain text, not gzip"));
    }
    assert!(text.contains("event: ui-update"), "{text}");
    app.stop().await;
}

#[test]
fn the_catalogs_have_the_same_keys_and_valid_plural_forms() {
    let webapp = WebApp::load(PageSettings::default()).unwrap();
    let problems = webapp.snapshot().catalogs().problems();
    assert!(
        problems.is_empty(),
        "catalog problems:\n{}",
        problems.join("\n")
    );
}

/// The bytes a response costs on the wire: status line, headers and body.
fn transferred(status_line: usize, headers: &HeaderMap, body: usize) -> usize {
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    status_line + header_bytes + 2 + body
}

#[actix_rt::test]
async fn the_first_page_is_under_its_transfer_budget() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let gzip = |r: RequestBuilder| r.header(header::ACCEPT_ENCODING, "gzip, deflate, br");
    let shell = get(&app, "/", gzip).await;
    let shell_headers = shell.headers().clone();
    let shell_body = shell.bytes().await.unwrap();
    let html = String::from_utf8(gunzip(&shell_body)).unwrap();
    let mut urls: BTreeSet<String> = attribute_values(&html, "<link rel=\"stylesheet\"", "href")
        .into_iter()
        .collect();
    urls.extend(import_map(&html).into_iter().map(|(_, url)| url));

    let status_line = "HTTP/1.1 200 OK\r\n".len();
    let shell_size = transferred(status_line, &shell_headers, shell_body.len());
    let (mut css, mut js) = (0, 0);
    for url in &urls {
        let response = get(&app, url, gzip).await;
        let headers = response.headers().clone();
        let size = transferred(status_line, &headers, response.bytes().await.unwrap().len());
        if url.ends_with(".css") {
            css += size;
        } else {
            js += size;
        }
    }
    let total = shell_size + css + js;
    eprintln!(
        "first page, gzip with headers: shell {shell_size} B, CSS {css} B, JS {js} B \
         ({} files), total {total} B",
        urls.len() + 1
    );
    assert!(total < FIRST_PAGE_BUDGET, "the first page costs {total} B");
    app.stop().await;
}

#[actix_rt::test]
async fn every_catalog_products_image_is_served_as_svg() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let images = Catalog::bundled().images();
    assert!(!images.is_empty());
    for image in images {
        assert!(image.starts_with("/assets/illustrations/"), "{image}");
        let response = get(&app, &image, |r| r).await;
        assert_eq!(response.status(), StatusCode::OK, "{image}");
        assert_eq!(
            header(response.headers(), "content-type"),
            "image/svg+xml",
            "{image}"
        );
        assert_asset_policy(response.headers(), &image);
        let svg = response.text().await.unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{image}"
        );
    }
    app.stop().await;
}
