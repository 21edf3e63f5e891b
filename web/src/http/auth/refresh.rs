//! Refresh tokens: 256 random bits, base64url, stored only as their SHA-256 hash.
//!
//! Every login starts a *family*; each use rotates the token (the old one is marked rotated,
//! a new one of the same family is issued). Presenting a token that was already rotated means
//! it leaked or was replayed, so the whole family is revoked.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{refresh_tokens, users};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::tokens::{Bearer, Role};

/// A fresh random token (what the browser keeps) and its hash (what the database keeps).
fn generate() -> (String, Vec<u8>) {
    let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let hash = hash(&token);
    (token, hash)
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn expiry(ttl: Duration) -> DateTime<Utc> {
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7));
    Utc::now() + ttl
}

/// Starts a new family for `user_id` and returns its first token. The user's expired
/// tokens are forgotten on the way.
pub async fn issue(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    ttl: Duration,
) -> QueryResult<String> {
    diesel::delete(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::expires_at.lt(Utc::now())),
    )
    .execute(conn)
    .await?;
    insert(conn, user_id, Uuid::now_v7(), ttl).await
}

async fn insert(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
    ttl: Duration,
) -> QueryResult<String> {
    let (token, hash) = generate();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::now_v7()),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::expires_at.eq(expiry(ttl)),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// The account a rotated token belongs to.
#[derive(Debug, Clone)]
pub struct Rotated {
    /// Whom the new access token is for.
    pub bearer: Bearer,
    pub token: String,
}

#[derive(Debug)]
pub enum Rotation {
    Rotated(Rotated),
    /// Unknown, expired or revoked.
    Invalid,
    /// An already rotated token: its family has now been revoked.
    Reused,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
#[diesel(check_for_backend(diesel::pg::Pg))]
struct StoredToken {
    id: Uuid,
    user_id: Uuid,
    family_id: Uuid,
    expires_at: DateTime<Utc>,
    rotated_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Exchanges `presented` for a new token of the same family.
pub async fn rotate(
    conn: &mut AsyncPgConnection,
    presented: &str,
    ttl: Duration,
) -> QueryResult<Rotation> {
    let presented_hash = hash(presented);
    conn.transaction(async |conn| {
        // The row lock serializes concurrent uses of one token: the second sees it rotated.
        let row: Option<StoredToken> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&presented_hash))
            .select(StoredToken::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let Some(StoredToken {
            id,
            user_id,
            family_id,
            expires_at,
            rotated_at,
            revoked_at,
        }) = row
        else {
            return Ok(Rotation::Invalid);
        };
        if revoked_at.is_some() || expires_at <= Utc::now() {
            return Ok(Rotation::Invalid);
        }
        if rotated_at.is_some() {
            revoke_family(conn, family_id).await?;
            log::warn!(
                "refresh token reuse detected for user {user_id}: family {family_id} revoked"
            );
            return Ok(Rotation::Reused);
        }
        let user: Option<(String, bool, i32)> = users::table
            .find(user_id)
            .select((users::role, users::is_guest, users::session_generation))
            .first(conn)
            .await
            .optional()?;
        let Some((role, is_guest, generation)) = user else {
            return Ok(Rotation::Invalid);
        };
        mark_seen(conn, user_id).await?;
        diesel::update(refresh_tokens::table.find(id))
            .set(refresh_tokens::rotated_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        let token = insert(conn, user_id, family_id, ttl).await?;
        Ok(Rotation::Rotated(Rotated {
            bearer: Bearer {
                user_id,
                role: Role::parse(&role),
                guest: is_guest,
                generation,
            },
            token,
        }))
    })
    .await
}

/// Records that the account is in use: at most one write an hour per account (called on
/// token refresh, which an active client does every access-token lifetime).
async fn mark_seen(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(
        users::table
            .find(id)
            .filter(users::last_seen_at.lt(now - chrono::Duration::hours(1))),
    )
    .set(users::last_seen_at.eq(now))
    .execute(conn)
    .await?;
    Ok(())
}

async fn revoke_family(conn: &mut AsyncPgConnection, family_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}

/// Logout: revokes the family of `presented` (the whole login session). Unknown tokens are
/// ignored.
/// Returns the token's account, when the token is known.
pub async fn revoke(conn: &mut AsyncPgConnection, presented: &str) -> QueryResult<Option<Uuid>> {
    let family: Option<(Uuid, Uuid)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash(presented)))
        .select((refresh_tokens::family_id, refresh_tokens::user_id))
        .first(conn)
        .await
        .optional()?;
    let Some((family_id, user_id)) = family else {
        return Ok(None);
    };
    revoke_family(conn, family_id).await?;
    Ok(Some(user_id))
}

/// Revokes every live token of `user_id` (the account changed hands, e.g. a guest became a
/// Google account).
pub async fn revoke_all(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_base64url_and_hashed() {
        let (token, stored) = generate();
        assert_eq!(token.len(), 43);
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(stored.len(), 32);
        assert_eq!(stored, hash(&token));
        assert_ne!(generate().0, token);
    }
}
