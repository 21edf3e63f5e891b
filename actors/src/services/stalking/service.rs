use std::sync::Arc;

use actix::prelude::*;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use diesel_async::RunQueryDsl;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use present_finder_schema::tables::stalking::analyses;
use uuid::Uuid;

use super::provider::{EmbeddedFactExtractor, FactExtractor, ProfileReader};
use super::repository;
use crate::broker::{BrokerError, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, ChatInterviewCompletedEvent, Envelope, LlmUsageRecordedEvent,
    ProfileSource, StalkingAnalyzeRequestedEvent, StalkingCompletedEvent,
};
use crate::llm::{LlmTask, Usage, metered};
use crate::services::provider::{ProviderError, within};
use crate::services::{ServiceContext, unexpected_event};

/// The stalking service's supervisor actor.
pub struct StalkingService {
    ctx: ServiceContext,
    reader: Arc<dyn ProfileReader>,
    extractor: Arc<dyn FactExtractor>,
}

impl Actor for StalkingService {
    type Context = Context<Self>;
}

impl Supervised for StalkingService {}

pub async fn start(
    ctx: ServiceContext,
    reader: Arc<dyn ProfileReader>,
    extractor: Arc<dyn FactExtractor>,
) -> Result<Addr<StalkingService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let events = service.consumed_events(&ctx.settings.marketplaces);
    let addr = Supervisor::start(move |_| StalkingService {
        ctx,
        reader,
        extractor,
    });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for StalkingService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let reader = self.reader.clone();
        let extractor = self.extractor.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            if envelope.is::<StalkingAnalyzeRequestedEvent>() {
                analyze(ctx, reader.as_ref(), extractor.as_ref(), envelope).await
            } else if envelope.is::<ChatInterviewCompletedEvent>() {
                // As the gift saga counts it: from the interview's end, the search waits
                // `STALKING_DEADLINE_S` for the analysis and then goes on without it.
                let (chat_id, deadline_at) = (
                    envelope.chat_id,
                    envelope.occurred_at + ctx.settings.stalking_deadline,
                );
                ctx.once(&envelope, move |conn| {
                    Box::pin(async move {
                        repository::set_deadline(conn, chat_id, deadline_at).await?;
                        Ok(Vec::new())
                    })
                })
                .await
            } else if envelope.is::<ChatDataErasedEvent>() {
                // A request still in flight afterwards is dropped by `ctx.once` (and, before
                // any profile is read, by the early exit in `analyze`): no analysis returns.
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

/// Reads every given profile (failures, reads past `PROFILE_TIMEOUT_S` and reads still
/// running at the chat's stalking deadline become per-source errors), extracts facts (the embedded extractor stands in for an extractor
/// that fails or runs past `EXTRACTION_TIMEOUT_S`) and records the analysis; the completion
/// event is emitted once per chat. The calls hold no connection: the only transaction is the
/// final one, which claims the event and stores the analysis unless one exists already. A
/// redelivery after a crash before it reads the profiles again.
async fn analyze(
    ctx: ServiceContext,
    reader: &dyn ProfileReader,
    extractor: &dyn FactExtractor,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let event: StalkingAnalyzeRequestedEvent = envelope.decode()?;
    if ctx.erased(envelope.chat_id).await? {
        // Erased meanwhile: nobody's profiles are read for it; acknowledged without effect.
        return Ok(());
    }
    let settings = ctx.settings.clone();
    let profiles = event.profile_urls();
    let deadline = stalking_deadline(&ctx, envelope.chat_id).boxed().shared();
    // The profiles are read at once: a search waits for the slowest, not for their sum.
    let reads = profiles
        .iter()
        .map(|&(network, url)| read_profile(&ctx, reader, network, url, deadline.clone()));
    let read = futures_util::future::join_all(reads).await;
    let mut sources = Vec::new();
    let mut texts = Vec::new();
    for ((network, url), result) in profiles.into_iter().zip(read) {
        match result {
            Ok(text) => {
                texts.push(text);
                sources.push(source(network, url, None));
            }
            Err(error) => sources.push(source(
                network,
                url,
                Some(format!("not available: {error}")),
            )),
        }
    }
    let mut usage = Usage::default();
    let facts = if texts.is_empty() {
        Vec::new()
    } else {
        let (extracted, cost) = metered(within(
            "fact extraction",
            settings.extraction_timeout,
            extractor.extract(&texts, event.locale),
        ))
        .await;
        usage = cost;
        match extracted {
            Ok(facts) => facts,
            Err(error) => {
                log::warn!(
                    "chat {}: {error}; the embedded extractor takes over",
                    envelope.chat_id
                );
                EmbeddedFactExtractor
                    .extract(&texts, event.locale)
                    .await
                    .unwrap_or_else(|error| {
                        log::warn!(
                            "fact extraction failed for chat {}: {error}",
                            envelope.chat_id
                        );
                        Vec::new()
                    })
            }
        }
    };
    let cause = envelope.clone();
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            let completed = StalkingCompletedEvent {
                facts,
                sources,
                completed_at: Utc::now(),
            };
            let inserted = diesel::insert_into(analyses::table)
                .values((
                    analyses::chat_id.eq(cause.chat_id),
                    analyses::facts.eq(serde_json::json!(completed.facts)),
                    analyses::sources
                        .eq(present_finder_schema::json::to_column(&completed.sources)?),
                    analyses::completed_at.eq(completed.completed_at),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if inserted == 0 {
                return Ok(Vec::new());
            }
            let mut events = vec![Envelope::caused_by(&cause, &completed)];
            if !usage.is_empty() {
                let step = LlmTask::Facts;
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

/// Resolves at the chat's stalking deadline, once its interview has ended (`STALKING_DEADLINE_S`
/// later, as the gift saga counts it: a profile read after that would not be used). Until the
/// deadline is known it looks for it every `SWEEP_INTERVAL_MS`, taking a connection for that
/// one query only: another replica may be the one that hears of the interview's end.
async fn stalking_deadline(ctx: &ServiceContext, chat_id: Uuid) {
    let what = format!("chat {chat_id}: the stalking deadline");
    loop {
        let known = one_query(ctx, &what, |conn| {
            Box::pin(repository::deadline(conn, chat_id))
        })
        .await;
        if let Some(deadline_at) = known {
            let left = (deadline_at - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(left).await;
            return;
        }
        tokio::time::sleep(ctx.settings.sweep_interval).await;
    }
}

/// Runs one optional lookup on a connection of its own, held for that query only. The
/// lookups are best effort: no connection, or a failing query, is logged with `what` and
/// reads as nothing found.
async fn one_query<T>(
    ctx: &ServiceContext,
    what: &str,
    query: impl for<'c> FnOnce(
        &'c mut AsyncPgConnection,
    ) -> BoxFuture<'c, diesel::QueryResult<Option<T>>>,
) -> Option<T> {
    let mut conn = match ctx.pool.get().await {
        Ok(conn) => conn,
        Err(error) => {
            log::warn!("cannot read {what}: {error}");
            return None;
        }
    };
    query(&mut conn).await.unwrap_or_else(|error| {
        log::warn!("cannot read {what}: {error}");
        None
    })
}

/// One profile's text: from the scrape cache when a remote reader read it lately, otherwise
/// read with no connection held, within `PROFILE_TIMEOUT_S` and no later than `deadline` (the
/// chat's stalking deadline), then cached (best effort: a failed cache write only costs a
/// later read). A read cut short is dropped, its polling with it.
async fn read_profile(
    ctx: &ServiceContext,
    reader: &dyn ProfileReader,
    network: &str,
    url: &str,
    deadline: impl Future<Output = ()>,
) -> Result<String, ProviderError> {
    let remote = reader.is_remote();
    if remote {
        let owned_url = url.to_owned();
        let cached = one_query(ctx, "the scrape cache", move |conn| {
            Box::pin(async move { repository::cached_profile(conn, &owned_url).await })
        })
        .await;
        if let Some(text) = cached {
            return Ok(text);
        }
    }
    let read = within(
        "profile reading",
        ctx.settings.profile_timeout,
        reader.read(network, url),
    );
    let text = tokio::select! {
        biased;
        text = read => text?,
        () = deadline => {
            return Err(ProviderError::Unavailable {
                provider: "profile reading",
                reason: format!(
                    "still running at the stalking deadline ({:?} after the interview ended)",
                    ctx.settings.stalking_deadline
                ),
            });
        }
    };
    if remote && let Ok(mut conn) = ctx.pool.get().await {
        let ttl = ctx.settings.scrape_cache_ttl;
        if let Err(error) = repository::cache_profile(&mut conn, network, url, &text, ttl).await {
            log::warn!("could not cache a {network} profile: {error}");
        }
    }
    Ok(text)
}

fn source(network: &str, url: &str, error: Option<String>) -> ProfileSource {
    ProfileSource {
        network: network.to_owned(),
        url: url.to_owned(),
        ok: error.is_none(),
        error,
    }
}
