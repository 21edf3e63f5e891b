//! Simulated users, for the tests and the pipeline benchmark: each session is started and
//! answered through the restapi service's commands, exactly as the HTTP layer would, and
//! followed through the ui events a browser would receive over SSE.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix::prelude::*;
use present_finder_actors::broker::{
    BrokerError, BrokerHandle, ConsumerGroup, Deliver, HandlerError, Workload,
};
use present_finder_actors::events::{Event, UiEventRecordedEvent};
use present_finder_actors::services::ServiceContext;
use serde_json::Value;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::restapi::commands;

/// How a simulated user answers.
pub trait AnswerScript: Send {
    /// The answer to `question`, given its suggested answers (`select` options, if any).
    fn answer(&mut self, question: &str, suggestions: &[String]) -> String;

    /// How long the user reads and thinks before sending the answer.
    fn think_time(&mut self) -> Duration {
        Duration::ZERO
    }
}

/// Another script's answers, each sent after a think time drawn evenly from `range`, as a
/// person reads the question first: many sessions at once then answer spread out in time
/// rather than all in the same instant.
pub struct Thinking<S> {
    pub script: S,
    pub range: std::ops::RangeInclusive<Duration>,
}

impl<S: AnswerScript> AnswerScript for Thinking<S> {
    fn answer(&mut self, question: &str, suggestions: &[String]) -> String {
        self.script.answer(question, suggestions)
    }

    fn think_time(&mut self) -> Duration {
        let (low, high) = (*self.range.start(), *self.range.end());
        low + (high.saturating_sub(low)).mul_f64(rand::random::<f64>())
    }
}

/// Always clicks the first suggestion (or writes a short text when there is none).
pub struct FirstSuggestion;

impl AnswerScript for FirstSuggestion {
    fn answer(&mut self, _question: &str, suggestions: &[String]) -> String {
        suggestions
            .first()
            .cloned()
            .unwrap_or_else(|| "Nie wiem".to_owned())
    }
}

/// Gives these answers in order, then behaves like [`FirstSuggestion`].
pub struct Scripted(pub std::collections::VecDeque<String>);

impl Scripted {
    pub fn new<S: Into<String>>(answers: impl IntoIterator<Item = S>) -> Self {
        Self(answers.into_iter().map(Into::into).collect())
    }
}

impl AnswerScript for Scripted {
    fn answer(&mut self, question: &str, suggestions: &[String]) -> String {
        self.0
            .pop_front()
            .unwrap_or_else(|| FirstSuggestion.answer(question, suggestions))
    }
}

/// How a session ended, as the browser saw it.
#[derive(Debug, Clone)]
pub enum Ending {
    Ready { gifts: Vec<Value>, partial: bool },
    Inappropriate { reason: String },
    Failed { stage: String, reason: String },
}

#[derive(Debug, Clone)]
pub struct SessionOutcome {
    pub ending: Ending,
    pub elapsed: Duration,
    pub questions: Vec<String>,
    /// The simulated user's answers, in order (one per question answered).
    pub answers: Vec<String>,
    /// When each answer was sent (time since the start).
    pub answered: Vec<Duration>,
    /// Every ui event (time since the start, name, data) in arrival order.
    pub events: Vec<(Duration, String, Value)>,
}

struct Tracked {
    user_id: Uuid,
    script: Box<dyn AnswerScript>,
    started: Instant,
    questions: Vec<String>,
    answers: Vec<String>,
    answered: Vec<Duration>,
    events: Vec<(Duration, String, Value)>,
    done: Option<oneshot::Sender<SessionOutcome>>,
}

/// Follows sessions through their ui events and answers their questions.
pub struct SessionDriver {
    restapi: ServiceContext,
    sessions: HashMap<Uuid, Tracked>,
}

impl Actor for SessionDriver {
    type Context = Context<Self>;
}

impl SessionDriver {
    /// Starts the driver, listening to the ui events of this process's broker.
    pub async fn start(
        restapi: ServiceContext,
        broker: &BrokerHandle,
    ) -> Result<Addr<Self>, BrokerError> {
        let addr = SessionDriver {
            restapi,
            sessions: HashMap::new(),
        }
        .start();
        broker
            .subscribe(
                ConsumerGroup::Broadcast,
                vec![UiEventRecordedEvent::NAME],
                addr.clone().recipient(),
                Workload::Database,
            )
            .await?;
        Ok(addr)
    }
}

/// Follow `chat_id` (already started by `user_id`), answering with `script`.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Follow {
    pub chat_id: Uuid,
    pub user_id: Uuid,
    pub script: Box<dyn AnswerScript>,
    pub done: oneshot::Sender<SessionOutcome>,
}

impl Handler<Follow> for SessionDriver {
    type Result = ();

    fn handle(&mut self, follow: Follow, _: &mut Self::Context) {
        self.sessions.insert(
            follow.chat_id,
            Tracked {
                user_id: follow.user_id,
                script: follow.script,
                started: Instant::now(),
                questions: Vec::new(),
                answers: Vec::new(),
                answered: Vec::new(),
                events: Vec::new(),
                done: Some(follow.done),
            },
        );
    }
}

impl Handler<Deliver> for SessionDriver {
    type Result = Result<(), HandlerError>;

    fn handle(&mut self, deliver: Deliver, ctx: &mut Self::Context) -> Self::Result {
        let chat_id = deliver.envelope.chat_id;
        let event: UiEventRecordedEvent = deliver.envelope.decode()?;
        let Some(session) = self.sessions.get_mut(&chat_id) else {
            return Ok(());
        };
        session.events.push((
            session.started.elapsed(),
            event.event_name.clone(),
            event.data.clone(),
        ));
        let ending = match step_of(&event.event_name, &event.data) {
            Step::Question {
                question,
                suggestions,
            } => {
                let answer = session.script.answer(&question, &suggestions);
                let think = session.script.think_time();
                session.questions.push(question);
                session.answers.push(answer.clone());
                let restapi = self.restapi.clone();
                let (user_id, started) = (session.user_id, session.started);
                let sent = async move {
                    actix_rt::time::sleep(think).await;
                    let sent_at = started.elapsed();
                    if let Err(error) = commands::answer(&restapi, user_id, chat_id, &answer).await
                    {
                        log::warn!("simulated answer in chat {chat_id} failed: {error}");
                    }
                    sent_at
                };
                ctx.spawn(actix::fut::wrap_future(sent).map(
                    move |sent_at, driver: &mut SessionDriver, _| {
                        if let Some(session) = driver.sessions.get_mut(&chat_id) {
                            session.answered.push(sent_at);
                        }
                    },
                ));
                None
            }
            Step::End(ending) => Some(ending),
            Step::Nothing => None,
        };
        if let Some(ending) = ending
            && let Some(mut session) = self.sessions.remove(&chat_id)
            && let Some(done) = session.done.take()
        {
            let _ = done.send(SessionOutcome {
                ending,
                elapsed: session.started.elapsed(),
                questions: session.questions,
                answers: session.answers,
                answered: session.answered,
                events: session.events,
            });
        }
        Ok(())
    }
}

/// What a ui event (as the browser receives it over SSE: its name and data) means for the
/// user following the session.
#[derive(Debug, Clone)]
pub enum Step {
    /// The assistant asks; `suggestions` are the answers offered.
    Question {
        question: String,
        suggestions: Vec<String>,
    },
    End(Ending),
    Nothing,
}

pub fn step_of(event_name: &str, data: &Value) -> Step {
    let kind = data.get("type").and_then(Value::as_str).unwrap_or_default();
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    match (event_name, kind) {
        ("ui-update", "chatbot-message") if data["message"]["sender"] == "assistant" => {
            let message = &data["message"];
            let suggestions = message["potentialAnswers"]["answers"]
                .as_array()
                .map(|answers| {
                    answers
                        .iter()
                        .filter_map(|a| a["answerFullSentence"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            Step::Question {
                question: text(&message["content"]),
                suggestions,
            }
        }
        ("ui-update", "gift-ready") => Step::End(Ending::Ready {
            gifts: data["data"].as_array().cloned().unwrap_or_default(),
            partial: data["partial"].as_bool().unwrap_or(false),
        }),
        ("ui-update", "chat-inappropriate-request") => Step::End(Ending::Inappropriate {
            reason: text(&data["reason"]),
        }),
        ("session-error", _) => Step::End(Ending::Failed {
            stage: text(&data["stage"]),
            reason: text(&data["reason"]),
        }),
        _ => Step::Nothing,
    }
}
