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
}

/// Opens the session if needed and locks it until the transaction ends.
pub async fn open(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<Session> {
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

/// Open sessions with a deadline due, locked (other replicas skip them).
pub async fn lock_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<(Uuid, Session)>> {
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

impl SessionRow {
    fn into_session(self) -> Session {
        Session {
            status: match self.status.as_str() {
                "generating" => SessionStatus::Generating,
                "completed" => SessionStatus::Completed,
                "failed" => SessionStatus::Failed,
                _ => SessionStatus::Collecting,
            },
            stage: Stage::parse(&self.stage).unwrap_or(Stage::Interview),
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
            locale: self
                .locale
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or_default(),
            profile: self.profile.and_then(|p| serde_json::from_value(p).ok()),
            key_themes: self
                .key_themes
                .and_then(|k| serde_json::from_value(k).ok())
                .unwrap_or_default(),
            facts: serde_json::from_value(self.facts).unwrap_or_default(),
            price_range: PriceRange {
                min_price: self.min_price,
                max_price: self.max_price,
            },
            current_wave: self.current_wave.max(0) as u32,
            stalking_deadline_at: self.stalking_deadline_at,
            stage_deadline_at: self.stage_deadline_at,
            session_deadline_at: self.session_deadline_at,
            finalize_requested: self.finalize_requested,
        }
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
        }
    }
}
