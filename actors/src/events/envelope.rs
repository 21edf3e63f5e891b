use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use uuid::Uuid;

/// A typed event of the catalog. `NAME` is both the wire `type` and the AMQP routing key.
pub trait Event: Serialize + DeserializeOwned + schemars::JsonSchema + Send + 'static {
    const NAME: &'static str;
    /// Bumped on any incompatible payload change; consumers accept the previous version for
    /// one release.
    const VERSION: u32 = 1;
}

/// The wire envelope of every event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// UUID v7: unique, and ordered by creation time.
    pub id: Uuid,
    #[serde(rename = "type")]
    pub event_type: String,
    pub version: u32,
    pub occurred_at: DateTime<Utc>,
    pub chat_id: Uuid,
    /// The id of the event whose handling produced this one.
    pub causation_id: Option<Uuid>,
    pub payload: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("expected a {expected} event, got {actual}")]
    WrongType {
        expected: &'static str,
        actual: String,
    },
    #[error("{event_type} version {version} is not supported (this build reads up to {supported})")]
    UnsupportedVersion {
        event_type: String,
        version: u32,
        supported: u32,
    },
    #[error("malformed {event_type} payload: {source}")]
    Payload {
        event_type: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("malformed envelope: {0}")]
    Envelope(#[source] serde_json::Error),
    #[error("{0} is not an event of this build's catalog")]
    UnknownType(String),
}

impl Envelope {
    /// Wraps an event that starts a causal chain (e.g. one caused by an HTTP request).
    pub fn new<E: Event>(chat_id: Uuid, event: &E) -> Self {
        Self::build(chat_id, None, event)
    }

    /// Wraps an event produced while handling `cause`; it keeps the cause's chat.
    pub fn caused_by<E: Event>(cause: &Envelope, event: &E) -> Self {
        Self::build(cause.chat_id, Some(cause.id), event)
    }

    fn build<E: Event>(chat_id: Uuid, causation_id: Option<Uuid>, event: &E) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: E::NAME.to_owned(),
            version: E::VERSION,
            occurred_at: Utc::now(),
            chat_id,
            causation_id,
            // Serialising a catalog type to a JSON value cannot fail: every field is a plain
            // struct, string, number, list or map with string keys.
            payload: serde_json::to_value(event).unwrap_or(serde_json::Value::Null),
        }
    }

    pub fn is<E: Event>(&self) -> bool {
        self.event_type == E::NAME
    }

    pub fn decode<E: Event>(&self) -> Result<E, DecodeError> {
        if self.event_type != E::NAME {
            return Err(DecodeError::WrongType {
                expected: E::NAME,
                actual: self.event_type.clone(),
            });
        }
        if self.version > E::VERSION {
            return Err(DecodeError::UnsupportedVersion {
                event_type: self.event_type.clone(),
                version: self.version,
                supported: E::VERSION,
            });
        }
        E::deserialize(&self.payload).map_err(|source| DecodeError::Payload {
            event_type: self.event_type.clone(),
            source,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        serde_json::from_slice(bytes).map_err(DecodeError::Envelope)
    }
}
