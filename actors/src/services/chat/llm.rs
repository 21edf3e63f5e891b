//! The LLM interviewer: one tool call per turn (ask a question, finish with the profile, or
//! flag an inappropriate request), with the transcript kept by the server in the
//! interviewer's state and sent as the conversation. The server, not the model, enforces the
//! interview's length: before `MIN_QUESTIONS` the finishing tool is not offered, at
//! `MAX_QUESTIONS` asking is not (finishing or flagging the last answer is). A reply that calls no tool, an unoffered one, or breaks
//! the tool's schema is asked for once more; then the embedded interviewer does that turn
//! (recorded as a fallback).
//!
//! The system prompt is short and the same for every session of a language, and the
//! conversation only grows at its end, so a server's prompt cache serves the prefix.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::interviewer::{
    EmbeddedInterviewer, InterviewContext, InterviewResult, InterviewSettings, InterviewerState,
    Question, Turn,
};
use super::provider::{InterviewInput, Interviewer};
use crate::llm::{
    LlmClient, LlmTask, Message, Reply, Request, ToolChoice, Usage, function_tool, metered,
    record_fallback,
};
use crate::services::provider::{ProviderError, within};
use crate::vocabulary::{
    Locale, PersonalInfo, Possessions, PotentialAnswers, RecipientProfile, SuggestedAnswer,
};

const TASK: LlmTask = LlmTask::Interview;
const ASK: &str = "ask_question";
const FINISH: &str = "finish_interview";
const FLAG: &str = "flag_inappropriate";
/// Key themes a finished interview gives, at least and at most.
const THEMES: std::ops::RangeInclusive<usize> = 10..=20;

/// One question and its answer, as kept in the state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Exchange {
    question: String,
    /// The short forms of the suggested answers, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<String>,
    #[serde(default)]
    answer: Option<String>,
}

/// The LLM interviewer's memory between turns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LlmInterviewState {
    transcript: Vec<Exchange>,
    /// The embedded interviewer's own state, for the turns it does.
    embedded: InterviewerState,
    /// What the interview's LLM calls cost, and how often the embedded interviewer stood in.
    usage: Usage,
}

/// Where the interview is, which decides the tools offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Fewer than `MIN_QUESTIONS` asked: ask or flag.
    Opening,
    /// Ask, finish or flag.
    Open,
    /// `MAX_QUESTIONS` asked: finish (or flag the last answer).
    Closing,
}

impl Stage {
    fn of(question_count: u32, settings: InterviewSettings) -> Self {
        if question_count >= settings.max_questions {
            Stage::Closing
        } else if question_count < settings.min_questions {
            Stage::Opening
        } else {
            Stage::Open
        }
    }

    fn tools(self) -> &'static [&'static str] {
        match self {
            Stage::Opening => &[ASK, FLAG],
            Stage::Open => &[ASK, FINISH, FLAG],
            Stage::Closing => &[FINISH, FLAG],
        }
    }
}

pub struct LlmInterviewer {
    client: Arc<LlmClient>,
    embedded: EmbeddedInterviewer,
    settings: InterviewSettings,
    /// The model's share of a turn's time limit; the rest is left for the embedded
    /// interviewer, so that the turn never runs past `INTERVIEW_TIMEOUT_S`.
    budget: Duration,
}

impl LlmInterviewer {
    pub fn new(client: Arc<LlmClient>, settings: InterviewSettings, turn_limit: Duration) -> Self {
        Self {
            client,
            embedded: EmbeddedInterviewer::new(settings),
            settings,
            budget: turn_limit
                .saturating_sub(Duration::from_secs(1))
                .max(turn_limit / 2),
        }
    }

    async fn turn(&self, input: InterviewInput<'_>, answer: Option<&str>) -> Turn {
        let context = input.context;
        let mut state = read_state(input.state.take());
        if let Some(answer) = answer {
            match state.transcript.last_mut() {
                Some(last) if last.answer.is_none() => last.answer = Some(answer.to_owned()),
                _ => state.transcript.push(Exchange {
                    question: String::new(),
                    options: Vec::new(),
                    answer: Some(answer.to_owned()),
                }),
            }
        }
        let stage = Stage::of(input.question_count, self.settings);
        let request = request(
            &context,
            &state.transcript,
            stage,
            input.question_count,
            self.settings,
        );
        let asked = within(
            TASK.provider(),
            self.budget,
            self.client.ask(&request, |reply| read_turn(reply, stage)),
        );
        let (outcome, usage) = metered(asked).await;
        state.usage.add(&usage);
        let turn = match outcome {
            Ok(turn) => turn,
            Err(error) => {
                log::warn!("{error}; the embedded interviewer does this turn");
                record_fallback(TASK);
                state.usage.fallbacks += 1;
                self.fallback(&context, &mut state, stage, answer)
            }
        };
        if let Turn::Ask(question) = &turn {
            state.transcript.push(Exchange {
                question: question.text.clone(),
                options: match &question.answers {
                    PotentialAnswers::Select { answers } => answers
                        .iter()
                        .map(|a| a.answer_short_form.clone())
                        .collect(),
                    PotentialAnswers::LongFreeText => Vec::new(),
                },
                answer: None,
            });
        }
        *input.state = serde_json::to_value(&state).unwrap_or(Value::Null);
        turn
    }

    /// The embedded interviewer's turn; at the cap, or when it would finish, the result
    /// comes from every answer of the transcript.
    fn fallback(
        &self,
        context: &InterviewContext<'_>,
        state: &mut LlmInterviewState,
        stage: Stage,
        answer: Option<&str>,
    ) -> Turn {
        let conclude = |state: &LlmInterviewState| {
            let answers: Vec<String> = state
                .transcript
                .iter()
                .filter_map(|e| e.answer.clone())
                .collect();
            Turn::Finish(self.embedded.conclude(context, &answers))
        };
        if stage == Stage::Closing {
            return conclude(state);
        }
        let started = state.embedded != InterviewerState::default();
        let turn = match answer {
            Some(answer) if started => self.embedded.answer(context, &mut state.embedded, answer),
            _ => self.embedded.start(context, &mut state.embedded),
        };
        match turn {
            Turn::Finish(_) => conclude(state),
            other => other,
        }
    }
}

/// The state as stored; anything else (such as the embedded interviewer's own, after the
/// service's time limit made it stand in) starts a transcript afresh.
fn read_state(stored: Value) -> LlmInterviewState {
    serde_json::from_value(stored).unwrap_or_default()
}

#[async_trait]
impl Interviewer for LlmInterviewer {
    async fn start(&self, input: InterviewInput<'_>) -> Result<Turn, ProviderError> {
        Ok(self.turn(input, None).await)
    }

    async fn answer(&self, input: InterviewInput<'_>, answer: &str) -> Result<Turn, ProviderError> {
        Ok(self.turn(input, Some(answer)).await)
    }
}

/// How much an interview's LLM calls cost, read from the interviewer's state (none for the
/// embedded interviewer's state).
pub fn interview_usage(state: &Value) -> Usage {
    state
        .get("usage")
        .cloned()
        .and_then(|usage| serde_json::from_value(usage).ok())
        .unwrap_or_default()
}

fn system_prompt(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Jesteś doradcą prezentowym. Prowadzisz krótki wywiad z osobą, która szuka prezentu \
             dla kogoś bliskiego, aby poznać obdarowywanego: kim jest, ile ma lat, czym się \
             interesuje, co już ma, czego mu brakuje, czego nie lubi. W każdej turze wywołaj \
             dokładnie jedno narzędzie. Zadawaj jedno krótkie pytanie naraz, nie powtarzaj \
             pytań, preferuj typ select z dokładnie 4 odpowiedziami (answerShortForm do 3 słów). \
             Pisz po polsku. Gdy prośba dotyczy broni, narkotyków, krzywdzenia kogoś lub czegoś \
             nielegalnego, użyj flag_inappropriate. Kończąc, podaj profil i 10–20 krótkich \
             tematów do wyszukiwania prezentów."
        }
        Locale::En => {
            "You are a gift advisor. You interview someone looking for a present for a person \
             they know, to learn about the recipient: who they are, their age, interests, what \
             they already have, what they lack, what they dislike. Call exactly one tool each \
             turn. Ask one short question at a time, never repeat a question, prefer the select \
             kind with exactly 4 answers (answerShortForm up to 3 words). Write in English. If \
             the request is about weapons, drugs, harming someone or anything illegal, call \
             flag_inappropriate. When finishing, give the profile and 10–20 short themes to \
             search gifts by."
        }
    }
}

/// The session's facts, the first user message (the same for every turn of a session).
fn context_message(context: &InterviewContext<'_>) -> String {
    let mut text = match context.locale {
        Locale::Pl => format!("Okazja: {}.", context.occasion.as_str()),
        Locale::En => format!("Occasion: {}.", context.occasion.as_str()),
    };
    if let Some(profile) = context.saved_profile
        && let Ok(profile) = serde_json::to_string(profile)
    {
        let label = match context.locale {
            Locale::Pl => "Zapisany profil (nie pytaj o to, co już wiadomo)",
            Locale::En => "Saved profile (do not ask what is known)",
        };
        text.push_str(&format!("\n{label}: {profile}"));
    }
    if !context.saved_key_themes.is_empty() {
        text.push_str(&format!("\n{}", context.saved_key_themes.join(", ")));
    }
    text
}

/// What the server allows this turn; the last message, so that the prefix stays stable.
fn stage_note(
    stage: Stage,
    question_count: u32,
    settings: InterviewSettings,
    locale: Locale,
) -> String {
    let next = question_count + 1;
    let max = settings.max_questions;
    match (stage, locale) {
        (Stage::Closing, Locale::Pl) => {
            format!("Zadano już {question_count} pytań z {max}: zakończ wywiad (finish_interview).")
        }
        (Stage::Closing, Locale::En) => {
            format!(
                "{question_count} of {max} questions asked: finish the interview (finish_interview)."
            )
        }
        (Stage::Opening, Locale::Pl) => {
            format!("Pytanie {next} z najwyżej {max}; jeszcze nie kończ.")
        }
        (Stage::Opening, Locale::En) => {
            format!("Question {next} of at most {max}; do not finish yet.")
        }
        (Stage::Open, Locale::Pl) => {
            format!("Pytanie {next} z najwyżej {max}; zakończ, gdy wiesz dość, by wybrać prezent.")
        }
        (Stage::Open, Locale::En) => format!(
            "Question {next} of at most {max}; finish once you know enough to choose a gift."
        ),
    }
}

fn request(
    context: &InterviewContext<'_>,
    transcript: &[Exchange],
    stage: Stage,
    question_count: u32,
    settings: InterviewSettings,
) -> Request {
    let mut messages: Vec<Message> = vec![
        Request::system(system_prompt(context.locale)),
        Request::user(context_message(context)),
    ];
    for exchange in transcript {
        if !exchange.question.is_empty() {
            let mut question = exchange.question.clone();
            if !exchange.options.is_empty() {
                question.push_str(&format!(" [{}]", exchange.options.join(" | ")));
            }
            messages.push(Request::assistant(question));
        }
        if let Some(answer) = &exchange.answer {
            messages.push(Request::user(answer.clone()));
        }
    }
    messages.push(Request::system(stage_note(
        stage,
        question_count,
        settings,
        context.locale,
    )));
    let mut request = Request::new(TASK, messages, 700);
    request.tools = stage.tools().iter().map(|name| tool(name)).collect();
    request.tool_choice = ToolChoice::Required;
    request
}

/// The JSON schema of a tool's arguments (strict: every property required).
fn tool(name: &str) -> Value {
    let string = json!({"type": "string"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let nullable = json!({"type": ["string", "null"]});
    match name {
        ASK => function_tool(
            ASK,
            "Ask the giver one question about the recipient.",
            json!({
                "type": "object", "additionalProperties": false,
                "required": ["question", "kind", "answers"],
                "properties": {
                    "question": string,
                    "kind": {"type": "string", "enum": ["text", "select", "long_free_text"]},
                    "answers": {
                        "type": "array",
                        "description": "exactly 4 for select, empty otherwise",
                        "items": {
                            "type": "object", "additionalProperties": false,
                            "required": ["answerFullSentence", "answerShortForm"],
                            "properties": {"answerFullSentence": string, "answerShortForm": string}
                        }
                    }
                }
            }),
        ),
        FINISH => function_tool(
            FINISH,
            "End the interview with what was learnt about the recipient.",
            json!({
                "type": "object", "additionalProperties": false,
                "required": ["profile", "keyThemes"],
                "properties": {
                    "profile": {
                        "type": "object", "additionalProperties": false,
                        "required": ["relationship", "ageRange", "gender", "lifestyle",
                                     "preferences", "recentLife", "owns", "missing", "dislikes"],
                        "properties": {
                            "relationship": nullable, "ageRange": nullable, "gender": nullable,
                            "lifestyle": nullable, "preferences": nullable, "recentLife": nullable,
                            "owns": strings, "missing": strings, "dislikes": strings
                        }
                    },
                    "keyThemes": {"type": "array", "description": "10 to 20 short search themes", "items": string}
                }
            }),
        ),
        _ => function_tool(
            FLAG,
            "Refuse a request for something harmful, dangerous or illegal.",
            json!({
                "type": "object", "additionalProperties": false,
                "required": ["reason"],
                "properties": {"reason": string}
            }),
        ),
    }
}

#[derive(Deserialize)]
struct AskArguments {
    question: String,
    kind: String,
    #[serde(default)]
    answers: Vec<SuggestedAnswer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfileArguments {
    relationship: Option<String>,
    age_range: Option<String>,
    gender: Option<String>,
    lifestyle: Option<String>,
    preferences: Option<String>,
    recent_life: Option<String>,
    #[serde(default)]
    owns: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
    #[serde(default)]
    dislikes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FinishArguments {
    profile: ProfileArguments,
    key_themes: Vec<String>,
}

#[derive(Deserialize)]
struct FlagArguments {
    reason: String,
}

fn invalid(reason: impl Into<String>) -> ProviderError {
    ProviderError::Invalid {
        provider: TASK.provider(),
        reason: reason.into(),
    }
}

/// Non-empty trimmed text, at most `max` characters.
fn text(value: &str, max: usize, what: &str) -> Result<String, ProviderError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(invalid(format!(
            "{what} is empty or longer than {max} characters"
        )));
    }
    Ok(value.to_owned())
}

fn cleaned(values: Vec<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for value in values {
        let value = value.trim();
        if !value.is_empty() && !kept.iter().any(|k| k.eq_ignore_ascii_case(value)) {
            kept.push(value.to_owned());
        }
    }
    kept
}

fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The model's turn, if it called one of the tools `stage` offers and kept to its schema.
fn read_turn(reply: &Reply, stage: Stage) -> Result<Turn, ProviderError> {
    let call = reply
        .tool_calls
        .first()
        .ok_or_else(|| invalid("no tool called"))?;
    if !stage.tools().contains(&call.name.as_str()) {
        return Err(invalid(format!(
            "{} called, not one of {:?}",
            call.name,
            stage.tools()
        )));
    }
    match call.name.as_str() {
        ASK => {
            let args: AskArguments = call.parse(TASK.provider())?;
            let question = text(&args.question, 400, "the question")?;
            let answers = match args.kind.as_str() {
                "select" => {
                    if args.answers.len() != 4 {
                        return Err(invalid(format!(
                            "a select question with {} answers, not 4",
                            args.answers.len()
                        )));
                    }
                    let answers = args
                        .answers
                        .iter()
                        .map(|a| {
                            Ok(SuggestedAnswer::new(
                                text(&a.answer_full_sentence, 200, "an answer")?,
                                text(&a.answer_short_form, 60, "an answer's short form")?,
                            ))
                        })
                        .collect::<Result<Vec<_>, ProviderError>>()?;
                    PotentialAnswers::Select { answers }
                }
                "text" | "long_free_text" => PotentialAnswers::LongFreeText,
                other => return Err(invalid(format!("unknown question kind {other:?}"))),
            };
            Ok(Turn::Ask(Question {
                text: question,
                answers,
            }))
        }
        FINISH => {
            let args: FinishArguments = call.parse(TASK.provider())?;
            let key_themes = cleaned(args.key_themes);
            if !THEMES.contains(&key_themes.len()) {
                return Err(invalid(format!(
                    "{} key themes, not 10 to 20",
                    key_themes.len()
                )));
            }
            let p = args.profile;
            let profile = RecipientProfile {
                personal_info_description: PersonalInfo {
                    relationship: optional(p.relationship),
                    occasion: None,
                    age_range: optional(p.age_range),
                    gender: optional(p.gender),
                },
                lifestyle_description: optional(p.lifestyle),
                preferences_description: optional(p.preferences),
                recent_life_description: optional(p.recent_life),
                possessions: Possessions {
                    what_already_has: cleaned(p.owns),
                    what_is_missing: cleaned(p.missing),
                },
                dislikes: cleaned(p.dislikes),
            };
            Ok(Turn::Finish(InterviewResult {
                profile,
                key_themes,
            }))
        }
        _ => {
            let args: FlagArguments = call.parse(TASK.provider())?;
            Ok(Turn::Inappropriate {
                reason: text(&args.reason, 500, "the reason")?,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{FINISH, InterviewSettings, Stage, read_turn, tool};
    use crate::llm::{Reply, ToolCall, Usage};
    use crate::services::chat::interviewer::Turn;
    use crate::vocabulary::PotentialAnswers;

    fn reply(name: &str, arguments: serde_json::Value) -> Reply {
        Reply {
            content: None,
            tool_calls: vec![ToolCall {
                name: name.into(),
                arguments: serde_json::Value::String(arguments.to_string()),
            }],
            finish_reason: Some("tool_calls".into()),
            usage: Usage::default(),
        }
    }

    fn answers(n: usize) -> serde_json::Value {
        (0..n)
            .map(|i| json!({"answerFullSentence": format!("Option {i}"), "answerShortForm": format!("O{i}")}))
            .collect()
    }

    #[test]
    fn stages_follow_the_server_caps() {
        let settings = InterviewSettings {
            max_questions: 6,
            min_questions: 3,
        };
        assert_eq!(Stage::of(0, settings), Stage::Opening);
        assert_eq!(Stage::of(3, settings), Stage::Open);
        assert_eq!(Stage::of(6, settings), Stage::Closing);
        assert_eq!(Stage::of(9, settings), Stage::Closing);
    }

    #[test]
    fn a_select_question_needs_exactly_four_answers() {
        let good = reply(
            "ask_question",
            json!({"question": "Hobby?", "kind": "select", "answers": answers(4)}),
        );
        match read_turn(&good, Stage::Open).unwrap() {
            Turn::Ask(q) => assert!(
                matches!(q.answers, PotentialAnswers::Select { answers } if answers.len() == 4)
            ),
            other => panic!("{other:?}"),
        }
        let three = reply(
            "ask_question",
            json!({"question": "Hobby?", "kind": "select", "answers": answers(3)}),
        );
        assert!(read_turn(&three, Stage::Open).is_err());
        let free = reply(
            "ask_question",
            json!({"question": "Tell me more", "kind": "text", "answers": []}),
        );
        assert!(matches!(
            read_turn(&free, Stage::Open).unwrap(),
            Turn::Ask(q) if q.answers == PotentialAnswers::LongFreeText
        ));
    }

    #[test]
    fn tools_not_offered_and_broken_arguments_are_refused() {
        let finish = reply(
            FINISH,
            json!({"profile": {"relationship": "sister", "ageRange": null, "gender": null,
                "lifestyle": null, "preferences": null, "recentLife": null,
                "owns": [], "missing": [], "dislikes": []},
                "keyThemes": (0..12).map(|i| format!("theme {i}")).collect::<Vec<_>>()}),
        );
        assert!(
            read_turn(&finish, Stage::Opening).is_err(),
            "no finish before the minimum"
        );
        assert!(
            matches!(read_turn(&finish, Stage::Closing).unwrap(), Turn::Finish(r) if r.key_themes.len() == 12)
        );
        let ask = reply(
            "ask_question",
            json!({"question": "More?", "kind": "text", "answers": []}),
        );
        assert!(
            read_turn(&ask, Stage::Closing).is_err(),
            "no question past the cap"
        );
        let few_themes = reply(
            FINISH,
            json!({"profile": {"relationship": null, "ageRange": null, "gender": null,
                "lifestyle": null, "preferences": null, "recentLife": null,
                "owns": [], "missing": [], "dislikes": []}, "keyThemes": ["a", "b"]}),
        );
        assert!(read_turn(&few_themes, Stage::Open).is_err());
        let mut broken = reply("ask_question", json!({}));
        broken.tool_calls[0].arguments = serde_json::Value::String("{\"question\": ".into());
        assert!(read_turn(&broken, Stage::Open).is_err());
        let none = Reply {
            tool_calls: Vec::new(),
            ..reply("x", json!({}))
        };
        assert!(read_turn(&none, Stage::Open).is_err());
        let flag = reply("flag_inappropriate", json!({"reason": "weapons"}));
        assert!(
            matches!(read_turn(&flag, Stage::Opening).unwrap(), Turn::Inappropriate { reason } if reason == "weapons")
        );
    }

    #[test]
    fn tool_schemas_are_strict() {
        for name in ["ask_question", "finish_interview", "flag_inappropriate"] {
            let tool = tool(name);
            assert_eq!(tool["function"]["name"], name);
            assert_eq!(tool["function"]["strict"], true);
            assert_eq!(
                tool["function"]["parameters"]["additionalProperties"],
                false
            );
        }
    }
}
