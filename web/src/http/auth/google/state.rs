//! Sign-ins in flight: the OAuth `state` and its PKCE verifier (RFC 7636, S256), kept
//! server-side for a few minutes and usable once.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::oauth_states;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long a user has to finish Google's consent screen.
pub const TTL: Duration = Duration::from_secs(10 * 60);

/// A new sign-in: the `state` sent to Google, the PKCE verifier kept here and the challenge
/// sent to Google.
pub struct Pending {
    pub state: String,
    pub verifier: String,
    pub challenge: String,
}

impl Pending {
    pub fn generate() -> Self {
        let state = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
        // 32 random bytes give a 43-character verifier, the shortest RFC 7636 allows.
        let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
        let challenge = challenge(&verifier);
        Self {
            state,
            verifier,
            challenge,
        }
    }
}

/// `BASE64URL(SHA256(verifier))`, the S256 code challenge.
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Stores a pending sign-in (and forgets expired ones). `guest` is the guest account of the
/// browser that started it, which the Google account will take over.
pub async fn store(
    conn: &mut AsyncPgConnection,
    pending: &Pending,
    guest: Option<Uuid>,
) -> QueryResult<()> {
    diesel::delete(oauth_states::table.filter(oauth_states::expires_at.lt(Utc::now())))
        .execute(conn)
        .await?;
    let ttl = chrono::Duration::from_std(TTL).unwrap_or(chrono::Duration::minutes(10));
    diesel::insert_into(oauth_states::table)
        .values((
            oauth_states::state.eq(&pending.state),
            oauth_states::pkce_verifier.eq(&pending.verifier),
            oauth_states::guest_user_id.eq(guest),
            oauth_states::expires_at.eq(Utc::now() + ttl),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A sign-in taken back: its verifier and guest account.
pub struct Taken {
    pub verifier: String,
    pub guest: Option<Uuid>,
}

/// Consumes `state`: `None` when it is unknown, already used or expired.
pub async fn take(conn: &mut AsyncPgConnection, state: &str) -> QueryResult<Option<Taken>> {
    let row: Option<(String, Option<Uuid>, chrono::DateTime<Utc>)> =
        diesel::delete(oauth_states::table.find(state))
            .returning((
                oauth_states::pkce_verifier,
                oauth_states::guest_user_id,
                oauth_states::expires_at,
            ))
            .get_result(conn)
            .await
            .optional()?;
    Ok(row.and_then(|(verifier, guest, expires_at)| {
        (expires_at > Utc::now()).then_some(Taken { verifier, guest })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_rfc_7636() {
        // Computed independently (Python's hashlib + urlsafe_b64encode, padding stripped).
        assert_eq!(
            challenge("dBjftJeZ4CVP-mJ0kzvhvUemrpemunw5vA8xHd8UVxU"),
            "EPznV_t-RqgWkGyR01dS5OigpZOGP4qn8i3CJej9Ix0"
        );
        let pending = Pending::generate();
        assert_eq!(pending.verifier.len(), 43);
        assert_eq!(pending.challenge, challenge(&pending.verifier));
        assert_ne!(pending.state, Pending::generate().state);
    }
}
