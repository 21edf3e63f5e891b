//! A whole gift search through the HTTP API only, then everything a user does with it:
//! history, rename, favourites, feedback, saved-profile reuse and edits, chat deletion.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use std::time::Duration;

use api_client::sse::SseClient;
use api_client::{Api, first_suggestion, saving_as};
use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_actors::testing::Transport;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::tables::restapi::{feedback, listings, messages, ui_events};
use serde_json::{Value, json};
use uuid::Uuid;

/// The listings of a finished chat, checked: rank order, numeric prices, score and reasoning.
/// The ranking trades score against variety (category, shop, kind of product), so scores are
/// not strictly non-increasing down the list; the best-scored gift is always first.
async fn ranked_listings(api: &Api, chat_id: Uuid) -> Vec<Value> {
    let page = api
        .get(&format!("/chats/{chat_id}/listings"))
        .await
        .expect(200);
    assert_eq!(page["chat"]["chatId"], json!(chat_id));
    assert!(page["chat"]["chatName"].is_string());
    assert!(page["chat"]["reasoningSummary"].is_object(), "{page}");
    let listings = page["listings"].as_array().cloned().unwrap();
    assert!(!listings.is_empty(), "no gifts");
    let top_score = listings[0]["score"].as_f64().expect("a numeric score");
    for (index, listing) in listings.iter().enumerate() {
        assert_eq!(listing["rank"], json!(index + 1), "{listing}");
        assert_eq!(listing["chatId"], json!(chat_id));
        let score = listing["score"].as_f64().expect("a numeric score");
        assert!((1.0..=10.0).contains(&score), "{listing}");
        assert!(
            score <= top_score,
            "rank 1 is not the best score: {listings:#?}"
        );
        assert!(
            !listing["reasoning"].as_str().unwrap().is_empty(),
            "{listing}"
        );
        assert!(
            listing["price"]["value"].is_number(),
            "price not a number: {listing}"
        );
        assert!(listing["title"].is_string() && listing["link"].is_string());
        assert_eq!(listing["isFavorited"], json!(false));
        assert!(
            listing["id"]
                .as_str()
                .and_then(|id| Uuid::parse_str(id).ok())
                .is_some()
        );
    }
    listings
}

async fn history_and_rename(api: &Api, chat_id: Uuid, gift_count: usize) {
    let history = api.get("/chats").await.expect(200);
    let chats = history["chats"].as_array().unwrap();
    let chat = chats
        .iter()
        .find(|c| c["chatId"] == json!(chat_id))
        .unwrap();
    assert_eq!(chat["giftCount"], json!(gift_count));
    assert_eq!(chat["status"], "ready");
    assert_eq!(chat["isInterviewCompleted"], json!(true));
    assert!(
        chat["reasoningSummary"]["keyThemesAndKeywords"].is_array(),
        "{chat}"
    );
    assert!(chat["createdAt"].is_string());

    let path = format!("/chats/{chat_id}");
    let renamed = api
        .patch(&path, json!({ "chatName": "  Urodziny mamy " }))
        .await
        .expect(200);
    assert_eq!(renamed["chatName"], "Urodziny mamy");
    assert_eq!(renamed["giftCount"], json!(gift_count));
    assert_eq!(
        api.get(&path).await.expect(200)["chatName"],
        "Urodziny mamy"
    );
}

async fn favourites(api: &Api, chat_id: Uuid, listing_id: &Value) {
    assert_eq!(
        api.get("/favorites").await.expect(200),
        json!({ "favorites": [] })
    );
    for _ in 0..2 {
        api.post("/favorites", json!({ "listingId": listing_id }))
            .await
            .expect(201);
    }
    let favorites = api.get("/favorites").await.expect(200)["favorites"].clone();
    assert_eq!(favorites.as_array().unwrap().len(), 1, "{favorites}");
    assert_eq!(favorites[0]["id"], *listing_id);
    assert_eq!(favorites[0]["isFavorited"], json!(true));
    assert!(favorites[0]["price"]["value"].is_number());

    let page = api
        .get(&format!("/chats/{chat_id}/listings"))
        .await
        .expect(200);
    let flagged: Vec<&Value> = page["listings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["isFavorited"] == json!(true))
        .map(|l| &l["id"])
        .collect();
    assert_eq!(flagged, vec![listing_id]);

    for _ in 0..2 {
        api.delete(&format!("/favorites/{}", listing_id.as_str().unwrap()))
            .await
            .expect(204);
    }
    assert_eq!(
        api.get("/favorites").await.expect(200),
        json!({ "favorites": [] })
    );
}

async fn feedback_once(api: &Api, chat_id: Uuid) {
    let path = format!("/feedback/chat/{chat_id}");
    api.get(&path).await.expect(404);
    let body = json!({ "chatId": chat_id, "rating": 5, "comment": " Świetne pomysły " });
    let created = api.post("/feedback", body.clone()).await.expect(201);
    assert!(created["message"].is_string());
    let stored = api.get(&path).await.expect(200);
    assert_eq!(stored["chatId"], json!(chat_id));
    assert_eq!(stored["rating"], json!(5));
    assert_eq!(stored["comment"], "Świetne pomysły");
    assert!(stored["userId"].is_string() && stored["id"].is_string());
    api.post("/feedback", body).await.expect(409);
}

/// Saved profiles: edit, name clash, content edit, deletion.
async fn profile_edits(api: &Api, mama: &Value) {
    let tata = api.start(json!({})).await;
    api.interview(tata, saving_as("Tata")).await;
    let profiles = api.get("/user-profiles").await.expect(200)["profiles"].clone();
    assert_eq!(
        profiles[0]["personName"], "Tata",
        "newest first: {profiles}"
    );
    assert_eq!(profiles[1]["id"], mama["id"]);
    let tata_path = format!("/user-profiles/{}", profiles[0]["id"].as_str().unwrap());

    api.patch(&tata_path, json!({ "personName": "Mama" }))
        .await
        .expect(409);
    let renamed = api
        .patch(&tata_path, json!({ "personName": "Tata Jan" }))
        .await
        .expect(200);
    assert_eq!(renamed["personName"], "Tata Jan");
    let mut profile = renamed["profile"].clone();
    profile["lifestyleDescription"] = json!("Wędkuje w każdy weekend");
    let edited = api
        .patch(&tata_path, json!({ "profile": profile }))
        .await
        .expect(200);
    assert_eq!(
        edited["profile"]["lifestyleDescription"],
        "Wędkuje w każdy weekend"
    );
    assert_eq!(edited["personName"], "Tata Jan");
    assert_eq!(api.get(&tata_path).await.expect(200), edited);

    api.delete(&tata_path).await.expect(204);
    api.get(&tata_path).await.expect(404);
    api.delete(&tata_path).await.expect(404);
    let left = api.get("/user-profiles").await.expect(200)["profiles"].clone();
    assert_eq!(left.as_array().unwrap().len(), 1);
}

/// Rows of `chat_id` left in the tables hanging off a chat.
async fn leftovers(app: &TestApp, chat_id: Uuid) -> i64 {
    let pool = app.harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    let mut total = 0;
    total += messages::table
        .filter(messages::chat_id.eq(chat_id))
        .count()
        .get_result::<i64>(&mut conn)
        .await
        .unwrap();
    total += listings::table
        .filter(listings::chat_id.eq(chat_id))
        .count()
        .get_result::<i64>(&mut conn)
        .await
        .unwrap();
    total += ui_events::table
        .filter(ui_events::chat_id.eq(chat_id))
        .count()
        .get_result::<i64>(&mut conn)
        .await
        .unwrap();
    total += feedback::table
        .filter(feedback::chat_id.eq(chat_id))
        .count()
        .get_result::<i64>(&mut conn)
        .await
        .unwrap();
    total
}

async fn delete_chat(app: &TestApp, api: &Api, chat_id: Uuid, listing_id: &Value) {
    api.post("/favorites", json!({ "listingId": listing_id }))
        .await
        .expect(201);
    assert!(leftovers(app, chat_id).await > 0);
    api.delete(&format!("/chats/{chat_id}")).await.expect(204);
    for path in [
        format!("/chats/{chat_id}"),
        format!("/chats/{chat_id}/listings"),
        format!("/messages/chat/{chat_id}"),
        format!("/feedback/chat/{chat_id}"),
    ] {
        api.get(&path).await.expect(404);
    }
    api.delete(&format!("/chats/{chat_id}")).await.expect(404);
    let history = api.get("/chats").await.expect(200);
    assert!(
        history["chats"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["chatId"] != json!(chat_id))
    );
    assert_eq!(
        api.get("/favorites").await.expect(200),
        json!({ "favorites": [] })
    );
    api.post("/favorites", json!({ "listingId": listing_id }))
        .await
        .expect(404);
    assert_eq!(leftovers(app, chat_id).await, 0);
}

#[actix_rt::test]
async fn a_whole_gift_search_over_http() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let api = Api::guest(&app).await;
    assert_eq!(api.get("/chats").await.expect(200), json!({ "chats": [] }));

    // First search: answered from the transcript, the profile saved as "Mama".
    let chat_id = api
        .start(json!({ "minPrice": 20, "maxPrice": 2000, "locale": "pl" }))
        .await;
    let started = api.get(&format!("/chats/{chat_id}")).await.expect(200);
    assert_eq!(started["giftCount"], json!(0));
    let questions = api.interview(chat_id, saving_as("Mama")).await;
    assert!(questions.len() >= 3, "{questions:#?}");
    let transcript = api
        .get(&format!("/messages/chat/{chat_id}"))
        .await
        .expect(200);
    let transcript = transcript["messages"].as_array().unwrap();
    assert_eq!(transcript[0]["role"], "assistant");
    assert!(
        transcript
            .iter()
            .any(|m| m["role"] == "user" && m["content"] == "Mama")
    );
    let times: Vec<&str> = transcript
        .iter()
        .map(|m| m["createdAt"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");

    let listings = ranked_listings(&api, chat_id).await;
    history_and_rename(&api, chat_id, listings.len()).await;
    favourites(&api, chat_id, &listings[0]["id"]).await;
    feedback_once(&api, chat_id).await;

    // The saved profile, reused by a second search.
    let profiles = api.get("/user-profiles").await.expect(200)["profiles"].clone();
    assert_eq!(profiles.as_array().unwrap().len(), 1, "{profiles}");
    let mama = profiles[0].clone();
    assert_eq!(mama["personName"], "Mama");
    assert_eq!(mama["chatId"], json!(chat_id));
    assert!(
        mama["profile"]["personalInfoDescription"].is_object(),
        "{mama}"
    );
    assert!(mama["keyThemes"].is_array());
    let mama_path = format!("/user-profiles/{}", mama["id"].as_str().unwrap());
    assert_eq!(api.get(&mama_path).await.expect(200), mama);
    let second = api
        .start(json!({ "profileId": mama["id"], "occasion": "holiday" }))
        .await;
    api.interview(second, first_suggestion).await;
    ranked_listings(&api, second).await;
    let history = api.get("/chats").await.expect(200);
    assert_eq!(history["chats"][0]["chatId"], json!(second), "newest first");
    assert_eq!(history["chats"][1]["chatId"], json!(chat_id));

    profile_edits(&api, &mama).await;
    let before = api.get("/chats").await.expect(200)["chats"]
        .as_array()
        .unwrap()
        .len();
    delete_chat(&app, &api, chat_id, &listings[0]["id"]).await;
    let after = api.get("/chats").await.expect(200)["chats"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before - 1);
    api.get(&mama_path).await.expect(200);
    app.stop().await;
}

/// The first question of a search, as its chat page shows it.
async fn first_question(api: &Api, chat_id: Uuid) -> String {
    let mut events = SseClient::connect(&api.base, &api.token, chat_id, Some(0)).await;
    loop {
        let frame = events.next_event(Duration::from_secs(30)).await;
        if frame.ui_type().as_deref() == Some("chatbot-message") {
            return frame.json()["message"]["content"]
                .as_str()
                .unwrap()
                .to_owned();
        }
    }
}

#[actix_rt::test]
async fn name_day_and_valentines_searches_speak_of_their_occasion() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let api = Api::guest(&app).await;
    let cases = [
        ("name-day", "pl", "Prezent na imieniny", "z okazji imienin"),
        (
            "valentines",
            "pl",
            "Prezent walentynkowy",
            "z okazji Walentynek",
        ),
        ("name-day", "en", "Name-day gift", "a name-day present"),
        (
            "valentines",
            "en",
            "Valentine's gift",
            "a Valentine's Day present",
        ),
    ];
    for (occasion, locale, name, opener) in cases {
        let chat_id = api
            .start(json!({ "occasion": occasion, "locale": locale }))
            .await;
        let chat = api.get(&format!("/chats/{chat_id}")).await.expect(200);
        let chat_name = chat["chatName"].as_str().unwrap();
        assert!(
            chat_name.starts_with(name),
            "{occasion}/{locale}: {chat_name}"
        );
        let question = first_question(&api, chat_id).await;
        assert!(question.contains(opener), "{occasion}/{locale}: {question}");
    }

    // A whole Valentine's search: the recipient's profile names the occasion.
    let chat_id = api
        .start(json!({ "occasion": "valentines", "locale": "pl" }))
        .await;
    api.interview(chat_id, first_suggestion).await;
    let page = api
        .get(&format!("/chats/{chat_id}/listings"))
        .await
        .expect(200);
    assert!(!page["listings"].as_array().unwrap().is_empty(), "{page}");
    let person = &page["chat"]["reasoningSummary"]["recipientProfile"]["personalInfoDescription"];
    assert_eq!(person["occasion"], "walentynki", "{page}");
    app.stop().await;
}
