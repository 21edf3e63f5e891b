use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::provider::{EmbeddedScorer, ProductScorer};
use super::repository::{self, StoredProduct, Wave, WaveContext};
use super::scorer::{self, OwnedScoringContext, ScoringContext};
use super::texts;
use crate::broker::{BrokerError, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, Envelope, Event, GiftContextInitializedEvent, GiftFinalizeRequestedEvent,
    GiftReadyEvent, LlmUsageRecordedEvent, ProductFetchedEvent, ProfileSummary,
    RegenerateIdeasLoopEvent,
};
use crate::llm::{LlmTask, Usage, metered};
use crate::services::progress::progress;
use crate::services::provider::{off_the_event_loop, within};
use crate::services::{ServiceContext, Settings, unexpected_event};
use crate::vocabulary::{BadProduct, Marketplace, ProviderCount, Stage};

/// How many more gifts the result of each refinement round may hold.
const REFINEMENT_ROOM: usize = 10;
/// Bad products fed back to the next wave at most.
const FEEDBACK_SIZE: usize = 20;
const SWEEP_BATCH: i64 = 50;

/// The reranking service's supervisor actor.
pub struct RerankingService {
    ctx: ServiceContext,
    scorers: Scorers,
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
    let scorers = Scorers {
        configured: scorer,
        limit: ctx.settings.scoring_timeout,
    };
    let addr = Supervisor::start(move |_| RerankingService {
        ctx,
        scorers,
        sweeping: false,
    });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for RerankingService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let scorers = self.scorers.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            let settings = ctx.settings.clone();
            let cause = envelope.clone();
            // Announcements and answers are recorded first (their own short transaction, in
            // the wave's turn: a burst of answers for one wave waits here, not on its lock
            // with a connection each);
            // a wave they complete is then scored with no transaction open and finalised in
            // one more (`finalize_if_complete`). That second step is decided by the wave's
            // state, not by the claim: a redelivery after a crash between the two finds the
            // event claimed and still finalises the wave.
            if envelope.is::<GiftContextInitializedEvent>() {
                let event: GiftContextInitializedEvent = envelope.decode()?;
                let wave_id = event.wave_id;
                let turn = ctx.turns.wait(wave_id).await;
                ctx.once(&envelope, move |conn| {
                    Box::pin(async move { announce_wave(conn, &cause, event, &settings).await })
                })
                .await?;
                drop(turn);
                finalize_if_complete(&ctx, &scorers, Origin::Event(envelope), wave_id).await
            } else if envelope.is::<ProductFetchedEvent>() {
                let event: ProductFetchedEvent = envelope.decode()?;
                let wave_id = event.wave_id;
                let turn = ctx.turns.wait(wave_id).await;
                ctx.once(&envelope, move |conn| {
                    Box::pin(async move { collect(conn, &cause, event, &settings).await })
                })
                .await?;
                drop(turn);
                finalize_if_complete(&ctx, &scorers, Origin::Event(envelope), wave_id).await
            } else if envelope.is::<GiftFinalizeRequestedEvent>() {
                finalize_now(&ctx, &scorers, envelope).await
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
    /// Finalises, with what arrived, every wave that has been quiet past its deadline. The
    /// waves are read without locks; each is scored and then finalised by
    /// [`finalize_wave`], whose compare-and-set lets only one finaliser (this sweep, another
    /// replica's, or the wave's last answer) deliver.
    fn sweep(&mut self, ctx: &mut Context<Self>) {
        if self.sweeping {
            return;
        }
        let Some(busy) = self.ctx.lifecycle.enter() else {
            return;
        };
        self.sweeping = true;
        let service = self.ctx.clone();
        let scorers = self.scorers.clone();
        let work = async move {
            let _busy = busy;
            let overdue = {
                let mut conn = service.pool.get().await?;
                repository::overdue(&mut conn, Utc::now(), SWEEP_BATCH).await?
            };
            for wave in overdue {
                let (wave_id, origin) = (wave.wave_id, Origin::Timer(wave.chat_id));
                if let Err(error) =
                    finalize_wave(&service, &scorers, origin, wave, Trigger::Overdue).await
                {
                    log::warn!(
                        "the reranking deadline sweep could not finalise wave {wave_id}: {error}"
                    );
                }
            }
            Ok::<_, HandlerError>(())
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

/// The configured scorer and its time limit per wave. The embedded scorer stands in for it
/// when it fails, runs out of time or answers for the wrong number of products.
#[derive(Clone)]
struct Scorers {
    configured: Arc<dyn ProductScorer>,
    limit: Duration,
}

/// What caused the events about to be emitted.
#[derive(Clone)]
enum Origin {
    Event(Arc<Envelope>),
    Timer(Uuid),
}

impl Origin {
    fn wrap<E: Event>(&self, event: &E) -> Envelope {
        match self {
            Origin::Event(cause) => Envelope::caused_by(cause, event),
            Origin::Timer(chat_id) => Envelope::new(*chat_id, event),
        }
    }
}

/// Why a wave is finalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// Every expected fetch answered.
    Complete,
    /// Quiet past its deadline: scored with what arrived (cut short, unless it turns out
    /// complete, as after a crash between its last answer and its finalisation).
    Overdue,
}

/// The score given to a product that had none, computed outside any transaction.
#[derive(Debug, Clone)]
struct Scored {
    score: f64,
    reasoning: String,
    category: Option<String>,
}

async fn announce_wave(
    conn: &mut AsyncPgConnection,
    cause: &Envelope,
    event: GiftContextInitializedEvent,
    settings: &Settings,
) -> Result<Vec<Envelope>, HandlerError> {
    let context = WaveContext {
        profile: event.profile,
        key_themes: event.key_themes,
        facts: event.facts,
        price_range: event.price_range,
        locale: event.locale,
        round: event.round,
        refinement: event.refinement,
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
    Ok(Vec::new())
}

async fn collect(
    conn: &mut AsyncPgConnection,
    cause: &Envelope,
    event: ProductFetchedEvent,
    settings: &Settings,
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
    Ok(events)
}

/// Finalises the wave if every expected fetch has answered and nobody finalised it yet.
async fn finalize_if_complete(
    ctx: &ServiceContext,
    scorers: &Scorers,
    origin: Origin,
    wave_id: Uuid,
) -> Result<(), HandlerError> {
    let wave = {
        let mut conn = ctx.pool.get().await?;
        match repository::find_wave(&mut conn, wave_id).await? {
            Some(wave) if wave.is_collecting() => {
                let (answered, expected) = repository::request_counts(&mut conn, wave_id).await?;
                (answered >= expected).then_some(wave)
            }
            _ => None,
        }
    };
    match wave {
        Some(wave) => finalize_wave(ctx, scorers, origin, wave, Trigger::Complete).await,
        None => Ok(()),
    }
}

/// Finalises a wave in the three steps of every provider call: reads the chat's products
/// (no lock), scores those without a score (no connection held), then in one transaction
/// locks the wave and finalises it only if it is still collecting — the compare-and-set that
/// makes finalisation happen once however many finalisers race (the wave's last answer, a
/// redelivery of it, the sweeps of several replicas): the others find it finalised and emit
/// nothing. Products stored while the wave was scored make the transaction fail (transient),
/// so the wave is read and scored again: by the redelivery of the event, or the next sweep.
async fn finalize_wave(
    ctx: &ServiceContext,
    scorers: &Scorers,
    origin: Origin,
    wave: Wave,
    trigger: Trigger,
) -> Result<(), HandlerError> {
    let (scores, usage) = score_wave(ctx, scorers, &wave).await?;
    let settings = ctx.settings.clone();
    let wave_id = wave.wave_id;
    let _turn = ctx.turns.wait(wave_id).await;
    ctx.for_chat(wave.chat_id, move |conn| {
        Box::pin(async move {
            repository::serialize_wave(conn, wave_id).await?;
            let Some(wave) = repository::lock_wave(conn, wave_id).await? else {
                return Ok(Vec::new());
            };
            if !wave.is_collecting() {
                return Ok(Vec::new());
            }
            let cut_short = match trigger {
                Trigger::Complete => false,
                Trigger::Overdue => {
                    let (answered, expected) = repository::request_counts(conn, wave_id).await?;
                    answered < expected
                }
            };
            let mut events = finalize(conn, &origin, wave, cut_short, &scores, &settings).await?;
            events.extend(usage_event(&origin, usage));
            Ok(events)
        })
    })
    .await
}

/// The session deadline is near: deliver whatever the chat has. A wave still collecting is
/// scored first, with no transaction open; the one transaction after it claims the event.
async fn finalize_now(
    ctx: &ServiceContext,
    scorers: &Scorers,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let chat_id = envelope.chat_id;
    let latest = {
        let mut conn = ctx.pool.get().await?;
        repository::latest_wave(&mut conn, chat_id).await?
    };
    let (scored_wave, (scores, usage)) = match latest {
        Some(wave) if wave.is_collecting() => {
            (Some(wave.wave_id), score_wave(ctx, scorers, &wave).await?)
        }
        _ => (None, (HashMap::new(), Usage::default())),
    };
    let settings = ctx.settings.clone();
    let origin = Origin::Event(envelope.clone());
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            match repository::lock_latest_wave(conn, chat_id).await? {
                Some(wave) if wave.is_collecting() => {
                    if scored_wave != Some(wave.wave_id) {
                        return Err(HandlerError::Transient(anyhow::anyhow!(
                            "chat {chat_id}: wave {} started while the previous one was \
                             scored; scoring again",
                            wave.wave_id
                        )));
                    }
                    let mut events =
                        finalize(conn, &origin, wave, true, &scores, &settings).await?;
                    events.extend(usage_event(&origin, usage));
                    Ok(events)
                }
                Some(wave) => deliver(conn, &origin, &wave, true, &settings).await,
                None => {
                    // Not a single wave was announced: an empty result is still an answer.
                    let wave = Wave {
                        wave_id: Uuid::nil(),
                        chat_id,
                        wave: 0,
                        context: serde_json::Value::Null,
                        status: "finalized".to_owned(),
                    };
                    deliver(conn, &origin, &wave, true, &settings).await
                }
            }
        })
    })
    .await
}

/// What scoring a wave cost, for the summary; nothing when no LLM was asked.
fn usage_event(origin: &Origin, usage: Usage) -> Option<Envelope> {
    (!usage.is_empty()).then(|| {
        origin.wrap(&LlmUsageRecordedEvent {
            step: LlmTask::Scoring,
            usage,
        })
    })
}

/// Reads the chat's products (a short read, no lock) and scores those without a score, with
/// no connection held. Returns the scores and what the LLM calls among them cost.
async fn score_wave(
    ctx: &ServiceContext,
    scorers: &Scorers,
    wave: &Wave,
) -> Result<(HashMap<Uuid, Scored>, Usage), HandlerError> {
    let found = {
        let mut conn = ctx.pool.get().await?;
        repository::chat_products(&mut conn, wave.chat_id).await?
    };
    let context = wave.context();
    let scoring = ScoringContext {
        profile: &context.profile,
        key_themes: &context.key_themes,
        facts: &context.facts,
        price_range: context.price_range,
        locale: context.locale,
    };
    let (scores, usage) = metered(score_unscored(scorers, wave.chat_id, &scoring, &found)).await;
    Ok((scores?, usage))
}

/// Scores the products that have no score yet; what the pre-filter rejects scores 0. The
/// configured scorer gets its time limit; when it fails, runs out of time or answers for the
/// wrong number of products, the embedded scorer scores the wave.
async fn score_unscored(
    scorers: &Scorers,
    chat_id: Uuid,
    scoring: &ScoringContext<'_>,
    found: &[StoredProduct],
) -> Result<HashMap<Uuid, Scored>, HandlerError> {
    let screen = scorer::Screen::new(scoring);
    let (admitted, rejected): (Vec<&StoredProduct>, Vec<&StoredProduct>) = found
        .iter()
        .filter(|p| p.score.is_none())
        .partition(|p| screen.admits(&p.product()));
    let mut scores: HashMap<Uuid, Scored> = rejected
        .iter()
        .map(|p| {
            let scored = Scored {
                score: 0.0,
                reasoning: texts::filtered_out(scoring.locale).to_owned(),
                category: p.category.clone(),
            };
            (p.id, scored)
        })
        .collect();
    if admitted.is_empty() {
        return Ok(scores);
    }
    let products: Vec<_> = admitted.iter().map(|p| p.product()).collect();
    let assessed = within(
        "the scorer",
        scorers.limit,
        scorers.configured.assess(scoring, &products),
    )
    .await;
    let assessments = match assessed {
        Ok(assessments) if assessments.len() == products.len() => assessments,
        outcome => {
            let error = match outcome {
                Err(error) => error.to_string(),
                Ok(assessments) => format!(
                    "the scorer assessed {} of {} products",
                    assessments.len(),
                    products.len()
                ),
            };
            log::warn!("chat {chat_id}: {error}; the embedded scorer scores this wave instead");
            EmbeddedScorer.assess(scoring, &products).await?
        }
    };
    for (product, assessment) in admitted.iter().zip(assessments) {
        let scored = Scored {
            score: assessment.score,
            reasoning: assessment.reasoning,
            category: assessment.category.or_else(|| product.category.clone()),
        };
        scores.insert(product.id, scored);
    }
    Ok(scores)
}

/// Finalises a locked, still collecting wave with `scores` (computed before the
/// transaction), then asks for another wave or delivers the result. `cut_short` marks a wave
/// finalised by a deadline.
async fn finalize(
    conn: &mut AsyncPgConnection,
    origin: &Origin,
    wave: Wave,
    cut_short: bool,
    scores: &HashMap<Uuid, Scored>,
    settings: &Settings,
) -> Result<Vec<Envelope>, HandlerError> {
    let mut found = repository::chat_products(conn, wave.chat_id).await?;
    let mut scored_now = HashSet::new();
    for product in found.iter_mut().filter(|p| p.score.is_none()) {
        let Some(scored) = scores.get(&product.id) else {
            return Err(HandlerError::Transient(anyhow::anyhow!(
                "chat {}: products arrived while wave {} was scored; scoring again",
                wave.chat_id,
                wave.wave_id
            )));
        };
        product.score = Some(scored.score);
        product.reasoning = Some(scored.reasoning.clone());
        product.category = scored.category.clone();
        scored_now.insert(product.id);
    }
    repository::mark_finalized(conn, wave.wave_id).await?;
    let updates: Vec<_> = found
        .iter()
        .filter(|p| scored_now.contains(&p.id))
        .map(|p| repository::ScoreUpdate {
            product_id: p.id,
            score: p.score.unwrap_or_default(),
            reasoning: p.reasoning.as_deref().unwrap_or_default(),
            category: p.category.as_deref(),
        })
        .collect();
    repository::store_scores(conn, &updates).await?;
    let context = wave.context();
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

/// Delivers the chat's result from products scored earlier (a finalisation request after the
/// last wave was already scored).
async fn deliver(
    conn: &mut AsyncPgConnection,
    origin: &Origin,
    wave: &Wave,
    cut_short: bool,
    settings: &Settings,
) -> Result<Vec<Envelope>, HandlerError> {
    let found = repository::chat_products(conn, wave.chat_id).await?;
    let context = wave.context();
    deliver_scored(conn, origin, wave, &context, found, cut_short, settings).await
}

/// The GiftReadyEvent, emitted once per chat and refinement round: the best products over all
/// waves, without those of a kind the user said "not this" to.
async fn deliver_scored(
    conn: &mut AsyncPgConnection,
    origin: &Origin,
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
    let excluded = context
        .refinement
        .as_ref()
        .map(|r| r.excluded_kinds.clone())
        .unwrap_or_default();
    let scored = found
        .into_iter()
        .filter(|p| !scorer::is_any_of(&p.title, &excluded))
        .filter_map(|p| {
            let assessment = scorer::Assessment {
                score: p.score?,
                reasoning: p.reasoning.clone().unwrap_or_default(),
                category: p.category.clone(),
            };
            Some((p.product(), assessment))
        })
        .collect();
    // Each refinement round may add its own finds to the list instead of only displacing.
    let top = settings.top_best_count + REFINEMENT_ROOM * context.round as usize;
    let (owned, minimal_score) = (OwnedScoringContext::of(&scoring), settings.minimal_score);
    let gifts = off_the_event_loop("reranking", move || {
        scorer::select(&owned.context(), scored, minimal_score, top)
    })
    .await?;
    let claimed = repository::claim_result(
        conn,
        wave.chat_id,
        context.round,
        wave.wave_id,
        cut_short,
        gifts.len(),
    )
    .await?;
    if !claimed {
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
