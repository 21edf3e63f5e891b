//! User B (and an admin) try every chat-, listing-, profile- and feedback-scoped route on
//! user A's data: 404 every time, exactly as for ids that do not exist, and A's data is
//! unchanged afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use api_client::{Api, Reply, saving_as};
use common::TestApp;
use present_finder_actors::testing::Transport;
use present_finder_web::http::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// A's resources: a finished chat with a favourite and feedback, and a saved profile.
struct Owned {
    chat_id: Uuid,
    listing_id: String,
    profile_id: String,
}

async fn prepare(api: &Api) -> Owned {
    let chat_id = api.start(json!({})).await;
    api.interview(chat_id, saving_as("Siostra")).await;
    let listings = api
        .get(&format!("/chats/{chat_id}/listings"))
        .await
        .expect(200);
    let listing_id = listings["listings"][0]["id"].as_str().unwrap().to_owned();
    api.post("/favorites", json!({ "listingId": listing_id }))
        .await
        .expect(201);
    api.post("/feedback", json!({ "chatId": chat_id, "rating": 4 }))
        .await
        .expect(201);
    let profiles = api.get("/user-profiles").await.expect(200);
    let profile_id = profiles["profiles"][0]["id"].as_str().unwrap().to_owned();
    Owned {
        chat_id,
        listing_id,
        profile_id,
    }
}

/// Everything A can read about their data.
async fn snapshot(api: &Api, owned: &Owned) -> Vec<Value> {
    let chat = owned.chat_id;
    let mut all = Vec::new();
    for path in [
        "/chats".to_owned(),
        format!("/chats/{chat}"),
        format!("/chats/{chat}/listings"),
        format!("/messages/chat/{chat}"),
        "/favorites".to_owned(),
        "/user-profiles".to_owned(),
        format!("/user-profiles/{}", owned.profile_id),
        format!("/feedback/chat/{chat}"),
    ] {
        all.push(api.get(&path).await.expect(200));
    }
    all
}

/// Every request of an intruder on A's data (method, path, body).
fn attacks(owned: &Owned) -> Vec<(Method, String, Option<Value>)> {
    let chat = owned.chat_id;
    let listing = &owned.listing_id;
    let profile = &owned.profile_id;
    let answer = json!({
        "chatId": chat,
        "messages": [{ "id": Uuid::new_v4(), "content": "Lubi koty", "sender": "user" }],
    });
    vec![
        (Method::GET, format!("/chats/{chat}"), None),
        (
            Method::PATCH,
            format!("/chats/{chat}"),
            Some(json!({ "chatName": "Przejęty" })),
        ),
        (Method::DELETE, format!("/chats/{chat}"), None),
        (Method::GET, format!("/chats/{chat}/listings"), None),
        (Method::GET, format!("/messages/chat/{chat}"), None),
        (
            Method::POST,
            "/restapi/send-message".to_owned(),
            Some(answer),
        ),
        (
            Method::POST,
            "/favorites".to_owned(),
            Some(json!({ "listingId": listing })),
        ),
        (Method::GET, format!("/user-profiles/{profile}"), None),
        (
            Method::PATCH,
            format!("/user-profiles/{profile}"),
            Some(json!({ "personName": "Przejęty" })),
        ),
        (Method::DELETE, format!("/user-profiles/{profile}"), None),
        (
            Method::POST,
            "/feedback".to_owned(),
            Some(json!({ "chatId": chat, "rating": 1, "comment": "zły" })),
        ),
        (Method::GET, format!("/feedback/chat/{chat}"), None),
        (
            Method::POST,
            "/restapi/stalking-request".to_owned(),
            Some(json!({
                "chatId": Uuid::now_v7(),
                "occasion": "birthday",
                "profileId": profile,
            })),
        ),
    ]
}

/// The same request with every id of A replaced by a fresh one.
fn with_unknown_ids(owned: &Owned, path: &str, body: &Option<Value>) -> (String, Option<Value>) {
    let unknown = Uuid::new_v4().to_string();
    let replace = |text: &str| {
        text.replace(&owned.chat_id.to_string(), &unknown)
            .replace(&owned.listing_id, &unknown)
            .replace(&owned.profile_id, &unknown)
    };
    let body = body
        .as_ref()
        .map(|b| serde_json::from_str(&replace(&b.to_string())).unwrap());
    (replace(path), body)
}

async fn assert_all_not_found(intruder: &Api, owned: &Owned, who: &str) {
    for (method, path, body) in attacks(owned) {
        let reply: Reply = intruder.send(method.clone(), &path, body.as_ref()).await;
        assert_eq!(
            reply.status.as_u16(),
            404,
            "{who}: {method} {path} answered {} {}",
            reply.status,
            reply.body
        );
        // Indistinguishable from an id that does not exist.
        let (unknown_path, unknown_body) = with_unknown_ids(owned, &path, &body);
        let unknown = intruder
            .send(method.clone(), &unknown_path, unknown_body.as_ref())
            .await;
        assert_eq!(unknown.status.as_u16(), 404, "{method} {unknown_path}");
        assert_eq!(
            unknown.body["message"], reply.body["message"],
            "{who}: {method} {path} leaks existence"
        );
    }
}

#[actix_rt::test]
async fn nobody_else_reaches_a_users_data() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let alice = Api::guest(&app).await;
    let owned = prepare(&alice).await;
    let before = snapshot(&alice, &owned).await;

    let bob = Api::guest(&app).await;
    assert_all_not_found(&bob, &owned, "another user").await;
    // Admins have no power over other users' chats either.
    let admin = Api::with_role(&app, Role::Admin).await;
    assert_all_not_found(&admin, &owned, "an admin").await;

    // Removing a favourite is idempotent: Bob removes his own (absent) one, not Alice's.
    bob.delete(&format!("/favorites/{}", owned.listing_id))
        .await
        .expect(204);
    // Bob's own view stays empty; the refused search created nothing.
    assert_eq!(bob.get("/chats").await.expect(200), json!({ "chats": [] }));
    assert_eq!(
        bob.get("/favorites").await.expect(200),
        json!({ "favorites": [] })
    );
    assert_eq!(
        bob.get("/user-profiles").await.expect(200),
        json!({ "profiles": [] })
    );
    // Only admins list all feedback.
    bob.get("/feedback").await.expect(403);
    let all = admin.get("/feedback").await.expect(200);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|f| f["chatId"] == json!(owned.chat_id))
    );

    assert_eq!(
        snapshot(&alice, &owned).await,
        before,
        "Alice's data changed"
    );
    app.stop().await;
}
