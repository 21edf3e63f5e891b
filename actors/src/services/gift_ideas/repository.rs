//! The idea service's part of the gift_ideas database: the ideas and queries of each wave.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::gift_ideas::idea_waves;
use uuid::Uuid;

/// Deletes the chat's idea waves; returns how many rows went.
pub async fn erase_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<usize> {
    diesel::delete(idea_waves::table.filter(idea_waves::chat_id.eq(chat_id)))
        .execute(conn)
        .await
}
