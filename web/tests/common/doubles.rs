//! Providers that misbehave on purpose: slow, hanging, failing.

#![allow(dead_code)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use present_finder_actors::events::FetchRequest;
use present_finder_actors::services::chat::interviewer::Turn;
use present_finder_actors::services::chat::{
    EmbeddedInterviewerProvider, InterviewInput, Interviewer,
};
use present_finder_actors::services::fetch::{CatalogSearch, ProductSearch};
use present_finder_actors::services::provider::ProviderError;
use present_finder_actors::services::reranking::scorer::{Assessment, ScoringContext};
use present_finder_actors::services::reranking::{EmbeddedScorer, ProductScorer};
use present_finder_actors::services::stalking::ProfileReader;
use present_finder_actors::vocabulary::Product;

/// Reads a profile after a delay, always the same text.
pub struct SlowReader {
    pub delay: Duration,
    pub text: String,
}

#[async_trait]
impl ProfileReader for SlowReader {
    async fn read(&self, _network: &str, _url: &str) -> Result<String, ProviderError> {
        tokio::time::sleep(self.delay).await;
        Ok(self.text.clone())
    }
}

/// Never answers.
pub struct HangingReader;

#[async_trait]
impl ProfileReader for HangingReader {
    async fn read(&self, _network: &str, _url: &str) -> Result<String, ProviderError> {
        std::future::pending().await
    }
}

/// A marketplace that is always down.
pub struct DownMarketplace;

#[async_trait]
impl ProductSearch for DownMarketplace {
    async fn search(&self, _request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        Err(ProviderError::Unavailable {
            provider: "olx",
            reason: "503 Service Unavailable".into(),
        })
    }
}

/// The catalog, answering each request after a delay.
pub struct SlowCatalog(pub Duration);

#[async_trait]
impl ProductSearch for SlowCatalog {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        tokio::time::sleep(self.0).await;
        CatalogSearch.search(request).await
    }

    fn is_remote(&self) -> bool {
        false
    }
}

/// The embedded scorer, except that its first `failures` calls fail.
pub struct FlakyScorer {
    pub failures: usize,
    pub calls: AtomicUsize,
}

#[async_trait]
impl ProductScorer for FlakyScorer {
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.failures {
            return Err(ProviderError::Unavailable {
                provider: "scorer",
                reason: "crashed".into(),
            });
        }
        EmbeddedScorer.assess(context, products).await
    }
}

/// The embedded interviewer, taking `delay` per turn like a model would. Counts the turns in
/// flight at once (the most there ever were in `peak`) and records the question count of
/// every answer it was asked to consider.
pub struct SlowInterviewer {
    pub delay: Duration,
    inner: EmbeddedInterviewerProvider,
    in_flight: AtomicUsize,
    pub peak: AtomicUsize,
    /// `question_count` of each `answer` call, in call order.
    pub answers: Mutex<Vec<u32>>,
}

impl SlowInterviewer {
    pub fn new(delay: Duration, max_questions: u32, min_questions: u32) -> Self {
        Self {
            delay,
            inner: EmbeddedInterviewerProvider::new(max_questions, min_questions),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            answers: Mutex::new(Vec::new()),
        }
    }

    async fn think(&self) {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
    }

    /// How many `answer` calls considered the answer to question `number`.
    pub fn calls_for_answer(&self, number: u32) -> usize {
        let answers = self.answers.lock().unwrap();
        answers.iter().filter(|&&n| n == number).count()
    }
}

#[async_trait]
impl Interviewer for SlowInterviewer {
    async fn start(&self, input: InterviewInput<'_>) -> Result<Turn, ProviderError> {
        self.think().await;
        self.inner.start(input).await
    }

    async fn answer(&self, input: InterviewInput<'_>, answer: &str) -> Result<Turn, ProviderError> {
        self.answers.lock().unwrap().push(input.question_count);
        self.think().await;
        self.inner.answer(input, answer).await
    }
}

/// The embedded interviewer, except that each first question waits until the test lets it
/// go: `entered` counts the calls waiting or past, `returned` those that answered.
pub struct GatedInterviewer {
    inner: EmbeddedInterviewerProvider,
    gate: tokio::sync::Semaphore,
    pub entered: AtomicUsize,
    pub returned: AtomicUsize,
}

impl GatedInterviewer {
    pub fn new(max_questions: u32, min_questions: u32) -> Self {
        Self {
            inner: EmbeddedInterviewerProvider::new(max_questions, min_questions),
            gate: tokio::sync::Semaphore::new(0),
            entered: AtomicUsize::new(0),
            returned: AtomicUsize::new(0),
        }
    }

    /// Lets every waiting and future first question through (each gives its permit back).
    pub fn open(&self) {
        self.gate.add_permits(1);
    }
}

#[async_trait]
impl Interviewer for GatedInterviewer {
    async fn start(&self, input: InterviewInput<'_>) -> Result<Turn, ProviderError> {
        self.entered.fetch_add(1, Ordering::SeqCst);
        let permit = self.gate.acquire().await;
        drop(permit);
        let turn = self.inner.start(input).await;
        self.returned.fetch_add(1, Ordering::SeqCst);
        turn
    }

    async fn answer(&self, input: InterviewInput<'_>, answer: &str) -> Result<Turn, ProviderError> {
        self.inner.answer(input, answer).await
    }
}

/// An interviewer that never answers.
pub struct HangingInterviewer;

#[async_trait]
impl Interviewer for HangingInterviewer {
    async fn start(&self, _input: InterviewInput<'_>) -> Result<Turn, ProviderError> {
        std::future::pending().await
    }

    async fn answer(
        &self,
        _input: InterviewInput<'_>,
        _answer: &str,
    ) -> Result<Turn, ProviderError> {
        std::future::pending().await
    }
}

/// A scorer that never answers.
pub struct HangingScorer;

#[async_trait]
impl ProductScorer for HangingScorer {
    async fn assess(
        &self,
        _context: &ScoringContext<'_>,
        _products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        std::future::pending().await
    }
}

/// The embedded scorer, taking `delay` per wave like a model would.
pub struct SlowScorer {
    pub delay: Duration,
    pub calls: AtomicUsize,
}

#[async_trait]
impl ProductScorer for SlowScorer {
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        EmbeddedScorer.assess(context, products).await
    }
}

/// The embedded scorer, except that each call waits until the test lets it go: `entered`
/// counts the calls waiting or past, `returned` those that answered.
pub struct GatedScorer {
    gate: tokio::sync::Semaphore,
    pub entered: AtomicUsize,
    pub returned: AtomicUsize,
}

impl GatedScorer {
    pub fn new() -> Self {
        Self {
            gate: tokio::sync::Semaphore::new(0),
            entered: AtomicUsize::new(0),
            returned: AtomicUsize::new(0),
        }
    }

    /// Lets every waiting and future call through (each gives its permit back).
    pub fn open(&self) {
        self.gate.add_permits(1);
    }
}

#[async_trait]
impl ProductScorer for GatedScorer {
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        self.entered.fetch_add(1, Ordering::SeqCst);
        let permit = self.gate.acquire().await;
        drop(permit);
        let assessed = EmbeddedScorer.assess(context, products).await;
        self.returned.fetch_add(1, Ordering::SeqCst);
        assessed
    }
}
