//! Google sign-in over HTTP against a local stand-in for Google's token and JWKS endpoints,
//! with RSA keys generated here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Utc;
use common::google::{
    AUTH_URL, CLIENT_ID, CLIENT_SECRET, Google, REDIRECT_URL, SigningKey, claims,
};
use common::{TestApp, cookie_value, set_cookies};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use present_finder_actors::testing::Transport;
use present_finder_schema::tables::restapi::{chats, oauth_states, users};
use present_finder_schema::{DbPool, ServiceDatabase};
use present_finder_web::http::{GoogleConfig, WebConfig};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

impl Google {
    fn config(&self) -> WebConfig {
        WebConfig {
            google: Some(GoogleConfig {
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                redirect_url: REDIRECT_URL.into(),
                auth_url: AUTH_URL.into(),
                token_url: format!("{}/token", self.server.uri()),
                jwks_url: format!("{}/oauth2/v3/certs", self.server.uri()),
            }),
            ..WebConfig::for_tests()
        }
    }
}

/// A started sign-in: the consent URL's parameters and the `oauth_state` cookie.
struct Consent {
    url: url::Url,
    state: String,
    challenge: String,
    cookie: String,
}

async fn consent(app: &TestApp, client: &reqwest::Client, access: Option<&str>) -> Consent {
    let mut request = client.get(app.url("/auth/google/url"));
    if let Some(access) = access {
        request = request.header(COOKIE, format!("access_token={access}"));
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookies(&response)
        .remove("oauth_state")
        .expect("an oauth_state cookie");
    let body: Value = response.json().await.unwrap();
    let url = url::Url::parse(body["url"].as_str().unwrap()).unwrap();
    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    Consent {
        state: query["state"].clone(),
        challenge: query["code_challenge"].clone(),
        cookie,
        url,
    }
}

async fn callback(
    app: &TestApp,
    client: &reqwest::Client,
    body: Value,
    cookies: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.post(app.url("/auth/google/callback")).json(&body);
    if !cookies.is_empty() {
        let header = cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        request = request.header(COOKIE, header);
    }
    request.send().await.unwrap()
}

/// Stops the app on a thread of its own. The harness drops the test schemas synchronously
/// at the end of `TestApp::stop`; meanwhile this runtime must keep running the outbox relays,
/// or a relay transaction left open at that moment blocks the `DROP SCHEMA` forever.
async fn stop(app: TestApp) {
    let (done, stopped) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        actix_rt::System::new().block_on(app.stop());
        let _ = done.send(());
    });
    stopped.await.unwrap();
}

fn pool(app: &TestApp) -> DbPool {
    app.harness.databases.pool(ServiceDatabase::Restapi)
}

async fn account_count(pool: &DbPool) -> i64 {
    let mut conn = pool.get().await.unwrap();
    users::table.count().get_result(&mut conn).await.unwrap()
}

/// The field a 400 names.
async fn bad_field(response: reqwest::Response) -> Option<String> {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["statusCode"], 400);
    body["details"][0]["field"].as_str().map(str::to_owned)
}

/// A whole sign-in: consent URL, Google's answer `id_token`, callback with the state.
async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    google: &Google,
    id_token: &str,
    access: Option<&str>,
) -> reqwest::Response {
    let consent = consent(app, client, access).await;
    let code = format!("4/0AY0e-g7{}", Uuid::new_v4().simple());
    google.issue(&code, &consent.challenge, id_token).await;
    let mut cookies = vec![("oauth_state", cookie_value(&consent.cookie))];
    if let Some(access) = access {
        cookies.push(("access_token", access.to_owned()));
    }
    let cookies: Vec<(&str, &str)> = cookies.iter().map(|(n, v)| (*n, v.as_str())).collect();
    callback(
        app,
        client,
        json!({"code": code, "state": consent.state}),
        &cookies,
    )
    .await
}

#[actix_rt::test]
async fn consent_url_carries_state_and_pkce() {
    let google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();

    let first = consent(&app, &client, None).await;
    assert_eq!(first.url.scheme(), "https");
    assert_eq!(first.url.host_str(), Some("accounts.google.com"));
    assert_eq!(first.url.path(), "/o/oauth2/v2/auth");
    let query: BTreeMap<String, String> = first.url.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["redirect_uri"], REDIRECT_URL);
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["scope"], "openid email profile");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(first.challenge.len(), 43);
    assert!(first.state.len() >= 32);
    // The state is also an httpOnly cookie for the sign-in routes.
    assert_eq!(cookie_value(&first.cookie), first.state);
    let attributes = first.cookie.to_ascii_lowercase();
    for expected in [
        "httponly",
        "samesite=lax",
        "path=/auth/google",
        "max-age=600",
    ] {
        assert!(attributes.contains(expected), "{}", first.cookie);
    }

    // The verifier stays on the server, and matches the challenge.
    let mut conn = pool(&app).get().await.unwrap();
    let (verifier, expires_at): (String, chrono::DateTime<Utc>) = oauth_states::table
        .find(&first.state)
        .select((oauth_states::pkce_verifier, oauth_states::expires_at))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        first.challenge
    );
    assert!(!first.url.as_str().contains(&verifier));
    assert!(expires_at > Utc::now() + chrono::Duration::minutes(9));

    let second = consent(&app, &client, None).await;
    assert_ne!(second.state, first.state);
    assert_ne!(second.challenge, first.challenge);
    stop(app).await;
}

#[actix_rt::test]
async fn google_sign_in_logs_in() {
    let google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();
    let id_token = google
        .key
        .sign(&claims("109876543210987654321", "Jan.Kowalski@gmail.com"));

    let response = sign_in(&app, &client, &google, &id_token, None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies = set_cookies(&response);
    let body: Value = response.json().await.unwrap();
    let user = &body["user"];
    assert_eq!(user["email"], "jan.kowalski@gmail.com");
    assert_eq!(user["name"], "Jan Kowalski");
    assert_eq!(user["givenName"], "Jan");
    assert_eq!(user["familyName"], "Kowalski");
    assert_eq!(
        user["picture"],
        "https://lh3.googleusercontent.com/a/ACg8ocK-example=s96-c"
    );
    assert_eq!(user["role"], "user");
    assert_eq!(user["isGuest"], false);
    // Tokens in cookies only.
    assert!(body.get("accessToken").is_none());
    let access = cookie_value(&cookies["access_token"]);
    let refresh = cookie_value(&cookies["refresh_token"]);
    assert!(!access.is_empty() && !refresh.is_empty());
    assert_eq!(cookie_value(&cookies["oauth_state"]), "");

    let me: Value = client
        .get(app.url("/auth/me"))
        .header(COOKIE, format!("access_token={access}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(&me, user);
    let mut conn = pool(&app).get().await.unwrap();
    let sub: Option<String> = users::table
        .find(user["id"].as_str().unwrap().parse::<Uuid>().unwrap())
        .select(users::google_sub)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(sub.as_deref(), Some("109876543210987654321"));

    // Signing in again finds the same account (by `sub`) and updates it; a browser that
    // only posts the code is identified by its state cookie.
    let mut renamed = claims("109876543210987654321", "jan.kowalski@gmail.com");
    renamed["name"] = json!("Jan K.");
    let consent = consent(&app, &client, None).await;
    google
        .issue(
            "second-code",
            &consent.challenge,
            &google.key.sign(&renamed),
        )
        .await;
    let again = callback(
        &app,
        &client,
        json!({"code": "second-code"}),
        &[("oauth_state", &cookie_value(&consent.cookie))],
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["user"]["id"], user["id"]);
    assert_eq!(again["user"]["name"], "Jan K.");
    assert_eq!(account_count(&pool(&app)).await, 1);
    // Google's keys were fetched once and then cached.
    assert_eq!(google.jwks_fetches().await, 1);
    google.server.verify().await;
    stop(app).await;
}

#[actix_rt::test]
async fn bad_state_is_400() {
    let google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();
    let pool = pool(&app);
    let id_token = google.key.sign(&claims("1001", "a@example.com"));

    // Unknown state.
    let unknown = callback(
        &app,
        &client,
        json!({"code": "c1", "state": "made-up"}),
        &[("oauth_state", "made-up")],
    )
    .await;
    assert_eq!(bad_field(unknown).await.as_deref(), Some("state"));
    // No state at all.
    let missing = callback(&app, &client, json!({"code": "c1"}), &[]).await;
    assert_eq!(bad_field(missing).await.as_deref(), Some("state"));
    // A state from another browser than the one holding the state cookie.
    let mine = consent(&app, &client, None).await;
    let theirs = consent(&app, &client, None).await;
    let crossed = callback(
        &app,
        &client,
        json!({"code": "c1", "state": theirs.state}),
        &[("oauth_state", &cookie_value(&mine.cookie))],
    )
    .await;
    assert_eq!(bad_field(crossed).await.as_deref(), Some("state"));

    // Expired.
    let expired = consent(&app, &client, None).await;
    let mut conn = pool.get().await.unwrap();
    diesel::update(oauth_states::table.find(&expired.state))
        .set(oauth_states::expires_at.eq(Utc::now() - chrono::Duration::seconds(1)))
        .execute(&mut conn)
        .await
        .unwrap();
    let late = callback(
        &app,
        &client,
        json!({"code": "c-expired", "state": expired.state}),
        &[("oauth_state", &cookie_value(&expired.cookie))],
    )
    .await;
    assert_eq!(bad_field(late).await.as_deref(), Some("state"));
    assert_eq!(account_count(&pool).await, 0);

    // A state sent without the cookie of the browser that started its sign-in (a link
    // someone was lured into opening, say) is refused, and stays usable by its browser.
    google.issue("c-once", &mine.challenge, &id_token).await;
    let body = json!({"code": "c-once", "state": mine.state});
    let cookieless = callback(&app, &client, body.clone(), &[]).await;
    assert_eq!(bad_field(cookieless).await.as_deref(), Some("state"));
    assert_eq!(account_count(&pool).await, 0);

    // Reused: the first use signs in, the second is refused.
    let my_cookie = [("oauth_state", cookie_value(&mine.cookie))];
    let my_cookie: Vec<(&str, &str)> = my_cookie.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let first = callback(&app, &client, body.clone(), &my_cookie).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let replay = callback(&app, &client, body, &my_cookie).await;
    assert_eq!(bad_field(replay).await.as_deref(), Some("state"));

    // A code Google refuses.
    let refused = consent(&app, &client, None).await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"error": "invalid_grant", "error_description": "Bad Request"}),
            ),
        )
        .mount(&google.server)
        .await;
    let response = callback(
        &app,
        &client,
        json!({"code": "4/stale", "state": refused.state}),
        &[("oauth_state", &cookie_value(&refused.cookie))],
    )
    .await;
    assert_eq!(bad_field(response).await.as_deref(), Some("code"));

    // Bodies: the field at fault is named.
    for (body, field) in [
        (json!({}), "code"),
        (json!({"code": 42}), "code"),
        (json!({"code": ""}), "code"),
        (json!({"code": "x", "state": 7}), "state"),
    ] {
        let response = callback(&app, &client, body.clone(), &[]).await;
        assert_eq!(bad_field(response).await.as_deref(), Some(field), "{body}");
    }
    assert_eq!(account_count(&pool).await, 1);
    stop(app).await;
}

#[actix_rt::test]
async fn invalid_id_tokens_are_refused_and_create_nobody() {
    let google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();
    let pool = pool(&app);
    let impostor = SigningKey::generate("impostor");
    let now = Utc::now().timestamp();

    let mut wrong_audience = claims("2001", "eve@example.com");
    wrong_audience["aud"] = json!("someone-else.apps.googleusercontent.com");
    wrong_audience["azp"] = json!("someone-else.apps.googleusercontent.com");
    let mut expired = claims("2002", "eve@example.com");
    expired["iat"] = json!(now - 7200);
    expired["exp"] = json!(now - 3600);
    let mut wrong_issuer = claims("2003", "eve@example.com");
    wrong_issuer["iss"] = json!("https://accounts.example.com");
    let mut other_azp = claims("2004", "eve@example.com");
    other_azp["azp"] = json!("someone-else.apps.googleusercontent.com");
    let mut future = claims("2005", "eve@example.com");
    future["iat"] = json!(now + 3600);
    future["exp"] = json!(now + 7200);
    let hs256 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("2006", "eve@example.com"),
        &EncodingKey::from_secret(CLIENT_SECRET.as_bytes()).unwrap(),
    )
    .unwrap();

    let cases = [
        (
            "signed by another key under Google's kid",
            impostor.sign_as(&google.key.kid, &claims("2000", "eve@example.com")),
        ),
        (
            "signed by an unknown key",
            impostor.sign(&claims("2000", "eve@example.com")),
        ),
        ("for another audience", google.key.sign(&wrong_audience)),
        ("expired", google.key.sign(&expired)),
        ("from another issuer", google.key.sign(&wrong_issuer)),
        ("for another authorized party", google.key.sign(&other_azp)),
        ("issued in the future", google.key.sign(&future)),
        ("HS256", hs256),
        ("not a JWT", "not-a-jwt".to_owned()),
    ];
    for (case, id_token) in cases {
        let response = sign_in(&app, &client, &google, &id_token, None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{case}");
        assert!(
            !set_cookies(&response).contains_key("access_token"),
            "{case}"
        );
        assert_eq!(account_count(&pool).await, 0, "{case}");
    }
    // Google itself answered every time; the tokens were what was wrong.
    google.server.verify().await;
    stop(app).await;
}

#[actix_rt::test]
async fn unverified_email_is_not_trusted() {
    let google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();
    let mut unverified = claims("3001", "boss@example.com");
    unverified["email_verified"] = json!(false);
    // An account created from ADMIN_EMAIL must not be taken over by an unverified address.
    let admin = present_finder_web::http::auth::ensure_admin(&pool(&app), "boss@example.com")
        .await
        .unwrap();
    let response = sign_in(&app, &client, &google, &google.key.sign(&unverified), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_ne!(body["user"]["id"], admin.to_string());
    assert_eq!(body["user"]["email"], Value::Null);
    assert_eq!(body["user"]["role"], "user");
    stop(app).await;
}

#[actix_rt::test]
async fn a_guest_who_signs_in_keeps_their_chats() {
    let google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();
    let pool = pool(&app);

    let guest = client.post(app.url("/auth/guest")).send().await.unwrap();
    let guest_cookies = set_cookies(&guest);
    let guest_access = cookie_value(&guest_cookies["access_token"]);
    let guest_refresh = cookie_value(&guest_cookies["refresh_token"]);
    let guest: Value = guest.json().await.unwrap();
    let guest_id: Uuid = guest["user"]["id"].as_str().unwrap().parse().unwrap();
    let chat_id = insert_chat(&pool, guest_id).await;

    let id_token = google.key.sign(&claims("4001", "guest.turned@gmail.com"));
    let response = sign_in(&app, &client, &google, &id_token, Some(&guest_access)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["id"], guest_id.to_string());
    assert_eq!(body["user"]["isGuest"], false);
    assert_eq!(body["user"]["email"], "guest.turned@gmail.com");
    assert_eq!(owner_of(&pool, chat_id).await, Some(guest_id));
    assert_eq!(account_count(&pool).await, 1);
    // The guest's old session does not outlive the upgrade.
    let old = client
        .post(app.url("/auth/refresh"))
        .header(COOKIE, format!("refresh_token={guest_refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);

    // A second guest whose Google account already exists: the data moves into that account.
    let second = client.post(app.url("/auth/guest")).send().await.unwrap();
    let second_access = cookie_value(&set_cookies(&second)["access_token"]);
    let second: Value = second.json().await.unwrap();
    let second_id: Uuid = second["user"]["id"].as_str().unwrap().parse().unwrap();
    let second_chat = insert_chat(&pool, second_id).await;
    let response = sign_in(&app, &client, &google, &id_token, Some(&second_access)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["id"], guest_id.to_string());
    assert_eq!(owner_of(&pool, second_chat).await, Some(guest_id));
    assert_eq!(owner_of(&pool, chat_id).await, Some(guest_id));
    assert_eq!(account_count(&pool).await, 1);
    stop(app).await;
}

async fn insert_chat(pool: &DbPool, user_id: Uuid) -> Uuid {
    let chat_id = Uuid::now_v7();
    let mut conn = pool.get().await.unwrap();
    diesel::insert_into(chats::table)
        .values((
            chats::chat_id.eq(chat_id),
            chats::user_id.eq(user_id),
            chats::chat_name.eq("Urodziny"),
            chats::occasion.eq("birthday"),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    chat_id
}

async fn owner_of(pool: &DbPool, chat_id: Uuid) -> Option<Uuid> {
    let mut conn = pool.get().await.unwrap();
    chats::table
        .find(chat_id)
        .select(chats::user_id)
        .first(&mut conn)
        .await
        .optional()
        .unwrap()
}

#[actix_rt::test]
async fn admin_email_signs_in_as_admin() {
    let google = Google::start().await;
    let config = WebConfig {
        admin_email: Some("boss@example.com".into()),
        ..google.config()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let client = reqwest::Client::new();
    let id_token = google.key.sign(&claims("5001", "Boss@Example.com"));
    let response = sign_in(&app, &client, &google, &id_token, None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "admin");
    let other = google.key.sign(&claims("5002", "staff@example.com"));
    let response = sign_in(&app, &client, &google, &other, None).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "user");
    stop(app).await;
}

#[actix_rt::test]
async fn rotated_google_keys_are_refetched() {
    let mut google = Google::start().await;
    let app = TestApp::spawn_with(Transport::InProcess, google.config()).await;
    let client = reqwest::Client::new();
    let first = sign_in(
        &app,
        &client,
        &google,
        &google.key.sign(&claims("6001", "a@example.com")),
        None,
    )
    .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(google.jwks_fetches().await, 1);

    // Google publishes a new key and signs with it.
    let rotated = SigningKey::generate(&Uuid::new_v4().simple().to_string());
    google
        .serve_keys(vec![google.key.jwk.clone(), rotated.jwk.clone()])
        .await;
    let second = sign_in(
        &app,
        &client,
        &google,
        &rotated.sign(&claims("6002", "b@example.com")),
        None,
    )
    .await;
    assert_eq!(second.status(), StatusCode::CREATED);
    // The old key is still cached: no further fetch.
    let third = sign_in(
        &app,
        &client,
        &google,
        &google.key.sign(&claims("6003", "c@example.com")),
        None,
    )
    .await;
    assert_eq!(third.status(), StatusCode::CREATED);
    let fetches = google
        .server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth2/v3/certs")
        .count();
    assert_eq!(fetches, 2);
    stop(app).await;
}

#[test]
fn google_credentials_base64_is_read() {
    let web = json!({"web": {
        "client_id": CLIENT_ID,
        "project_id": "present-finder",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [REDIRECT_URL, "http://localhost:5713/auth/google/callback"],
    }});
    let encoded = STANDARD.encode(web.to_string());
    let read = |vars: &[(&str, &str)]| {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        WebConfig::from_lookup(&move |name| vars.get(name).cloned(), false)
    };

    let config = read(&[("GOOGLE_CREDENTIALS_BASE64", &encoded)]).unwrap();
    let google = config.google.unwrap();
    assert_eq!(google.client_id, CLIENT_ID);
    assert_eq!(google.client_secret, CLIENT_SECRET);
    assert_eq!(google.redirect_url, REDIRECT_URL);
    assert_eq!(google.auth_url, AUTH_URL);
    assert_eq!(google.token_url, "https://oauth2.googleapis.com/token");
    assert_eq!(
        google.jwks_url,
        "https://www.googleapis.com/oauth2/v3/certs"
    );

    // The separate variables take precedence.
    let config = read(&[
        ("GOOGLE_CLIENT_ID", "id-2"),
        ("GOOGLE_CLIENT_SECRET", "secret-2"),
        (
            "GOOGLE_REDIRECT_URL",
            "https://prezenty.example.com/auth/google/callback",
        ),
        ("GOOGLE_CREDENTIALS_BASE64", &encoded),
    ])
    .unwrap();
    assert_eq!(config.google.unwrap().client_id, "id-2");

    // No Google configuration: Google sign-in is off.
    assert!(read(&[]).unwrap().google.is_none());

    // Broken values name the variable.
    for broken in [
        "%%% not base64".to_owned(),
        STANDARD.encode("not json"),
        STANDARD.encode(json!({"web": {"client_id": "x"}}).to_string()),
        STANDARD.encode(
            json!({"web": {"client_id": "x", "client_secret": "y", "redirect_uris": []}})
                .to_string(),
        ),
    ] {
        let error = read(&[("GOOGLE_CREDENTIALS_BASE64", &broken)]).unwrap_err();
        assert_eq!(error.0, "GOOGLE_CREDENTIALS_BASE64", "{broken}");
    }
}
