use std::sync::Arc;

use actix::prelude::*;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_schema::tables::gift_ideas::idea_waves;
use uuid::Uuid;

use super::generator::{GeneratedIdeas, IdeaRequest};
use super::provider::{EmbeddedIdeaGenerator, IdeaGenerator};
use super::repository;
use crate::broker::{BrokerError, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, Envelope, FetchRequest, GiftContextInitializedEvent,
    GiftGenerateRequestedEvent, LlmUsageRecordedEvent, fetch_event_envelope,
};
use crate::llm::{LlmTask, metered};
use crate::services::provider::within;
use crate::services::{ServiceContext, unexpected_event};

/// The idea service's supervisor actor.
pub struct GiftIdeasService {
    ctx: ServiceContext,
    generator: Arc<dyn IdeaGenerator>,
}

impl Actor for GiftIdeasService {
    type Context = Context<Self>;
}

impl Supervised for GiftIdeasService {}

pub async fn start(
    ctx: ServiceContext,
    generator: Arc<dyn IdeaGenerator>,
) -> Result<Addr<GiftIdeasService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let events = service.consumed_events(&ctx.settings.marketplaces);
    let addr = Supervisor::start(move |_| GiftIdeasService { ctx, generator });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for GiftIdeasService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let generator = self.generator.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            if envelope.is::<GiftGenerateRequestedEvent>() {
                generate_wave(ctx, generator.as_ref(), envelope).await
            } else if envelope.is::<ChatDataErasedEvent>() {
                // A wave request still in flight afterwards is dropped by `ctx.once` (and
                // before generating, by the early exit in `generate_wave`): no fetch starts.
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

/// Generates the wave's ideas and queries with no connection held (the configured generator
/// within `IDEAS_TIMEOUT_S`, else the embedded one), then, in one transaction, claims the
/// event, records the wave unless it exists already and writes its events to the outbox. A
/// redelivery after a crash before that transaction generates again.
async fn generate_wave(
    ctx: ServiceContext,
    generator: &dyn IdeaGenerator,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let request: GiftGenerateRequestedEvent = envelope.decode()?;
    if ctx.erased(envelope.chat_id).await? {
        // Erased meanwhile: no ideas are generated for it; acknowledged without effect.
        return Ok(());
    }
    let previous_queries = previous_queries(&ctx, envelope.chat_id, request.wave_id).await?;
    let idea_request = IdeaRequest {
        profile: &request.profile,
        key_themes: &request.key_themes,
        facts: &request.facts,
        marketplaces: &ctx.settings.marketplaces,
        price_range: request.price_range,
        locale: request.locale,
        wave: request.wave,
        feedback: request.feedback.as_ref(),
        refinement: request.refinement.as_ref(),
        previous_queries: &previous_queries,
    };
    let (generated, usage) = metered(within(
        "idea generation",
        ctx.settings.ideas_timeout,
        generator.generate(&idea_request),
    ))
    .await;
    let ideas = match generated {
        Ok(ideas) => ideas,
        Err(error) => {
            log::warn!(
                "chat {}: {error}; the embedded generator takes over",
                envelope.chat_id
            );
            EmbeddedIdeaGenerator.generate(&idea_request).await?
        }
    };
    let limit = ctx.settings.products_per_query;
    let cause = envelope.clone();
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            let recorded = diesel::insert_into(idea_waves::table)
                .values((
                    idea_waves::wave_id.eq(request.wave_id),
                    idea_waves::chat_id.eq(cause.chat_id),
                    idea_waves::wave.eq(i32::try_from(request.wave).unwrap_or(i32::MAX)),
                    idea_waves::ideas.eq(serde_json::json!(ideas.ideas)),
                    idea_waves::queries.eq(queries_json(&ideas)),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if recorded == 0 {
                return Ok(Vec::new());
            }
            let mut events = wave_events(&cause, request, ideas, limit);
            if !usage.is_empty() {
                let step = LlmTask::Ideas;
                events.push(Envelope::caused_by(
                    &cause,
                    &LlmUsageRecordedEvent { step, usage },
                ));
            }
            Ok(events)
        })
    })
    .await
}

/// The wave announcement, listing every fetch request id, followed by the fetches.
fn wave_events(
    cause: &Envelope,
    request: GiftGenerateRequestedEvent,
    ideas: GeneratedIdeas,
    limit: u32,
) -> Vec<Envelope> {
    let fetches: Vec<_> = ideas
        .queries
        .into_iter()
        .map(|query| {
            let fetch = FetchRequest {
                request_id: Uuid::now_v7(),
                wave_id: request.wave_id,
                query: query.query,
                limit,
                price_range: request.price_range,
                locale: request.locale,
            };
            (query.marketplace, fetch)
        })
        .collect();
    let announcement = GiftContextInitializedEvent {
        wave_id: request.wave_id,
        wave: request.wave,
        expected_fetches: fetches.iter().map(|(_, f)| f.request_id).collect(),
        profile: request.profile,
        key_themes: request.key_themes,
        facts: request.facts,
        price_range: request.price_range,
        round: request.round,
        refinement: request.refinement,
        locale: request.locale,
    };
    let mut events = vec![Envelope::caused_by(cause, &announcement)];
    events.extend(
        fetches
            .into_iter()
            .map(|(marketplace, fetch)| fetch_event_envelope(cause, marketplace, fetch)),
    );
    events
}

fn queries_json(ideas: &GeneratedIdeas) -> serde_json::Value {
    ideas
        .queries
        .iter()
        .map(|q| serde_json::json!({ "marketplace": q.marketplace, "query": q.query }))
        .collect()
}

/// The queries searched by the chat's earlier waves.
async fn previous_queries(
    ctx: &ServiceContext,
    chat_id: Uuid,
    wave_id: Uuid,
) -> Result<Vec<String>, HandlerError> {
    let mut conn = ctx.pool.get().await?;
    let waves: Vec<serde_json::Value> = idea_waves::table
        .filter(idea_waves::chat_id.eq(chat_id))
        .filter(idea_waves::wave_id.ne(wave_id))
        .select(idea_waves::queries)
        .load(&mut conn)
        .await?;
    Ok(waves
        .iter()
        .filter_map(|queries| queries.as_array())
        .flatten()
        .filter_map(|q| q.get("query").and_then(|q| q.as_str()).map(str::to_owned))
        .collect())
}
