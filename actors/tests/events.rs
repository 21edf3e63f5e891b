//! The event catalog: every event survives the wire (envelope → bytes → envelope → event),
//! and the checked-in machine-readable catalog matches the code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use present_finder_actors::events::*;
use present_finder_actors::vocabulary::*;
use uuid::Uuid;

fn profile() -> RecipientProfile {
    RecipientProfile {
        personal_info_description: PersonalInfo {
            relationship: Some("partnerka".into()),
            occasion: Some("urodziny".into()),
            age_range: Some("26-35".into()),
            gender: Some("kobieta".into()),
        },
        lifestyle_description: Some("Biega".into()),
        preferences_description: None,
        recent_life_description: None,
        possessions: Possessions {
            what_already_has: vec!["zegarek sportowy".into()],
            what_is_missing: vec!["pas biegowy".into()],
        },
        dislikes: vec!["perfumy".into()],
    }
}

fn product() -> Product {
    Product {
        image: None,
        title: "Pas biegowy".into(),
        description: "Na telefon".into(),
        link: "https://allegro.pl/listing?string=pas".into(),
        price: Price::pln(59.99),
        category: Some("Sport i Hobby".into()),
        provider: Marketplace::Catalog,
        details: ProductDetails::default(),
    }
}

fn round_trip<E: Event + PartialEq + std::fmt::Debug + Clone>(event: E) {
    let chat_id = Uuid::now_v7();
    let envelope = Envelope::new(chat_id, &event);
    assert_eq!(envelope.event_type, E::NAME);
    assert!(
        EVENT_NAMES.contains(&E::NAME),
        "{} is in the catalog",
        E::NAME
    );
    let wire = envelope.to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&wire).unwrap();
    for key in [
        "id",
        "type",
        "version",
        "occurredAt",
        "chatId",
        "causationId",
        "payload",
    ] {
        assert!(json.get(key).is_some(), "{} envelope has {key}", E::NAME);
    }
    let received = Envelope::from_bytes(&wire).unwrap();
    assert_eq!(received, envelope);
    assert_eq!(received.decode::<E>().unwrap(), event);
    let caused = Envelope::caused_by(&received, &event);
    assert_eq!(caused.causation_id, Some(received.id));
    assert_eq!(caused.chat_id, chat_id);
}

#[test]
fn every_event_round_trips_through_the_wire_envelope() {
    let range = PriceRange {
        min_price: Some(50.0),
        max_price: Some(300.0),
    };
    let fetch = FetchRequest {
        request_id: Uuid::now_v7(),
        wave_id: Uuid::now_v7(),
        query: "pas biegowy".into(),
        limit: 20,
        price_range: range,
        locale: Locale::En,
    };
    round_trip(StalkingAnalyzeRequestedEvent {
        instagram_url: Some("https://instagram.com/x".into()),
        tiktok_url: None,
        x_url: None,
        price_range: range,
        locale: Locale::Pl,
    });
    round_trip(StalkingCompletedEvent {
        facts: vec!["Biega".into()],
        sources: vec![ProfileSource {
            network: "instagram".into(),
            url: "https://instagram.com/x".into(),
            ok: false,
            error: Some("not available".into()),
        }],
        completed_at: Utc::now(),
    });
    round_trip(ChatStartInterviewEvent {
        occasion: Occasion::JustBecause,
        locale: Locale::En,
        saved_profile: Some(profile()),
        save_profile_name: Some("Ania".into()),
        saved_key_themes: vec!["bieganie".into()],
        price_range: range,
    });
    round_trip(ChatUserAnsweredEvent {
        message_id: Uuid::now_v7(),
        content: "Tak".into(),
    });
    round_trip(ChatQuestionAskedEvent {
        message_id: Uuid::now_v7(),
        question: "Dla kogo?".into(),
        potential_answers: PotentialAnswers::Select {
            answers: vec![SuggestedAnswer::new("Dla mamy", "Mama")],
        },
        question_number: 1,
        max_questions: 12,
    });
    round_trip(ChatQuestionAskedEvent {
        message_id: Uuid::now_v7(),
        question: "Co jeszcze?".into(),
        potential_answers: PotentialAnswers::LongFreeText,
        question_number: 2,
        max_questions: 12,
    });
    round_trip(ChatInterviewCompletedEvent {
        profile: profile(),
        key_themes: vec!["bieganie".into()],
        save_profile: true,
        profile_name: Some("Ania".into()),
    });
    round_trip(ChatInappropriateRequestEvent {
        reason: "broń".into(),
    });
    let feedback = WaveFeedback {
        bad_products: vec![BadProduct {
            title: "Perfumy".into(),
            provider: Marketplace::Allegro,
            score: 2.0,
            reasoning: None,
        }],
        provider_counts: vec![ProviderCount {
            provider: Marketplace::Allegro,
            count: 12,
        }],
    };
    round_trip(GiftGenerateRequestedEvent {
        wave_id: Uuid::now_v7(),
        wave: 2,
        profile: profile(),
        key_themes: vec![],
        facts: vec![],
        price_range: range,
        locale: Locale::Pl,
        feedback: Some(feedback.clone()),
        round: 1,
        refinement: Some(Refinement {
            liked_kinds: vec!["zegarek sportowy".into()],
            excluded_kinds: vec!["żel energetyczny".into()],
        }),
    });
    round_trip(GiftContextInitializedEvent {
        wave_id: Uuid::now_v7(),
        wave: 1,
        expected_fetches: vec![Uuid::now_v7(), Uuid::now_v7()],
        profile: profile(),
        key_themes: vec!["kawa".into()],
        facts: vec![],
        price_range: range,
        locale: Locale::Pl,
        round: 0,
        refinement: None,
    });
    round_trip(GiftRefinementRequestedEvent {
        likes: vec![JudgedProduct {
            title: "Zegarek sportowy".into(),
        }],
        dislikes: vec![],
    });
    round_trip(FetchOlxEvent(fetch.clone()));
    round_trip(FetchAllegroEvent(fetch.clone()));
    round_trip(FetchEbayEvent(fetch.clone()));
    round_trip(FetchAmazonEvent(fetch.clone()));
    round_trip(FetchCatalogEvent(fetch.clone()));
    round_trip(ProductFetchedEvent {
        request_id: fetch.request_id,
        wave_id: fetch.wave_id,
        provider: Marketplace::Olx,
        success: false,
        products: vec![],
        error: Some("timeout".into()),
    });
    round_trip(RegenerateIdeasLoopEvent {
        wave_id: Uuid::now_v7(),
        wave: 1,
        bad_products: feedback.bad_products.clone(),
        provider_counts: feedback.provider_counts.clone(),
    });
    round_trip(GiftFinalizeRequestedEvent {
        reason: "deadline".into(),
    });
    round_trip(GiftReadyEvent {
        gifts: vec![RankedGift {
            product: product(),
            score: 8.5,
            reasoning: "Pasuje do biegania.".into(),
        }],
        profile_summary: ProfileSummary {
            recipient_profile: profile(),
            key_themes_and_keywords: vec!["bieganie".into()],
        },
        partial: false,
        reason: None,
    });
    round_trip(GiftSessionProgressEvent {
        stage: Stage::Searching,
        done: 3,
        total: 8,
        message: "…".into(),
    });
    round_trip(GiftSessionFailedEvent {
        stage: Stage::Ideas,
        reason: "…".into(),
        retryable: true,
    });
    round_trip(UiEventRecordedEvent {
        seq: 7,
        event_name: "progress".into(),
        data: serde_json::json!({"stage": "ideas"}),
    });
    round_trip(ChatDataErasedEvent {
        reason: ErasureReason::ChatDeleted,
    });
    round_trip(ChatDataErasedEvent {
        reason: ErasureReason::AccountDeleted,
    });
    round_trip(LlmUsageRecordedEvent {
        step: present_finder_actors::llm::LlmTask::Scoring,
        usage: present_finder_actors::llm::Usage {
            calls: 3,
            prompt_tokens: 2_400,
            completion_tokens: 610,
            estimated: true,
            fallbacks: 1,
        },
    });
}

#[test]
fn prices_are_numbers_and_fields_camel_case_on_the_wire() {
    let event = GiftReadyEvent {
        gifts: vec![RankedGift {
            product: product(),
            score: 9.0,
            reasoning: "r".into(),
        }],
        profile_summary: ProfileSummary {
            recipient_profile: profile(),
            key_themes_and_keywords: vec![],
        },
        partial: true,
        reason: Some("cut short".into()),
    };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["gifts"][0]["price"]["value"], serde_json::json!(59.99));
    assert_eq!(json["gifts"][0]["provider"], "catalog");
    assert!(
        json["profileSummary"]["recipientProfile"]["possessions"]["what_already_has"].is_array()
    );
}

#[test]
fn erasure_reasons_are_snake_case_on_the_wire() {
    for (reason, wire) in [
        (ErasureReason::ChatDeleted, "chat_deleted"),
        (ErasureReason::AccountDeleted, "account_deleted"),
    ] {
        let json = serde_json::to_value(ChatDataErasedEvent { reason }).unwrap();
        assert_eq!(json, serde_json::json!({ "reason": wire }));
        assert_eq!(reason.as_str(), wire);
    }
}

#[test]
fn a_newer_version_than_this_build_reads_is_refused() {
    let mut envelope = Envelope::new(
        Uuid::now_v7(),
        &ChatInappropriateRequestEvent { reason: "x".into() },
    );
    envelope.version = 2;
    assert!(matches!(
        envelope.decode::<ChatInappropriateRequestEvent>(),
        Err(DecodeError::UnsupportedVersion { .. })
    ));
    assert!(matches!(
        envelope.decode::<ChatUserAnsweredEvent>(),
        Err(DecodeError::WrongType { .. })
    ));
}

#[test]
fn the_checked_in_catalog_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/events.schema.json");
    let checked_in: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        checked_in,
        catalog_schema(),
        "docs/events.schema.json is stale: regenerate it with `cargo run -- event-catalog > docs/events.schema.json`"
    );
    let events = checked_in["events"].as_object().unwrap();
    assert_eq!(events.len(), EVENT_NAMES.len());
    for name in EVENT_NAMES {
        assert!(events.contains_key(*name), "{name} is described");
    }
}

#[test]
fn a_fetch_request_written_before_it_carried_a_locale_reads_as_polish() {
    let old = serde_json::json!({
        "requestId": Uuid::now_v7(),
        "waveId": Uuid::now_v7(),
        "query": "pas biegowy",
        "limit": 20,
        "minPrice": 50.0,
    });
    let request: FetchCatalogEvent = serde_json::from_value(old).expect("an old request reads");
    assert_eq!(request.0.locale, Locale::Pl);
    assert_eq!(request.0.price_range.min_price, Some(50.0));
    let english = serde_json::to_value(FetchCatalogEvent(FetchRequest {
        locale: Locale::En,
        ..request.0
    }))
    .expect("serialises");
    assert_eq!(english["locale"], "en");
}
