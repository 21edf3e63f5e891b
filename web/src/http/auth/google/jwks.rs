//! Google's signing keys (JWKS), cached per JWKS URL for as long as Google's
//! `Cache-Control: max-age` allows, refetched when a token names a key the cache lacks
//! (Google rotates its keys).
//!
//! Only ID tokens that Google's token endpoint returned to this server are checked against
//! these keys, so an unknown `kid` cannot be used by a client to make the server hammer Google.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, KeyAlgorithm};
use reqwest::header::CACHE_CONTROL;
use serde::Deserialize;

use super::GoogleError;

/// Used when the response says nothing about caching.
const DEFAULT_MAX_AGE: Duration = Duration::from_secs(3600);
/// Keys are re-read at least daily, whatever the response says.
const LONGEST_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

struct Cached {
    keys: Arc<HashMap<String, Jwk>>,
    fetched: Instant,
    max_age: Duration,
}

impl Cached {
    fn fresh(&self) -> bool {
        self.fetched.elapsed() < self.max_age
    }
}

/// The key cache of this process, by JWKS URL.
fn cache() -> &'static Mutex<HashMap<String, Cached>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Cached>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn cached(url: &str) -> Option<(Arc<HashMap<String, Jwk>>, bool)> {
    let cache = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .get(url)
        .map(|entry| (entry.keys.clone(), entry.fresh()))
}

/// The RS256 verification key `kid` of the JWKS at `url`.
pub async fn key(http: &reqwest::Client, url: &str, kid: &str) -> Result<DecodingKey, GoogleError> {
    let previous = cached(url);
    if let Some((keys, true)) = &previous
        && let Some(jwk) = keys.get(kid)
    {
        return decoding_key(jwk);
    }
    // Stale, missing, or without this key: fetch again.
    let keys = match fetch(http, url).await {
        Ok((keys, max_age)) => {
            let keys = Arc::new(keys);
            let mut cache = cache()
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            cache.insert(
                url.to_owned(),
                Cached {
                    keys: keys.clone(),
                    fetched: Instant::now(),
                    max_age,
                },
            );
            keys
        }
        // Google unreachable: a stale copy that has the key is better than no sign-in.
        Err(error) => match previous {
            Some((keys, _)) if keys.contains_key(kid) => {
                log::warn!("{error}; using the cached Google keys");
                keys
            }
            _ => return Err(error),
        },
    };
    match keys.get(kid) {
        Some(jwk) => decoding_key(jwk),
        None => Err(GoogleError::BadToken(format!(
            "the ID token is signed with an unknown key ({kid})"
        ))),
    }
}

fn decoding_key(jwk: &Jwk) -> Result<DecodingKey, GoogleError> {
    DecodingKey::from_jwk(jwk)
        .map_err(|e| GoogleError::Unavailable(format!("Google published an unusable key: {e}")))
}

#[derive(Deserialize)]
struct KeySet {
    keys: Vec<serde_json::Value>,
}

/// The RSA signing keys of the set (others are skipped) and how long they may be cached.
async fn fetch(
    http: &reqwest::Client,
    url: &str,
) -> Result<(HashMap<String, Jwk>, Duration), GoogleError> {
    let unavailable = |e: &dyn std::fmt::Display| {
        GoogleError::Unavailable(format!("cannot read Google's signing keys: {e}"))
    };
    let response = http
        .get(url)
        .send()
        .await
        .map_err(|e| unavailable(&e))?
        .error_for_status()
        .map_err(|e| unavailable(&e))?;
    let max_age = response
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .and_then(max_age)
        .unwrap_or(DEFAULT_MAX_AGE)
        .min(LONGEST_MAX_AGE);
    let set: KeySet = response.json().await.map_err(|e| unavailable(&e))?;
    let keys = set
        .keys
        .into_iter()
        .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
        .filter(|jwk| matches!(jwk.algorithm, AlgorithmParameters::RSA(_)))
        .filter(|jwk| matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::RS256)))
        .filter_map(|jwk| Some((jwk.common.key_id.clone()?, jwk)))
        .collect();
    Ok((keys, max_age))
}

/// `max-age` of a `Cache-Control` value.
fn max_age(cache_control: &str) -> Option<Duration> {
    cache_control.split(',').find_map(|directive| {
        let (name, value) = directive.trim().split_once('=')?;
        name.eq_ignore_ascii_case("max-age")
            .then(|| value.trim().trim_matches('"').parse().ok())
            .flatten()
            .map(Duration::from_secs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_max_age() {
        assert_eq!(
            max_age("public, max-age=19822, must-revalidate, no-transform"),
            Some(Duration::from_secs(19822))
        );
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("max-age=x"), None);
    }
}
