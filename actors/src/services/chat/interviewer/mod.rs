//! The embedded interviewer: a deterministic, rule-based, adaptive questionnaire about the
//! gift's recipient that needs no language model and no network.
//!
//! It asks who the person is (relationship, gender, age bracket), then explores life areas
//! one opening question at a time (sport, food, culture, home, tech, travel, pets, …), follows
//! up on what the answers reveal (running → how seriously, cooking → baking or grilling,
//! a pet → dog or cat), and wraps up with dislikes, what the person already has or lacks,
//! and a pick among gift ideas. Answers may be clicked suggestions or free text in Polish or
//! English. The result is a [`RecipientProfile`] and 10–20 short key themes for the search.
//!
//! * `texts` — every question, suggestion, label and message (PL/EN), read from
//!   `questions.json` and `phrases.json`;
//! * `understanding` — reading free-text answers;
//! * `safety` — refusing weapons, drugs, poison, harm and illegal requests;
//! * `record` — applying an answer to the state;
//! * `planner` — choosing and building the next question within the budget;
//! * `profile` — the resulting profile and key themes.

mod model;
mod planner;
mod profile;
mod record;
mod safety;
mod texts;
mod understanding;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use self::model::{AgeBracket, Asked, Gender, Note, Pending, RelKind, Topic};
use crate::vocabulary::{Locale, Occasion, PotentialAnswers, RecipientProfile, SuggestedAnswer};

/// How long an interview may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterviewSettings {
    /// Questions at most, the first one included.
    pub max_questions: u32,
    /// Questions at least, unless the giver asks to stop.
    pub min_questions: u32,
}

impl Default for InterviewSettings {
    fn default() -> Self {
        Self {
            max_questions: 12,
            min_questions: 5,
        }
    }
}

/// The session the interview belongs to.
#[derive(Debug, Clone, Copy)]
pub struct InterviewContext<'a> {
    pub occasion: Occasion,
    pub locale: Locale,
    /// A profile saved by the giver earlier: what it knows is not asked again.
    pub saved_profile: Option<&'a RecipientProfile>,
    pub saved_key_themes: &'a [String],
}

/// Everything needed to continue the interview; persisted as JSON between answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterviewerState {
    started: bool,
    finished: bool,
    /// The reason given when the interview ended on an inappropriate request.
    refusal: Option<String>,
    /// The question waiting for an answer.
    pending: Option<Pending>,
    asked: Vec<Asked>,
    relation: Option<RelKind>,
    /// The giver's own words for the relationship when they are not understood.
    relation_text: Option<String>,
    gender: Option<Gender>,
    age: Option<AgeBracket>,
    /// The person is probably a child.
    young_hint: bool,
    retired: bool,
    /// Interest ids of the taxonomy, in the order they came up.
    interests: Vec<String>,
    /// Key themes chosen through answers.
    themes: Vec<String>,
    has: Vec<String>,
    missing: Vec<String>,
    dislikes: Vec<String>,
    notes: Vec<Note>,
    /// Topics asked about or revealed by answers.
    explored: Vec<Topic>,
    /// Topics the person has nothing to do with (or the giver does not know).
    declined: Vec<Topic>,
    /// Follow-up questions the answers opened, next first.
    followups: Vec<String>,
    followups_asked: u32,
    /// Gift ideas already offered as suggestions.
    offered_ideas: Vec<String>,
    /// A saved profile was loaded.
    saved: bool,
}

/// A question for the giver.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub text: String,
    pub answers: PotentialAnswers,
}

/// What the interview found out.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewResult {
    pub profile: RecipientProfile,
    pub key_themes: Vec<String>,
}

/// The interviewer's move.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "the public API returns the result by value; one turn per answer"
)]
pub enum Turn {
    Ask(Question),
    Finish(InterviewResult),
    /// The giver asked for something the gift finder must refuse; the interview is over.
    Inappropriate {
        reason: String,
    },
}

/// The rule-based interviewer.
#[derive(Debug, Clone, Default)]
pub struct EmbeddedInterviewer {
    settings: InterviewSettings,
}

impl EmbeddedInterviewer {
    pub fn new(settings: InterviewSettings) -> Self {
        Self { settings }
    }

    /// The first question (asked immediately when the interview starts).
    pub fn start(&self, ctx: &InterviewContext<'_>, state: &mut InterviewerState) -> Turn {
        if let Some(turn) = self.terminal(ctx, state) {
            return turn;
        }
        if let Some(pending) = &state.pending {
            return Turn::Ask(question(pending));
        }
        self.begin(ctx, state);
        self.next(ctx, state)
    }

    /// The giver's answer to the pending question; returns the next turn.
    pub fn answer(
        &self,
        ctx: &InterviewContext<'_>,
        state: &mut InterviewerState,
        answer: &str,
    ) -> Turn {
        if let Some(turn) = self.terminal(ctx, state) {
            return turn;
        }
        self.begin(ctx, state);
        if let Some(refusal) = safety::check(answer, ctx.locale) {
            let reason = texts::refusal_reason(refusal, ctx.locale);
            state.refusal = Some(reason.clone());
            state.pending = None;
            return Turn::Inappropriate { reason };
        }
        if understanding::is_stop_request(answer) {
            return self.finish(ctx, state);
        }
        match state.pending.take() {
            Some(pending) => record::record_answer(state, &pending, answer, ctx.locale),
            None => record::record_free(state, answer, ctx.locale),
        }
        self.next(ctx, state)
    }

    /// The result of an interview another interviewer conducted: `answers` (the giver's
    /// words, in order) read as free text, on top of what the context holds. Used when the
    /// other interviewer cannot conclude itself.
    pub fn conclude(&self, ctx: &InterviewContext<'_>, answers: &[String]) -> InterviewResult {
        let mut state = InterviewerState::default();
        self.begin(ctx, &mut state);
        for answer in answers {
            record::record_free(&mut state, answer, ctx.locale);
        }
        state.finished = true;
        profile::build_result(ctx, &state)
    }

    fn terminal(&self, ctx: &InterviewContext<'_>, state: &InterviewerState) -> Option<Turn> {
        if let Some(reason) = &state.refusal {
            return Some(Turn::Inappropriate {
                reason: reason.clone(),
            });
        }
        state
            .finished
            .then(|| Turn::Finish(profile::build_result(ctx, state)))
    }

    fn begin(&self, ctx: &InterviewContext<'_>, state: &mut InterviewerState) {
        if !state.started {
            state.started = true;
            record::absorb_saved(state, ctx.saved_profile, ctx.saved_key_themes, ctx.locale);
        }
    }

    fn frame(&self, ctx: &InterviewContext<'_>) -> planner::Frame {
        let max_questions = usize::try_from(self.settings.max_questions).unwrap_or(usize::MAX);
        let min_questions = usize::try_from(self.settings.min_questions)
            .unwrap_or(usize::MAX)
            .min(max_questions);
        planner::Frame {
            locale: ctx.locale,
            occasion: ctx.occasion,
            max_questions,
            min_questions,
        }
    }

    fn next(&self, ctx: &InterviewContext<'_>, state: &mut InterviewerState) -> Turn {
        let Some(pending) = planner::next_question(&self.frame(ctx), state) else {
            return self.finish(ctx, state);
        };
        state.asked.push(Asked {
            key: pending.key.clone(),
            topic: pending.topic,
        });
        state.mark_explored(pending.topic);
        for option in &pending.options {
            for effect in &option.effects {
                if let model::Effect::Missing(idea) = effect
                    && !state.offered_ideas.contains(idea)
                {
                    state.offered_ideas.push(idea.clone());
                }
            }
        }
        let turn = Turn::Ask(question(&pending));
        state.pending = Some(pending);
        turn
    }

    fn finish(&self, ctx: &InterviewContext<'_>, state: &mut InterviewerState) -> Turn {
        state.finished = true;
        state.pending = None;
        Turn::Finish(profile::build_result(ctx, state))
    }
}

fn question(pending: &Pending) -> Question {
    let answers = if pending.options.is_empty() {
        PotentialAnswers::LongFreeText
    } else {
        PotentialAnswers::Select {
            answers: pending
                .options
                .iter()
                .map(|o| SuggestedAnswer::new(o.full.clone(), o.short.clone()))
                .collect(),
        }
    };
    Question {
        text: pending.text.clone(),
        answers,
    }
}
