//! The LLM idea generator: gift ideas and, per enabled marketplace, short Polish search
//! queries, as JSON-schema structured output. The counts and rules a strict schema cannot
//! express (queries per marketplace, words per query, nothing searched before) are checked
//! here; an answer that breaks them is asked for once more, then the embedded generator does
//! the wave (recorded as a fallback).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use super::generator::{self, GeneratedIdeas, IdeaRequest, SearchQuery};
use super::provider::IdeaGenerator;
use crate::llm::{
    LlmClient, LlmTask, Reply, Request, clip, describe_budget, describe_recipient,
    json_schema_format, record_fallback,
};
use crate::services::provider::{ProviderError, within};
use crate::vocabulary::{Locale, Marketplace};

const TASK: LlmTask = LlmTask::Ideas;
const IDEAS: std::ops::RangeInclusive<usize> = 3..=8;
/// Queries per marketplace: fewer is a broken answer, more are dropped.
const MIN_QUERIES: usize = 2;
const MAX_QUERIES: usize = 6;
const MAX_QUERY_WORDS: usize = 5;

pub struct LlmIdeaGenerator {
    client: Arc<LlmClient>,
    /// The model's share of the wave's time limit; the rest is the embedded generator's.
    budget: Duration,
}

impl LlmIdeaGenerator {
    pub fn new(client: Arc<LlmClient>, wave_limit: Duration) -> Self {
        Self {
            client,
            budget: wave_limit
                .saturating_sub(Duration::from_secs(1))
                .max(wave_limit / 2),
        }
    }
}

#[async_trait]
impl IdeaGenerator for LlmIdeaGenerator {
    async fn generate(&self, request: &IdeaRequest<'_>) -> Result<GeneratedIdeas, ProviderError> {
        let asked = within(
            TASK.provider(),
            self.budget,
            self.client
                .ask(&prompt(request), |reply| read_ideas(reply, request)),
        )
        .await;
        match asked {
            Ok(ideas) => Ok(ideas),
            Err(error) => {
                log::warn!("{error}; the embedded generator does this wave");
                record_fallback(TASK);
                Ok(generator::generate(request))
            }
        }
    }
}

fn system_prompt(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Proponujesz prezenty dla opisanej osoby. Podaj 6–8 krótkich pomysłów po polsku i dla \
             każdego wymienionego sklepu 4–6 zapytań wyszukiwania po polsku, najwyżej 5 słów \
             każde, pasujących do budżetu. Pomiń to, co osoba już ma lub czego nie lubi, oraz \
             zapytania już użyte. Odpowiedz JSON-em."
        }
        Locale::En => {
            "You suggest presents for the person described. Give 6–8 short gift ideas in \
             English and, for every shop listed, 4–6 search queries in Polish (the shops are \
             Polish), at most 5 words each, fitting the budget. Leave out what the person \
             already has or dislikes, and queries used before. Answer in JSON."
        }
    }
}

fn prompt(request: &IdeaRequest<'_>) -> Request {
    let shops: Vec<&str> = request.marketplaces.iter().map(|m| m.as_str()).collect();
    let mut user = format!(
        "{}\nbudget: {}\nshops: {}",
        describe_recipient(request.profile, request.key_themes, request.facts),
        describe_budget(request.price_range),
        shops.join(", ")
    );
    if let Some(feedback) = request.feedback
        && !feedback.bad_products.is_empty()
    {
        let poor: Vec<String> = feedback
            .bad_products
            .iter()
            .take(8)
            .map(|p| clip(&p.title, 60))
            .collect();
        user.push_str(&format!("\npoor matches last time: {}", poor.join("; ")));
    }
    if let Some(refinement) = request.refinement {
        if !refinement.liked_kinds.is_empty() {
            let liked = refinement.liked_kinds.join("; ");
            user.push_str(&format!("\nthe user wants more like: {liked}"));
        }
        if !refinement.excluded_kinds.is_empty() {
            let excluded = refinement.excluded_kinds.join("; ");
            user.push_str(&format!("\nnever suggest: {excluded}"));
        }
    }
    if !request.previous_queries.is_empty() {
        let used: Vec<&str> = request
            .previous_queries
            .iter()
            .take(30)
            .map(String::as_str)
            .collect();
        user.push_str(&format!("\nqueries used: {}", used.join("; ")));
    }
    let schema = json!({
        "type": "object", "additionalProperties": false,
        "required": ["ideas", "queries"],
        "properties": {
            "ideas": {"type": "array", "items": {"type": "string"}},
            "queries": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["shop", "query"],
                "properties": {
                    "shop": {"type": "string", "enum": shops},
                    "query": {"type": "string"}
                }
            }}
        }
    });
    let mut prompt = Request::new(
        TASK,
        vec![
            Request::system(system_prompt(request.locale)),
            Request::user(user),
        ],
        600,
    );
    prompt.response_format = Some(json_schema_format("gift_ideas", schema));
    prompt
}

#[derive(Deserialize)]
struct QueryAnswer {
    shop: String,
    query: String,
}

#[derive(Deserialize)]
struct IdeasAnswer {
    ideas: Vec<String>,
    queries: Vec<QueryAnswer>,
}

fn invalid(reason: String) -> ProviderError {
    ProviderError::Invalid {
        provider: TASK.provider(),
        reason,
    }
}

fn key(query: &str) -> String {
    query
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The ideas and the usable queries, grouped by marketplace in the request's order; broken
/// when there are too few ideas, or too few queries for a marketplace.
fn read_ideas(reply: &Reply, request: &IdeaRequest<'_>) -> Result<GeneratedIdeas, ProviderError> {
    let answer: IdeasAnswer = reply.parse_content(TASK.provider())?;
    let mut ideas: Vec<String> = Vec::new();
    for idea in answer.ideas {
        let idea = clip(&idea, 80);
        if !idea.is_empty() && !ideas.iter().any(|i| key(i) == key(&idea)) {
            ideas.push(idea);
        }
    }
    if ideas.len() < *IDEAS.start() {
        return Err(invalid(format!("{} ideas", ideas.len())));
    }
    ideas.truncate(*IDEAS.end());
    let mut seen: Vec<String> = request.previous_queries.iter().map(|q| key(q)).collect();
    let mut queries = Vec::new();
    for &marketplace in request.marketplaces {
        let mut kept = 0;
        for query in answer
            .queries
            .iter()
            .filter(|q| Marketplace::parse(&q.shop) == Some(marketplace))
        {
            let words = query.query.split_whitespace().count();
            let query_key = key(&query.query);
            if words == 0 || words > MAX_QUERY_WORDS || seen.contains(&query_key) {
                continue;
            }
            seen.push(query_key.clone());
            queries.push(SearchQuery {
                marketplace,
                query: query_key,
            });
            kept += 1;
            if kept == MAX_QUERIES {
                break;
            }
        }
        if kept < MIN_QUERIES {
            return Err(invalid(format!(
                "{kept} usable queries for {}",
                marketplace.as_str()
            )));
        }
    }
    Ok(GeneratedIdeas { ideas, queries })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::read_ideas;
    use crate::llm::Reply;
    use crate::services::gift_ideas::generator::IdeaRequest;
    use crate::vocabulary::{Locale, Marketplace, PriceRange, RecipientProfile};

    fn reply(content: serde_json::Value) -> Reply {
        Reply::with_json(content)
    }

    #[test]
    fn queries_are_checked_per_marketplace() {
        let profile = RecipientProfile::default();
        let previous = vec!["Pas do biegania".to_owned()];
        let marketplaces = [Marketplace::Allegro, Marketplace::Catalog];
        let request = IdeaRequest {
            profile: &profile,
            key_themes: &[],
            facts: &[],
            marketplaces: &marketplaces,
            price_range: PriceRange::default(),
            locale: Locale::Pl,
            wave: 2,
            feedback: None,
            refinement: None,
            previous_queries: &previous,
        };
        let answer = json!({
            "ideas": ["Pas do biegania", "Skarpety biegowe", "Książka o bieganiu", "skarpety biegowe"],
            "queries": [
                {"shop": "allegro", "query": "pas do biegania"},
                {"shop": "allegro", "query": "skarpety biegowe"},
                {"shop": "allegro", "query": "bardzo długie zapytanie o sześciu słowach"},
                {"shop": "allegro", "query": "bidon sportowy"},
                {"shop": "catalog", "query": "Skarpety  BIEGOWE"},
                {"shop": "catalog", "query": "opaska na ramię"},
                {"shop": "catalog", "query": "czołówka do biegania"},
                {"shop": "ebay", "query": "running belt"}
            ]
        });
        let ideas = read_ideas(&reply(answer), &request).unwrap();
        assert_eq!(
            ideas.ideas.len(),
            3,
            "duplicates dropped: {:?}",
            ideas.ideas
        );
        let queries: Vec<(Marketplace, &str)> = ideas
            .queries
            .iter()
            .map(|q| (q.marketplace, q.query.as_str()))
            .collect();
        assert_eq!(
            queries,
            [
                (Marketplace::Allegro, "skarpety biegowe"),
                (Marketplace::Allegro, "bidon sportowy"),
                (Marketplace::Catalog, "opaska na ramię"),
                (Marketplace::Catalog, "czołówka do biegania"),
            ]
        );
        let too_few = json!({"ideas": ["a", "b", "c"], "queries": [
            {"shop": "allegro", "query": "a"}, {"shop": "allegro", "query": "b"},
            {"shop": "catalog", "query": "c"}
        ]});
        assert!(read_ideas(&reply(too_few), &request).is_err());
        assert!(read_ideas(&reply(json!({"ideas": []})), &request).is_err());
    }
}
