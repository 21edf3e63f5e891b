//! The logs of a whole run at debug level hold no secret and no personal data: a production
//! `serve` (its real logging, on RabbitMQ, database URLs with passwords) goes through a
//! guest's search with social profiles and a saved profile, followed over SSE, a token
//! refresh, a Google sign-in against a local stand-in for Google, an export and the account's
//! deletion; then its stderr is searched for every token, cookie, password, e-mail address
//! and social URL the run used.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../web/tests/common/google.rs"]
mod google;
mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use google::{CLIENT_ID, CLIENT_SECRET, Google, REDIRECT_URL, claims};
use present_finder_schema::ServiceDatabase;
use present_finder_web::driver::Ending;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};
use support::{Browser, Deployment, Process, assert_log_holds_no_secret, free_port, ready};
use uuid::Uuid;

const EMAIL: &str = "ola.kowalska.logscan@example.com";
const INSTAGRAM: &str = "https://www.instagram.com/ola.logscan.7731/";
const TIKTOK: &str = "https://www.tiktok.com/@ola.logscan.7731";
const X: &str = "https://x.com/ola_logscan_7731";

/// The cookies a response sets, by name.
fn cookies(response: &reqwest::Response) -> BTreeMap<String, String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|header| {
            let pair = header.to_str().ok()?.split(';').next()?;
            let (name, value) = pair.split_once('=')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// `text` as a list of its bytes: `111, 108, 97` for "ola".
fn as_bytes(text: &str) -> String {
    let bytes: Vec<String> = text.bytes().map(|b| b.to_string()).collect();
    bytes.join(", ")
}

/// `url` with `password` for its user.
fn with_password(url: &str, password: &str) -> String {
    let mut url = url::Url::parse(url).unwrap();
    url.set_password(Some(password)).unwrap();
    url.to_string()
}

#[actix_rt::test]
async fn a_whole_run_at_debug_level_logs_no_secret_and_no_personal_data() {
    let google = Google::start().await;
    let port = free_port();
    let deployment = Deployment::new(port).await;
    // The local server trusts every connection, so any password works: it only has to stay
    // out of the log.
    let password = format!("pw-{}", Uuid::new_v4().simple());
    let mut command = deployment.command(&["serve"], port, "all");
    command
        .env("RUST_LOG", "debug")
        .env("GOOGLE_CLIENT_ID", CLIENT_ID)
        .env("GOOGLE_CLIENT_SECRET", CLIENT_SECRET)
        .env("GOOGLE_REDIRECT_URL", REDIRECT_URL)
        .env("GOOGLE_TOKEN_URL", format!("{}/token", google.server.uri()))
        .env(
            "GOOGLE_JWKS_URL",
            format!("{}/oauth2/v3/certs", google.server.uri()),
        );
    for database in ServiceDatabase::ALL {
        command.env(
            database.url_variable(),
            with_password(&deployment.databases.url(database), &password),
        );
    }
    let mut server = Process::spawn(
        "serve at debug level",
        command,
        deployment.dir.path().join("debug.log"),
    );
    ready(&mut server, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut secrets: Vec<String> = vec![password.clone(), CLIENT_SECRET.to_owned()];

    // A guest signs in and searches with three social profiles; the interview ends with
    // the profile saved; the results arrive over SSE.
    let response = http
        .post(format!("{base}/auth/guest"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let guest_cookies = cookies(&response);
    secrets.extend(guest_cookies.values().cloned());
    let body: Value = response.json().await.unwrap();
    let guest = Browser {
        http: http.clone(),
        base: base.clone(),
        token: body["accessToken"].as_str().unwrap().to_owned(),
    };
    secrets.push(guest.token.clone());
    let chat_id = Uuid::now_v7();
    let started = guest
        .post(
            "/restapi/stalking-request",
            json!({"chatId": chat_id, "occasion": "birthday", "minPrice": 50, "maxPrice": 400,
                   "instagramUrl": INSTAGRAM, "tiktokUrl": TIKTOK, "xUrl": X}),
        )
        .await
        .unwrap();
    assert_eq!(started.status(), 201);
    let end = guest.follow(chat_id, Vec::new()).await.unwrap();
    assert!(
        matches!(end.ending, Ending::Ready { .. }),
        "{:?}",
        end.ending
    );
    let profiles: Value = guest
        .get("/user-profiles")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        profiles["profiles"].as_array().unwrap().len(),
        1,
        "{profiles}"
    );

    // The refresh token is rotated.
    let refresh = guest_cookies["refresh_token"].clone();
    let response = http
        .post(format!("{base}/auth/refresh"))
        .header(COOKIE, format!("refresh_token={refresh}"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let refreshed = cookies(&response);
    secrets.extend(refreshed.values().cloned());

    // The guest signs in with Google (keeping their data).
    let response = http
        .get(format!("{base}/auth/google/url"))
        .header(
            COOKIE,
            format!("access_token={}", refreshed["access_token"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let oauth_state = cookies(&response)["oauth_state"].clone();
    let body: Value = response.json().await.unwrap();
    let consent = url::Url::parse(body["url"].as_str().unwrap()).unwrap();
    let query: BTreeMap<String, String> = consent.query_pairs().into_owned().collect();
    let code = format!("4/0AY0e-g7{}", Uuid::new_v4().simple());
    let id_token = google.key.sign(&claims("109876543210987654321", EMAIL));
    google
        .issue(&code, &query["code_challenge"], &id_token)
        .await;
    secrets.extend([
        oauth_state.clone(),
        query["state"].clone(),
        query["code_challenge"].clone(),
        code.clone(),
        id_token,
    ]);
    let response = http
        .post(format!("{base}/auth/google/callback"))
        .header(
            COOKIE,
            format!(
                "oauth_state={oauth_state}; access_token={}",
                refreshed["access_token"]
            ),
        )
        .json(&json!({"code": code, "state": query["state"]}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let signed_in = cookies(&response);
    secrets.extend(signed_in.values().cloned());
    let account = Browser {
        token: signed_in["access_token"].clone(),
        ..guest.clone()
    };
    let me: Value = account.get("/auth/me").await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], EMAIL, "{me}");

    // The export, then the account's deletion.
    let export = account.get("/auth/me/export").await.unwrap();
    assert_eq!(export.status(), 200);
    let export = export.text().await.unwrap();
    assert!(export.contains(EMAIL), "{export}");
    let deleted = http
        .delete(format!("{base}/auth/me"))
        .bearer_auth(&account.token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    google.server.verify().await;
    server.stop(Duration::from_secs(30)).await;

    let log = server.log();
    assert!(
        log.contains(" DEBUG "),
        "the run logged at debug level:\n{log}"
    );
    secrets.retain(|secret| secret.len() >= 8);
    // Google's name for the person and its account id, besides what the test chose.
    let personal = [
        EMAIL,
        "logscan",
        INSTAGRAM,
        TIKTOK,
        X,
        "Jan Kowalski",
        "109876543210987654321",
    ];
    let also: Vec<&str> = secrets.iter().map(String::as_str).chain(personal).collect();
    // Every leak at once, each with the first lines holding it: the secret as text, or as
    // the list of its bytes (as a database driver prints statement parameters).
    let leaks: Vec<String> = also
        .iter()
        .flat_map(|secret| [secret.to_string(), as_bytes(secret)])
        .filter_map(|secret| {
            let lines: Vec<&str> = log
                .lines()
                .filter(|l| l.contains(&secret))
                .take(3)
                .collect();
            (!lines.is_empty()).then(|| format!("{secret:?} in:\n  {}", lines.join("\n  ")))
        })
        .collect();
    assert!(leaks.is_empty(), "the log holds:\n{}", leaks.join("\n"));
    assert_log_holds_no_secret(&server, &also);
}
