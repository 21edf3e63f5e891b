//! The simulated users of the event-level benchmarks: each search answered with the first
//! suggestion until its gifts are ready.

use std::time::Duration;

use actix::Addr;
use anyhow::{Context, bail};
use present_finder_actors::services::ServiceContext;
use present_finder_actors::vocabulary::{Locale, Occasion, PriceRange};
use present_finder_web::driver::{Ending, FirstSuggestion, Follow, SessionDriver, SessionOutcome};
use present_finder_web::restapi::commands::{self, StartSearch};
use serde_json::Value;
use uuid::Uuid;

/// A search that ended with its gifts.
pub struct FinishedSearch {
    pub outcome: SessionOutcome,
    pub gifts: Vec<Value>,
}

/// Starts the `n`-th search of `user_id` (the occasions take turns) with a simulated user
/// following it; the returned future waits up to `limit` for its gifts.
pub async fn start_search(
    driver: &Addr<SessionDriver>,
    restapi: &ServiceContext,
    user_id: Uuid,
    n: usize,
    limit: Duration,
) -> anyhow::Result<impl Future<Output = anyhow::Result<FinishedSearch>> + use<>> {
    let chat_id = Uuid::now_v7();
    let (done, outcome) = tokio::sync::oneshot::channel();
    driver
        .send(Follow {
            chat_id,
            user_id,
            script: Box::new(FirstSuggestion),
            done,
        })
        .await?;
    let request = StartSearch {
        chat_id,
        occasion: Occasion::ALL[n % Occasion::ALL.len()],
        locale: Locale::Pl,
        instagram_url: None,
        tiktok_url: None,
        x_url: None,
        price_range: PriceRange {
            min_price: Some(50.0),
            max_price: Some(500.0),
        },
        profile_id: None,
    };
    commands::start_search(restapi, user_id, request).await?;
    Ok(async move {
        let outcome = tokio::time::timeout(limit, outcome)
            .await
            .with_context(|| format!("a search did not end within {} s", limit.as_secs()))??;
        match &outcome.ending {
            Ending::Ready { gifts, .. } => Ok(FinishedSearch {
                gifts: gifts.clone(),
                outcome,
            }),
            other => bail!("a search ended with {other:?}"),
        }
    })
}
