//! The stalking database: one profile analysis per chat. (The scrape cache is keyed by
//! profile URL, not by chat.)

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::stalking::analyses;
use uuid::Uuid;

/// Deletes the chat's analysis (facts and sources); returns how many rows went.
pub async fn erase_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<usize> {
    diesel::delete(analyses::table.find(chat_id))
        .execute(conn)
        .await
}
