//! BrightData's dataset API reads public Instagram, TikTok and X profiles: a scrape is
//! triggered, its snapshot polled until ready, then downloaded. (The synchronous endpoint
//! answers 202 with the same snapshot id whenever a scrape takes over a minute, which is
//! common; going asynchronous from the start keeps one path and never holds a request open
//! for a minute.)

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use super::provider::ProfileReader;
use crate::services::http::{Answer, Secret};
use crate::services::provider::{Attempts, ProviderError};

const PROVIDER: &str = "BrightData";
/// Captions or posts read per profile: enough for interests, little enough for the extractor.
const POSTS_READ: usize = 10;

#[derive(Debug, Clone)]
pub struct BrightDataConfig {
    /// `https://api.brightdata.com`, or a mock's address.
    pub api_url: String,
    pub api_key: Secret,
    /// Pause between two checks of a snapshot's progress.
    pub poll_interval: Duration,
}

/// The dataset that reads profiles of `network`, and so the shape of its records.
fn dataset(network: &str) -> Option<&'static str> {
    match network {
        "instagram" => Some("gd_l1vikfch901nx3by4"),
        "tiktok" => Some("gd_l1villgoiiidt09ci"),
        // X *profiles* (with their latest posts), not the posts dataset: its records are
        // read as profiles below.
        "x" => Some("gd_lwxmeb2u1cniijd7t4"),
        _ => None,
    }
}

pub struct BrightData {
    client: reqwest::Client,
    config: BrightDataConfig,
    /// Each HTTP call's time limit and retries; the whole read is bounded by the stalking
    /// service (`PROFILE_TIMEOUT_S`, or the chat's stalking deadline when that comes first),
    /// which drops it, polling included, when time is up.
    attempts: Attempts,
}

#[derive(Deserialize)]
struct Triggered {
    snapshot_id: String,
}

#[derive(Deserialize)]
struct Progress {
    status: String,
}

impl BrightData {
    pub fn new(client: reqwest::Client, config: BrightDataConfig, attempts: Attempts) -> Self {
        Self {
            client,
            config,
            attempts,
        }
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/datasets/v3/{path}",
            self.config.api_url.trim_end_matches('/')
        )
    }

    /// One call, repeated as `attempts` says for network failures, 429 and 5xx.
    async fn call(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Answer, ProviderError> {
        let (build, key) = (&build, self.config.api_key.expose());
        self.attempts
            .run(PROVIDER, move |_| async move {
                let answer = Answer::send(PROVIDER, build().bearer_auth(key)).await?;
                if answer.status.is_success() {
                    Ok(answer)
                } else {
                    Err(answer.error())
                }
            })
            .await
    }

    async fn trigger(&self, dataset: &str, url: &str) -> Result<String, ProviderError> {
        let body = serde_json::json!([{ "url": url }]);
        let answer = self
            .call(|| {
                self.client
                    .post(self.url("trigger"))
                    .query(&[("dataset_id", dataset), ("include_errors", "true")])
                    .json(&body)
            })
            .await?;
        Ok(answer.json::<Triggered>()?.snapshot_id)
    }

    /// Polls the snapshot until it is ready and downloads its records. A download that
    /// answers 202 (not ready after all) goes back to polling.
    async fn records(&self, snapshot: &str) -> Result<Vec<Value>, ProviderError> {
        loop {
            let progress: Progress = self
                .call(|| self.client.get(self.url(&format!("progress/{snapshot}"))))
                .await?
                .json()?;
            match progress.status.as_str() {
                "ready" => {
                    let answer = self
                        .call(|| {
                            self.client
                                .get(self.url(&format!("snapshot/{snapshot}")))
                                .query(&[("format", "json")])
                        })
                        .await?;
                    if answer.status != reqwest::StatusCode::ACCEPTED {
                        return answer.json();
                    }
                }
                "failed" => {
                    return Err(ProviderError::Invalid {
                        provider: PROVIDER,
                        reason: format!("snapshot {snapshot} failed"),
                    });
                }
                _ => {}
            }
            tokio::time::sleep(self.config.poll_interval).await;
        }
    }
}

#[async_trait]
impl ProfileReader for BrightData {
    async fn read(&self, network: &str, url: &str) -> Result<String, ProviderError> {
        let dataset = dataset(network).ok_or_else(|| ProviderError::Invalid {
            provider: PROVIDER,
            reason: format!("no dataset reads {network} profiles"),
        })?;
        let snapshot = self.trigger(dataset, url).await?;
        let records = self.records(&snapshot).await?;
        profile_text(network, &records)
    }

    fn is_remote(&self) -> bool {
        true
    }
}

/// The text of a profile's record that says something about its owner: name, bio, hashtags
/// and the latest posts. A record reporting an error (a private or missing profile), no
/// record or a record with no text is an error of that profile.
fn profile_text(network: &str, records: &[Value]) -> Result<String, ProviderError> {
    let invalid = |reason: String| ProviderError::Invalid {
        provider: PROVIDER,
        reason,
    };
    let record = records
        .first()
        .ok_or_else(|| invalid("the snapshot holds no record".into()))?;
    if let Some(error) = ["error", "error_code"]
        .iter()
        .find_map(|key| record.get(key).filter(|v| !v.is_null()))
    {
        let error = error
            .as_str()
            .map_or_else(|| error.to_string(), str::to_owned);
        return Err(invalid(format!("the profile could not be read: {error}")));
    }
    let field = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
    let posts = |list: &str, key: &str| -> Vec<String> {
        record
            .get(list)
            .and_then(Value::as_array)
            .map(|posts| {
                posts
                    .iter()
                    .take(POSTS_READ)
                    .filter_map(|p| p.get(key).and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let tags = |key: &str| -> Option<String> {
        let tags: Vec<&str> = record
            .get(key)?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        (!tags.is_empty()).then(|| tags.join(" "))
    };
    let mut lines: Vec<String> = match network {
        "instagram" => [
            field("full_name").or_else(|| field("profile_name")),
            field("biography"),
            tags("bio_hashtags"),
            tags("post_hashtags"),
        ]
        .into_iter()
        .flatten()
        .chain(posts("posts", "caption"))
        .collect(),
        "tiktok" => {
            let biography = field("biography");
            let signature = field("signature").filter(|s| Some(s) != biography.as_ref());
            [field("nickname"), biography, signature]
                .into_iter()
                .flatten()
                .chain(posts("top_posts_data", "description"))
                .collect()
        }
        _ => [field("profile_name"), field("biography"), field("location")]
            .into_iter()
            .flatten()
            .chain(posts("posts", "description"))
            .collect(),
    };
    lines.retain(|line| !line.trim().is_empty());
    if lines.is_empty() {
        return Err(invalid("the profile record has no text".into()));
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use serde_json::Value;

    use super::profile_text;
    use crate::services::fuzzing::{any_json, mutated};
    use crate::services::http::Answer;

    const FIXTURES: [(&str, &str); 3] = [
        (
            "instagram",
            include_str!("../../../tests/fixtures/brightdata_instagram.json"),
        ),
        (
            "tiktok",
            include_str!("../../../tests/fixtures/brightdata_tiktok.json"),
        ),
        (
            "x",
            include_str!("../../../tests/fixtures/brightdata_x.json"),
        ),
    ];

    const NAMES: &[&str] = &[
        "full_name",
        "profile_name",
        "biography",
        "bio_hashtags",
        "post_hashtags",
        "posts",
        "caption",
        "nickname",
        "signature",
        "top_posts_data",
        "description",
        "location",
        "error",
        "error_code",
        "snapshot_id",
        "status",
    ];

    /// What the reader does with a downloaded snapshot.
    fn read(network: &str, body: &str) {
        let answer = Answer {
            provider: "BrightData",
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.to_owned(),
        };
        if let Ok(records) = answer.json::<Vec<Value>>() {
            let _ = profile_text(network, &records);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn any_snapshot_reads_or_fails_cleanly(
            network in prop::sample::select(vec!["instagram", "tiktok", "x"]),
            body in prop_oneof![".{0,200}", any_json(NAMES).prop_map(|v| v.to_string())],
        ) {
            read(network, &body);
        }

        #[test]
        fn records_with_any_part_replaced_read_or_fail_cleanly(
            (network, body) in prop_oneof![
                mutated(FIXTURES[0].1, NAMES).prop_map(|b| ("instagram", b)),
                mutated(FIXTURES[1].1, NAMES).prop_map(|b| ("tiktok", b)),
                mutated(FIXTURES[2].1, NAMES).prop_map(|b| ("x", b)),
            ],
        ) {
            read(network, &body);
        }
    }

    #[test]
    fn the_reference_records_have_text() {
        for (network, fixture) in FIXTURES {
            let records: Vec<Value> = serde_json::from_str(fixture).unwrap();
            assert!(!profile_text(network, &records).unwrap().is_empty());
        }
    }
}
