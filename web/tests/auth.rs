//! Accounts and tokens over HTTP: guest login, cookies, bearer tokens, expiry, refresh
//! rotation and reuse detection, logout, account deletion and export, `ADMIN_EMAIL`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use common::{TestApp, cookie_value, set_cookies};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_actors::testing::Transport;
use present_finder_schema::tables::restapi::{
    chats, favorites, feedback, listings, messages, oauth_states, refresh_tokens, ui_events,
    user_profiles, users,
};
use present_finder_schema::{DbPool, ServiceDatabase};
use present_finder_web::http::WebConfig;
use present_finder_web::http::auth::{self, Role, tokens};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, COOKIE};
use serde_json::{Value, json};
use uuid::Uuid;

/// The attributes of a `Set-Cookie` header, lower-cased (`httponly`, `path=/`, …).
fn attributes(header: &str) -> Vec<String> {
    header
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

struct Session {
    user_id: Uuid,
    access: String,
    refresh: String,
}

async fn guest_login(app: &TestApp, client: &reqwest::Client) -> Session {
    let response = client.post(app.url("/auth/guest")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies = set_cookies(&response);
    let body: Value = response.json().await.unwrap();
    Session {
        user_id: body["user"]["id"].as_str().unwrap().parse().unwrap(),
        access: cookie_value(&cookies["access_token"]),
        refresh: cookie_value(&cookies["refresh_token"]),
    }
}

async fn me(app: &TestApp, client: &reqwest::Client, access: &str) -> reqwest::Response {
    client
        .get(app.url("/auth/me"))
        .header(AUTHORIZATION, format!("Bearer {access}"))
        .send()
        .await
        .unwrap()
}

async fn refresh(app: &TestApp, client: &reqwest::Client, token: &str) -> reqwest::Response {
    client
        .post(app.url("/auth/refresh"))
        .header(COOKIE, format!("refresh_token={token}"))
        .send()
        .await
        .unwrap()
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

/// One of everything a user can own, each row marked with `marker`.
struct Seeded {
    chat_id: Uuid,
    message_id: Uuid,
    listing_id: Uuid,
    profile_id: Uuid,
    feedback_id: Uuid,
}

async fn seed(pool: &DbPool, user_id: Uuid, marker: &str) -> Seeded {
    let mut conn = pool.get().await.unwrap();
    let seeded = Seeded {
        chat_id: Uuid::now_v7(),
        message_id: Uuid::now_v7(),
        listing_id: Uuid::now_v7(),
        profile_id: Uuid::now_v7(),
        feedback_id: Uuid::now_v7(),
    };
    diesel::insert_into(chats::table)
        .values((
            chats::chat_id.eq(seeded.chat_id),
            chats::user_id.eq(user_id),
            chats::chat_name.eq(format!("chat {marker}")),
            chats::occasion.eq("birthday"),
            chats::status.eq("ready"),
            chats::is_interview_completed.eq(true),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(messages::table)
        .values((
            messages::id.eq(seeded.message_id),
            messages::chat_id.eq(seeded.chat_id),
            messages::role.eq("user"),
            messages::content.eq(format!("answer {marker}")),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(ui_events::table)
        .values((
            ui_events::chat_id.eq(seeded.chat_id),
            ui_events::seq.eq(1_i64),
            ui_events::event_name.eq("ui-update"),
            ui_events::data.eq(json!({"type": "chat-interview-completed"})),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(listings::table)
        .values((
            listings::id.eq(seeded.listing_id),
            listings::chat_id.eq(seeded.chat_id),
            listings::rank.eq(1),
            listings::title.eq(format!("gift {marker}")),
            listings::description.eq("a gift"),
            listings::link.eq(format!("https://www.olx.pl/d/oferta/{marker}")),
            listings::price_value.eq(Some(120.0)),
            listings::provider.eq("olx"),
            listings::score.eq(0.9),
            listings::reasoning.eq("fits"),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(favorites::table)
        .values((
            favorites::user_id.eq(user_id),
            favorites::listing_id.eq(seeded.listing_id),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(feedback::table)
        .values((
            feedback::id.eq(seeded.feedback_id),
            feedback::chat_id.eq(seeded.chat_id),
            feedback::user_id.eq(user_id),
            feedback::rating.eq(5_i16),
            feedback::comment.eq(Some(format!("comment {marker}"))),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(user_profiles::table)
        .values((
            user_profiles::id.eq(seeded.profile_id),
            user_profiles::user_id.eq(user_id),
            user_profiles::chat_id.eq(Some(seeded.chat_id)),
            user_profiles::person_name.eq(format!("person {marker}")),
            user_profiles::profile.eq(json!({"lifestyleDescription": marker})),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    seeded
}

/// Rows that belong to `user_id` or to its seeded chat, per table.
async fn rows_of(pool: &DbPool, user_id: Uuid, seeded: &Seeded) -> BTreeMap<&'static str, i64> {
    let mut conn = pool.get().await.unwrap();
    let conn = &mut conn;
    let chat = seeded.chat_id;
    let mut counts = BTreeMap::new();
    let count = |n: QueryResult<i64>| n.unwrap();
    counts.insert(
        "users",
        count(users::table.find(user_id).count().get_result(conn).await),
    );
    counts.insert(
        "chats",
        count(
            chats::table
                .filter(chats::user_id.eq(user_id))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "messages",
        count(
            messages::table
                .filter(messages::chat_id.eq(chat))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "ui_events",
        count(
            ui_events::table
                .filter(ui_events::chat_id.eq(chat))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "listings",
        count(
            listings::table
                .filter(listings::chat_id.eq(chat))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "favorites",
        count(
            favorites::table
                .filter(
                    favorites::user_id
                        .eq(user_id)
                        .or(favorites::listing_id.eq(seeded.listing_id)),
                )
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "feedback",
        count(
            feedback::table
                .filter(feedback::user_id.eq(user_id).or(feedback::chat_id.eq(chat)))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "user_profiles",
        count(
            user_profiles::table
                .filter(user_profiles::user_id.eq(user_id))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "refresh_tokens",
        count(
            refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(user_id))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts.insert(
        "oauth_states",
        count(
            oauth_states::table
                .filter(oauth_states::guest_user_id.eq(user_id))
                .count()
                .get_result(conn)
                .await,
        ),
    );
    counts
}

#[actix_rt::test]
async fn guest_login_sets_both_cookies() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let response = client.post(app.url("/auth/guest")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies = set_cookies(&response);
    let body: Value = response.json().await.unwrap();

    for (name, max_age) in [("access_token", 15 * 60), ("refresh_token", 7 * 24 * 3600)] {
        let header = cookies
            .get(name)
            .unwrap_or_else(|| panic!("no {name} cookie"));
        let attributes = attributes(header);
        for expected in [
            "httponly".to_owned(),
            "samesite=lax".to_owned(),
            "path=/".to_owned(),
            format!("max-age={max_age}"),
        ] {
            assert!(attributes.contains(&expected), "{name}: {header}");
        }
        assert!(!attributes.contains(&"secure".to_owned()), "{header}");
        assert!(!cookie_value(header).is_empty());
    }
    // The refresh token: 256 random bits, base64url.
    assert_eq!(cookie_value(&cookies["refresh_token"]).len(), 43);
    let user = &body["user"];
    assert_eq!(user["isGuest"], true);
    assert_eq!(user["role"], "user");
    // What a guest has not told is null, never "".
    for field in ["email", "name", "givenName", "familyName", "picture"] {
        assert_eq!(user[field], Value::Null, "{field}: {user}");
    }
    assert_eq!(body["accessToken"], cookie_value(&cookies["access_token"]));
    assert_eq!(body["expiresIn"], 900);
    // Nothing but a hash is stored.
    let refresh = cookie_value(&cookies["refresh_token"]);
    let mut conn = pool(&app).get().await.unwrap();
    let stored: Vec<Vec<u8>> = refresh_tokens::table
        .select(refresh_tokens::token_hash)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], refresh.as_bytes());
    assert_eq!(stored[0].len(), 32);
    stop(app).await;
}

#[actix_rt::test]
async fn cookies_are_secure_behind_https() {
    let config = WebConfig {
        public_url: Some("https://prezenty.example.com".parse().unwrap()),
        ..WebConfig::for_tests()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let client = reqwest::Client::new();
    let response = client.post(app.url("/auth/guest")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies = set_cookies(&response);
    for name in ["access_token", "refresh_token"] {
        assert!(
            attributes(&cookies[name]).contains(&"secure".to_owned()),
            "{}",
            cookies[name]
        );
    }
    let logout = client.post(app.url("/auth/logout")).send().await.unwrap();
    for (_, header) in set_cookies(&logout) {
        assert!(
            attributes(&header).contains(&"secure".to_owned()),
            "{header}"
        );
    }
    stop(app).await;
}

#[actix_rt::test]
async fn me_with_cookie_and_with_bearer() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let session = guest_login(&app, &client).await;

    let by_cookie = client
        .get(app.url("/auth/me"))
        .header(COOKIE, format!("access_token={}", session.access))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), StatusCode::OK);
    let by_cookie: Value = by_cookie.json().await.unwrap();
    assert_eq!(by_cookie["id"], session.user_id.to_string());
    assert_eq!(by_cookie["isGuest"], true);
    assert_eq!(by_cookie["role"], "user");
    for field in ["email", "name", "givenName", "familyName", "picture"] {
        assert_eq!(
            by_cookie.get(field),
            Some(&Value::Null),
            "{field} is not null: {by_cookie}"
        );
    }

    let by_bearer = me(&app, &client, &session.access).await;
    assert_eq!(by_bearer.status(), StatusCode::OK);
    assert_eq!(by_bearer.json::<Value>().await.unwrap(), by_cookie);

    // A browser client with a cookie jar is signed in by the response alone.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    browser.post(app.url("/auth/guest")).send().await.unwrap();
    let response = browser.get(app.url("/auth/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let anonymous = client.get(app.url("/auth/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["statusCode"], 401);
    assert_eq!(body["error"], "Unauthorized");
    assert_eq!(
        me(&app, &client, "not-a-token").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Signed with another secret.
    let mut forged = WebConfig::for_tests();
    forged.jwt_secret = b"another-secret-another-secret-another!".to_vec();
    let bearer = tokens::Bearer {
        user_id: session.user_id,
        role: Role::Admin,
        guest: false,
        generation: 0,
    };
    let forged = tokens::issue_access(&forged, bearer).unwrap();
    assert_eq!(
        me(&app, &client, &forged).await.status(),
        StatusCode::UNAUTHORIZED
    );
    stop(app).await;
}

#[actix_rt::test]
async fn expired_access_token_is_rejected() {
    let config = WebConfig {
        access_token_ttl: Duration::from_secs(1),
        ..WebConfig::for_tests()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let client = reqwest::Client::new();
    let session = guest_login(&app, &client).await;
    assert_eq!(
        me(&app, &client, &session.access).await.status(),
        StatusCode::OK
    );

    // Signed with the right secret, but expired a minute ago.
    let now = Utc::now().timestamp();
    let claims = tokens::AccessClaims {
        sub: session.user_id,
        role: Role::User,
        guest: true,
        generation: 0,
        iat: now - 120,
        exp: now - 60,
    };
    let key = jsonwebtoken::EncodingKey::from_secret(&WebConfig::for_tests().jwt_secret).unwrap();
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &key,
    )
    .unwrap();
    assert_eq!(
        me(&app, &client, &expired).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // The 1-second token of this configuration runs out by itself.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        me(&app, &client, &session.access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The refresh token still yields a new one.
    let refreshed = refresh(&app, &client, &session.refresh).await;
    assert_eq!(refreshed.status(), StatusCode::CREATED);
    let access = cookie_value(&set_cookies(&refreshed)["access_token"]);
    assert_eq!(me(&app, &client, &access).await.status(), StatusCode::OK);
    stop(app).await;
}

#[actix_rt::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let session = guest_login(&app, &client).await;

    let response = refresh(&app, &client, &session.refresh).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies = set_cookies(&response);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Token refreshed successfully");
    let second = cookie_value(&cookies["refresh_token"]);
    let access = cookie_value(&cookies["access_token"]);
    assert_ne!(second, session.refresh);
    assert_eq!(body["accessToken"], access);
    assert!(attributes(&cookies["refresh_token"]).contains(&"httponly".to_owned()));
    let info: Value = me(&app, &client, &access).await.json().await.unwrap();
    assert_eq!(info["id"], session.user_id.to_string());

    // The newest token rotates again.
    let response = refresh(&app, &client, &second).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let third = cookie_value(&set_cookies(&response)["refresh_token"]);

    // Reuse of a rotated token: 401, cookies cleared, and the whole family is revoked.
    let reused = refresh(&app, &client, &session.refresh).await;
    assert_eq!(reused.status(), StatusCode::UNAUTHORIZED);
    let cleared = set_cookies(&reused);
    assert_eq!(cookie_value(&cleared["refresh_token"]), "");
    assert!(attributes(&cleared["refresh_token"]).contains(&"max-age=0".to_owned()));
    let newest = refresh(&app, &client, &third).await;
    assert_eq!(newest.status(), StatusCode::UNAUTHORIZED);

    let mut conn = pool(&app).get().await.unwrap();
    let live: i64 = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(session.user_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(live, 0);

    // Another login of the same kind is its own family and unaffected by the revocation.
    let other = guest_login(&app, &client).await;
    assert_eq!(
        refresh(&app, &client, &other.refresh).await.status(),
        StatusCode::CREATED
    );

    // No cookie, or an unknown one.
    let none = client.post(app.url("/auth/refresh")).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh(&app, &client, "bm90LWEtdG9rZW4").await.status(),
        StatusCode::UNAUTHORIZED
    );
    stop(app).await;
}

#[actix_rt::test]
async fn logout_revokes_and_clears_cookies() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let session = guest_login(&app, &client).await;
    let rotated = refresh(&app, &client, &session.refresh).await;
    let current = cookie_value(&set_cookies(&rotated)["refresh_token"]);

    let response = client
        .post(app.url("/auth/logout"))
        .header(COOKIE, format!("refresh_token={current}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies = set_cookies(&response);
    for name in ["access_token", "refresh_token"] {
        let header = &cookies[name];
        assert_eq!(cookie_value(header), "", "{header}");
        let attributes = attributes(header);
        assert!(attributes.contains(&"max-age=0".to_owned()), "{header}");
        assert!(attributes.contains(&"path=/".to_owned()), "{header}");
        assert!(attributes.contains(&"httponly".to_owned()), "{header}");
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Successfully logged out");

    assert_eq!(
        refresh(&app, &client, &current).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A logout without a session is fine too.
    let anonymous = client.post(app.url("/auth/logout")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::CREATED);
    stop(app).await;
}

/// Reads `path` with `access` as a bearer token; the status.
async fn read_with(app: &TestApp, client: &reqwest::Client, path: &str, access: &str) -> u16 {
    client
        .get(app.url(path))
        .header(AUTHORIZATION, format!("Bearer {access}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Signing out, deleting the account and losing the admin role take effect for the access
/// tokens already issued, not when they expire.
#[actix_rt::test]
async fn issued_access_tokens_end_with_logout_deletion_and_demotion() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();

    // Logout: the access token replayed afterwards is refused; a refresh token of the
    // account that was not revoked (another device's) still gets a working one.
    let session = guest_login(&app, &client).await;
    let other_device = refresh(&app, &client, &session.refresh).await;
    let other_device = cookie_value(&set_cookies(&other_device)["refresh_token"]);
    let other_access = {
        let rotated = refresh(&app, &client, &other_device).await;
        let body: Value = rotated.json().await.unwrap();
        body["accessToken"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(read_with(&app, &client, "/chats", &other_access).await, 200);
    let logout = client
        .post(app.url("/auth/logout"))
        .header(AUTHORIZATION, format!("Bearer {other_access}"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::CREATED);
    assert_eq!(read_with(&app, &client, "/chats", &other_access).await, 401);
    assert_eq!(
        read_with(&app, &client, "/chats", &session.access).await,
        401
    );

    // Deletion: the token of a deleted account reads nothing.
    let deleted = guest_login(&app, &client).await;
    let response = client
        .delete(app.url("/auth/me"))
        .header(AUTHORIZATION, format!("Bearer {}", deleted.access))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        read_with(&app, &client, "/chats", &deleted.access).await,
        401
    );

    // The role is the account's, whatever the token says: an operator makes an account an
    // admin, then takes it back, in the database; within moments the same token follows.
    let admin = guest_login(&app, &client).await;
    let set_role = async |role: &str| {
        let mut conn = pool(&app).get().await.unwrap();
        diesel::update(users::table.find(admin.user_id))
            .set(users::role.eq(role))
            .execute(&mut conn)
            .await
            .unwrap();
    };
    let until_admin_list_answers = async |status: u16| {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while read_with(&app, &client, "/feedback", &admin.access).await != status {
            assert!(std::time::Instant::now() < deadline, "never {status}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    assert_eq!(
        read_with(&app, &client, "/feedback", &admin.access).await,
        403
    );
    set_role("admin").await;
    until_admin_list_answers(200).await;
    set_role("user").await;
    until_admin_list_answers(403).await;
    stop(app).await;
}

/// Waits until the interview of `chat_id` has asked its first question.
async fn first_question(pool: &DbPool, chat_id: Uuid) {
    let mut conn = pool.get().await.unwrap();
    for _ in 0..300 {
        let asked: i64 = messages::table
            .filter(messages::chat_id.eq(chat_id))
            .filter(messages::role.eq("assistant"))
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        if asked > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no question in chat {chat_id} after 30 s");
}

#[actix_rt::test]
async fn account_deletion_deletes_everything() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let pool = pool(&app);
    let victim = guest_login(&app, &client).await;
    let bystander = guest_login(&app, &client).await;

    // A search started through the API, with its interview under way.
    let searched = Uuid::now_v7();
    let started = client
        .post(app.url("/restapi/stalking-request"))
        .bearer_auth(&victim.access)
        .json(&json!({"chatId": searched, "occasion": "birthday"}))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    first_question(&pool, searched).await;
    // And one of everything else.
    let mine = seed(&pool, victim.user_id, "victim").await;
    let theirs = seed(&pool, bystander.user_id, "bystander").await;
    // A favourite of the victim's listing kept by someone else goes with the listing.
    let mut conn = pool.get().await.unwrap();
    diesel::insert_into(favorites::table)
        .values((
            favorites::user_id.eq(bystander.user_id),
            favorites::listing_id.eq(mine.listing_id),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    // A Google sign-in in flight.
    diesel::insert_into(oauth_states::table)
        .values((
            oauth_states::state.eq("pending-state"),
            oauth_states::pkce_verifier.eq("verifier"),
            oauth_states::guest_user_id.eq(Some(victim.user_id)),
            oauth_states::expires_at.eq(Utc::now() + chrono::Duration::minutes(5)),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    let before = rows_of(&pool, victim.user_id, &mine).await;
    assert!(before.values().all(|n| *n >= 1), "{before:?}");
    assert_eq!(before["chats"], 2);

    let response = client
        .delete(app.url("/auth/me"))
        .bearer_auth(&victim.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cookies = set_cookies(&response);
    assert_eq!(cookie_value(&cookies["access_token"]), "");
    assert_eq!(cookie_value(&cookies["refresh_token"]), "");

    assert_eq!(
        me(&app, &client, &victim.access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(&app, &client, &victim.refresh).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let after = rows_of(&pool, victim.user_id, &mine).await;
    assert!(after.values().all(|n| *n == 0), "left behind: {after:?}");
    // The searched chat's interview went with it.
    let left: i64 = messages::table
        .filter(messages::chat_id.eq(searched))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let events: i64 = ui_events::table
        .filter(ui_events::chat_id.eq(searched))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!((left, events), (0, 0));
    // The other account is untouched, except for its favourite of a deleted listing.
    let kept = rows_of(&pool, bystander.user_id, &theirs).await;
    for (table, rows) in &kept {
        let expected = if *table == "oauth_states" { 0 } else { 1 };
        assert_eq!(*rows, expected, "{table}: {kept:?}");
    }
    assert_eq!(
        me(&app, &client, &bystander.access).await.status(),
        StatusCode::OK
    );
    // Deleting again: the account is gone.
    let again = client
        .delete(app.url("/auth/me"))
        .bearer_auth(&victim.access)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    stop(app).await;
}

#[actix_rt::test]
async fn export_contains_my_data_and_nothing_else() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let pool = pool(&app);
    let me_session = guest_login(&app, &client).await;
    let other = guest_login(&app, &client).await;
    let mine = seed(&pool, me_session.user_id, "mine-7f3a").await;
    let theirs = seed(&pool, other.user_id, "theirs-c41d").await;

    let response = client
        .get(app.url("/auth/me/export"))
        .bearer_auth(&me_session.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let text = response.text().await.unwrap();
    let export: Value = serde_json::from_str(&text).unwrap();

    assert_eq!(export["account"]["id"], me_session.user_id.to_string());
    assert_eq!(export["account"]["isGuest"], true);
    let chats = export["chats"].as_array().unwrap();
    assert_eq!(chats.len(), 1);
    let chat = &chats[0];
    assert_eq!(chat["chatId"], mine.chat_id.to_string());
    assert_eq!(chat["chatName"], "chat mine-7f3a");
    assert_eq!(chat["messages"][0]["id"], mine.message_id.to_string());
    assert_eq!(chat["messages"][0]["content"], "answer mine-7f3a");
    assert_eq!(chat["listings"][0]["id"], mine.listing_id.to_string());
    assert_eq!(chat["listings"][0]["title"], "gift mine-7f3a");
    assert_eq!(chat["listings"][0]["priceValue"], 120.0);
    assert_eq!(
        export["savedProfiles"][0]["id"],
        mine.profile_id.to_string()
    );
    assert_eq!(export["savedProfiles"][0]["personName"], "person mine-7f3a");
    assert_eq!(
        export["favorites"][0]["listingId"],
        mine.listing_id.to_string()
    );
    assert_eq!(export["feedback"][0]["id"], mine.feedback_id.to_string());
    assert_eq!(export["feedback"][0]["comment"], "comment mine-7f3a");

    for foreign in [
        other.user_id,
        theirs.chat_id,
        theirs.message_id,
        theirs.listing_id,
        theirs.profile_id,
        theirs.feedback_id,
    ] {
        assert!(!text.contains(&foreign.to_string()), "{foreign} leaked");
    }
    assert!(!text.contains("theirs-c41d"));

    let anonymous = client.get(app.url("/auth/me/export")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    stop(app).await;
}

#[actix_rt::test]
async fn guest_login_off_is_404() {
    let config = WebConfig {
        guest_login: false,
        ..WebConfig::for_tests()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let client = reqwest::Client::new();
    let response = client.post(app.url("/auth/guest")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["statusCode"], 404);
    assert!(body.get("user").is_none());
    // Google is not configured either.
    let url = client
        .get(app.url("/auth/google/url"))
        .send()
        .await
        .unwrap();
    assert_eq!(url.status(), StatusCode::NOT_FOUND);
    let callback = client
        .post(app.url("/auth/google/callback"))
        .json(&json!({"code": "x", "state": "y"}))
        .send()
        .await
        .unwrap();
    assert_eq!(callback.status(), StatusCode::NOT_FOUND);
    let mut conn = pool(&app).get().await.unwrap();
    let accounts: i64 = users::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(accounts, 0);
    stop(app).await;
}

#[actix_rt::test]
async fn admin_email_creates_or_promotes_an_admin() {
    let config = WebConfig {
        admin_email: Some("boss@example.com".into()),
        ..WebConfig::for_tests()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config.clone()).await;
    let client = reqwest::Client::new();
    let pool = pool(&app);

    // Missing: created as an admin (idempotently).
    let created = auth::ensure_admin(&pool, "Boss@Example.com").await.unwrap();
    assert_eq!(
        auth::ensure_admin(&pool, "boss@example.com").await.unwrap(),
        created
    );
    let mut conn = pool.get().await.unwrap();
    let (email, role): (Option<String>, String) = users::table
        .find(created)
        .select((users::email, users::role))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        (email.as_deref(), role.as_str()),
        (Some("boss@example.com"), "admin")
    );

    // Existing: promoted, same account.
    let existing = Uuid::now_v7();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(existing),
            users::email.eq("Chief@Example.com"),
            users::name.eq("Chief"),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        auth::ensure_admin(&pool, " chief@example.com ")
            .await
            .unwrap(),
        existing
    );
    // The role comes from the account, not from the token.
    let bearer = tokens::Bearer {
        user_id: existing,
        role: Role::User,
        guest: false,
        generation: 0,
    };
    let token = tokens::issue_access(&config, bearer).unwrap();
    let info: Value = me(&app, &client, &token).await.json().await.unwrap();
    assert_eq!(info["role"], "admin");
    assert_eq!(info["email"], "Chief@Example.com");
    let accounts: i64 = users::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(accounts, 2);
    assert!(auth::ensure_admin(&pool, "not an address").await.is_err());
    stop(app).await;
}

#[actix_rt::test]
async fn auth_routes_are_in_the_openapi_description() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let spec: Value = reqwest::get(app.url("/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = &spec["paths"];
    for (path, method) in [
        ("/auth/google/url", "get"),
        ("/auth/google/callback", "post"),
        ("/auth/guest", "post"),
        ("/auth/me", "get"),
        ("/auth/me", "delete"),
        ("/auth/refresh", "post"),
        ("/auth/logout", "post"),
        ("/auth/me/export", "get"),
    ] {
        assert!(
            paths[path].get(method).is_some(),
            "{method} {path} is not described"
        );
    }
    // The error body and its stable codes, as the README lists them.
    let schemas = &spec["components"]["schemas"];
    assert!(
        schemas["ErrorBody"]["properties"]["code"].is_object(),
        "{schemas}"
    );
    let codes: Vec<&str> = schemas["ErrorCode"]["enum"]
        .as_array()
        .map(|codes| codes.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        [
            "invalid_input",
            "unauthenticated",
            "forbidden",
            "not_found",
            "conflict",
            "payload_too_large",
            "rate_limited",
            "internal",
            "unavailable"
        ]
    );
    stop(app).await;
}

/// Guest accounts per client address: the allowance, then 429 with its stable code and
/// `Retry-After`; behind a trusted proxy the address is the forwarded one, and a client that
/// forges `X-Forwarded-For` without one gains nothing.
#[actix_rt::test]
async fn guest_accounts_are_limited_per_client_address() {
    let guest = async |app: &TestApp, forwarded_for: &str| {
        reqwest::Client::new()
            .post(app.url("/auth/guest"))
            .header("X-Forwarded-For", forwarded_for)
            .send()
            .await
            .unwrap()
    };
    let mut config = WebConfig::for_tests();
    config.rate_limits.guests_per_hour = 2;
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = TestApp::spawn_with(Transport::InProcess, config.clone()).await;
    for _ in 0..2 {
        let response = guest(&app, "198.51.100.1").await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let refused = guest(&app, "198.51.100.1").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        retry_after > 60,
        "one more guest in half an hour: {retry_after}"
    );
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited", "{body}");
    // A forged entry left of the address the proxy saw changes nothing.
    let forged = guest(&app, "203.0.113.50, 198.51.100.1").await;
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy has its own allowance.
    let other = guest(&app, "198.51.100.2").await;
    assert_eq!(other.status(), StatusCode::CREATED);
    stop(app).await;

    // Without a trusted proxy the header is the client's own word: ignored.
    config.trusted_proxies.clear();
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    for (n, forwarded_for) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
        .into_iter()
        .enumerate()
    {
        let expected = if n < 2 {
            StatusCode::CREATED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(guest(&app, forwarded_for).await.status(), expected);
    }
    stop(app).await;
}
