//! Token accounting: every call's tokens go to the process's counters (`llm_*` in `/metrics`)
//! and to the ledger of the step being [`metered`], which the service stores with the step's
//! result so that a session's summary can show what each step cost and whether it fell back.

use std::cell::RefCell;
use std::future::Future;
use std::sync::LazyLock;

use super::{LlmTask, Usage};
use prometheus::{IntCounterVec, Opts};

/// The counters of every task, registered once in the default registry (`/metrics`).
struct Counters {
    calls: IntCounterVec,
    tokens: IntCounterVec,
    fallbacks: IntCounterVec,
}

static COUNTERS: LazyLock<Option<Counters>> = LazyLock::new(|| match Counters::register() {
    Ok(counters) => Some(counters),
    Err(error) => {
        log::error!("LLM metrics not registered: {error}");
        None
    }
});

impl Counters {
    fn register() -> prometheus::Result<Self> {
        let calls = IntCounterVec::new(
            Opts::new(
                "llm_calls_total",
                "LLM calls, by task and outcome (ok, error)",
            ),
            &["task", "outcome"],
        )?;
        let tokens = IntCounterVec::new(
            Opts::new(
                "llm_tokens_total",
                "LLM tokens, by task and kind (prompt, completion); estimated as characters / 4 when the server reports none",
            ),
            &["task", "kind"],
        )?;
        let fallbacks = IntCounterVec::new(
            Opts::new(
                "llm_fallbacks_total",
                "Steps the embedded provider did because the LLM failed, by task",
            ),
            &["task"],
        )?;
        let registry = prometheus::default_registry();
        registry.register(Box::new(calls.clone()))?;
        registry.register(Box::new(tokens.clone()))?;
        registry.register(Box::new(fallbacks.clone()))?;
        // Every series exists from the start, at zero.
        for task in LlmTask::ALL {
            for outcome in ["ok", "error"] {
                calls.with_label_values(&[task.as_str(), outcome]);
            }
            for kind in ["prompt", "completion"] {
                tokens.with_label_values(&[task.as_str(), kind]);
            }
            fallbacks.with_label_values(&[task.as_str()]);
        }
        Ok(Self {
            calls,
            tokens,
            fallbacks,
        })
    }
}

/// Makes the counters appear in `/metrics` before the first call.
pub(crate) fn register_metrics() {
    LazyLock::force(&COUNTERS);
}

tokio::task_local! {
    static LEDGER: RefCell<Usage>;
}

fn note(usage: &Usage) {
    // Outside a metered step (benchmarks, tests of a provider alone) only the counters count.
    let _ = LEDGER.try_with(|ledger| ledger.borrow_mut().add(usage));
}

/// A call answered: into the task's counters and the current step's ledger.
pub(crate) fn record_call(task: LlmTask, usage: &Usage) {
    if let Some(counters) = COUNTERS.as_ref() {
        counters
            .calls
            .with_label_values(&[task.as_str(), "ok"])
            .inc();
        let tokens = &counters.tokens;
        tokens
            .with_label_values(&[task.as_str(), "prompt"])
            .inc_by(usage.prompt_tokens);
        tokens
            .with_label_values(&[task.as_str(), "completion"])
            .inc_by(usage.completion_tokens);
    }
    note(usage);
}

/// An attempt that failed (error status, timeout, unreadable body).
pub(crate) fn record_error(task: LlmTask) {
    if let Some(counters) = COUNTERS.as_ref() {
        counters
            .calls
            .with_label_values(&[task.as_str(), "error"])
            .inc();
    }
}

/// The embedded provider did a step (or part of one) of `task` instead of the model.
pub fn record_fallback(task: LlmTask) {
    if let Some(counters) = COUNTERS.as_ref() {
        counters.fallbacks.with_label_values(&[task.as_str()]).inc();
    }
    note(&Usage {
        fallbacks: 1,
        ..Usage::default()
    });
}

/// Runs one step (a provider call and its fallbacks) and returns what its LLM calls cost.
/// Nested steps count in the innermost one only.
pub async fn metered<F: Future>(step: F) -> (F::Output, Usage) {
    let ledger = RefCell::new(Usage::default());
    let (output, ledger) = LEDGER
        .scope(ledger, async move {
            let output = step.await;
            let ledger = LEDGER.with(|ledger| *ledger.borrow());
            (output, ledger)
        })
        .await;
    (output, ledger)
}

/// The sum of one of this process's counters (`llm_calls_total`, `llm_tokens_total`,
/// `llm_fallbacks_total`) over its series with all of these labels: what `/metrics` shows,
/// read in process by benchmarks and tests.
pub fn counter_total(name: &str, labels: &[(&str, &str)]) -> u64 {
    prometheus::gather()
        .iter()
        .filter(|family| family.name() == name)
        .flat_map(|family| family.get_metric().iter())
        .filter(|metric| {
            labels.iter().all(|(key, value)| {
                metric
                    .get_label()
                    .iter()
                    .any(|l| l.name() == *key && l.value() == *value)
            })
        })
        .map(|metric| metric.get_counter().get_value() as u64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::{LlmTask, Usage, metered, record_call, record_fallback};
    use crate::vocabulary::SessionUsage;

    #[test]
    fn a_session_adds_up_its_steps_and_names_those_that_fell_back() {
        let mut session = SessionUsage::default();
        let call = Usage {
            calls: 1,
            prompt_tokens: 10,
            completion_tokens: 2,
            ..Usage::default()
        };
        session.add(LlmTask::Scoring, &call);
        session.add(LlmTask::Interview, &call);
        session.add(
            LlmTask::Scoring,
            &Usage {
                fallbacks: 1,
                ..call
            },
        );
        assert_eq!(session.total.total_tokens(), 36);
        assert_eq!(session.steps[&LlmTask::Scoring].calls, 2);
        assert_eq!(session.fell_back, [LlmTask::Scoring]);
        let json = serde_json::to_value(&session).unwrap();
        assert_eq!(json["steps"]["scoring"]["promptTokens"], 20);
        assert_eq!(json["fellBack"][0], "scoring");
    }

    #[actix_rt::test]
    async fn a_metered_step_adds_up_its_calls_and_fallbacks() {
        let ((), usage) = metered(async {
            record_call(
                LlmTask::Scoring,
                &Usage {
                    calls: 1,
                    prompt_tokens: 100,
                    completion_tokens: 20,
                    ..Usage::default()
                },
            );
            record_call(
                LlmTask::Scoring,
                &Usage {
                    calls: 1,
                    prompt_tokens: 50,
                    completion_tokens: 5,
                    estimated: true,
                    fallbacks: 0,
                },
            );
            record_fallback(LlmTask::Scoring);
        })
        .await;
        assert_eq!(usage.calls, 2);
        assert_eq!(usage.total_tokens(), 175);
        assert!(usage.estimated);
        assert_eq!(usage.fallbacks, 1);
        // Outside a step nothing fails.
        record_fallback(LlmTask::Ideas);
    }
}
