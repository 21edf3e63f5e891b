//! The accounts: loading, guest creation, Google sign-in (upsert, guest upgrade and merge),
//! `ADMIN_EMAIL` promotion and deletion.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_actors::events::ErasureReason;
use present_finder_actors::services::ServiceContext;
use present_finder_schema::DbPool;
use present_finder_schema::tables::restapi::{chats, users};
use serde::Serialize;
use uuid::Uuid;

use super::refresh;
use super::tokens::{Bearer, Role};
use crate::restapi::commands::{self, CommandError};

diesel::define_sql_function! {
    /// SQL `lower()`; e-mail addresses are unique case-insensitively (`users_email_key`).
    fn lower(value: Nullable<Text>) -> Nullable<Text>;
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
#[schema(as = Account)]
pub struct UserRow {
    pub id: Uuid,
    pub email: Option<String>,
    /// The Google account's stable id (`sub`), when linked.
    pub google_sub: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub picture: Option<String>,
    pub role: String,
    pub is_guest: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The generation of the account's sessions (see [`end_sessions`]); not shown.
    #[serde(skip)]
    pub session_generation: i32,
    /// The last sign-in or token refresh (to the hour): a guest unused for `GUEST_TTL_DAYS`
    /// is deleted.
    pub last_seen_at: DateTime<Utc>,
}

impl UserRow {
    pub fn role(&self) -> Role {
        Role::parse(&self.role)
    }

    /// Whom an access token for this account is for now.
    pub fn bearer(&self) -> Bearer {
        Bearer {
            user_id: self.id,
            role: self.role(),
            guest: self.is_guest,
            generation: self.session_generation,
        }
    }
}

/// Ends every session of account `id`: the access tokens issued so far are refused from now
/// on (refresh tokens that were not revoked still get new ones).
pub async fn end_sessions(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::session_generation.eq(users::session_generation + 1))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn create_guest(conn: &mut AsyncPgConnection) -> QueryResult<UserRow> {
    let id = crate::restapi::commands::create_guest(conn).await?;
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .await
}

/// Deletes the account. Everything of it goes with it through the foreign keys: chats (and
/// their messages, ui events, listings and the favourites of those listings, feedback), saved
/// profiles, favourites, feedback, refresh tokens and pending sign-ins. In the same
/// transaction, every other service is asked through the outbox to erase what it keeps of
/// the account's chats ([`commands::erase_chats`]). Returns whether the account existed.
pub async fn delete(ctx: &ServiceContext, id: Uuid) -> Result<bool, CommandError> {
    delete_account(ctx, id, None).await
}

/// Deletes the account `id` as [`delete`] does; with `unused_since`, only when it is a guest
/// (never signed in with Google) last seen before that time and no one else holds it (a
/// request signing it in, another process expiring it).
async fn delete_account(
    ctx: &ServiceContext,
    id: Uuid,
    unused_since: Option<DateTime<Utc>>,
) -> Result<bool, CommandError> {
    let mut conn = ctx.pool.get().await?;
    let erasures = conn
        .transaction(async |conn| {
            // The account is locked first: a chat created for it (or moved to it by a guest
            // merge) meanwhile either commits before, and is listed below, or fails after.
            let account: Option<Uuid> = match unused_since {
                None => {
                    users::table
                        .find(id)
                        .select(users::id)
                        .for_update()
                        .first(conn)
                        .await
                }
                Some(cutoff) => {
                    users::table
                        .find(id)
                        .filter(users::is_guest.eq(true))
                        .filter(users::google_sub.is_null())
                        .filter(users::last_seen_at.lt(cutoff))
                        .select(users::id)
                        .for_update()
                        .skip_locked()
                        .first(conn)
                        .await
                }
            }
            .optional()?;
            if account.is_none() {
                return Ok::<_, CommandError>(None);
            }
            let chat_ids: Vec<Uuid> = chats::table
                .filter(chats::user_id.eq(id))
                .select(chats::chat_id)
                .load(conn)
                .await?;
            diesel::delete(users::table.find(id)).execute(conn).await?;
            Ok(Some(
                commands::erase_chats(conn, &chat_ids, ErasureReason::AccountDeleted).await?,
            ))
        })
        .await?;
    let deleted = erasures.is_some();
    ctx.published(erasures.unwrap_or_default());
    Ok(deleted)
}

/// Deletes the guest accounts unused for `ttl` with all their data, exactly as account
/// deletion does (their chats are erased in every service through `ChatDataErasedEvent`s).
/// Accounts signed in with Google are never expired. The accounts are looked up `batch` at a
/// time, oldest first, and deleted one per transaction. Several processes may run it at
/// once: each tries every account once, and skips those another one holds. Returns how many
/// this call deleted.
pub async fn expire_guests(
    ctx: &ServiceContext,
    ttl: std::time::Duration,
    batch: u32,
) -> Result<u64, CommandError> {
    let cutoff = present_finder_actors::services::retention::before_now(ttl);
    let batch = i64::from(batch.max(1));
    let mut expired = 0;
    // Where the previous round ended (last use, id): each round starts after it.
    let mut after: Option<(DateTime<Utc>, Uuid)> = None;
    loop {
        let candidates: Vec<(Uuid, DateTime<Utc>)> = {
            let mut conn = ctx.pool.get().await?;
            let mut query = users::table
                .filter(users::is_guest.eq(true))
                .filter(users::google_sub.is_null())
                .filter(users::last_seen_at.lt(cutoff))
                .order((users::last_seen_at, users::id))
                .select((users::id, users::last_seen_at))
                .limit(batch)
                .into_boxed();
            if let Some((seen, id)) = after {
                query = query.filter(
                    users::last_seen_at
                        .gt(seen)
                        .or(users::last_seen_at.eq(seen).and(users::id.gt(id))),
                );
            }
            query.load(&mut conn).await?
        };
        for (id, _) in &candidates {
            if delete_account(ctx, *id, Some(cutoff)).await? {
                expired += 1;
            }
        }
        match candidates.last() {
            Some(&(id, seen)) if candidates.len() as i64 == batch => after = Some((seen, id)),
            _ => break,
        }
        if ctx.lifecycle.is_stopping() {
            break;
        }
    }
    Ok(expired)
}

/// Creates the account of `email` as an admin, or promotes it. Called at start with
/// `ADMIN_EMAIL`; returns the account's id.
pub async fn ensure_admin(pool: &DbPool, email: &str) -> anyhow::Result<Uuid> {
    let email = normalize_email(email)
        .ok_or_else(|| anyhow::anyhow!("ADMIN_EMAIL {email:?} is not an e-mail address"))?;
    let mut conn = pool.get().await?;
    let id = conn
        .transaction(async |conn| {
            let promoted: Option<Uuid> =
                diesel::update(users::table.filter(lower(users::email).eq(Some(email.as_str()))))
                    .set((
                        users::role.eq(Role::Admin.as_str()),
                        users::updated_at.eq(Utc::now()),
                    ))
                    .returning(users::id)
                    .get_result(conn)
                    .await
                    .optional()?;
            if let Some(id) = promoted {
                return Ok::<_, diesel::result::Error>(id);
            }
            let id = Uuid::now_v7();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(id),
                    users::email.eq(&email),
                    users::name.eq("Admin User"),
                    users::role.eq(Role::Admin.as_str()),
                ))
                .execute(conn)
                .await?;
            Ok(id)
        })
        .await?;
    log::info!("ADMIN_EMAIL: account {id} is an admin");
    Ok(id)
}

/// Lower-cased and trimmed; `None` unless it looks like an address.
pub fn normalize_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    (!local.is_empty() && !domain.is_empty() && !email.contains(char::is_whitespace))
        .then_some(email)
}

/// What a Google ID token says about its account.
#[derive(Debug, Clone, Default)]
pub struct GoogleProfile {
    pub sub: String,
    /// Only a verified address (lower-cased).
    pub email: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub picture: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("the e-mail address {0} belongs to another Google account")]
    EmailTaken(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Signs in with Google: finds the account by Google `sub`, then by verified e-mail, and
/// updates it from the profile; otherwise creates it. With `guest` (a guest account of the
/// caller), the guest account becomes the Google account and keeps all its data; when the
/// Google account already exists, the guest's data moves into it and the guest account is
/// removed. `admin_email` makes the account an admin.
pub async fn sign_in_with_google(
    conn: &mut AsyncPgConnection,
    profile: &GoogleProfile,
    guest: Option<Uuid>,
    admin_email: Option<&str>,
) -> Result<UserRow, SignInError> {
    let is_admin = match (&profile.email, admin_email) {
        (Some(email), Some(admin)) => email.eq_ignore_ascii_case(admin),
        _ => false,
    };
    conn.transaction(async |conn| {
        let guest = match guest {
            Some(id) => users::table
                .find(id)
                .filter(users::is_guest.eq(true))
                .select(users::id)
                .for_update()
                .first::<Uuid>(conn)
                .await
                .optional()?,
            None => None,
        };
        let existing = find_for_google(conn, profile).await?;
        let id = match (existing, guest) {
            (Some(existing), Some(guest)) if existing != guest => {
                merge_guest(conn, guest, existing).await?;
                existing
            }
            (Some(existing), _) => existing,
            (None, Some(guest)) => {
                // The guest's own sessions are replaced by the ones of this sign-in.
                refresh::revoke_all(conn, guest).await?;
                guest
            }
            (None, None) => {
                let id = Uuid::now_v7();
                diesel::insert_into(users::table)
                    .values((
                        users::id.eq(id),
                        users::google_sub.eq(&profile.sub),
                        users::is_guest.eq(false),
                    ))
                    .execute(conn)
                    .await?;
                id
            }
        };
        diesel::update(users::table.find(id))
            .set((
                users::google_sub.eq(&profile.sub),
                users::is_guest.eq(false),
                users::name.eq(&profile.name),
                users::given_name.eq(&profile.given_name),
                users::family_name.eq(&profile.family_name),
                users::picture.eq(&profile.picture),
                users::updated_at.eq(Utc::now()),
                users::last_seen_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        if let Some(email) = &profile.email {
            diesel::update(users::table.find(id))
                .set(users::email.eq(email))
                .execute(conn)
                .await?;
        }
        if is_admin {
            diesel::update(users::table.find(id))
                .set(users::role.eq(Role::Admin.as_str()))
                .execute(conn)
                .await?;
        }
        Ok(users::table
            .find(id)
            .select(UserRow::as_select())
            .first(conn)
            .await?)
    })
    .await
}

/// The account of this Google identity: by `sub`, else by verified e-mail (an account created
/// from `ADMIN_EMAIL`, or one whose Google link is new). An e-mail already linked to another
/// Google `sub` is a conflict.
async fn find_for_google(
    conn: &mut AsyncPgConnection,
    profile: &GoogleProfile,
) -> Result<Option<Uuid>, SignInError> {
    let by_sub: Option<Uuid> = users::table
        .filter(users::google_sub.eq(&profile.sub))
        .select(users::id)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if let Some(id) = by_sub {
        // Another account may hold the address this Google account now reports.
        if let Some(email) = &profile.email {
            let holder: Option<Uuid> = users::table
                .filter(lower(users::email).eq(Some(email.as_str())))
                .filter(users::id.ne(id))
                .select(users::id)
                .first(conn)
                .await
                .optional()?;
            if holder.is_some() {
                return Err(SignInError::EmailTaken(email.clone()));
            }
        }
        return Ok(Some(id));
    }
    let Some(email) = &profile.email else {
        return Ok(None);
    };
    let by_email: Option<(Uuid, Option<String>)> = users::table
        .filter(lower(users::email).eq(Some(email.as_str())))
        .select((users::id, users::google_sub))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    match by_email {
        Some((_, Some(other_sub))) if other_sub != profile.sub => {
            Err(SignInError::EmailTaken(email.clone()))
        }
        Some((id, _)) => Ok(Some(id)),
        None => Ok(None),
    }
}

/// Moves everything of the guest account `guest` into `into`, then removes the guest.
/// A saved profile whose name `into` already uses keeps a distinguishing suffix.
async fn merge_guest(conn: &mut AsyncPgConnection, guest: Uuid, into: Uuid) -> QueryResult<()> {
    use diesel::sql_types::Uuid as SqlUuid;
    let statements = [
        "UPDATE chats SET user_id = $2, updated_at = now() WHERE user_id = $1",
        "UPDATE feedback SET user_id = $2 WHERE user_id = $1",
        "INSERT INTO favorites (user_id, listing_id, created_at) \
         SELECT $2, listing_id, created_at FROM favorites WHERE user_id = $1 \
         ON CONFLICT DO NOTHING",
        "UPDATE user_profiles p SET user_id = $2 WHERE p.user_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM user_profiles q WHERE q.user_id = $2 AND q.person_name = p.person_name)",
        "UPDATE user_profiles SET user_id = $2, \
         person_name = person_name || ' (' || left(id::text, 8) || ')' WHERE user_id = $1",
    ];
    for statement in statements {
        diesel::sql_query(statement)
            .bind::<SqlUuid, _>(guest)
            .bind::<SqlUuid, _>(into)
            .execute(conn)
            .await?;
    }
    diesel::delete(users::table.find(guest))
        .execute(conn)
        .await?;
    log::info!("guest account {guest} merged into account {into}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::normalize_email;

    #[test]
    fn emails_are_normalized() {
        assert_eq!(
            normalize_email("  Boss@Example.COM "),
            Some("boss@example.com".into())
        );
        assert_eq!(normalize_email("nobody"), None);
        assert_eq!(normalize_email("@example.com"), None);
        assert_eq!(normalize_email("a b@example.com"), None);
    }
}
