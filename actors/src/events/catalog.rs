//! Every event of DESIGN.md §3, one struct each. Payloads carry what their consumers need;
//! the chat id travels in the envelope.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Event;
use crate::vocabulary::{
    BadProduct, LlmTask, Locale, Marketplace, Occasion, PotentialAnswers, PriceRange, Product,
    ProviderCount, RankedGift, RecipientProfile, Stage, Usage,
};

macro_rules! events {
    ($($name:ident),* $(,)?) => {
        $(impl Event for $name { const NAME: &'static str = stringify!($name); })*

        /// The names of every event in the catalog, in catalog order.
        pub const EVENT_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Decodes `envelope`'s payload as the catalog event its type names (and drops it):
        /// whether a consumer of that event could read it.
        pub fn check_payload(envelope: &super::Envelope) -> Result<(), super::DecodeError> {
            $(if envelope.is::<$name>() {
                return envelope.decode::<$name>().map(drop);
            })*
            Err(super::DecodeError::UnknownType(envelope.event_type.clone()))
        }

        pub(crate) fn for_each_event_schema(
            generator: &mut schemars::SchemaGenerator,
            mut visit: impl FnMut(&'static str, u32, schemars::Schema),
        ) {
            $(visit(
                <$name as Event>::NAME,
                <$name as Event>::VERSION,
                generator.subschema_for::<$name>(),
            );)*
        }
    };
}

events!(
    StalkingAnalyzeRequestedEvent,
    StalkingCompletedEvent,
    ChatStartInterviewEvent,
    ChatUserAnsweredEvent,
    ChatQuestionAskedEvent,
    ChatInterviewCompletedEvent,
    ChatInappropriateRequestEvent,
    GiftGenerateRequestedEvent,
    GiftContextInitializedEvent,
    FetchOlxEvent,
    FetchAllegroEvent,
    FetchEbayEvent,
    FetchAmazonEvent,
    FetchCatalogEvent,
    ProductFetchedEvent,
    RegenerateIdeasLoopEvent,
    GiftFinalizeRequestedEvent,
    GiftReadyEvent,
    GiftRefinementRequestedEvent,
    GiftSessionProgressEvent,
    GiftSessionFailedEvent,
    UiEventRecordedEvent,
    ChatDataErasedEvent,
    LlmUsageRecordedEvent,
);

/// restapi → stalking, gift: read the recipient's public profiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StalkingAnalyzeRequestedEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instagram_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiktok_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_url: Option<String>,
    #[serde(flatten)]
    pub price_range: PriceRange,
    /// The language facts are written in.
    #[serde(default)]
    pub locale: Locale,
}

impl StalkingAnalyzeRequestedEvent {
    /// The given profile URLs with their network names.
    pub fn profile_urls(&self) -> Vec<(&'static str, &str)> {
        [
            ("instagram", &self.instagram_url),
            ("tiktok", &self.tiktok_url),
            ("x", &self.x_url),
        ]
        .into_iter()
        .filter_map(|(network, url)| url.as_deref().map(|url| (network, url)))
        .collect()
    }
}

/// What happened to one profile URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSource {
    pub network: String,
    pub url: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// stalking → gift: facts found on the profiles (always exactly one per session).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StalkingCompletedEvent {
    pub facts: Vec<String>,
    pub sources: Vec<ProfileSource>,
    pub completed_at: DateTime<Utc>,
}

/// restapi → chat, gift: start the interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatStartInterviewEvent {
    pub occasion: Occasion,
    #[serde(default)]
    pub locale: Locale,
    /// A profile saved earlier for this recipient: the interview skips what it knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_profile: Option<RecipientProfile>,
    /// The name the saved profile is kept under; the finished profile updates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_profile_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saved_key_themes: Vec<String>,
    #[serde(flatten)]
    pub price_range: PriceRange,
}

/// restapi → chat: the user's new answer (the history is the server's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatUserAnsweredEvent {
    pub message_id: Uuid,
    pub content: String,
}

/// chat → restapi: the next question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatQuestionAskedEvent {
    pub message_id: Uuid,
    pub question: String,
    pub potential_answers: PotentialAnswers,
    pub question_number: u32,
    pub max_questions: u32,
}

/// chat → restapi, gift, stalking: the interview is over (for stalking, the start of the
/// chat's stalking deadline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatInterviewCompletedEvent {
    pub profile: RecipientProfile,
    pub key_themes: Vec<String>,
    pub save_profile: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
}

/// chat → restapi, gift: the request cannot be served; the session ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatInappropriateRequestEvent {
    pub reason: String,
}

/// Products of the previous wave that scored badly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaveFeedback {
    pub bad_products: Vec<BadProduct>,
    pub provider_counts: Vec<ProviderCount>,
}

/// gift → gift-ideas: generate ideas and search queries for one wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftGenerateRequestedEvent {
    pub wave_id: Uuid,
    /// 1 for the first wave, 2 for the first regeneration, …
    pub wave: u32,
    pub profile: RecipientProfile,
    pub key_themes: Vec<String>,
    pub facts: Vec<String>,
    #[serde(flatten)]
    pub price_range: PriceRange,
    #[serde(default)]
    pub locale: Locale,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<WaveFeedback>,
    /// 0 for the search itself, 1 for the first "more like this / not this" round, …
    #[serde(default)]
    pub round: u32,
    /// What the user's refinement rounds asked for (none before the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refinement: Option<Refinement>,
}

/// What the user's "more like this / not this" asked for so far in a session: kinds of
/// product to search near and kinds never to show again. (A disliked interest goes into the
/// profile's dislikes instead, which every step already avoids.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Refinement {
    /// What the liked products are ("zegarek sportowy"), most recently liked first.
    #[serde(default)]
    pub liked_kinds: Vec<String>,
    /// What the disliked products are ("żel energetyczny"): products of these kinds are
    /// neither searched for nor shown.
    #[serde(default)]
    pub excluded_kinds: Vec<String>,
}

/// A result the user judged, as refinement needs it: what it is, read from its title.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct JudgedProduct {
    pub title: String,
}

/// gift-ideas → reranking: announces a wave and the exact fetch requests it consists of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftContextInitializedEvent {
    pub wave_id: Uuid,
    pub wave: u32,
    pub expected_fetches: Vec<Uuid>,
    pub profile: RecipientProfile,
    pub key_themes: Vec<String>,
    #[serde(default)]
    pub facts: Vec<String>,
    #[serde(flatten)]
    pub price_range: PriceRange,
    #[serde(default)]
    pub locale: Locale,
    /// The refinement round the wave belongs to (0: the search itself); each round ends in
    /// its own result.
    #[serde(default)]
    pub round: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refinement: Option<Refinement>,
}

/// gift-ideas → fetch: one search on one marketplace. The five `Fetch*Event`s share it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FetchRequest {
    pub request_id: Uuid,
    pub wave_id: Uuid,
    pub query: String,
    pub limit: u32,
    #[serde(flatten)]
    pub price_range: PriceRange,
    /// The session's language: the bundled catalog answers in it (marketplaces answer in
    /// their own). Absent from events written before it existed: Polish.
    #[serde(default)]
    pub locale: Locale,
}

macro_rules! fetch_events {
    ($($name:ident => $marketplace:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub FetchRequest);

        impl $name {
            pub const MARKETPLACE: Marketplace = Marketplace::$marketplace;
        }
    )*

        /// Wraps a fetch request into the event of its marketplace.
        pub fn fetch_event_envelope(
            cause: &super::Envelope,
            marketplace: Marketplace,
            request: FetchRequest,
        ) -> super::Envelope {
            match marketplace {
                $(Marketplace::$marketplace => super::Envelope::caused_by(cause, &$name(request)),)*
            }
        }

        /// The fetch request inside an envelope of any `Fetch*Event`, with its marketplace.
        pub fn decode_fetch_event(
            envelope: &super::Envelope,
        ) -> Option<Result<(Marketplace, FetchRequest), super::DecodeError>> {
            $(if envelope.is::<$name>() {
                return Some(envelope.decode::<$name>().map(|e| ($name::MARKETPLACE, e.0)));
            })*
            None
        }

        /// The event name that carries fetch requests for a marketplace.
        pub fn fetch_event_name(marketplace: Marketplace) -> &'static str {
            match marketplace {
                $(Marketplace::$marketplace => <$name as Event>::NAME,)*
            }
        }
    };
}

fetch_events!(
    FetchOlxEvent => Olx,
    FetchAllegroEvent => Allegro,
    FetchEbayEvent => Ebay,
    FetchAmazonEvent => Amazon,
    FetchCatalogEvent => Catalog,
);

/// fetch → reranking: the answer to one fetch request (always exactly one per request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductFetchedEvent {
    pub request_id: Uuid,
    pub wave_id: Uuid,
    pub provider: Marketplace,
    pub success: bool,
    pub products: Vec<Product>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// reranking → gift: the wave found too few good products; try once more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegenerateIdeasLoopEvent {
    pub wave_id: Uuid,
    pub wave: u32,
    pub bad_products: Vec<BadProduct>,
    pub provider_counts: Vec<ProviderCount>,
}

/// gift → reranking: the session deadline is near; stop waiting and deliver what was found
/// (the result is marked partial).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftFinalizeRequestedEvent {
    pub reason: String,
}

/// The recipient profile and themes the results were chosen for ("reasoning summary").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub recipient_profile: RecipientProfile,
    pub key_themes_and_keywords: Vec<String>,
}

/// reranking → restapi, gift: the results, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftReadyEvent {
    pub gifts: Vec<RankedGift>,
    pub profile_summary: ProfileSummary,
    /// True when a deadline cut collection short.
    #[serde(default)]
    pub partial: bool,
    /// Why the list is empty or partial, in the session's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// restapi → gift: on the results, the user asked for more like some and none like others.
/// Favourites and well-rated results of earlier searches for the same saved recipient come as
/// likes too. The saga runs one more wave with it, within the same budget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftRefinementRequestedEvent {
    pub likes: Vec<JudgedProduct>,
    pub dislikes: Vec<JudgedProduct>,
}

/// any stage → restapi: progress of the search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftSessionProgressEvent {
    pub stage: Stage,
    pub done: u32,
    pub total: u32,
    pub message: String,
}

/// gift (or any service that gives up) → restapi: the search failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftSessionFailedEvent {
    pub stage: Stage,
    /// User-presentable, in the session's language.
    pub reason: String,
    pub retryable: bool,
}

/// restapi → every web instance: a user-facing update was stored with sequence number `seq`;
/// each instance's SSE hub pushes it to the browsers connected to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UiEventRecordedEvent {
    pub seq: i64,
    /// The SSE event name: `ui-update`, `progress` or `session-error`.
    pub event_name: String,
    pub data: serde_json::Value,
}

/// Why a chat's data is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The owner deleted the chat.
    ChatDeleted,
    /// The owner deleted the account, with every chat of it.
    AccountDeleted,
}

impl ErasureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureReason::ChatDeleted => "chat_deleted",
            ErasureReason::AccountDeleted => "account_deleted",
        }
    }
}

/// restapi → stalking, chat, gift, gift-ideas, reranking: the chat of the envelope was
/// deleted by its owner. Every service deletes whatever it keeps of that chat and, from then
/// on, acknowledges the chat's events without effect (a search still in flight stops
/// quietly and nothing is recreated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatDataErasedEvent {
    pub reason: ErasureReason,
}

/// chat, stalking, gift-ideas, reranking → restapi: what one step's LLM calls cost and how
/// often the embedded provider stood in (emitted only when the LLM is configured), shown in
/// the session's reasoning summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LlmUsageRecordedEvent {
    pub step: LlmTask,
    pub usage: Usage,
}
