//! The LLM scorer. The embedded scorer assesses every product first (it is cheap): its
//! assessments stand for whatever the model does not score, and its ranking picks the at
//! most `LLM_SCORING_MAX` products the model sees, in batches scored concurrently. Each
//! product of a batch gets an integer 1–10 and a one-sentence reason citing the profile;
//! unknown ids in an answer are ignored, products left out are asked for once more, then keep
//! the embedded assessment (recorded as a fallback). What the model scored is remembered per
//! recipient, so a wave scored again costs no second call for it.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use super::provider::{EmbeddedScorer, ProductScorer};
use super::scorer::{Assessment, ScoringContext};
use crate::llm::{
    LlmClient, LlmTask, Reply, Request, clip, describe_budget, describe_recipient,
    json_schema_format, record_fallback,
};
use crate::services::provider::{ProviderError, within};
use crate::vocabulary::{Locale, Product};

const TASK: LlmTask = LlmTask::Scoring;
/// Products per call: small enough for a quick answer, large enough to share the prompt.
const BATCH: usize = 20;

/// Scores kept at most; past it the memory starts afresh.
const REMEMBERED: usize = 20_000;

pub struct LlmScorer {
    client: Arc<LlmClient>,
    scoring_max: usize,
    /// The model's share of a wave's time limit (the service falls back past the limit).
    budget: Duration,
    /// The model's scores by recipient and product: a wave scored again (products arrived
    /// while it was scored, or finalisers raced) asks nothing twice.
    remembered: Mutex<HashMap<(u64, String), Scored>>,
}

impl LlmScorer {
    pub fn new(client: Arc<LlmClient>, wave_limit: Duration) -> Self {
        let scoring_max = client.config().scoring_max;
        Self {
            client,
            scoring_max,
            budget: wave_limit
                .saturating_sub(Duration::from_secs(1))
                .max(wave_limit / 2),
            remembered: Mutex::new(HashMap::new()),
        }
    }

    /// What the model said of these products for this recipient before, by index.
    fn recall(
        &self,
        recipient: u64,
        products: &[Product],
        indices: &[usize],
    ) -> Vec<(usize, Scored)> {
        let Ok(remembered) = self.remembered.lock() else {
            return Vec::new();
        };
        indices
            .iter()
            .filter_map(|&i| {
                let product = products.get(i)?;
                let scored = remembered.get(&(recipient, product.link.clone()))?;
                Some((i, scored.clone()))
            })
            .collect()
    }

    fn remember(&self, recipient: u64, products: &[Product], scored: &[(usize, Scored)]) {
        let Ok(mut remembered) = self.remembered.lock() else {
            return;
        };
        if remembered.len() + scored.len() > REMEMBERED {
            remembered.clear();
        }
        for (index, score) in scored {
            if let Some(product) = products.get(*index) {
                remembered.insert((recipient, product.link.clone()), score.clone());
            }
        }
    }

    /// Scores of the products at `indices`, by index; those the model did not score are
    /// missing.
    async fn score_batch(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
        indices: &[usize],
    ) -> Vec<(usize, Scored)> {
        let mut pending: Vec<usize> = indices.to_vec();
        let mut scored = Vec::new();
        for _ in 0..2 {
            if pending.is_empty() {
                break;
            }
            let request = request(context, products, &pending);
            match self.client.ask(&request, read_scores).await {
                Ok(scores) => {
                    for score in scores {
                        // Ids are 1-based positions in the wave; anything else is ignored.
                        let Some(index) = score
                            .id
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|id| id.checked_sub(1))
                        else {
                            continue;
                        };
                        if let Some(at) = pending.iter().position(|&p| p == index) {
                            pending.swap_remove(at);
                            scored.push((index, score.into_scored()));
                        }
                    }
                }
                Err(error) => {
                    log::warn!("{error}; the embedded scorer's assessments stand for this batch");
                    break;
                }
            }
        }
        if !pending.is_empty() {
            record_fallback(TASK);
        }
        scored
    }
}

#[async_trait]
impl ProductScorer for LlmScorer {
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        let mut assessments = EmbeddedScorer.assess(context, products).await?;
        let mut best: Vec<usize> = (0..products.len()).collect();
        best.sort_by(|&a, &b| assessments[b].score.total_cmp(&assessments[a].score));
        best.truncate(self.scoring_max);
        best.sort_unstable();
        let recipient = recipient_key(context);
        let mut scored = self.recall(recipient, products, &best);
        let unscored: Vec<usize> = best
            .into_iter()
            .filter(|i| !scored.iter().any(|(s, _)| s == i))
            .collect();
        let batches = unscored
            .chunks(BATCH)
            .map(|indices| self.score_batch(context, products, indices));
        let asked = within(TASK.provider(), self.budget, async {
            Ok(futures_util::future::join_all(batches).await)
        })
        .await;
        match asked {
            Ok(batches) => {
                let fresh: Vec<(usize, Scored)> = batches.into_iter().flatten().collect();
                self.remember(recipient, products, &fresh);
                scored.extend(fresh);
            }
            Err(error) => {
                log::warn!("{error}; the embedded scorer's assessments stand");
                record_fallback(TASK);
            }
        }
        for (index, scored) in scored {
            if let Some(assessment) = assessments.get_mut(index) {
                assessment.score = scored.score;
                assessment.reasoning = scored.reasoning;
            }
        }
        Ok(assessments)
    }
}

/// Who the products are scored for, as the model is told.
fn recipient_key(context: &ScoringContext<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    describe_recipient(context.profile, context.key_themes, context.facts).hash(&mut hasher);
    describe_budget(context.price_range).hash(&mut hasher);
    context.locale.as_str().hash(&mut hasher);
    hasher.finish()
}

#[derive(Clone)]
struct Scored {
    score: f64,
    reasoning: String,
}

#[derive(Deserialize)]
struct ScoreArguments {
    id: String,
    score: f64,
    reason: String,
}

impl ScoreArguments {
    fn into_scored(self) -> Scored {
        Scored {
            score: self.score,
            reasoning: clip(&self.reason, 300),
        }
    }
}

#[derive(Deserialize)]
struct ScoresAnswer {
    scores: Vec<ScoreArguments>,
}

/// The well-formed scores of an answer: integer 1–10 and a reason. A score out of range
/// counts as not given (the product is asked for again).
fn read_scores(reply: &Reply) -> Result<Vec<ScoreArguments>, ProviderError> {
    let answer: ScoresAnswer = reply.parse_content(TASK.provider())?;
    Ok(answer
        .scores
        .into_iter()
        .filter(|s| s.score.fract() == 0.0 && (1.0..=10.0).contains(&s.score))
        .filter(|s| !s.reason.trim().is_empty())
        .collect())
}

fn system_prompt(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Oceniasz produkty jako prezent dla opisanej osoby. Każdemu produktowi z listy daj \
             dokładnie jedną ocenę: liczba całkowita 1–10 (10 = idealny) i jedno krótkie zdanie \
             po polsku (do 15 słów), które odwołuje się do profilu osoby. Obniżaj ocenę za to, \
             co osoba już ma, czego nie lubi, albo co nie mieści się w budżecie. Odpowiedz \
             JSON-em."
        }
        Locale::En => {
            "You rate products as a present for the person described. Give every product of the \
             list exactly one rating: an integer 1–10 (10 = perfect) and one short sentence in \
             English (up to 15 words) citing the person's profile. Rate lower what they already \
             have, dislike, or what is outside the budget. Answer in JSON."
        }
    }
}

fn request(context: &ScoringContext<'_>, products: &[Product], indices: &[usize]) -> Request {
    let recipient = describe_recipient(context.profile, context.key_themes, context.facts);
    let mut user = format!(
        "{recipient}\nbudget: {}\n\n",
        describe_budget(context.price_range)
    );
    for &index in indices {
        let Some(product) = products.get(index) else {
            continue;
        };
        let price = product
            .price
            .value
            .map(|v| {
                format!(
                    "{v:.0} {}",
                    product.price.currency.as_deref().unwrap_or("PLN")
                )
            })
            .unwrap_or_else(|| "?".to_owned());
        user.push_str(&format!(
            "{}. {} | {price} | {}\n",
            index + 1,
            clip(&product.title, 80),
            clip(&product.description, 60)
        ));
    }
    let schema = json!({
        "type": "object", "additionalProperties": false, "required": ["scores"],
        "properties": {"scores": {"type": "array", "items": {
            "type": "object", "additionalProperties": false,
            "required": ["id", "score", "reason"],
            "properties": {
                "id": {"type": "string"},
                "score": {"type": "integer"},
                "reason": {"type": "string"}
            }
        }}}
    });
    let mut request = Request::new(
        TASK,
        vec![
            Request::system(system_prompt(context.locale)),
            Request::user(user),
        ],
        // About 40 tokens per product's rating.
        i64::try_from(indices.len() * 60 + 50).unwrap_or(2_000),
    );
    request.response_format = Some(json_schema_format("product_scores", schema));
    request
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::read_scores;
    use crate::llm::Reply;

    fn reply(content: serde_json::Value) -> Reply {
        Reply::with_json(content)
    }

    #[test]
    fn scores_out_of_range_or_without_reason_are_not_taken() {
        let scores = read_scores(&reply(json!({"scores": [
            {"id": "1", "score": 7, "reason": "Runs a lot."},
            {"id": "2", "score": 11, "reason": "Too good."},
            {"id": "3", "score": 6.5, "reason": "Half."},
            {"id": "4", "score": 3, "reason": " "},
            {"id": "99", "score": 5, "reason": "Unknown id: the caller ignores it."}
        ]})))
        .unwrap();
        let ids: Vec<&str> = scores.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "99"]);
        assert!(read_scores(&reply(json!({"ratings": []}))).is_err());
    }
}
