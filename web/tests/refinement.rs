//! "More like this / not this" on the results, over HTTP: one more wave whose finds are merged
//! into the listings (earlier ones keeping their ids, nothing twice, the budget kept, the
//! disliked kind gone), and likes carried over from earlier searches for the same saved
//! recipient.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use std::collections::HashSet;
use std::time::Duration;

use api_client::sse::SseClient;
use api_client::{Api, first_suggestion, saving_as};
use common::{TestApp, until};
use present_finder_actors::testing::Transport;
use serde_json::{Value, json};
use uuid::Uuid;

const MIN_PRICE: f64 = 40.0;
const MAX_PRICE: f64 = 400.0;

async fn listings(api: &Api, chat_id: Uuid) -> Vec<Value> {
    api.get(&format!("/chats/{chat_id}/listings"))
        .await
        .expect(200)["listings"]
        .as_array()
        .cloned()
        .unwrap()
}

async fn status(api: &Api, chat_id: Uuid) -> String {
    api.get(&format!("/chats/{chat_id}")).await.expect(200)["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn refine_path(chat_id: Uuid) -> String {
    format!("/chats/{chat_id}/refinements")
}

/// The first two words of a title, lowercased: what the test calls its kind.
fn kind(title: &str) -> String {
    title
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How many `gift-ready` events the chat's stream holds, read from its start.
async fn gift_ready_events(api: &Api, chat_id: Uuid, expected: usize) -> Vec<Value> {
    let mut events = SseClient::connect(&api.base, &api.token, chat_id, Some(0)).await;
    let mut ready = Vec::new();
    while ready.len() < expected {
        let frame = events.next_event(Duration::from_secs(60)).await;
        if frame.ui_type().as_deref() == Some("gift-ready") {
            ready.push(frame.json());
        }
    }
    ready
}

#[actix_rt::test]
async fn more_like_this_and_not_this_merge_a_new_wave_into_the_results() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let api = Api::guest(&app).await;
    let chat_id = api
        .start(json!({ "minPrice": MIN_PRICE, "maxPrice": MAX_PRICE, "locale": "pl" }))
        .await;

    // Before there are results there is nothing to refine.
    let early = api
        .post(
            &refine_path(chat_id),
            json!({ "moreLike": [Uuid::now_v7()] }),
        )
        .await;
    assert_eq!(early.status.as_u16(), 409, "{:?}", early.body);

    api.interview(chat_id, saving_as("Brat")).await;
    let before = listings(&api, chat_id).await;
    assert!(before.len() >= 3, "{before:#?}");
    let (liked, disliked, favourite) = (&before[0], &before[1], &before[2]);
    api.post("/favorites", json!({ "listingId": favourite["id"] }))
        .await
        .expect(201);

    // Bad requests name what is wrong and change nothing.
    let path = refine_path(chat_id);
    for (body, field) in [
        (json!({}), "moreLike"),
        (json!({ "moreLike": ["not-a-uuid"] }), "moreLike[0]"),
        (
            json!({ "moreLike": [liked["id"]], "notThis": [liked["id"]] }),
            "notThis",
        ),
    ] {
        let reply = api.post(&path, body.clone()).await;
        assert_eq!(reply.status.as_u16(), 400, "{body}: {:?}", reply.body);
        assert_eq!(reply.body["details"][0]["field"], json!(field), "{body}");
    }
    let stranger = api
        .post(&path, json!({ "notThis": [Uuid::now_v7()] }))
        .await;
    assert_eq!(stranger.status.as_u16(), 404, "{:?}", stranger.body);
    assert_eq!(status(&api, chat_id).await, "ready");

    let started = api
        .post(
            &path,
            json!({ "moreLike": [liked["id"]], "notThis": [disliked["id"]] }),
        )
        .await
        .expect(202);
    assert_eq!(started["likes"], json!(1), "{started}");
    assert_eq!(started["dislikes"], json!(1));
    assert_eq!(started["earlierLikes"], json!(0));
    // One round at a time.
    api.post(&path, json!({ "moreLike": [liked["id"]] }))
        .await
        .expect(409);

    let ready = gift_ready_events(&api, chat_id, 2).await;
    until("the chat is ready again", async || {
        status(&api, chat_id).await == "ready"
    })
    .await;
    let after = listings(&api, chat_id).await;
    assert_eq!(ready[1]["data"].as_array().map(Vec::len), Some(after.len()));

    let ids_before: HashSet<&str> = before.iter().map(|l| l["id"].as_str().unwrap()).collect();
    let links: Vec<&str> = after.iter().map(|l| l["link"].as_str().unwrap()).collect();
    assert_eq!(
        links.iter().collect::<HashSet<_>>().len(),
        links.len(),
        "a gift twice: {links:#?}"
    );
    for (index, listing) in after.iter().enumerate() {
        assert_eq!(listing["rank"], json!(index + 1), "{listing}");
        let price = listing["price"]["value"].as_f64().unwrap();
        assert!((MIN_PRICE..=MAX_PRICE).contains(&price), "{listing}");
        assert_ne!(
            kind(listing["title"].as_str().unwrap()),
            kind(disliked["title"].as_str().unwrap()),
            "a gift of the kind the user said \"not this\" to: {listing}"
        );
    }
    let new: Vec<&Value> = after
        .iter()
        .filter(|l| !ids_before.contains(l["id"].as_str().unwrap()))
        .collect();
    assert!(!new.is_empty(), "the refinement found nothing new");
    let kept = |listing: &Value| after.iter().find(|l| l["link"] == listing["link"]);
    assert_eq!(
        kept(liked).map(|l| &l["id"]),
        Some(&liked["id"]),
        "the liked gift keeps its listing"
    );
    assert!(kept(disliked).is_none());
    let favourite_now = kept(favourite).expect("the favourite stays");
    assert_eq!(favourite_now["id"], favourite["id"]);
    assert_eq!(favourite_now["isFavorited"], json!(true));
    let chat = api.get(&format!("/chats/{chat_id}")).await.expect(200);
    assert_eq!(chat["giftCount"], json!(after.len()));

    // A later search for the same saved recipient counts the first one's favourite and, once
    // rated well, its best results as likes.
    api.post(
        "/feedback",
        json!({ "chatId": chat_id, "rating": 5, "comment": "Trafione" }),
    )
    .await
    .expect(201);
    let profiles = api.get("/user-profiles").await.expect(200)["profiles"].clone();
    assert_eq!(profiles[0]["chatId"], json!(chat_id), "{profiles}");
    let second = api
        .start(
            json!({ "profileId": profiles[0]["id"], "minPrice": MIN_PRICE, "maxPrice": MAX_PRICE }),
        )
        .await;
    api.interview(second, first_suggestion).await;
    let second_listings = listings(&api, second).await;
    let started = api
        .post(
            &refine_path(second),
            json!({ "notThis": [second_listings[0]["id"]] }),
        )
        .await
        .expect(202);
    let earlier = started["earlierLikes"].as_u64().unwrap();
    assert!(
        (2..=4).contains(&earlier),
        "the favourite and up to 3 best of a 5-star search: {started}"
    );
    assert_eq!(started["likes"], json!(earlier));
    gift_ready_events(&api, second, 2).await;
    app.stop().await;
}
