use std::sync::Arc;

use actix::prelude::*;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::dialog;
use super::interviewer::{InterviewContext, InterviewResult, Turn};
use super::provider::{InterviewInput, Interviewer};
use super::repository::{self, InterviewRow, InterviewUpdate, NewInterview, Phase};
use crate::broker::{BrokerError, ConsumerGroup, Deliver, HandlerError};
use crate::events::{
    ChatDataErasedEvent, ChatInappropriateRequestEvent, ChatInterviewCompletedEvent,
    ChatQuestionAskedEvent, ChatStartInterviewEvent, ChatUserAnsweredEvent, Envelope,
};
use crate::services::{ServiceContext, unexpected_event};
use crate::vocabulary::{Locale, Occasion, PotentialAnswers, RecipientProfile};

/// The chat service's supervisor actor.
pub struct ChatService {
    ctx: ServiceContext,
    interviewer: Arc<dyn Interviewer>,
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
    let addr = Supervisor::start(move |_| ChatService { ctx, interviewer });
    broker
        .subscribe(
            ConsumerGroup::Service(service.as_str().to_owned()),
            events,
            addr.clone().recipient(),
        )
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for ChatService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let interviewer = self.interviewer.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            if envelope.is::<ChatStartInterviewEvent>() {
                start_interview(ctx, interviewer, envelope).await
            } else if envelope.is::<ChatUserAnsweredEvent>() {
                take_answer(ctx, interviewer, envelope).await
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

async fn start_interview(
    ctx: ServiceContext,
    interviewer: Arc<dyn Interviewer>,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let event: ChatStartInterviewEvent = envelope.decode()?;
    let max_questions = ctx.settings.max_questions;
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
                    chat_id: cause.chat_id,
                    occasion: event.occasion.as_str(),
                    locale: event.locale.as_str(),
                    saved_profile: saved_profile.map_err(|e| HandlerError::Permanent(e.into()))?,
                    saved_profile_name: event.save_profile_name.as_deref(),
                    saved_key_themes: serde_json::json!(event.saved_key_themes),
                },
            )
            .await?;
            if !created {
                return Ok(Vec::new());
            }
            let mut state = serde_json::json!({});
            let turn = interviewer
                .start(InterviewInput {
                    context: InterviewContext {
                        occasion: event.occasion,
                        locale: event.locale,
                        saved_profile: event.saved_profile.as_ref(),
                        saved_key_themes: &event.saved_key_themes,
                    },
                    state: &mut state,
                    question_count: 0,
                })
                .await?;
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

async fn take_answer(
    ctx: ServiceContext,
    interviewer: Arc<dyn Interviewer>,
    envelope: Arc<Envelope>,
) -> Result<(), HandlerError> {
    let event: ChatUserAnsweredEvent = envelope.decode()?;
    let max_questions = ctx.settings.max_questions;
    let cause = envelope.clone();
    ctx.once(&envelope, move |conn| {
        Box::pin(async move {
            let chat_id = cause.chat_id;
            let Some(row) = repository::lock(conn, chat_id).await? else {
                // The start event has not been handled yet: retried until it has. (An
                // erased chat never gets here: `ctx.once` acknowledges its events unseen.)
                return Err(HandlerError::Transient(anyhow::anyhow!(
                    "the interview of chat {chat_id} has not started yet"
                )));
            };
            // Answers arriving when no question is pending are ignored.
            if row.pending_message_id.is_none() {
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
            let stored = StoredInterview::read(&row)?;
            let session = Session {
                cause: &cause,
                locale: stored.locale,
                question_count: row.question_count.max(0) as u32,
                max_questions,
                saved_profile_name: row.saved_profile_name.as_deref(),
            };
            match row.phase() {
                Phase::Interview => {
                    let mut state = row.interviewer_state.clone();
                    let turn = interviewer
                        .answer(
                            InterviewInput {
                                context: stored.context(),
                                state: &mut state,
                                question_count: session.question_count,
                            },
                            &event.content,
                        )
                        .await?;
                    apply_turn(conn, &session, turn, state).await
                }
                Phase::AskSaveProfile if dialog::is_yes(&event.content) => {
                    let question = dialog::profile_name_question(session.locale);
                    ask(
                        conn,
                        &session,
                        Phase::AskProfileName,
                        question,
                        PotentialAnswers::LongFreeText,
                        None,
                    )
                    .await
                }
                Phase::AskSaveProfile => complete(conn, &session, &row, None).await,
                Phase::AskProfileName => match dialog::profile_name(&event.content) {
                    Some(name) => complete(conn, &session, &row, Some(&name)).await,
                    None => {
                        let question = dialog::profile_name_invalid(session.locale);
                        ask(
                            conn,
                            &session,
                            Phase::AskProfileName,
                            question,
                            PotentialAnswers::LongFreeText,
                            None,
                        )
                        .await
                    }
                },
                Phase::Completed | Phase::Aborted => Ok(Vec::new()),
            }
        })
    })
    .await
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
    fn read(row: &InterviewRow) -> Result<Self, HandlerError> {
        let saved_profile = row
            .saved_profile
            .clone()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| HandlerError::Permanent(anyhow::anyhow!("stored saved profile: {e}")))?;
        Ok(Self {
            occasion: Occasion::parse(&row.occasion).unwrap_or(Occasion::JustBecause),
            locale: Locale::parse(&row.locale).unwrap_or_default(),
            saved_profile,
            saved_key_themes: serde_json::from_value(row.saved_key_themes.clone())
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

/// Applies the interviewer's move: the next question, the end of the interview (then the
/// save-profile question), or a refusal.
async fn apply_turn(
    conn: &mut AsyncPgConnection,
    session: &Session<'_>,
    turn: Turn,
    state: serde_json::Value,
) -> Result<Vec<Envelope>, HandlerError> {
    match turn {
        Turn::Ask(question) => {
            ask(
                conn,
                session,
                Phase::Interview,
                question.text,
                question.answers,
                Some(state),
            )
            .await
        }
        Turn::Finish(result) => finish(conn, session, result, state).await,
        Turn::Inappropriate { reason } => {
            let mut update = InterviewUpdate::new(Phase::Aborted, session.question_count as i32);
            update.pending_message_id = Some(None);
            update.interviewer_state = Some(state);
            repository::update(conn, session.cause.chat_id, update).await?;
            Ok(vec![Envelope::caused_by(
                session.cause,
                &ChatInappropriateRequestEvent { reason },
            )])
        }
    }
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
    let profile: RecipientProfile = row
        .profile
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| HandlerError::Permanent(anyhow::anyhow!("stored profile: {e}")))?
        .unwrap_or_default();
    let key_themes: Vec<String> = row
        .key_themes
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| HandlerError::Permanent(anyhow::anyhow!("stored key themes: {e}")))?
        .unwrap_or_default();
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
