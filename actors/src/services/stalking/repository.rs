//! The stalking database: one profile analysis per chat, the chat's stalking deadline once
//! its interview has ended, and the scrape cache, keyed by profile URL, not by chat.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::stalking::{analyses, scrape_cache, stalking_deadlines};
use uuid::Uuid;

/// Deletes the chat's analysis (facts and sources) and its deadline; returns how many rows
/// went.
pub async fn erase_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<usize> {
    let analyses = diesel::delete(analyses::table.find(chat_id))
        .execute(conn)
        .await?;
    let deadlines = diesel::delete(stalking_deadlines::table.find(chat_id))
        .execute(conn)
        .await?;
    Ok(analyses + deadlines)
}

/// Records when the search stops waiting for the chat's analysis (the first record stays).
pub async fn set_deadline(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    deadline_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(stalking_deadlines::table)
        .values((
            stalking_deadlines::chat_id.eq(chat_id),
            stalking_deadlines::deadline_at.eq(deadline_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// When the search stops waiting for the chat's analysis; `None` while its interview runs.
pub async fn deadline(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Option<DateTime<Utc>>> {
    stalking_deadlines::table
        .find(chat_id)
        .select(stalking_deadlines::deadline_at)
        .first(conn)
        .await
        .optional()
}

/// The text of a profile read within the cache's lifetime.
pub async fn cached_profile(
    conn: &mut AsyncPgConnection,
    url: &str,
) -> QueryResult<Option<String>> {
    let record: Option<Option<serde_json::Value>> = scrape_cache::table
        .find(url)
        .filter(scrape_cache::expires_at.gt(Utc::now()))
        .filter(scrape_cache::error.is_null())
        .select(scrape_cache::record)
        .first(conn)
        .await
        .optional()?;
    Ok(record
        .flatten()
        .and_then(|r| r.get("text").and_then(|t| t.as_str()).map(str::to_owned)))
}

/// Keeps a profile's text for `ttl`.
pub async fn cache_profile(
    conn: &mut AsyncPgConnection,
    network: &str,
    url: &str,
    text: &str,
    ttl: Duration,
) -> QueryResult<()> {
    let now = Utc::now();
    let expires_at = now + ttl;
    let record = serde_json::json!({ "text": text });
    diesel::insert_into(scrape_cache::table)
        .values((
            scrape_cache::url.eq(url),
            scrape_cache::network.eq(network),
            scrape_cache::record.eq(&record),
            scrape_cache::fetched_at.eq(now),
            scrape_cache::expires_at.eq(expires_at),
        ))
        .on_conflict(scrape_cache::url)
        .do_update()
        .set((
            scrape_cache::network.eq(network),
            scrape_cache::record.eq(&record),
            scrape_cache::error.eq(None::<String>),
            scrape_cache::fetched_at.eq(now),
            scrape_cache::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
