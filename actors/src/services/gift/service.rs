use actix::prelude::*;
use chrono::Utc;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::repository::{self, Unreadable};
use super::saga::{Input, Output, Timing};
use crate::broker::{BrokerError, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, ChatInappropriateRequestEvent, ChatInterviewCompletedEvent,
    ChatStartInterviewEvent, Envelope, Event, GiftContextInitializedEvent, GiftReadyEvent,
    GiftRefinementRequestedEvent, RegenerateIdeasLoopEvent, StalkingAnalyzeRequestedEvent,
    StalkingCompletedEvent, WaveFeedback,
};
use crate::services::{ServiceContext, failure, unexpected_event};

/// Sessions whose deadlines are handled per sweep transaction.
const SWEEP_BATCH: i64 = 100;

/// The saga's supervisor actor: applies events to sessions and sweeps their deadlines.
pub struct GiftService {
    ctx: ServiceContext,
    timing: Timing,
    sweeping: bool,
}

impl Actor for GiftService {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.ctx.settings.sweep_interval, |service, ctx| {
            service.sweep(ctx)
        });
    }
}

impl Supervised for GiftService {}

pub async fn start(ctx: ServiceContext) -> Result<Addr<GiftService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let events = service.consumed_events(&ctx.settings.marketplaces);
    let settings = ctx.settings.clone();
    let timing = Timing {
        stalking_deadline: settings.stalking_deadline,
        ideas_deadline: settings.ideas_deadline,
        session_deadline: settings.session_deadline,
        max_ideas_loop: settings.max_ideas_loop,
    };
    let addr = Supervisor::start(move |_| GiftService {
        ctx,
        timing,
        sweeping: false,
    });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for GiftService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let timing = self.timing;
        Box::pin(async move {
            let envelope = deliver.envelope;
            if envelope.is::<ChatDataErasedEvent>() {
                // The session and its deadlines go. `ctx.once` then drops the chat's later
                // events, so none of them opens the session again (`repository::open` would),
                // and the deadline sweep has no row left to act on.
                return ctx
                    .erase(&envelope, |conn, chat_id| {
                        Box::pin(repository::erase_chat(conn, chat_id))
                    })
                    .await;
            }
            let input = input_of(&envelope)?;
            let cause = envelope.clone();
            ctx.once(&envelope, move |conn| {
                Box::pin(async move {
                    let chat_id = cause.chat_id;
                    let outputs = match repository::open(conn, chat_id).await? {
                        Ok(mut session) => {
                            let outputs = session.apply(input, Utc::now(), &timing);
                            repository::save(conn, chat_id, &session).await?;
                            outputs
                        }
                        Err(unreadable) => fail_unreadable(conn, chat_id, unreadable).await?,
                    };
                    Ok(envelopes(chat_id, Some(cause.as_ref()), outputs))
                })
            })
            .await
        })
    }
}

impl GiftService {
    /// Acts on every due deadline. One sweep at a time per process; replicas share the work
    /// through `SKIP LOCKED`.
    fn sweep(&mut self, ctx: &mut Context<Self>) {
        if self.sweeping {
            return;
        }
        let Some(busy) = self.ctx.lifecycle.enter() else {
            return;
        };
        self.sweeping = true;
        let service = self.ctx.clone();
        let timing = self.timing;
        let work = async move {
            let _busy = busy;
            service
                .emit(move |conn| {
                    Box::pin(async move {
                        let now = Utc::now();
                        let mut produced = Vec::new();
                        for (chat_id, stored) in
                            repository::lock_due(conn, now, SWEEP_BATCH).await?
                        {
                            let outputs = match stored {
                                Ok(mut session) => {
                                    let outputs = session.apply(Input::Tick, now, &timing);
                                    repository::save(conn, chat_id, &session).await?;
                                    outputs
                                }
                                Err(unreadable) => {
                                    fail_unreadable(conn, chat_id, unreadable).await?
                                }
                            };
                            produced.extend(envelopes(chat_id, None, outputs));
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
                    log::warn!("the gift saga's deadline sweep failed: {error}");
                }
            }),
        );
    }
}

/// A session whose stored state cannot be read is neither restarted nor left hanging: the
/// error is logged with the chat, the session fails, and the user gets a session error
/// they can retry from (once: a session already over stays quiet).
async fn fail_unreadable(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    unreadable: Unreadable,
) -> QueryResult<Vec<Output>> {
    log::error!(
        "the gift session of chat {chat_id} cannot be read ({}); it is failed",
        unreadable.problem
    );
    if unreadable.over {
        return Ok(Vec::new());
    }
    repository::mark_failed(conn, chat_id).await?;
    Ok(vec![Output::Failed(failure::unreadable_state(
        unreadable.stage,
        unreadable.locale,
    ))])
}

fn input_of(envelope: &Envelope) -> Result<Input, HandlerError> {
    Ok(if envelope.is::<StalkingAnalyzeRequestedEvent>() {
        let event: StalkingAnalyzeRequestedEvent = envelope.decode()?;
        Input::ProfilesRequested {
            price_range: event.price_range,
        }
    } else if envelope.is::<ChatStartInterviewEvent>() {
        let event: ChatStartInterviewEvent = envelope.decode()?;
        Input::InterviewStarted {
            locale: event.locale,
            price_range: event.price_range,
        }
    } else if envelope.is::<StalkingCompletedEvent>() {
        let event: StalkingCompletedEvent = envelope.decode()?;
        Input::ProfilesAnalyzed { facts: event.facts }
    } else if envelope.is::<ChatInterviewCompletedEvent>() {
        let event: ChatInterviewCompletedEvent = envelope.decode()?;
        Input::InterviewCompleted {
            profile: Box::new(event.profile),
            key_themes: event.key_themes,
        }
    } else if envelope.is::<ChatInappropriateRequestEvent>() {
        let event: ChatInappropriateRequestEvent = envelope.decode()?;
        Input::InappropriateRequest {
            reason: event.reason,
        }
    } else if envelope.is::<GiftContextInitializedEvent>() {
        let event: GiftContextInitializedEvent = envelope.decode()?;
        Input::WaveAnnounced {
            wave: event.wave,
            expected_fetches: u32::try_from(event.expected_fetches.len()).unwrap_or(u32::MAX),
        }
    } else if envelope.is::<RegenerateIdeasLoopEvent>() {
        let event: RegenerateIdeasLoopEvent = envelope.decode()?;
        Input::RegenerationRequested {
            wave: event.wave,
            feedback: WaveFeedback {
                bad_products: event.bad_products,
                provider_counts: event.provider_counts,
            },
        }
    } else if envelope.is::<GiftReadyEvent>() {
        Input::ResultsDelivered
    } else if envelope.is::<GiftRefinementRequestedEvent>() {
        let event: GiftRefinementRequestedEvent = envelope.decode()?;
        Input::RefinementRequested {
            likes: event.likes,
            dislikes: event.dislikes,
        }
    } else {
        return Err(unexpected_event(envelope));
    })
}

fn envelopes(chat_id: Uuid, cause: Option<&Envelope>, outputs: Vec<Output>) -> Vec<Envelope> {
    outputs
        .into_iter()
        .map(|output| match output {
            Output::Generate(event) => envelope(chat_id, cause, event.as_ref()),
            Output::Progress(event) => envelope(chat_id, cause, &event),
            Output::Failed(event) => envelope(chat_id, cause, &event),
            Output::Finalize(event) => envelope(chat_id, cause, &event),
        })
        .collect()
}

fn envelope<E: Event>(chat_id: Uuid, cause: Option<&Envelope>, event: &E) -> Envelope {
    match cause {
        Some(cause) => Envelope::caused_by(cause, event),
        None => Envelope::new(chat_id, event),
    }
}
