//! The web app's routes. Only GET and HEAD: any other method on these paths falls through to
//! the API's routes (`POST /auth/google/callback`) or its JSON 404.

use actix_web::guard::{self, Guard};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use uuid::Uuid;

use super::assets::{Asset, accepts_gzip};
use super::pages::Page;
use super::{LoadError, Snapshot, language, shell};
use crate::http::{ApiError, AppState};

/// Hashed assets never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages and plain asset URLs are revalidated on every use (cheap: they carry an ETag).
const REVALIDATE: &str = "no-cache";
/// `/favicon.ico` and `/robots.txt`, asked for by browsers and crawlers at fixed URLs.
const FIXED_URL: &str = "public, max-age=86400";
/// The policy of an asset opened on its own (an SVG, say): nothing may load or run. The
/// pages' policy is longer and, on some 30 module responses, would cost about 10 KB of the
/// first page's 100 KB.
const ASSET_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The landing page is public; the other pages show a signed-in person's own data.
const ROBOTS: &str = "User-agent: *\nDisallow: /chat/\nDisallow: /saved\nDisallow: /history\n\
                      Disallow: /profiles\nDisallow: /account\nDisallow: /admin\nDisallow: /auth/\n";

/// Registers the pages, the assets, `/favicon.ico` and `/robots.txt`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for page in Page::ALL {
        cfg.service(web::resource(page.route()).guard(readable()).to(
            move |request: HttpRequest, state: web::Data<AppState>| {
                serve_page(request, state, page)
            },
        ));
    }
    cfg.service(
        web::resource("/assets/{path:.*}")
            .guard(readable())
            .to(serve_asset),
    )
    .service(
        web::resource("/favicon.ico")
            .guard(readable())
            .to(serve_favicon),
    )
    .service(
        web::resource("/robots.txt")
            .guard(readable())
            .to(serve_robots),
    );
}

fn readable() -> impl Guard {
    guard::Any(guard::Get()).or(guard::Head())
}

async fn serve_page(
    request: HttpRequest,
    state: web::Data<AppState>,
    page: Page,
) -> Result<HttpResponse, ApiError> {
    if page == Page::Chat
        && request
            .match_info()
            .get("chat_id")
            .is_none_or(|id| Uuid::parse_str(id).is_err())
    {
        return Err(not_found());
    }
    let snapshot = state.webapp.refreshed().map_err(unavailable)?;
    let choice = language::choose(&request);
    let page_shell = snapshot
        .shell(page, choice.language)
        .ok_or_else(not_found)?;
    let mut response = send(
        &request,
        page_shell,
        REVALIDATE,
        &snapshot.content_security_policy,
    );
    let headers = response.headers_mut();
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie, Accept-Language"),
    );
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(choice.language.code()),
    );
    if choice.from_query {
        let cookie = language::cookie(choice.language, state.config.secure_cookies());
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// A hashed URL (immutable), else a plain one (revalidated); a changed file is looked for
/// in the files as they are now (debug builds) before answering 404.
async fn serve_asset(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let path = request.path();
    let lookup = |snapshot: &Snapshot| match snapshot.assets.get(path) {
        Some(asset) => Some(send(&request, asset, IMMUTABLE, ASSET_POLICY)),
        None => snapshot
            .assets
            .get_plain(path)
            .map(|asset| send(&request, asset, REVALIDATE, ASSET_POLICY)),
    };
    if let Some(response) = lookup(&state.webapp.snapshot()) {
        return Ok(response);
    }
    let snapshot = state.webapp.refreshed().map_err(unavailable)?;
    lookup(&snapshot).ok_or_else(not_found)
}

async fn serve_favicon(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let snapshot = state.webapp.snapshot();
    let favicon = snapshot
        .assets
        .get_plain(shell::FAVICON)
        .ok_or_else(not_found)?;
    Ok(send(&request, favicon, FIXED_URL, ASSET_POLICY))
}

async fn serve_robots() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, FIXED_URL))
        .body(ROBOTS)
}

/// `asset` with its caching, encoding and security headers (`policy`: its
/// Content-Security-Policy); 304 when the client's copy (`If-None-Match`) is current.
fn send(
    request: &HttpRequest,
    asset: &Asset,
    cache_control: &'static str,
    policy: &str,
) -> HttpResponse {
    let mut builder = HttpResponse::Ok();
    builder
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::VARY, "Accept-Encoding"));
    // A hashed URL is never revalidated, so it needs no validator.
    if cache_control != IMMUTABLE {
        let etag = format!("W/\"{}\"", asset.hash);
        if is_current(request, &etag) {
            builder.status(actix_web::http::StatusCode::NOT_MODIFIED);
            return builder.insert_header((header::ETAG, etag)).finish();
        }
        builder.insert_header((header::ETAG, etag));
    }
    secure(&mut builder, policy);
    let gzip = accepts_gzip(
        request
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    );
    let (body, compressed) = asset.encoded(gzip);
    if compressed {
        builder.insert_header((header::CONTENT_ENCODING, "gzip"));
    }
    builder
        .insert_header((header::CONTENT_TYPE, asset.content_type))
        .body(body.clone())
}

fn is_current(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        })
}

/// The headers that keep the app's pages from running or framing what they should not.
fn secure(builder: &mut HttpResponseBuilder, policy: &str) {
    builder
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "strict-origin-when-cross-origin"));
}

fn not_found() -> ApiError {
    ApiError::NotFound("Not found".into())
}

fn unavailable(error: LoadError) -> ApiError {
    log::error!("the web app's files cannot be served: {error}");
    ApiError::Unavailable(format!("The web app's files are invalid: {error}"))
}
