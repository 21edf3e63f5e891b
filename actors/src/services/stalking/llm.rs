//! The LLM fact extractor: short gift-relevant facts from the profiles' text and up to 10 of
//! their pictures (the image addresses found in the text), as JSON-schema structured output.
//! A broken answer is asked for once more, then the embedded extractor does it (recorded as
//! a fallback).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use openai_api_rs::v1::chat_completion::{
    ChatCompletionMessage, Content, ContentType, ImageUrl, ImageUrlType, MessageRole,
};
use serde::Deserialize;
use serde_json::json;

use super::provider::{EmbeddedFactExtractor, FactExtractor};
use crate::llm::{LlmClient, LlmTask, Reply, Request, clip, json_schema_format, record_fallback};
use crate::services::provider::{ProviderError, within};
use crate::vocabulary::Locale;

const TASK: LlmTask = LlmTask::Facts;
const MAX_IMAGES: usize = 10;
const MAX_FACTS: usize = 15;
/// Characters of profile text sent at most.
const MAX_TEXT: usize = 6_000;

pub struct LlmFactExtractor {
    client: Arc<LlmClient>,
    /// The model's share of the extraction's time limit; the rest is the embedded one's.
    budget: Duration,
}

impl LlmFactExtractor {
    pub fn new(client: Arc<LlmClient>, limit: Duration) -> Self {
        Self {
            client,
            budget: limit.saturating_sub(Duration::from_secs(1)).max(limit / 2),
        }
    }
}

#[async_trait]
impl FactExtractor for LlmFactExtractor {
    async fn extract(
        &self,
        texts: &[String],
        locale: Locale,
    ) -> Result<Vec<String>, ProviderError> {
        let asked = within(
            TASK.provider(),
            self.budget,
            self.client.ask(&prompt(texts, locale), read_facts),
        )
        .await;
        match asked {
            Ok(facts) => Ok(facts),
            Err(error) => {
                log::warn!("{error}; the embedded extractor does it");
                record_fallback(TASK);
                EmbeddedFactExtractor.extract(texts, locale).await
            }
        }
    }
}

/// The picture addresses in the profiles' text, at most [`MAX_IMAGES`].
fn image_urls(texts: &[String]) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        let url =
            word.trim_matches(|c: char| matches!(c, '"' | '\'' | '(' | ')' | ',' | '<' | '>'));
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let picture = [".jpg", ".jpeg", ".png", ".webp", ".gif"]
            .iter()
            .any(|ext| path.ends_with(ext));
        if url.starts_with("https://") && picture && !urls.iter().any(|u| u == url) {
            urls.push(url.to_owned());
            if urls.len() == MAX_IMAGES {
                break;
            }
        }
    }
    urls
}

fn system_prompt(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Z publicznego profilu osoby wypisz do 15 krótkich faktów przydatnych przy wyborze \
             prezentu (zainteresowania, styl, co posiada, czego jej brakuje), po polsku, każdy \
             do 10 słów. Bez danych wrażliwych. Odpowiedz JSON-em."
        }
        Locale::En => {
            "From a person's public profile, list up to 15 short facts useful for choosing a \
             present (interests, style, what they own or lack), in English, each at most 10 \
             words. No sensitive data. Answer in JSON."
        }
    }
}

fn prompt(texts: &[String], locale: Locale) -> Request {
    let text = clip(&texts.join("\n"), MAX_TEXT);
    let mut parts = vec![ImageUrl {
        r#type: ContentType::text,
        text: Some(text),
        image_url: None,
    }];
    parts.extend(image_urls(texts).into_iter().map(|url| ImageUrl {
        r#type: ContentType::image_url,
        text: None,
        image_url: Some(ImageUrlType { url }),
    }));
    let user = ChatCompletionMessage {
        role: MessageRole::user,
        content: Content::ImageUrl(parts),
        name: None,
        tool_calls: None,
        tool_call_id: None,
    };
    let schema = json!({
        "type": "object", "additionalProperties": false, "required": ["facts"],
        "properties": {"facts": {"type": "array", "items": {"type": "string"}}}
    });
    let mut request = Request::new(
        TASK,
        vec![Request::system(system_prompt(locale)), user],
        500,
    );
    request.response_format = Some(json_schema_format("profile_facts", schema));
    request
}

#[derive(Deserialize)]
struct FactsAnswer {
    facts: Vec<String>,
}

fn read_facts(reply: &Reply) -> Result<Vec<String>, ProviderError> {
    let answer: FactsAnswer = reply.parse_content(TASK.provider())?;
    let mut facts: Vec<String> = Vec::new();
    for fact in answer.facts {
        let fact = clip(&fact, 120);
        if !fact.is_empty() && !facts.iter().any(|f| f.eq_ignore_ascii_case(&fact)) {
            facts.push(fact);
        }
    }
    facts.truncate(MAX_FACTS);
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::{image_urls, prompt};
    use crate::vocabulary::Locale;

    #[test]
    fn pictures_in_the_text_are_sent_as_images() {
        let texts = vec![
            "Biegam! https://cdn.example.com/a.jpg?x=1 (https://cdn.example.com/b.PNG) http://insecure.example.com/c.jpg https://example.com/page".to_owned(),
            "https://cdn.example.com/a.jpg?x=1".to_owned(),
        ];
        assert_eq!(
            image_urls(&texts),
            [
                "https://cdn.example.com/a.jpg?x=1",
                "https://cdn.example.com/b.PNG"
            ]
        );
        let request = prompt(&texts, Locale::Pl);
        let body = serde_json::to_value(&request.messages[1]).unwrap();
        assert_eq!(body["content"][0]["type"], "text");
        assert_eq!(body["content"][1]["type"], "image_url");
        assert_eq!(
            body["content"][1]["image_url"]["url"],
            "https://cdn.example.com/a.jpg?x=1"
        );
    }
}
