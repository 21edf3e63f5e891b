//! Saga state in the gift_ideas database.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::gift_ideas::gift_sessions;
use uuid::Uuid;

use super::saga::{InterviewStatus, Session, SessionStatus, StalkingStatus};
use crate::vocabulary::{Locale, PriceRange, Stage};

#[derive(Queryable, Selectable, AsChangeset)]
#[diesel(table_name = gift_sessions)]
#[diesel(treat_none_as_null = true)]
struct SessionRow {
    status: String,
    stage: String,
    interview_status: String,
    stalking_status: String,
    locale: Option<String>,
    profile: Option<serde_json::Value>,
    key_themes: Option<serde_json::Value>,
    facts: serde_json::Value,
    min_price: Option<f64>,
    max_price: Option<f64>,
    current_wave: i32,
    stalking_deadline_at: Option<DateTime<Utc>>,
    stage_deadline_at: Option<DateTime<Utc>>,
    session_deadline_at: Option<DateTime<Utc>>,
    finalize_requested: bool,
    round: i32,
    refinement: Option<serde_json::Value>,
}

/// A stored session that cannot be read back (a bug, or a hand edit): what is known of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub locale: Locale,
    pub stage: Stage,
    /// It had ended already (completed or failed).
    pub over: bool,
    pub problem: String,
}

/// Opens the session if needed and locks it until the transaction ends.
pub async fn open(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Result<Session, Unreadable>> {
    diesel::insert_into(gift_sessions::table)
        .values(gift_sessions::chat_id.eq(chat_id))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    let row: SessionRow = gift_sessions::table
        .find(chat_id)
        .select(SessionRow::as_select())
        .for_update()
        .first(conn)
        .await?;
    Ok(row.into_session())
}

/// Ends a session that cannot be read: failed, its deadlines cleared.
pub async fn mark_failed(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<()> {
    diesel::update(gift_sessions::table.find(chat_id))
        .set((
            gift_sessions::status.eq("failed"),
            gift_sessions::stalking_deadline_at.eq(None::<DateTime<Utc>>),
            gift_sessions::stage_deadline_at.eq(None::<DateTime<Utc>>),
            gift_sessions::session_deadline_at.eq(None::<DateTime<Utc>>),
            gift_sessions::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Open sessions with a deadline due, locked (other replicas skip them).
pub async fn lock_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<(Uuid, Result<Session, Unreadable>)>> {
    let due = diesel::dsl::sql::<diesel::sql_types::Bool>(
        "LEAST(stalking_deadline_at, stage_deadline_at, session_deadline_at) <= ",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(now);
    let rows: Vec<(Uuid, SessionRow)> = gift_sessions::table
        .filter(gift_sessions::status.eq_any(["collecting", "generating"]))
        .filter(due)
        .select((gift_sessions::chat_id, SessionRow::as_select()))
        .limit(limit)
        .for_update()
        .skip_locked()
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, row)| (id, row.into_session()))
        .collect())
}

pub async fn save(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    session: &Session,
) -> QueryResult<()> {
    diesel::update(gift_sessions::table.find(chat_id))
        .set((
            SessionRow::from_session(session),
            gift_sessions::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the chat's session (profile, themes, facts, price range, deadlines); returns how
/// many rows went.
pub async fn erase_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<usize> {
    diesel::delete(gift_sessions::table.find(chat_id))
        .execute(conn)
        .await
}

/// A stored JSON column read back as `T`; the error names the column.
fn read<T: serde::de::DeserializeOwned>(
    column: &str,
    value: serde_json::Value,
) -> Result<T, String> {
    serde_json::from_value(value).map_err(|error| format!("{column}: {error}"))
}

impl SessionRow {
    fn into_session(self) -> Result<Session, Unreadable> {
        let locale = self
            .locale
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_default();
        let stage = Stage::parse(&self.stage).unwrap_or(Stage::Interview);
        let unreadable = |problem: String| Unreadable {
            locale,
            stage,
            over: matches!(self.status.as_str(), "completed" | "failed"),
            problem,
        };
        let profile = match self.profile.clone() {
            Some(value) => Some(read("profile", value).map_err(unreadable)?),
            None => None,
        };
        let key_themes = match self.key_themes.clone() {
            Some(value) => read("key_themes", value).map_err(unreadable)?,
            None => Vec::new(),
        };
        let facts = read("facts", self.facts.clone()).map_err(unreadable)?;
        let refinement = match self.refinement.clone() {
            Some(value) => Some(read("refinement", value).map_err(unreadable)?),
            None => None,
        };
        Ok(Session {
            status: match self.status.as_str() {
                "generating" => SessionStatus::Generating,
                "completed" => SessionStatus::Completed,
                "failed" => SessionStatus::Failed,
                _ => SessionStatus::Collecting,
            },
            stage,
            interview: match self.interview_status.as_str() {
                "completed" => InterviewStatus::Completed,
                "inappropriate" => InterviewStatus::Inappropriate,
                _ => InterviewStatus::Pending,
            },
            stalking: match self.stalking_status.as_str() {
                "completed" => StalkingStatus::Completed,
                "skipped" => StalkingStatus::Skipped,
                _ => StalkingStatus::Pending,
            },
            locale,
            profile,
            key_themes,
            facts,
            price_range: PriceRange {
                min_price: self.min_price,
                max_price: self.max_price,
            },
            current_wave: self.current_wave.max(0) as u32,
            stalking_deadline_at: self.stalking_deadline_at,
            stage_deadline_at: self.stage_deadline_at,
            session_deadline_at: self.session_deadline_at,
            finalize_requested: self.finalize_requested,
            round: self.round.max(0) as u32,
            refinement,
        })
    }

    fn from_session(session: &Session) -> Self {
        Self {
            status: match session.status {
                SessionStatus::Collecting => "collecting",
                SessionStatus::Generating => "generating",
                SessionStatus::Completed => "completed",
                SessionStatus::Failed => "failed",
            }
            .to_owned(),
            stage: session.stage.as_str().to_owned(),
            interview_status: match session.interview {
                InterviewStatus::Pending => "pending",
                InterviewStatus::Completed => "completed",
                InterviewStatus::Inappropriate => "inappropriate",
            }
            .to_owned(),
            stalking_status: match session.stalking {
                StalkingStatus::Pending => "pending",
                StalkingStatus::Completed => "completed",
                StalkingStatus::Skipped => "skipped",
            }
            .to_owned(),
            locale: Some(session.locale.as_str().to_owned()),
            profile: session
                .profile
                .as_ref()
                .and_then(|p| serde_json::to_value(p).ok()),
            key_themes: Some(serde_json::json!(session.key_themes)),
            facts: serde_json::json!(session.facts),
            min_price: session.price_range.min_price,
            max_price: session.price_range.max_price,
            current_wave: i32::try_from(session.current_wave).unwrap_or(i32::MAX),
            stalking_deadline_at: session.stalking_deadline_at,
            stage_deadline_at: session.stage_deadline_at,
            session_deadline_at: session.session_deadline_at,
            finalize_requested: session.finalize_requested,
            round: i32::try_from(session.round).unwrap_or(i32::MAX),
            refinement: session
                .refinement
                .as_ref()
                .and_then(|r| serde_json::to_value(r).ok()),
        }
    }
}
