use std::collections::BTreeMap;
use std::sync::Arc;

use actix::prelude::*;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::provider::ProductScorer;
use super::repository::{self, StoredProduct, Wave, WaveContext};
use super::scorer::{self, OwnedScoringContext, ScoringContext};
use super::texts;
use crate::broker::{BrokerError, ConsumerGroup, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, Envelope, Event, GiftContextInitializedEvent, GiftFinalizeRequestedEvent,
    GiftReadyEvent, ProductFetchedEvent, ProfileSummary, RegenerateIdeasLoopEvent,
};
use crate::services::progress::progress;
use crate::services::provider::off_the_event_loop;
use crate::services::{ServiceContext, Settings, unexpected_event};
use crate::vocabulary::{BadProduct, Marketplace, ProviderCount, Stage};

/// Bad products fed back to the next wave at most.
const FEEDBACK_SIZE: usize = 20;
const SWEEP_BATCH: i64 = 50;

/// The reranking service's supervisor actor.
pub struct RerankingService {
    ctx: ServiceContext,
    scorer: Arc<dyn ProductScorer>,
    sweeping: bool,
}

impl Actor for RerankingService {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.ctx.settings.sweep_interval, |service, ctx| {
            service.sweep(ctx)
        });
    }
}

impl Supervised for RerankingService {}

pub async fn start(
    ctx: ServiceContext,
    scorer: Arc<dyn ProductScorer>,
) -> Result<Addr<RerankingService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let events = service.consumed_events(&ctx.settings.marketplaces);
    let addr = Supervisor::start(move |_| RerankingService {
        ctx,
        scorer,
        sweeping: false,
    });
    broker
        .subscribe(
            ConsumerGroup::Service(service.as_str().to_owned()),
            events,
            addr.clone().recipient(),
        )
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for RerankingService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let scorer = self.scorer.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            let settings = ctx.settings.clone();
            let cause = envelope.clone();
            if envelope.is::<GiftContextInitializedEvent>() {
                let event: GiftContextInitializedEvent = envelope.decode()?;
                ctx.once(&envelope, move |conn| {
                    Box::pin(async move {
                        announce_wave(conn, &cause, event, &settings, scorer.as_ref()).await
                    })
                })
                .await
            } else if envelope.is::<ProductFetchedEvent>() {
                let event: ProductFetchedEvent = envelope.decode()?;
                ctx.once(&envelope, move |conn| {
                    Box::pin(async move {
                        collect(conn, &cause, event, &settings, scorer.as_ref()).await
                    })
                })
                .await
            } else if envelope.is::<GiftFinalizeRequestedEvent>() {
                ctx.once(&envelope, move |conn| {
                    Box::pin(
                        async move { finalize_now(conn, &cause, &settings, scorer.as_ref()).await },
                    )
                })
                .await
            } else if envelope.is::<ChatDataErasedEvent>() {
                // Waves, their requests, products and the result go. `ctx.once` then drops
                // the chat's later announcements and answers, so no wave comes back, and
                // the deadline sweep has no wave left to finalise.
                ctx.erase(&envelope, |conn, chat_id| {
                    Box::pin(repository::erase_chat(conn, chat_id))
                })
                .await
            } else {
                Err(unexpected_event(&envelope))
            }
        })
    }
}

impl RerankingService {
    /// Finalises, with what arrived, every wave that has been quiet past its deadline.
    fn sweep(&mut self, ctx: &mut Context<Self>) {
        if self.sweeping {
            return;
        }
        let Some(busy) = self.ctx.lifecycle.enter() else {
            return;
        };
        self.sweeping = true;
        let service = self.ctx.clone();
        let scorer = self.scorer.clone();
        let work = async move {
            let _busy = busy;
            let settings = service.settings.clone();
            service
                .emit(move |conn| {
                    Box::pin(async move {
                        let mut produced = Vec::new();
                        for wave in repository::lock_overdue(conn, Utc::now(), SWEEP_BATCH).await? {
                            let origin = Origin::Timer(wave.chat_id);
                            produced.extend(
                                finalize(conn, &origin, wave, true, &settings, scorer.as_ref())
                                    .await?,
                            );
                        }
                        Ok(produced)
                    })
                })
                .await
        };
        ctx.spawn(
            actix::fut::wrap_future::<_, Self>(work).map(|result, service, _| {
                service.sweeping = false;
                if let Err(error) = result {
                    log::warn!("the reranking deadline sweep failed: {error}");
                }
            }),
        );
    }
}

/// What caused the events about to be emitted.
enum Origin<'a> {
    Event(&'a Envelope),
    Timer(Uuid),
}

impl Origin<'_> {
    fn wrap<E: Event>(&self, event: &E) -> Envelope {
        match self {
            Origin::Event(cause) => Envelope::caused_by(cause, event),
            Origin::Timer(chat_id) => Envelope::new(*chat_id, event),
        }
    }
}

async fn announce_wave(
    conn: &mut AsyncPgConnection,
    cause: &Envelope,
    event: GiftContextInitializedEvent,
    settings: &Settings,
    scorer: &dyn ProductScorer,
) -> Result<Vec<Envelope>, HandlerError> {
    let context = WaveContext {
        profile: event.profile,
        key_themes: event.key_themes,
        facts: event.facts,
        price_range: event.price_range,
        locale: event.locale,
    };
    repository::serialize_wave(conn, event.wave_id).await?;
    let deadline = Utc::now() + settings.event_timeout;
    repository::insert_wave(
        conn,
        event.wave_id,
        cause.chat_id,
        event.wave,
        &context,
        deadline,
    )
    .await?;
    repository::expect_requests(conn, event.wave_id, &event.expected_fetches).await?;
    finalize_if_complete(conn, &Origin::Event(cause), event.wave_id, settings, scorer).await
}

async fn collect(
    conn: &mut AsyncPgConnection,
    cause: &Envelope,
    event: ProductFetchedEvent,
    settings: &Settings,
    scorer: &dyn ProductScorer,
) -> Result<Vec<Envelope>, HandlerError> {
    repository::serialize_wave(conn, event.wave_id).await?;
    let first_answer = repository::record_answer(
        conn,
        event.request_id,
        event.wave_id,
        event.provider,
        event.success,
        event.error.as_deref(),
    )
    .await?;
    if !first_answer {
        return Ok(Vec::new());
    }
    let wave = repository::lock_wave(conn, event.wave_id).await?;
    if wave.as_ref().is_some_and(|w| !w.is_collecting()) {
        // A late answer: the wave was already scored.
        return Ok(Vec::new());
    }
    repository::insert_products(
        conn,
        cause.chat_id,
        event.wave_id,
        event.request_id,
        &event.products,
    )
    .await?;
    let Some(wave) = wave else {
        // The announcement has not arrived yet; it will complete the wave.
        return Ok(Vec::new());
    };
    repository::extend_deadline(conn, wave.wave_id, Utc::now() + settings.event_timeout).await?;
    let (answered, expected) = repository::request_counts(conn, wave.wave_id).await?;
    let locale = wave.context().locale;
    let mut events = Vec::new();
    if reports_progress(answered, expected) {
        events.push(Envelope::caused_by(
            cause,
            &progress(Stage::Searching, count(answered), count(expected), locale),
        ));
    }
    if answered >= expected {
        events.extend(finalize(conn, &Origin::Event(cause), wave, false, settings, scorer).await?);
    }
    Ok(events)
}

/// The session deadline is near: deliver whatever the chat has.
async fn finalize_now(
    conn: &mut AsyncPgConnection,
    cause: &Envelope,
    settings: &Settings,
    scorer: &dyn ProductScorer,
) -> Result<Vec<Envelope>, HandlerError> {
    let origin = Origin::Event(cause);
    match repository::lock_latest_wave(conn, cause.chat_id).await? {
        Some(wave) if wave.is_collecting() => {
            finalize(conn, &origin, wave, true, settings, scorer).await
        }
        Some(wave) => deliver(conn, &origin, &wave, true, settings).await,
        None => {
            // Not a single wave was announced: an empty result is still an answer.
            let wave = Wave {
                wave_id: Uuid::nil(),
                chat_id: cause.chat_id,
                wave: 0,
                context: serde_json::Value::Null,
                status: "finalized".to_owned(),
            };
            deliver(conn, &origin, &wave, true, settings).await
        }
    }
}

async fn finalize_if_complete(
    conn: &mut AsyncPgConnection,
    origin: &Origin<'_>,
    wave_id: Uuid,
    settings: &Settings,
    scorer: &dyn ProductScorer,
) -> Result<Vec<Envelope>, HandlerError> {
    let Some(wave) = repository::lock_wave(conn, wave_id).await? else {
        return Ok(Vec::new());
    };
    let (answered, expected) = repository::request_counts(conn, wave_id).await?;
    if !wave.is_collecting() || answered < expected {
        return Ok(Vec::new());
    }
    finalize(conn, origin, wave, false, settings, scorer).await
}

/// Scores the wave (once: the wave is locked and marked finalised), then asks for another
/// wave or delivers the result. `cut_short` marks a wave finalised by a deadline.
async fn finalize(
    conn: &mut AsyncPgConnection,
    origin: &Origin<'_>,
    wave: Wave,
    cut_short: bool,
    settings: &Settings,
    scorer: &dyn ProductScorer,
) -> Result<Vec<Envelope>, HandlerError> {
    if !wave.is_collecting() {
        return Ok(Vec::new());
    }
    repository::mark_finalized(conn, wave.wave_id).await?;
    let context = wave.context();
    let scoring = ScoringContext {
        profile: &context.profile,
        key_themes: &context.key_themes,
        facts: &context.facts,
        price_range: context.price_range,
        locale: context.locale,
    };
    let mut found = repository::chat_products(conn, wave.chat_id).await?;
    score_unscored(conn, &scoring, &mut found, scorer).await?;
    let good = found
        .iter()
        .filter(|p| p.score.is_some_and(|s| s >= settings.minimal_score))
        .count();
    let wave_number = u32::try_from(wave.wave).unwrap_or(0);
    if !cut_short && good < settings.top_best_count && wave_number <= settings.max_ideas_loop {
        let regenerate = RegenerateIdeasLoopEvent {
            wave_id: wave.wave_id,
            wave: wave_number,
            bad_products: bad_products(&found, wave.wave_id, settings.minimal_score),
            provider_counts: provider_counts(&found),
        };
        let scoring_done = progress(Stage::Scoring, 1, 1, context.locale);
        return Ok(vec![origin.wrap(&scoring_done), origin.wrap(&regenerate)]);
    }
    deliver_scored(conn, origin, &wave, &context, found, cut_short, settings).await
}

/// Scores the products that have no score yet; what the pre-filter rejects scores 0.
async fn score_unscored(
    conn: &mut AsyncPgConnection,
    scoring: &ScoringContext<'_>,
    found: &mut [StoredProduct],
    scorer: &dyn ProductScorer,
) -> Result<(), HandlerError> {
    let (admitted, rejected): (Vec<usize>, Vec<usize>) = (0..found.len())
        .filter(|&i| found[i].score.is_none())
        .partition(|&i| scorer::prefilter(scoring, &found[i].product()));
    for &i in &rejected {
        found[i].score = Some(0.0);
        found[i].reasoning = Some(texts::filtered_out(scoring.locale).to_owned());
    }
    let products: Vec<_> = admitted.iter().map(|&i| found[i].product()).collect();
    let assessments = scorer.assess(scoring, &products).await?;
    for (&i, assessment) in admitted.iter().zip(assessments) {
        if assessment.category.is_some() {
            found[i].category = assessment.category;
        }
        found[i].score = Some(assessment.score);
        found[i].reasoning = Some(assessment.reasoning);
    }
    let updates: Vec<_> = rejected
        .iter()
        .chain(&admitted)
        .map(|&i| repository::ScoreUpdate {
            product_id: found[i].id,
            score: found[i].score.unwrap_or_default(),
            reasoning: found[i].reasoning.as_deref().unwrap_or_default(),
            category: found[i].category.as_deref(),
        })
        .collect();
    repository::store_scores(conn, &updates).await?;
    Ok(())
}

/// Delivers the chat's result from products scored earlier (a finalisation request after the
/// last wave was already scored).
async fn deliver(
    conn: &mut AsyncPgConnection,
    origin: &Origin<'_>,
    wave: &Wave,
    cut_short: bool,
    settings: &Settings,
) -> Result<Vec<Envelope>, HandlerError> {
    let found = repository::chat_products(conn, wave.chat_id).await?;
    let context = wave.context();
    deliver_scored(conn, origin, wave, &context, found, cut_short, settings).await
}

/// The GiftReadyEvent, emitted once per chat: the best products over all waves.
async fn deliver_scored(
    conn: &mut AsyncPgConnection,
    origin: &Origin<'_>,
    wave: &Wave,
    context: &WaveContext,
    found: Vec<StoredProduct>,
    cut_short: bool,
    settings: &Settings,
) -> Result<Vec<Envelope>, HandlerError> {
    let scoring = ScoringContext {
        profile: &context.profile,
        key_themes: &context.key_themes,
        facts: &context.facts,
        price_range: context.price_range,
        locale: context.locale,
    };
    let scored = found
        .into_iter()
        .filter_map(|p| {
            let assessment = scorer::Assessment {
                score: p.score?,
                reasoning: p.reasoning.clone().unwrap_or_default(),
                category: p.category.clone(),
            };
            Some((p.product(), assessment))
        })
        .collect();
    let (owned, minimal_score, top) = (
        OwnedScoringContext::of(&scoring),
        settings.minimal_score,
        settings.top_best_count,
    );
    let gifts = off_the_event_loop("reranking", move || {
        scorer::select(&owned.context(), scored, minimal_score, top)
    })
    .await?;
    if !repository::claim_result(conn, wave.chat_id, wave.wave_id, cut_short, gifts.len()).await? {
        return Ok(Vec::new());
    }
    let reason = if gifts.is_empty() {
        Some(texts::nothing_found(context.locale).to_owned())
    } else if cut_short {
        Some(texts::partial(context.locale).to_owned())
    } else {
        None
    };
    let ready = GiftReadyEvent {
        gifts,
        profile_summary: ProfileSummary {
            recipient_profile: context.profile.clone(),
            key_themes_and_keywords: context.key_themes.clone(),
        },
        partial: cut_short,
        reason,
    };
    Ok(vec![
        origin.wrap(&progress(Stage::Scoring, 1, 1, context.locale)),
        origin.wrap(&ready),
    ])
}

/// The worst products of the wave, for the next wave to avoid.
fn bad_products(found: &[StoredProduct], wave_id: Uuid, minimal_score: f64) -> Vec<BadProduct> {
    let mut bad: Vec<&StoredProduct> = found
        .iter()
        .filter(|p| p.wave_id == wave_id && p.score.is_some_and(|s| s < minimal_score))
        .collect();
    bad.sort_by(|a, b| {
        a.score
            .partial_cmp(&b.score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    bad.into_iter()
        .take(FEEDBACK_SIZE)
        .map(|p| BadProduct {
            title: p.title.clone(),
            provider: Marketplace::parse(&p.provider).unwrap_or(Marketplace::Catalog),
            score: p.score.unwrap_or(0.0),
            reasoning: p.reasoning.clone(),
        })
        .collect()
}

fn provider_counts(found: &[StoredProduct]) -> Vec<ProviderCount> {
    let mut counts: BTreeMap<Marketplace, u32> = BTreeMap::new();
    for product in found {
        if let Some(provider) = Marketplace::parse(&product.provider) {
            *counts.entry(provider).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(provider, count)| ProviderCount { provider, count })
        .collect()
}

/// Whether `answered` of `expected` fetches is worth telling the user: each quarter and the
/// end, not every answer (a wave has up to dozens; each progress event is a stored ui event
/// and a message to every web instance).
fn reports_progress(answered: i64, expected: i64) -> bool {
    let step = (expected + 3) / 4;
    answered >= expected || (step > 0 && answered % step == 0)
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::reports_progress;

    #[test]
    fn progress_is_reported_each_quarter_and_at_the_end() {
        let reported: Vec<i64> = (1..=16).filter(|&n| reports_progress(n, 16)).collect();
        assert_eq!(reported, vec![4, 8, 12, 16]);
        let reported: Vec<i64> = (1..=6).filter(|&n| reports_progress(n, 6)).collect();
        assert_eq!(reported, vec![2, 4, 6]);
        assert!(reports_progress(1, 1));
        assert!(
            reports_progress(3, 2),
            "late extra answers still end the wave"
        );
    }
}
