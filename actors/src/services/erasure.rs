//! Erasure of a chat's data at its owner's request: "deleting a chat (or the account) really
//! deletes".
//!
//! restapi deletes its own rows and, in the same transaction, writes one
//! `ChatDataErasedEvent` per chat to its outbox. Every service that keeps data of a chat
//! ([`ServiceName::keeps_chat_data`](super::ServiceName::keeps_chat_data)) handles it with
//! [`ServiceContext::erase`](super::ServiceContext::erase): in one inbox-deduplicated
//! transaction it records a tombstone (`erased_chats`, a digest of the chat id, never the id)
//! and deletes every row of the chat with its repository's `erase_chat`.
//!
//! A search may still be in flight when its chat is erased: events published before (an
//! answer, a profile analysis, a wave of products, a saga deadline's output…) arrive
//! afterwards, in any order. Decision: every later event of an erased chat is acknowledged
//! without effect. It is not retried (no handler error loop, no dead letter) and not applied,
//! so nothing is recreated — no interview or transcript, no saga, no idea wave, no reranking
//! wave, no analysis. [`ServiceContext::once`](super::ServiceContext::once) enforces this for
//! every event of those services before the handler's work runs; deadline sweeps only act on
//! rows that exist, so they find nothing of an erased chat.
//!
//! Races between an erasure and the chat's other events are settled by one advisory lock per
//! chat and database: handlers hold it *shared* for their transaction (they never wait for
//! one another), the erasure holds it *exclusive*. So the erasure waits for the chat's
//! handlers in flight and then deletes what they wrote, and a handler that starts later sees
//! the tombstone. The lock is always the first lock of a transaction (after the inbox claim),
//! so it cannot form a cycle with row locks. The second transaction of a handler that calls
//! a provider between two ([`ServiceContext::for_chat`](super::ServiceContext::for_chat):
//! reranking's finalisation of a wave, its deadline sweep's included) takes it the same way.
//! Other deadline sweeps take none (an erasure that meets a row a sweep holds just waits for
//! it, then deletes what the sweep wrote).

use diesel::prelude::*;
use diesel::sql_types::Integer;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::erasure::{chat_digest, erased_chats};
use uuid::Uuid;

/// The class of the per-chat erasure locks, in PostgreSQL's two-key advisory lock space
/// (separate from the one-key locks used elsewhere): "PFER".
const LOCK_CLASS: i32 = 0x5046_4552;

/// The second key of a chat's erasure lock. Two chats sharing it only serialise their
/// erasures with each other's handlers, which is harmless.
fn lock_key(chat_id: Uuid) -> i32 {
    let n = chat_id.as_u128();
    (n ^ (n >> 32) ^ (n >> 64) ^ (n >> 96)) as u32 as i32
}

async fn lock(conn: &mut AsyncPgConnection, chat_id: Uuid, exclusive: bool) -> QueryResult<()> {
    let query = if exclusive {
        "SELECT pg_advisory_xact_lock($1, $2)"
    } else {
        "SELECT pg_advisory_xact_lock_shared($1, $2)"
    };
    diesel::sql_query(query)
        .bind::<Integer, _>(LOCK_CLASS)
        .bind::<Integer, _>(lock_key(chat_id))
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the chat was erased. On its own (outside a handler's transaction) it is only a
/// cheap early exit before expensive work; the binding check is the one made under the
/// chat's lock at the start of every handler's transaction.
pub async fn is_erased(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        erased_chats::table.find(chat_digest(chat_id)),
    ))
    .get_result(conn)
    .await
}

/// For a handler, first thing in its transaction: holds the chat's erasure lock (shared)
/// until the transaction ends and tells whether the chat was erased.
pub(crate) async fn guard(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<bool> {
    lock(conn, chat_id, false).await?;
    is_erased(conn, chat_id).await
}

/// For an erasure, first thing in its transaction: waits for the chat's handlers in flight,
/// keeps new ones out until the transaction ends (exclusive lock) and records the tombstone.
/// Delete the chat's rows after it.
pub async fn record(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<()> {
    lock(conn, chat_id, true).await?;
    remember(conn, &[chat_id]).await
}

/// Records tombstones of `chat_ids`, without locking (restapi, which deletes its chats
/// directly and has no handler to keep out).
pub async fn remember(conn: &mut AsyncPgConnection, chat_ids: &[Uuid]) -> QueryResult<()> {
    if chat_ids.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = chat_ids
        .iter()
        .map(|id| erased_chats::chat_digest.eq(chat_digest(*id)))
        .collect();
    diesel::insert_into(erased_chats::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::lock_key;
    use uuid::Uuid;

    #[test]
    fn lock_keys_depend_on_the_whole_id() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(1 << 100);
        assert_ne!(lock_key(a), lock_key(b));
        assert_eq!(lock_key(a), lock_key(Uuid::from_u128(1)));
    }
}
