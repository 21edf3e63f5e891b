//! What authentication reads of an account on each request (it exists, its role, the
//! generation of its sessions), kept for a moment per instance: deletion, demotion and
//! signing out reach every token already issued within [`FRESH_FOR`] on every instance, at
//! once on the one that made the change.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::users;

use uuid::Uuid;

use super::tokens::Role;
use crate::http::{ApiError, AppState};

/// How long a read account is believed.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// Accounts kept before the stale ones are forgotten.
const KEPT: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    pub role: Role,
    pub is_guest: bool,
    pub session_generation: i32,
}

#[derive(Default)]
pub struct AccountCache {
    read: Mutex<HashMap<Uuid, (Instant, Option<AccountState>)>>,
}

impl AccountCache {
    /// The account `id` as it is (at most [`FRESH_FOR`] ago); `None` when it does not exist.
    pub async fn get(&self, state: &AppState, id: Uuid) -> Result<Option<AccountState>, ApiError> {
        if let Some((read_at, account)) = self.entries().get(&id)
            && read_at.elapsed() < FRESH_FOR
        {
            return Ok(*account);
        }
        let mut conn = state.db().await?;
        let account = account_state(&mut conn, id).await?;
        let mut entries = self.entries();
        if entries.len() >= KEPT {
            entries.retain(|_, (read_at, _)| read_at.elapsed() < FRESH_FOR);
        }
        entries.insert(id, (Instant::now(), account));
        Ok(account)
    }

    /// Forgets `id` after a change to it on this instance.
    pub fn forget(&self, id: Uuid) {
        self.entries().remove(&id);
    }

    /// Each change is one statement: whatever panicked while holding the map left it whole.
    fn entries(&self) -> MutexGuard<'_, HashMap<Uuid, (Instant, Option<AccountState>)>> {
        self.read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What authentication checks of account `id`, or `None` when it does not exist.
async fn account_state(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<AccountState>> {
    let row: Option<(String, bool, i32)> = users::table
        .find(id)
        .select((users::role, users::is_guest, users::session_generation))
        .first(conn)
        .await
        .optional()?;
    Ok(
        row.map(|(role, is_guest, session_generation)| AccountState {
            role: Role::parse(&role),
            is_guest,
            session_generation,
        }),
    )
}
