//! Starting a gift search and answering the interview.

use actix_web::{HttpResponse, post, web};
use present_finder_actors::vocabulary::{Locale, Occasion, PriceRange};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MAX_TEXT, check_present, check_text, required, schema};
use crate::http::auth::AuthUser;
use crate::http::rate_limit::Limited;
use crate::http::validation::{Problems, ValidJson, Validate};
use crate::http::{ApiError, AppState};
use crate::restapi::commands::{self, StartSearch};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(stalking_request).service(send_message);
}

/// Highest accepted price bound, in PLN.
const MAX_PRICE: f64 = 100_000.0;
/// Longest accepted profile URL.
const MAX_URL: usize = 2048;

/// A social network whose profile URL may be given, and the hosts it lives on.
struct Network {
    field: &'static str,
    name: &'static str,
    domains: &'static [&'static str],
}

const INSTAGRAM: Network = Network {
    field: "instagramUrl",
    name: "Instagram",
    domains: &["instagram.com"],
};
const TIKTOK: Network = Network {
    field: "tiktokUrl",
    name: "TikTok",
    domains: &["tiktok.com"],
};
const X: Network = Network {
    field: "xUrl",
    name: "X",
    domains: &["x.com", "twitter.com"],
};

/// A new gift search. Empty strings mean "not given".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StalkingRequest {
    /// Chosen by the client (a UUIDv7); becomes the chat's id.
    #[schema(value_type = Uuid)]
    chat_id: Option<Uuid>,
    #[schema(value_type = schema::Occasion)]
    occasion: Option<Occasion>,
    /// `http(s)://` on instagram.com.
    #[serde(default)]
    instagram_url: Option<String>,
    /// `http(s)://` on tiktok.com.
    #[serde(default)]
    tiktok_url: Option<String>,
    /// `http(s)://` on x.com or twitter.com.
    #[serde(default)]
    x_url: Option<String>,
    /// A saved recipient profile of the caller.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    profile_id: Option<String>,
    /// PLN, > 0.
    #[serde(default)]
    min_price: Option<f64>,
    /// PLN, > 0, ≥ minPrice, ≤ 100000.
    #[serde(default)]
    max_price: Option<f64>,
    /// `pl` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<schema::Locale>)]
    locale: Option<Locale>,
}

/// A given (non-blank) optional string.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks a profile URL: http(s), and on the network's hosts (or their subdomains).
fn check_url(problems: &mut Problems, network: &Network, value: &str) {
    if value.chars().count() > MAX_URL {
        return problems.add(
            network.field,
            format!("must be at most {MAX_URL} characters"),
        );
    }
    if value.chars().any(char::is_control) {
        return problems.add(network.field, "must not contain control characters");
    }
    let Ok(url) = url::Url::parse(value) else {
        return problems.add(network.field, "must be a URL");
    };
    if !matches!(url.scheme(), "http" | "https") {
        return problems.add(network.field, "must be an http(s) URL");
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let on_network = network
        .domains
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    if !on_network {
        problems.add(
            network.field,
            format!("must be a {} profile URL", network.name),
        );
    }
}

fn check_price(problems: &mut Problems, field: &str, value: Option<f64>) {
    match value {
        Some(v) if v <= 0.0 => problems.add(field, "must be greater than 0"),
        Some(v) if v > MAX_PRICE => problems.add(field, format!("must be at most {MAX_PRICE}")),
        _ => {}
    }
}

impl Validate for StalkingRequest {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        check_present(&mut problems, self.chat_id.as_ref(), "chatId");
        check_present(&mut problems, self.occasion.as_ref(), "occasion");
        for (network, value) in [
            (&INSTAGRAM, &self.instagram_url),
            (&TIKTOK, &self.tiktok_url),
            (&X, &self.x_url),
        ] {
            if let Some(url) = given(value) {
                check_url(&mut problems, network, url);
            }
        }
        if let Some(id) = given(&self.profile_id) {
            problems.check(Uuid::parse_str(id).is_ok(), "profileId", "must be a UUID");
        }
        check_price(&mut problems, "minPrice", self.min_price);
        check_price(&mut problems, "maxPrice", self.max_price);
        if let (Some(min), Some(max)) = (self.min_price, self.max_price) {
            problems.check(min <= max, "maxPrice", "must not be less than minPrice");
        }
        problems.finish()
    }
}

impl StalkingRequest {
    fn into_command(self) -> Result<StartSearch, ApiError> {
        let url = |value: &Option<String>| given(value).map(str::to_owned);
        let profile_id = match given(&self.profile_id) {
            Some(id) => Some(
                Uuid::parse_str(id).map_err(|_| ApiError::field("profileId", "must be a UUID"))?,
            ),
            None => None,
        };
        Ok(StartSearch {
            chat_id: required(self.chat_id, "chatId")?,
            occasion: required(self.occasion, "occasion")?,
            locale: self.locale.unwrap_or_default(),
            instagram_url: url(&self.instagram_url),
            tiktok_url: url(&self.tiktok_url),
            x_url: url(&self.x_url),
            price_range: PriceRange {
                min_price: self.min_price,
                max_price: self.max_price,
            },
            profile_id,
        })
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchStarted {
    chat_id: Uuid,
}

/// Starts a gift search: creates the chat, starts profile analysis and the interview.
#[utoipa::path(
    tag = "gift search",
    request_body = StalkingRequest,
    responses(
        (status = 201, description = "Search started", body = SearchStarted),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "profileId is not a saved profile of the caller"),
        (status = 409, description = "chatId is already used"),
        (status = 413, description = "Body over 64 KiB"),
        (status = 429, description = "Too many searches; see Retry-After"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[post("/restapi/stalking-request")]
async fn stalking_request(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<StalkingRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.0.into_command()?;
    state.limiter.check(user.id, Limited::Search)?;
    let chat_id = command.chat_id;
    commands::start_search(state.restapi()?, user.id, command)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Created().json(SearchStarted { chat_id }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    User,
    Assistant,
}

/// A message of the client's transcript; only the last one (the user's answer) is used.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // `id` and `proposedAnswers` are accepted for compatibility, never used
pub struct ChatMessage {
    #[serde(default)]
    id: Option<String>,
    #[schema(value_type = String)]
    content: Option<String>,
    #[schema(value_type = Sender)]
    sender: Option<Sender>,
    /// Ignored (the server keeps the transcript).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    proposed_answers: Option<serde_json::Value>,
}

/// The user's answer to the pending question.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendMessage {
    #[schema(value_type = Uuid)]
    chat_id: Option<Uuid>,
    /// The last message is the answer: sender `user`, 1–2000 characters.
    #[schema(value_type = Vec<ChatMessage>)]
    messages: Option<Vec<ChatMessage>>,
}

impl Validate for SendMessage {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        check_present(&mut problems, self.chat_id.as_ref(), "chatId");
        match self.messages.as_deref() {
            None => problems.add("messages", "is required"),
            Some([]) => problems.add("messages", "must contain the answer as its last message"),
            Some(messages) => {
                let last = messages.len() - 1;
                let message = &messages[last];
                let field = |name: &str| format!("messages[{last}].{name}");
                if message.sender != Some(Sender::User) {
                    problems.add(field("sender"), "the last message must be the user's");
                }
                match &message.content {
                    None => problems.add(field("content"), "is required"),
                    Some(content) => {
                        check_text(&mut problems, &field("content"), content, 1, MAX_TEXT)
                    }
                }
            }
        }
        problems.finish()
    }
}

impl SendMessage {
    /// The chat and the (trimmed) answer.
    fn into_answer(self) -> Result<(Uuid, String), ApiError> {
        let chat_id = required(self.chat_id, "chatId")?;
        let content = self
            .messages
            .and_then(|messages| messages.into_iter().last())
            .and_then(|message| message.content)
            .map(|content| content.trim().to_owned());
        Ok((chat_id, required(content, "messages")?))
    }
}

/// Answers the interviewer's pending question.
#[utoipa::path(
    tag = "gift search",
    request_body = SendMessage,
    responses(
        (status = 201, description = "Answer taken", body = Object),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
        (status = 409, description = "No question is pending, or the interview is over"),
        (status = 413, description = "Body over 64 KiB"),
        (status = 429, description = "Too many answers; see Retry-After"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[post("/restapi/send-message")]
async fn send_message(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<SendMessage>,
) -> Result<HttpResponse, ApiError> {
    let (chat_id, content) = body.0.into_answer()?;
    state.limiter.check(user.id, Limited::Answer)?;
    commands::answer(state.restapi()?, user.id, chat_id, &content)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Created().json(json!({})))
}
