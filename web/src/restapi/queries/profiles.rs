//! Saved recipient profiles of one user: list, read, edit, delete. Profiles are created by
//! the interview (the giver agrees to save one); names are unique per user.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::user_profiles;
use serde::Serialize;
use uuid::Uuid;

use super::is_unique_violation;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_profiles)]
struct ProfileRow {
    id: Uuid,
    user_id: Uuid,
    chat_id: Option<Uuid>,
    person_name: String,
    profile: serde_json::Value,
    key_themes: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A saved recipient profile.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The chat that last produced it; null once that chat is deleted.
    pub chat_id: Option<Uuid>,
    pub person_name: String,
    /// A RecipientProfile.
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
    pub key_themes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProfileRow> for UserProfile {
    fn from(row: ProfileRow) -> Self {
        Self {
            id: row.id,
            user_id: row.user_id,
            chat_id: row.chat_id,
            person_name: row.person_name,
            profile: row.profile,
            key_themes: serde_json::from_value(row.key_themes).unwrap_or_else(|error| {
                // Shown without them rather than hiding the profile; the log says which.
                log::error!(
                    "saved profile {}: key themes cannot be read: {error}",
                    row.id
                );
                Vec::new()
            }),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What an edit changes (absent = unchanged).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = user_profiles)]
pub struct ProfileChanges {
    pub person_name: Option<String>,
    pub profile: Option<serde_json::Value>,
}

/// The outcome of an edit.
#[derive(Debug, Clone, PartialEq)]
pub enum Edited {
    Updated(UserProfile),
    NotFound,
    /// Another profile of the user already has this name.
    NameTaken,
}

/// The user's profiles, newest first.
pub async fn list(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<UserProfile>> {
    let rows: Vec<ProfileRow> = user_profiles::table
        .filter(user_profiles::user_id.eq(user_id))
        .order((user_profiles::created_at.desc(), user_profiles::id.desc()))
        .select(ProfileRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(UserProfile::from).collect())
}

/// One profile of the user, or `None`.
pub async fn get(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    profile_id: Uuid,
) -> QueryResult<Option<UserProfile>> {
    let row: Option<ProfileRow> = user_profiles::table
        .filter(user_profiles::user_id.eq(user_id))
        .filter(user_profiles::id.eq(profile_id))
        .select(ProfileRow::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(UserProfile::from))
}

/// Applies `changes` to a profile of the user.
pub async fn edit(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    profile_id: Uuid,
    changes: ProfileChanges,
) -> QueryResult<Edited> {
    let updated = diesel::update(
        user_profiles::table
            .filter(user_profiles::user_id.eq(user_id))
            .filter(user_profiles::id.eq(profile_id)),
    )
    .set((&changes, user_profiles::updated_at.eq(Utc::now())))
    .returning(ProfileRow::as_returning())
    .get_result(conn)
    .await
    .optional();
    match updated {
        Ok(Some(row)) => Ok(Edited::Updated(row.into())),
        Ok(None) => Ok(Edited::NotFound),
        Err(error) if is_unique_violation(&error) => Ok(Edited::NameTaken),
        Err(error) => Err(error),
    }
}

/// Deletes a profile of the user; `false` when there is no such profile.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    profile_id: Uuid,
) -> QueryResult<bool> {
    let deleted = diesel::delete(
        user_profiles::table
            .filter(user_profiles::user_id.eq(user_id))
            .filter(user_profiles::id.eq(profile_id)),
    )
    .execute(conn)
    .await?;
    Ok(deleted > 0)
}
