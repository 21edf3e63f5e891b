use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::dialog;
use super::interviewer::{InterviewContext, InterviewResult, Turn};
use super::llm::interview_usage;
use super::provider::{EmbeddedInterviewerProvider, InterviewInput, Interviewer};
use super::repository::{
    self, InterviewRow, InterviewUpdate, InterviewVersion, NewInterview, Phase,
};
use crate::broker::{BrokerError, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, ChatInappropriateRequestEvent, ChatInterviewCompletedEvent,
    ChatQuestionAskedEvent, ChatStartInterviewEvent, ChatUserAnsweredEvent, Envelope,
    LlmUsageRecordedEvent,
};
use crate::llm::LlmTask;
use crate::services::provider::{ProviderError, within};
use crate::services::{ServiceContext, failure, unexpected_event};
use crate::vocabulary::{Locale, Occasion, PotentialAnswers, RecipientProfile, Stage};

/// The chat service's supervisor actor.
pub struct ChatService {
    ctx: ServiceContext,
    interviewers: Interviewers,
}

impl Actor for ChatService {
    type Context = Context<Self>;
}

impl Supervised for ChatService {
    fn restarting(&mut self, _: &mut Self::Context) {
        log::warn!("the chat service restarts");
    }
}

/// Starts the chat service and subscribes it to its events.
pub async fn start(
    ctx: ServiceContext,
    interviewer: Arc<dyn Interviewer>,
) -> Result<Addr<ChatService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let events = service.consumed_events(&ctx.settings.marketplaces);
    let interviewers = Interviewers {
        configured: interviewer,
        embedded: Arc::new(EmbeddedInterviewerProvider::new(
            ctx.settings.max_questions,
            ctx.settings.min_questions,
        )),
        limit: ctx.settings.interview_timeout,
    };
    let addr = Supervisor::start(move |_| ChatService { ctx, interviewers });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for ChatService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let interviewers = self.interviewers.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            if envelope.is::<ChatStartInterviewEvent>() {
                start_interview(ctx, interviewers, envelope).await
            } else if envelope.is::<ChatUserAnsweredEvent>() {
                take_answer(ctx, interviewers, envelope).await
            } else if envelope.is::<ChatDataErasedEvent>() {
                // The interview and its transcript go; `ctx.once` then drops the chat's
                // later events, so a start or an answer still in flight recreates nothing.
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

/// The configured interviewer, its time limit per turn and the embedded interviewer that
/// stands in for it.
#[derive(Clone)]
struct Interviewers {
    configured: Arc<dyn Interviewer>,
    embedded: Arc<dyn Interviewer>,
    limit: Duration,
}

impl Interviewers {
    /// One turn — the first question (`answer` is `None`) or the one after `answer` —
    /// computed from `state` with no connection held. The configured interviewer gets
    /// `limit`; when it fails or runs out of time, the embedded interviewer asks this turn
    /// (from the same state: each works on a copy of its own). Returns the turn and the
    /// interviewer's state after it, to be stored with the turn.
    ///
    /// The embedded interviewer reads the state as its own; another interviewer's state
    /// starts it afresh (it then asks from its first question on, within the same cap).
    /// State that cannot be read back at all is [`ProviderError::UnreadableState`]: the
    /// embedded interviewer is not asked then, it would read the same state.
    async fn turn(
        &self,
        chat_id: Uuid,
        context: InterviewContext<'_>,
        state: &serde_json::Value,
        question_count: u32,
        answer: Option<&str>,
    ) -> Result<(Turn, serde_json::Value), ProviderError> {
        let mut next = state.clone();
        let call = ask_one(
            self.configured.as_ref(),
            context,
            &mut next,
            question_count,
            answer,
        );
        match within("the interviewer", self.limit, call).await {
            Ok(turn) => return Ok((turn, next)),
            Err(error @ ProviderError::UnreadableState { .. }) => return Err(error),
            Err(error) => log::warn!(
                "chat {chat_id}: {error}; the embedded interviewer asks this turn instead"
            ),
        }
        let mut next = state.clone();
        let turn = ask_one(
            self.embedded.as_ref(),
            context,
            &mut next,
            question_count,
            answer,
        )
        .await?;
        Ok((turn, next))
    }
}

async fn ask_one(
    interviewer: &dyn Interviewer,
    context: InterviewContext<'_>,
    state: &mut serde_json::Value,
    question_count: u32,
    answer: Option<&str>,
) -> Result<Turn, ProviderError> {
    let input = InterviewInput {
        context,
        state,
        question_count,
    };
    match answer {
        None => interviewer.start(input).await,
        Some(answer) => interviewer.answer(input, answer).await,
    }
}

/// Reads the interview without a lock, on a connection given back before any provider call.
async fn read_interview(
    ctx: &ServiceContext,
    chat_id: Uuid,
    answer: Option<Uuid>,
) -> Result<(Option<InterviewRow>, bool), HandlerError> {
    let mut conn = ctx.pool.get().await?;
    let row = repository::find(&mut conn, chat_id).await?;
    let answered = match (&row, answer) {
        (Some(_), Some(message_id)) => {
            repository::has_message(&mut conn, chat_id, message_id).await?
        }
        _ => false,
    };
    Ok((row, answered))
}

/// Claims the event and changes nothing (a duplicate, or nothing left to do).
async fn acknowledge(ctx: &ServiceContext, envelope: &Envelope) -> Result<(), HandlerError> {
    ctx.once(envelope, |_| Box::pin(async { Ok(Vec::new()) }))
        .await
}

/// The first question. Three steps, so that no connection or lock is held while the
/// interviewer thinks: read (does the interview exist already?), ask the interviewer, then
/// one transaction that claims the event, creates the interview — the compare-and-set of a
/// start: it must not exist yet — stores the question and writes the outbox. A redelivery
/// after a crash between the call and the commit asks the interviewer again; only one
/// question is ever stored.
async fn start_interview(
    ctx: ServiceContext,
    interviewers: Interviewers,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let event: ChatStartInterviewEvent = envelope.decode()?;
    let chat_id = envelope.chat_id;
    let max_questions = ctx.settings.max_questions;
    if ctx.erased(chat_id).await? || read_interview(&ctx, chat_id, None).await?.0.is_some() {
        // Erased (`ctx.once` ignores it) or started already: nothing to ask.
        return acknowledge(&ctx, &envelope).await;
    }
    let context = InterviewContext {
        occasion: event.occasion,
        locale: event.locale,
        saved_profile: event.saved_profile.as_ref(),
        saved_key_themes: &event.saved_key_themes,
    };
    let (turn, state) = interviewers
        .turn(chat_id, context, &serde_json::json!({}), 0, None)
        .await?;
    let cause = envelope.clone();
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            let saved_profile = event
                .saved_profile
                .as_ref()
                .map(serde_json::to_value)
                .transpose();
            let created = repository::create(
                conn,
                NewInterview {
                    chat_id,
                    occasion: event.occasion.as_str(),
                    locale: event.locale.as_str(),
                    saved_profile: saved_profile.map_err(|e| HandlerError::Permanent(e.into()))?,
                    saved_profile_name: event.save_profile_name.as_deref(),
                    saved_key_themes: serde_json::json!(event.saved_key_themes),
                },
            )
            .await?;
            if !created {
                // Another delivery started it while this one asked: its question stands.
                return Ok(Vec::new());
            }
            let session = Session {
                cause: &cause,
                locale: event.locale,
                question_count: 0,
                max_questions,
                saved_profile_name: event.save_profile_name.as_deref(),
            };
            apply_turn(conn, &session, turn, state).await
        })
    })
    .await
}

/// The turn after an answer, in the same three steps as [`start_interview`]: read the
/// interview (no lock), ask the interviewer with no connection held (only in the interview
/// proper: the save-profile dialog needs no provider), then one transaction that claims the
/// event, locks the interview and checks it is still where it was read — same phase, same
/// question count, the same question pending (its version) — then stores the answer and the
/// turn and writes the outbox. If it moved on meanwhile, the turn is dropped: whatever moved
/// it asked the next question or ended the interview itself. A redelivery of an answer
/// already applied is dropped by the inbox claim (or, under another event id, because the
/// answer is in the transcript).
async fn take_answer(
    ctx: ServiceContext,
    interviewers: Interviewers,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let event: ChatUserAnsweredEvent = envelope.decode()?;
    let chat_id = envelope.chat_id;
    let max_questions = ctx.settings.max_questions;
    let (row, answered) = read_interview(&ctx, chat_id, Some(event.message_id)).await?;
    let Some(row) = row else {
        // The start event has not been handled yet: retried until it has. (An erased chat
        // never gets to `work`: `ctx.once` acknowledges its events unseen.)
        return ctx
            .once(&envelope, move |_| {
                Box::pin(async move {
                    Err(HandlerError::Transient(anyhow::anyhow!(
                        "the interview of chat {chat_id} has not started yet"
                    )))
                })
            })
            .await;
    };
    // Answers arriving when no question is pending are ignored, and so is an answer taken
    // already.
    if row.pending_message_id.is_none() || answered {
        return acknowledge(&ctx, &envelope).await;
    }
    let read = row.version();
    let turn = if row.phase() == Phase::Interview {
        let stored = match StoredInterview::read(&row) {
            Ok(stored) => stored,
            Err(problem) => return fail_unreadable(&ctx, envelope, read, problem).await,
        };
        let question_count = row.question_count.max(0) as u32;
        let turn = interviewers
            .turn(
                chat_id,
                stored.context(),
                &row.interviewer_state,
                question_count,
                Some(&event.content),
            )
            .await;
        match turn {
            Ok(turn) => Some(turn),
            Err(ProviderError::UnreadableState { provider, reason }) => {
                let problem = format!("the state of the {provider}: {reason}");
                return fail_unreadable(&ctx, envelope, read, problem).await;
            }
            Err(error) => return Err(error.into()),
        }
    } else {
        None
    };
    let cause = envelope.clone();
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            let Some(row) = repository::lock(conn, chat_id).await? else {
                // Gone since it was read: only an erasure deletes it (and `ctx.once` has
                // just found none), so nothing is left to answer.
                return Ok(Vec::new());
            };
            if row.version() != read {
                log::debug!(
                    "chat {chat_id}: the interview moved on while answer {} was considered; \
                     its turn is dropped",
                    event.message_id
                );
                return Ok(Vec::new());
            }
            let appended = repository::append_message(
                conn,
                chat_id,
                event.message_id,
                "user",
                &event.content,
                None,
            )
            .await?;
            if !appended {
                return Ok(Vec::new());
            }
            let stored = match StoredInterview::read(&row) {
                Ok(stored) => stored,
                Err(problem) => return stop_unreadable(conn, &cause, &row, problem).await,
            };
            let session = Session {
                cause: &cause,
                locale: stored.locale,
                question_count: row.question_count.max(0) as u32,
                max_questions,
                saved_profile_name: row.saved_profile_name.as_deref(),
            };
            match turn {
                Some((turn, state)) => apply_turn(conn, &session, turn, state).await,
                None => continue_dialog(conn, &session, &row, &event.content).await,
            }
        })
    })
    .await
}

/// Asks (again) for the name to save the profile under, as free text.
async fn ask_profile_name(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    question: String,
) -> Result<Vec<Envelope>, HandlerError> {
    ask(
        conn,
        session,
        Phase::AskProfileName,
        question,
        PotentialAnswers::LongFreeText,
        None,
    )
    .await
}

/// The save-profile dialog after the interview: rule-based, no provider.
async fn continue_dialog(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    row: &InterviewRow,
    answer: &str,
) -> Result<Vec<Envelope>, HandlerError> {
    match row.phase() {
        Phase::AskSaveProfile if dialog::is_yes(answer) => {
            let question = dialog::profile_name_question(session.locale);
            ask_profile_name(conn, session, question).await
        }
        Phase::AskSaveProfile => complete(conn, session, row, None).await,
        Phase::AskProfileName => match dialog::profile_name(answer) {
            Some(name) => complete(conn, session, row, Some(&name)).await,
            None => {
                let question = dialog::profile_name_invalid(session.locale);
                ask_profile_name(conn, session, question).await
            }
        },
        // The interview proper is answered with a turn of the interviewer (never here).
        Phase::Interview | Phase::Completed | Phase::Aborted => Ok(Vec::new()),
    }
}

/// What a turn needs to know about its interview.
struct Session<'a> {
    cause: &'a Envelope,
    locale: Locale,
    question_count: u32,
    max_questions: u32,
    saved_profile_name: Option<&'a str>,
}

/// The interview's context, read back from its row.
struct StoredInterview {
    occasion: Occasion,
    locale: Locale,
    saved_profile: Option<RecipientProfile>,
    saved_key_themes: Vec<String>,
}

impl StoredInterview {
    /// The context, or what in it cannot be read back.
    fn read(row: &InterviewRow) -> Result<Self, String> {
        Ok(Self {
            occasion: Occasion::parse(&row.occasion).unwrap_or(Occasion::JustBecause),
            locale: locale_of(row),
            saved_profile: read_column("saved_profile", row.saved_profile.as_ref())?,
            saved_key_themes: read_column("saved_key_themes", Some(&row.saved_key_themes))?
                .unwrap_or_default(),
        })
    }

    fn context(&self) -> InterviewContext<'_> {
        InterviewContext {
            occasion: self.occasion,
            locale: self.locale,
            saved_profile: self.saved_profile.as_ref(),
            saved_key_themes: &self.saved_key_themes,
        }
    }
}

fn locale_of(row: &InterviewRow) -> Locale {
    Locale::parse(&row.locale).unwrap_or_default()
}

/// A stored JSON column read back as `T` (`None` when the column is null); the error names
/// the column.
fn read_column<T: serde::de::DeserializeOwned>(
    column: &str,
    value: Option<&serde_json::Value>,
) -> Result<Option<T>, String> {
    value
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| format!("{column}: {error}"))
}

/// An interview whose stored state cannot be read back is neither restarted nor left
/// waiting: in one transaction (the event claimed, the interview still where it was read)
/// [`stop_unreadable`] ends it.
async fn fail_unreadable(
    ctx: &ServiceContext,
    envelope: Arc<Envelope>,
    read: InterviewVersion,
    problem: String,
) -> Result<(), HandlerError> {
    let chat_id = envelope.chat_id;
    let cause = envelope.clone();
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            match repository::lock(conn, chat_id).await? {
                Some(row) if row.version() == read => {
                    stop_unreadable(conn, &cause, &row, problem).await
                }
                // Erased, or moved on meanwhile: whatever moved it decided.
                _ => Ok(Vec::new()),
            }
        })
    })
    .await
}

/// Logs the problem with the chat, aborts the interview (its state kept as it is, for
/// whoever looks into it) and tells the user the search stopped: a session error they can
/// retry from.
async fn stop_unreadable(
    conn: &mut AsyncPgConnection,
    cause: &Envelope,
    row: &InterviewRow,
    problem: String,
) -> Result<Vec<Envelope>, HandlerError> {
    let chat_id = row.chat_id;
    log::error!(
        "the interview of chat {chat_id} cannot be read ({problem}); the search is stopped"
    );
    let mut update = InterviewUpdate::new(Phase::Aborted, row.question_count);
    update.pending_message_id = Some(None);
    repository::update(conn, chat_id, update).await?;
    Ok(vec![Envelope::caused_by(
        cause,
        &failure::unreadable_state(Stage::Interview, locale_of(row)),
    )])
}

/// Applies the interviewer's move: the next question, the end of the interview (then the
/// save-profile question), or a refusal.
async fn apply_turn(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    turn: Turn,
    state: serde_json::Value,
) -> Result<Vec<Envelope>, HandlerError> {
    // The interview proper ends here: what its LLM calls cost goes to the summary.
    let usage = match turn {
        Turn::Ask(_) => None,
        Turn::Finish(_) | Turn::Inappropriate { .. } => {
            Some(interview_usage(&state)).filter(|usage| !usage.is_empty())
        }
    };
    let mut events = match turn {
        Turn::Ask(question) => {
            ask(
                conn,
                session,
                Phase::Interview,
                question.text,
                question.answers,
                Some(state),
            )
            .await?
        }
        Turn::Finish(result) => finish(conn, session, result, state).await?,
        Turn::Inappropriate { reason } => {
            let mut update = InterviewUpdate::new(Phase::Aborted, session.question_count as i32);
            update.pending_message_id = Some(None);
            update.interviewer_state = Some(state);
            repository::update(conn, session.cause.chat_id, update).await?;
            vec![Envelope::caused_by(
                session.cause,
                &ChatInappropriateRequestEvent { reason },
            )]
        }
    };
    if let Some(usage) = usage {
        events.push(Envelope::caused_by(
            session.cause,
            &LlmUsageRecordedEvent {
                step: LlmTask::Interview,
                usage,
            },
        ));
    }
    Ok(events)
}

/// Stores a question as pending and announces it.
async fn ask(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    phase: Phase,
    question: String,
    answers: PotentialAnswers,
    state: Option<serde_json::Value>,
) -> Result<Vec<Envelope>, HandlerError> {
    let chat_id = session.cause.chat_id;
    let message_id = Uuid::now_v7();
    repository::append_message(
        conn,
        chat_id,
        message_id,
        "assistant",
        &question,
        Some(&answers),
    )
    .await?;
    // Interview questions count towards the cap; the save-profile dialog does not (it shows
    // as the last step of the progress bar).
    let (question_count, question_number) = if phase == Phase::Interview {
        (session.question_count + 1, session.question_count + 1)
    } else {
        (session.question_count, session.max_questions)
    };
    let mut update = InterviewUpdate::new(phase, question_count as i32);
    update.pending_message_id = Some(Some(message_id));
    update.interviewer_state = state;
    repository::update(conn, chat_id, update).await?;
    Ok(vec![Envelope::caused_by(
        session.cause,
        &ChatQuestionAskedEvent {
            message_id,
            question,
            potential_answers: answers,
            question_number,
            max_questions: session.max_questions,
        },
    )])
}

/// The interviewer has enough: keep the result and ask whether to save the profile (unless
/// the search started from a saved profile, which the result then updates).
async fn finish(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    result: InterviewResult,
    state: serde_json::Value,
) -> Result<Vec<Envelope>, HandlerError> {
    let chat_id = session.cause.chat_id;
    let profile =
        serde_json::to_value(&result.profile).map_err(|e| HandlerError::Permanent(e.into()))?;
    let key_themes = serde_json::json!(result.key_themes);
    if let Some(name) = session.saved_profile_name {
        let mut update = InterviewUpdate::new(Phase::Completed, session.question_count as i32);
        update.pending_message_id = Some(None);
        update.interviewer_state = Some(state);
        update.profile = Some(profile);
        update.key_themes = Some(key_themes);
        update.save_profile = Some(true);
        update.profile_name = Some(name);
        repository::update(conn, chat_id, update).await?;
        return Ok(vec![completed_event(
            session.cause,
            result.profile,
            result.key_themes,
            Some(name),
        )]);
    }
    let (question, answers) = dialog::save_profile_question(session.locale);
    let events = ask(
        conn,
        session,
        Phase::AskSaveProfile,
        question,
        answers,
        Some(state),
    )
    .await?;
    let mut update = InterviewUpdate::new(Phase::AskSaveProfile, session.question_count as i32);
    update.profile = Some(profile);
    update.key_themes = Some(key_themes);
    repository::update(conn, chat_id, update).await?;
    Ok(events)
}

/// Ends the interview after the save-profile dialog.
async fn complete(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    row: &InterviewRow,
    profile_name: Option<&str>,
) -> Result<Vec<Envelope>, HandlerError> {
    // Both stored when the interview finished, before the save-profile dialog.
    let stored = || -> Result<(RecipientProfile, Vec<String>), String> {
        Ok((
            read_column("profile", row.profile.as_ref())?.unwrap_or_default(),
            read_column("key_themes", row.key_themes.as_ref())?.unwrap_or_default(),
        ))
    };
    let (profile, key_themes) = match stored() {
        Ok(stored) => stored,
        Err(problem) => return stop_unreadable(conn, session.cause, row, problem).await,
    };
    let mut update = InterviewUpdate::new(Phase::Completed, session.question_count as i32);
    update.pending_message_id = Some(None);
    update.save_profile = Some(profile_name.is_some());
    update.profile_name = profile_name;
    repository::update(conn, row.chat_id, update).await?;
    Ok(vec![completed_event(
        session.cause,
        profile,
        key_themes,
        profile_name,
    )])
}

fn completed_event(
    cause: &Envelope,
    profile: RecipientProfile,
    key_themes: Vec<String>,
    profile_name: Option<&str>,
) -> Envelope {
    Envelope::caused_by(
        cause,
        &ChatInterviewCompletedEvent {
            profile,
            key_themes,
            save_profile: profile_name.is_some(),
            profile_name: profile_name.map(str::to_owned),
        },
    )
}
