//! The saga's decisions, free of I/O: a session state, an input, the current time → the new
//! state and the events to emit.

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{refinement, texts};
use crate::events::{
    GiftFinalizeRequestedEvent, GiftGenerateRequestedEvent, GiftSessionFailedEvent,
    GiftSessionProgressEvent, JudgedProduct, Refinement, WaveFeedback,
};
use crate::services::progress::progress;
use crate::vocabulary::{Locale, PriceRange, RecipientProfile, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Collecting,
    Generating,
    Completed,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewStatus {
    Pending,
    Completed,
    Inappropriate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StalkingStatus {
    Pending,
    Completed,
    /// Its deadline passed; the search went on without it.
    Skipped,
}

/// One gift search.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub status: SessionStatus,
    pub stage: Stage,
    pub interview: InterviewStatus,
    pub stalking: StalkingStatus,
    pub locale: Locale,
    pub profile: Option<RecipientProfile>,
    pub key_themes: Vec<String>,
    pub facts: Vec<String>,
    pub price_range: PriceRange,
    pub current_wave: u32,
    pub stalking_deadline_at: Option<DateTime<Utc>>,
    pub stage_deadline_at: Option<DateTime<Utc>>,
    pub session_deadline_at: Option<DateTime<Utc>>,
    /// Reranking was asked to finish early.
    pub finalize_requested: bool,
    /// Refinement rounds asked for after the results (0: none).
    pub round: u32,
    /// What those rounds asked for, carried by every later wave.
    pub refinement: Option<Refinement>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            status: SessionStatus::Collecting,
            stage: Stage::Interview,
            interview: InterviewStatus::Pending,
            stalking: StalkingStatus::Pending,
            locale: Locale::default(),
            profile: None,
            key_themes: Vec::new(),
            facts: Vec::new(),
            price_range: PriceRange::default(),
            current_wave: 0,
            stalking_deadline_at: None,
            stage_deadline_at: None,
            session_deadline_at: None,
            finalize_requested: false,
            round: 0,
            refinement: None,
        }
    }
}

/// The deadlines a saga works with.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub stalking_deadline: Duration,
    pub ideas_deadline: Duration,
    pub session_deadline: Duration,
    /// Regeneration waves allowed after the first.
    pub max_ideas_loop: u32,
}

impl Timing {
    /// How long before the session deadline reranking is asked to deliver what it has.
    fn finalize_grace(&self) -> Duration {
        (self.session_deadline / 4).min(Duration::from_secs(15))
    }
}

/// What happened to the session.
#[derive(Debug, Clone)]
pub enum Input {
    ProfilesRequested {
        price_range: PriceRange,
    },
    InterviewStarted {
        locale: Locale,
        price_range: PriceRange,
    },
    ProfilesAnalyzed {
        facts: Vec<String>,
    },
    InterviewCompleted {
        profile: Box<RecipientProfile>,
        key_themes: Vec<String>,
    },
    InappropriateRequest {
        reason: String,
    },
    WaveAnnounced {
        wave: u32,
        expected_fetches: u32,
    },
    RegenerationRequested {
        wave: u32,
        feedback: WaveFeedback,
    },
    ResultsDelivered,
    /// On the results, the user asked for more like some and none like others.
    RefinementRequested {
        likes: Vec<JudgedProduct>,
        dislikes: Vec<JudgedProduct>,
    },
    /// Time passed: act on the deadlines that are due.
    Tick,
}

/// An event the saga emits.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Generate(Box<GiftGenerateRequestedEvent>),
    Progress(GiftSessionProgressEvent),
    Failed(GiftSessionFailedEvent),
    Finalize(GiftFinalizeRequestedEvent),
}

impl Session {
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            SessionStatus::Collecting | SessionStatus::Generating
        )
    }

    /// Applies `input` at `now`; returns what to emit.
    pub fn apply(&mut self, input: Input, now: DateTime<Utc>, timing: &Timing) -> Vec<Output> {
        // Refinement is the one input that reopens a completed session.
        let refinement = matches!(input, Input::RefinementRequested { .. });
        if !self.is_open() && !refinement {
            return Vec::new();
        }
        match input {
            Input::ProfilesRequested { price_range } => {
                self.remember_price(price_range);
                Vec::new()
            }
            Input::InterviewStarted {
                locale,
                price_range,
            } => {
                self.locale = locale;
                self.remember_price(price_range);
                Vec::new()
            }
            Input::ProfilesAnalyzed { facts } => {
                if self.stalking == StalkingStatus::Pending {
                    self.stalking = StalkingStatus::Completed;
                    self.facts = facts;
                    self.stalking_deadline_at = None;
                }
                self.try_start(now, timing)
            }
            Input::InterviewCompleted {
                profile,
                key_themes,
            } => {
                if self.interview != InterviewStatus::Pending {
                    return Vec::new();
                }
                self.interview = InterviewStatus::Completed;
                self.profile = Some(*profile);
                self.key_themes = key_themes;
                self.session_deadline_at = Some(now + timing.session_deadline);
                if self.stalking == StalkingStatus::Pending {
                    self.stage = Stage::Profiling;
                    self.stalking_deadline_at = Some(now + timing.stalking_deadline);
                }
                let mut outputs = self.try_start(now, timing);
                if self.status == SessionStatus::Collecting {
                    outputs.push(self.progress(Stage::Profiling, 0, 1));
                }
                outputs
            }
            Input::InappropriateRequest { reason } => {
                self.interview = InterviewStatus::Inappropriate;
                vec![self.fail(Stage::Interview, reason, false)]
            }
            Input::WaveAnnounced {
                wave,
                expected_fetches,
            } => {
                if self.status != SessionStatus::Generating || wave != self.current_wave {
                    return Vec::new();
                }
                self.stage = Stage::Searching;
                self.stage_deadline_at = self.finalize_at(timing);
                vec![self.progress(Stage::Searching, 0, expected_fetches)]
            }
            Input::RegenerationRequested { wave, feedback } => {
                let allowed = self.status == SessionStatus::Generating
                    && wave == self.current_wave
                    && wave <= timing.max_ideas_loop
                    && !self.finalize_requested;
                if !allowed {
                    return Vec::new();
                }
                self.current_wave += 1;
                self.generate(now, timing, Some(feedback))
            }
            Input::ResultsDelivered => {
                self.status = SessionStatus::Completed;
                self.stage = Stage::Done;
                self.clear_deadlines();
                vec![self.progress(Stage::Done, 1, 1)]
            }
            Input::Tick => self.tick(now, timing),
            Input::RefinementRequested { likes, dislikes } => {
                self.refine(&likes, &dislikes, now, timing)
            }
        }
    }

    /// One more wave after the results, near what was liked and without what was not, in the
    /// same budget; it ends in a result of its own. Only a completed session is refined (the
    /// web refuses a refinement while its search runs).
    fn refine(
        &mut self,
        likes: &[JudgedProduct],
        dislikes: &[JudgedProduct],
        now: DateTime<Utc>,
        timing: &Timing,
    ) -> Vec<Output> {
        if self.status != SessionStatus::Completed || (likes.is_empty() && dislikes.is_empty()) {
            return Vec::new();
        }
        let profile = self.profile.get_or_insert_with(RecipientProfile::default);
        let so_far = self.refinement.get_or_insert_with(Refinement::default);
        refinement::apply(
            profile,
            &mut self.key_themes,
            so_far,
            likes,
            dislikes,
            self.locale,
        );
        self.round += 1;
        self.status = SessionStatus::Generating;
        self.finalize_requested = false;
        self.session_deadline_at = Some(now + timing.session_deadline);
        self.current_wave += 1;
        self.generate(now, timing, None)
    }

    fn remember_price(&mut self, price_range: PriceRange) {
        if self.price_range == PriceRange::default() {
            self.price_range = price_range;
        }
    }

    /// Generation starts once the interview is complete and the profiles are analysed or no
    /// longer waited for.
    fn try_start(&mut self, now: DateTime<Utc>, timing: &Timing) -> Vec<Output> {
        let ready = self.status == SessionStatus::Collecting
            && self.interview == InterviewStatus::Completed
            && self.stalking != StalkingStatus::Pending;
        if !ready {
            return Vec::new();
        }
        self.status = SessionStatus::Generating;
        self.current_wave = 1;
        self.generate(now, timing, None)
    }

    fn generate(
        &mut self,
        now: DateTime<Utc>,
        timing: &Timing,
        feedback: Option<WaveFeedback>,
    ) -> Vec<Output> {
        self.stage = Stage::Ideas;
        let ideas_deadline = now + timing.ideas_deadline;
        self.stage_deadline_at = Some(match self.finalize_at(timing) {
            Some(finalize_at) => ideas_deadline.min(finalize_at),
            None => ideas_deadline,
        });
        let request = GiftGenerateRequestedEvent {
            wave_id: Uuid::now_v7(),
            wave: self.current_wave,
            profile: self.profile.clone().unwrap_or_default(),
            key_themes: self.key_themes.clone(),
            facts: self.facts.clone(),
            price_range: self.price_range,
            locale: self.locale,
            feedback,
            round: self.round,
            refinement: self.refinement.clone(),
        };
        vec![
            Output::Generate(Box::new(request)),
            self.progress(Stage::Ideas, 0, 1),
        ]
    }

    fn tick(&mut self, now: DateTime<Utc>, timing: &Timing) -> Vec<Output> {
        let due = |deadline: Option<DateTime<Utc>>| deadline.is_some_and(|d| d <= now);
        if self.status == SessionStatus::Collecting
            && self.stalking == StalkingStatus::Pending
            && due(self.stalking_deadline_at)
        {
            self.stalking = StalkingStatus::Skipped;
            self.stalking_deadline_at = None;
            return self.try_start(now, timing);
        }
        if due(self.session_deadline_at) {
            let reason = texts::took_too_long(self.locale).to_owned();
            return vec![self.fail(self.stage, reason, true)];
        }
        if self.status == SessionStatus::Generating && due(self.stage_deadline_at) {
            if self.stage == Stage::Ideas && self.current_wave <= 1 {
                let reason = texts::ideas_failed(self.locale).to_owned();
                return vec![self.fail(Stage::Ideas, reason, true)];
            }
            return self.request_finalize();
        }
        Vec::new()
    }

    /// Reranking delivers what it has; the session deadline stays as the last resort.
    fn request_finalize(&mut self) -> Vec<Output> {
        self.stage_deadline_at = None;
        if self.finalize_requested {
            return Vec::new();
        }
        self.finalize_requested = true;
        self.stage = Stage::Scoring;
        vec![Output::Finalize(GiftFinalizeRequestedEvent {
            reason: texts::finalize_reason(self.locale).to_owned(),
        })]
    }

    fn finalize_at(&self, timing: &Timing) -> Option<DateTime<Utc>> {
        self.session_deadline_at
            .map(|deadline| deadline - timing.finalize_grace())
    }

    fn fail(&mut self, stage: Stage, reason: String, retryable: bool) -> Output {
        self.status = SessionStatus::Failed;
        self.clear_deadlines();
        Output::Failed(GiftSessionFailedEvent {
            stage,
            reason,
            retryable,
        })
    }

    fn clear_deadlines(&mut self) {
        self.stalking_deadline_at = None;
        self.stage_deadline_at = None;
        self.session_deadline_at = None;
    }

    fn progress(&self, stage: Stage, done: u32, total: u32) -> Output {
        Output::Progress(progress(stage, done, total, self.locale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing() -> Timing {
        Timing {
            stalking_deadline: Duration::from_secs(20),
            ideas_deadline: Duration::from_secs(30),
            session_deadline: Duration::from_secs(120),
            max_ideas_loop: 1,
        }
    }

    fn completed_interview() -> Input {
        Input::InterviewCompleted {
            profile: Box::default(),
            key_themes: vec!["bieganie".into()],
        }
    }

    fn generated(outputs: &[Output]) -> Option<&GiftGenerateRequestedEvent> {
        outputs.iter().find_map(|o| match o {
            Output::Generate(g) => Some(g.as_ref()),
            _ => None,
        })
    }

    #[test]
    fn generation_waits_for_both_interview_and_profiles_in_any_order() {
        let now = Utc::now();
        for stalking_first in [true, false] {
            let mut session = Session::default();
            let mut outputs = Vec::new();
            if stalking_first {
                outputs.extend(session.apply(
                    Input::ProfilesAnalyzed {
                        facts: vec!["f".into()],
                    },
                    now,
                    &timing(),
                ));
                assert!(generated(&outputs).is_none());
                outputs.extend(session.apply(completed_interview(), now, &timing()));
            } else {
                outputs.extend(session.apply(completed_interview(), now, &timing()));
                assert!(generated(&outputs).is_none());
                outputs.extend(session.apply(
                    Input::ProfilesAnalyzed {
                        facts: vec!["f".into()],
                    },
                    now,
                    &timing(),
                ));
            }
            let request = generated(&outputs).expect("generation started");
            assert_eq!(request.wave, 1);
            assert_eq!(request.facts, vec!["f".to_owned()]);
            assert_eq!(session.status, SessionStatus::Generating);
        }
    }

    #[test]
    fn generation_goes_ahead_without_profiles_after_their_deadline() {
        let now = Utc::now();
        let mut session = Session::default();
        session.apply(completed_interview(), now, &timing());
        assert!(
            session
                .apply(Input::Tick, now + chrono::Duration::seconds(19), &timing())
                .is_empty()
        );
        let outputs = session.apply(Input::Tick, now + chrono::Duration::seconds(21), &timing());
        assert!(generated(&outputs).is_some());
        assert_eq!(session.stalking, StalkingStatus::Skipped);
        // A late analysis changes nothing.
        let late = session.apply(
            Input::ProfilesAnalyzed { facts: vec![] },
            now + chrono::Duration::seconds(22),
            &timing(),
        );
        assert!(generated(&late).is_none());
    }

    #[test]
    fn price_range_of_the_request_is_kept_for_every_wave() {
        let now = Utc::now();
        let range = PriceRange {
            min_price: Some(50.0),
            max_price: Some(200.0),
        };
        let mut session = Session::default();
        session.apply(
            Input::ProfilesRequested { price_range: range },
            now,
            &timing(),
        );
        session.apply(Input::ProfilesAnalyzed { facts: vec![] }, now, &timing());
        let first = session.apply(completed_interview(), now, &timing());
        assert_eq!(generated(&first).unwrap().price_range, range);
        session.apply(
            Input::WaveAnnounced {
                wave: 1,
                expected_fetches: 4,
            },
            now,
            &timing(),
        );
        let second = session.apply(
            Input::RegenerationRequested {
                wave: 1,
                feedback: WaveFeedback::default(),
            },
            now,
            &timing(),
        );
        let request = generated(&second).unwrap();
        assert_eq!(request.wave, 2);
        assert_eq!(request.price_range, range);
        // No third wave with max_ideas_loop = 1.
        let third = session.apply(
            Input::RegenerationRequested {
                wave: 2,
                feedback: WaveFeedback::default(),
            },
            now,
            &timing(),
        );
        assert!(third.is_empty());
    }

    #[test]
    fn inappropriate_request_fails_the_session_for_good() {
        let now = Utc::now();
        let mut session = Session::default();
        let outputs = session.apply(
            Input::InappropriateRequest {
                reason: "nie".into(),
            },
            now,
            &timing(),
        );
        assert!(matches!(&outputs[..], [Output::Failed(f)] if !f.retryable && f.reason == "nie"));
        assert!(
            session
                .apply(completed_interview(), now, &timing())
                .is_empty()
        );
    }

    #[test]
    fn a_stalled_search_is_finalised_then_failed_at_the_session_deadline() {
        let now = Utc::now();
        let mut session = Session::default();
        session.apply(Input::ProfilesAnalyzed { facts: vec![] }, now, &timing());
        session.apply(completed_interview(), now, &timing());
        session.apply(
            Input::WaveAnnounced {
                wave: 1,
                expected_fetches: 4,
            },
            now,
            &timing(),
        );
        // Finalisation is requested 15 s before the 120 s deadline…
        assert!(
            session
                .apply(Input::Tick, now + chrono::Duration::seconds(100), &timing())
                .is_empty()
        );
        let outputs = session.apply(Input::Tick, now + chrono::Duration::seconds(106), &timing());
        assert!(matches!(&outputs[..], [Output::Finalize(_)]));
        assert!(
            session
                .apply(Input::Tick, now + chrono::Duration::seconds(110), &timing())
                .is_empty()
        );
        // …and if nothing comes, the user is told at the deadline.
        let outputs = session.apply(Input::Tick, now + chrono::Duration::seconds(121), &timing());
        assert!(matches!(&outputs[..], [Output::Failed(f)] if f.retryable));
        assert_eq!(session.status, SessionStatus::Failed);
    }

    #[test]
    fn results_close_the_session() {
        let now = Utc::now();
        let mut session = Session::default();
        session.apply(Input::ProfilesAnalyzed { facts: vec![] }, now, &timing());
        session.apply(completed_interview(), now, &timing());
        session.apply(Input::ResultsDelivered, now, &timing());
        assert_eq!(session.status, SessionStatus::Completed);
        assert!(
            session
                .apply(Input::Tick, now + chrono::Duration::seconds(500), &timing())
                .is_empty()
        );
    }

    #[test]
    fn ideas_that_never_come_fail_the_first_wave() {
        let now = Utc::now();
        let mut session = Session::default();
        session.apply(Input::ProfilesAnalyzed { facts: vec![] }, now, &timing());
        session.apply(completed_interview(), now, &timing());
        let outputs = session.apply(Input::Tick, now + chrono::Duration::seconds(31), &timing());
        assert!(matches!(&outputs[..], [Output::Failed(f)] if f.stage == Stage::Ideas));
    }

    fn judged(title: &str) -> JudgedProduct {
        JudgedProduct {
            title: title.to_owned(),
        }
    }

    fn refinement(likes: &[&str], dislikes: &[&str]) -> Input {
        Input::RefinementRequested {
            likes: likes.iter().map(|t| judged(t)).collect(),
            dislikes: dislikes.iter().map(|t| judged(t)).collect(),
        }
    }

    #[test]
    fn a_refinement_reopens_finished_results_for_one_more_wave_in_the_same_budget() {
        let now = Utc::now();
        let range = PriceRange {
            min_price: Some(40.0),
            max_price: Some(400.0),
        };
        let mut session = Session::default();
        // Nothing to refine before there are results.
        assert!(
            session
                .apply(refinement(&["Kubek"], &[]), now, &timing())
                .is_empty()
        );
        session.apply(
            Input::ProfilesRequested { price_range: range },
            now,
            &timing(),
        );
        session.apply(Input::ProfilesAnalyzed { facts: vec![] }, now, &timing());
        session.apply(completed_interview(), now, &timing());
        session.apply(Input::ResultsDelivered, now, &timing());
        assert!(
            session
                .apply(refinement(&[], &[]), now, &timing())
                .is_empty(),
            "an empty refinement changes nothing"
        );

        let later = now + chrono::Duration::seconds(600);
        let outputs = session.apply(
            refinement(&["Zegarek sportowy GPS"], &["Żel energetyczny 6 szt."]),
            later,
            &timing(),
        );
        let request = generated(&outputs).expect("a refinement wave");
        assert_eq!(request.wave, 2);
        assert_eq!(request.round, 1);
        assert_eq!(request.price_range, range);
        let asked = request.refinement.as_ref().expect("what was asked");
        assert_eq!(asked.liked_kinds, vec!["zegarek sportowy".to_owned()]);
        assert_eq!(asked.excluded_kinds, vec!["żel energetyczny".to_owned()]);
        assert_eq!(request.key_themes[0], "zegarek sportowy");
        assert_eq!(session.status, SessionStatus::Generating);
        assert_eq!(
            session.session_deadline_at,
            Some(later + timing().session_deadline),
            "the round has a deadline of its own"
        );
        // One round at a time: another request while it runs is ignored.
        assert!(
            session
                .apply(refinement(&["Kubek"], &[]), later, &timing())
                .is_empty()
        );
        session.apply(Input::ResultsDelivered, later, &timing());
        let outputs = session.apply(refinement(&[], &["Kubek termiczny"]), later, &timing());
        let request = generated(&outputs).expect("a second round");
        assert_eq!(request.round, 2);
        let asked = request.refinement.as_ref().expect("what was asked");
        assert_eq!(
            asked.excluded_kinds,
            vec!["żel energetyczny".to_owned(), "kubek termiczny".to_owned()],
            "earlier rounds still count"
        );
    }
}
