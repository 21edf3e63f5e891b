//! The chat database: interviews and their transcripts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::chat::{interviews, transcript_messages};
use uuid::Uuid;

use crate::vocabulary::PotentialAnswers;

/// Where an interview is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Interview,
    AskSaveProfile,
    AskProfileName,
    Completed,
    Aborted,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Interview => "interview",
            Phase::AskSaveProfile => "ask_save_profile",
            Phase::AskProfileName => "ask_profile_name",
            Phase::Completed => "completed",
            Phase::Aborted => "aborted",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "ask_save_profile" => Phase::AskSaveProfile,
            "ask_profile_name" => Phase::AskProfileName,
            "completed" => Phase::Completed,
            "aborted" => Phase::Aborted,
            _ => Phase::Interview,
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = interviews)]
pub struct InterviewRow {
    pub chat_id: Uuid,
    pub occasion: String,
    pub locale: String,
    pub phase: String,
    pub question_count: i32,
    pub pending_message_id: Option<Uuid>,
    pub interviewer_state: serde_json::Value,
    pub saved_profile: Option<serde_json::Value>,
    pub saved_profile_name: Option<String>,
    pub saved_key_themes: serde_json::Value,
    pub profile: Option<serde_json::Value>,
    pub key_themes: Option<serde_json::Value>,
}

impl InterviewRow {
    pub fn phase(&self) -> Phase {
        Phase::parse(&self.phase)
    }

    /// Where the interview is: every change of its state changes this (each question asked
    /// gets a new pending message id; the end clears it), so a turn computed from one version
    /// applies only while the row still has it.
    pub fn version(&self) -> InterviewVersion {
        InterviewVersion {
            phase: self.phase(),
            question_count: self.question_count,
            pending_message_id: self.pending_message_id,
        }
    }
}

/// See [`InterviewRow::version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterviewVersion {
    pub phase: Phase,
    pub question_count: i32,
    pub pending_message_id: Option<Uuid>,
}

#[derive(Insertable)]
#[diesel(table_name = interviews)]
pub struct NewInterview<'a> {
    pub chat_id: Uuid,
    pub occasion: &'a str,
    pub locale: &'a str,
    pub saved_profile: Option<serde_json::Value>,
    pub saved_profile_name: Option<&'a str>,
    pub saved_key_themes: serde_json::Value,
}

/// Creates the interview; `false` when it already exists.
pub async fn create(
    conn: &mut AsyncPgConnection,
    interview: NewInterview<'_>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(interviews::table)
        .values(interview)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Loads the interview without locking it: the state a provider call starts from, read on a
/// connection given back before the call. The final transaction locks the row and checks that
/// it has not moved on since ([`InterviewRow::version`]).
pub async fn find(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Option<InterviewRow>> {
    interviews::table
        .find(chat_id)
        .select(InterviewRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Whether the transcript has the message `id` (an answer taken already).
pub async fn has_message(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        transcript_messages::table
            .find(id)
            .filter(transcript_messages::chat_id.eq(chat_id)),
    ))
    .get_result(conn)
    .await
}

/// Loads the interview and locks it until the transaction ends.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Option<InterviewRow>> {
    interviews::table
        .find(chat_id)
        .select(InterviewRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The interview's state after a turn.
#[derive(AsChangeset)]
#[diesel(table_name = interviews)]
pub struct InterviewUpdate<'a> {
    pub phase: &'a str,
    pub question_count: i32,
    pub pending_message_id: Option<Option<Uuid>>,
    pub interviewer_state: Option<serde_json::Value>,
    pub profile: Option<serde_json::Value>,
    pub key_themes: Option<serde_json::Value>,
    pub save_profile: Option<bool>,
    pub profile_name: Option<&'a str>,
    pub updated_at: DateTime<Utc>,
}

impl<'a> InterviewUpdate<'a> {
    pub fn new(phase: Phase, question_count: i32) -> Self {
        Self {
            phase: phase.as_str(),
            question_count,
            pending_message_id: None,
            interviewer_state: None,
            profile: None,
            key_themes: None,
            save_profile: None,
            profile_name: None,
            updated_at: Utc::now(),
        }
    }
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    update: InterviewUpdate<'_>,
) -> QueryResult<()> {
    diesel::update(interviews::table.find(chat_id))
        .set(update)
        .execute(conn)
        .await?;
    Ok(())
}

/// Appends a message to the transcript; `false` when a message with this id is already there.
pub async fn append_message(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    id: Uuid,
    role: &str,
    content: &str,
    answers: Option<&PotentialAnswers>,
) -> QueryResult<bool> {
    use diesel::sql_types::{Jsonb, Nullable, Text, Uuid as SqlUuid};
    // The next number is taken in the insert itself (one round trip); the interview's row
    // lock serialises the appends of a chat.
    let inserted = diesel::sql_query(
        "INSERT INTO transcript_messages (id, chat_id, seq, role, content, potential_answers) \
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5 \
         FROM transcript_messages WHERE chat_id = $2 \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(chat_id)
    .bind::<Text, _>(role)
    .bind::<Text, _>(content)
    .bind::<Nullable<Jsonb>, _>(
        answers
            .map(present_finder_schema::json::to_column)
            .transpose()?,
    )
    .execute(conn)
    .await?;
    Ok(inserted == 1)
}

/// Deletes the chat's interview and transcript (the user's own answers); returns how many
/// rows went.
pub async fn erase_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<usize> {
    let messages =
        diesel::delete(transcript_messages::table.filter(transcript_messages::chat_id.eq(chat_id)))
            .execute(conn)
            .await?;
    let interviews = diesel::delete(interviews::table.find(chat_id))
        .execute(conn)
        .await?;
    Ok(messages + interviews)
}
