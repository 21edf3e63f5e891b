//! The inbox: makes at-least-once delivery effectively once. A consumer claims the event id
//! in its own database, in the same transaction as the state change; a redelivered event finds
//! its claim and is acknowledged without effect.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::messaging::inbox;

use crate::events::Envelope;

/// Records that `consumer` handles `envelope`. `false` when it already did.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    consumer: &str,
    envelope: &Envelope,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(inbox::table)
        .values((
            inbox::event_id.eq(envelope.id),
            inbox::consumer.eq(consumer),
            inbox::event_type.eq(&envelope.event_type),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}
