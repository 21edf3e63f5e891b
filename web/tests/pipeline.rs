//! Whole gift searches through the real services and databases, on both transports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Harness, Search};
use present_finder_actors::testing::Transport;
use present_finder_web::driver::{Ending, FirstSuggestion, Scripted};

fn gift_text(gift: &serde_json::Value) -> String {
    format!("{} {}", gift["title"], gift["description"]).to_lowercase()
}

async fn coffee_loving_runner(transport: Transport) {
    let harness = Harness::start(transport).await;
    let outcome = harness
        .search(
            Search::budget(80.0, 400.0),
            Scripted::new([
                "To moja partnerka",
                "Kobieta",
                "26-35",
                "Uwielbia biegać, startuje w półmaratonach",
                "Codziennie pije kawę, najlepiej z ekspresu przelewowego",
            ]),
        )
        .await;
    let Ending::Ready { gifts, partial } = &outcome.ending else {
        panic!("expected gifts, got {:?}", outcome.ending);
    };
    assert!(!partial);
    assert!(gifts.len() >= 5, "{} gifts", gifts.len());
    for gift in gifts {
        let price = gift["price"]["value"].as_f64().unwrap();
        assert!(
            (80.0..=400.0).contains(&price),
            "{price} outside the budget"
        );
    }
    let fitting = gifts
        .iter()
        .take(10)
        .filter(|g| {
            let text = gift_text(g);
            ["bieg", "kaw", "running", "coffee", "sport"]
                .iter()
                .any(|w| text.contains(w))
        })
        .count();
    assert!(fitting >= 6, "only {fitting} of the top 10 fit: {gifts:#?}");
    harness.stop().await;
}

#[actix_rt::test]
async fn coffee_loving_runner_in_process() {
    coffee_loving_runner(Transport::InProcess).await;
}

#[actix_rt::test]
async fn coffee_loving_runner_on_rabbitmq() {
    coffee_loving_runner(Transport::Amqp).await;
}

#[actix_rt::test]
async fn first_suggestion_session_ends_with_gifts() {
    let harness = Harness::start(Transport::InProcess).await;
    let started = std::time::Instant::now();
    let outcome = harness.search(Search::default(), FirstSuggestion).await;
    eprintln!(
        "TIMING session {:?} (harness up at {:?}), {} questions, {} events",
        outcome.elapsed,
        started,
        outcome.questions.len(),
        outcome.events.len()
    );
    for (at, name, data) in &outcome.events {
        eprintln!("TIMING at {at:?}");
        if name != "ui-update" || data["type"] != "chatbot-message" {
            eprintln!(
                "TIMING {name} {} partial={} reason={}",
                data.to_string().chars().take(100).collect::<String>(),
                data["partial"],
                data["reason"]
            );
        }
    }
    assert!(
        matches!(outcome.ending, Ending::Ready { .. }),
        "{:?}",
        outcome.ending
    );
    harness.stop().await;
}
