use std::sync::Arc;

use actix::Addr;
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::future::BoxFuture;
use present_finder_schema::DbPool;
use uuid::Uuid;

use super::{ServiceName, Settings, erasure};
use crate::broker::outbox::{self, Committed, OutboxRelay};
use crate::broker::{BrokerHandle, HandlerError, inbox};
use crate::events::{ChatDataErasedEvent, Envelope};

/// What every service actor owns: its database pool, the relay of that database's outbox,
/// the Broker and the pipeline settings.
#[derive(Clone)]
pub struct ServiceContext {
    pub service: ServiceName,
    pub pool: DbPool,
    pub broker: BrokerHandle,
    pub relay: Addr<OutboxRelay>,
    pub settings: Arc<Settings>,
    /// The process's background work and its stop.
    pub lifecycle: Arc<super::Lifecycle>,
    /// Where the service's handlers queue, per wave or chat, before they take a
    /// connection to wait on that key's database lock.
    pub turns: Arc<super::Turns>,
}

impl ServiceContext {
    /// Handles `envelope` exactly once: in one transaction, claims it in the inbox, runs
    /// `work` and writes the events `work` returns to the outbox. A redelivered envelope is
    /// acknowledged without running `work`. The relay is woken after the commit.
    ///
    /// In a service that keeps chat data, an event of an erased chat is acknowledged without
    /// running `work` either (see [`erasure`]): a search in flight when its chat was erased
    /// stops quietly and recreates nothing.
    ///
    /// `work` gets the transaction's connection and must own what it uses (move it in).
    pub async fn once<F>(&self, envelope: &Envelope, work: F) -> Result<(), HandlerError>
    where
        F: for<'c> FnOnce(
                &'c mut AsyncPgConnection,
            ) -> BoxFuture<'c, Result<Vec<Envelope>, HandlerError>>
            + Send,
    {
        let mut conn = self.pool.get().await?;
        let consumer = self.service.as_str();
        // The erasure itself takes the chat's lock exclusively (`erasure::record`).
        let guarded = self.service.keeps_chat_data() && !envelope.is::<ChatDataErasedEvent>();
        let produced = conn
            .transaction(async move |conn| {
                if !inbox::claim(conn, consumer, envelope).await? {
                    return Ok(Vec::new());
                }
                if guarded && erasure::guard(conn, envelope.chat_id).await? {
                    log::debug!(
                        "{consumer} ignores {} {} of erased chat {}",
                        envelope.event_type,
                        envelope.id,
                        envelope.chat_id
                    );
                    return Ok(Vec::new());
                }
                let outgoing = work(conn).await?;
                outbox::enqueue(conn, &outgoing).await?;
                Ok::<_, HandlerError>(outgoing)
            })
            .await?;
        self.published(produced);
        Ok(())
    }

    /// Handles a `ChatDataErasedEvent` exactly once: in one transaction, records the chat's
    /// tombstone (after the chat's handlers in flight committed) and runs `delete`, the
    /// service's deletion of every row it keeps of the chat (returning how many went).
    pub async fn erase<F>(&self, envelope: &Envelope, delete: F) -> Result<(), HandlerError>
    where
        F: for<'c> FnOnce(&'c mut AsyncPgConnection, Uuid) -> BoxFuture<'c, QueryResult<usize>>
            + Send
            + 'static,
    {
        let event: ChatDataErasedEvent = envelope.decode()?;
        let chat_id = envelope.chat_id;
        let service = self.service;
        self.once(envelope, move |conn| {
            Box::pin(async move {
                erasure::record(conn, chat_id).await?;
                let rows = delete(conn, chat_id).await?;
                log::info!(
                    "{service} erased chat {chat_id} ({}): {rows} row(s)",
                    event.reason.as_str()
                );
                Ok(Vec::new())
            })
        })
        .await
    }

    /// Whether the chat was erased: a cheap early exit before expensive work done outside
    /// the handler's transaction (reading profiles, generating ideas). `false` for services
    /// that keep no chat data.
    pub async fn erased(&self, chat_id: Uuid) -> Result<bool, HandlerError> {
        if !self.service.keeps_chat_data() {
            return Ok(false);
        }
        let mut conn = self.pool.get().await?;
        Ok(erasure::is_erased(&mut conn, chat_id).await?)
    }

    /// One transaction about a chat, outside of any inbox claim: the second half of a handler
    /// whose event was claimed earlier, or a timer's work. Like [`once`](Self::once) it
    /// first takes the chat's erasure guard, so nothing is written for an erased chat (and an
    /// erasure waits for it); then runs `work` and writes the events it returns to the outbox.
    pub async fn for_chat<F>(&self, chat_id: Uuid, work: F) -> Result<(), HandlerError>
    where
        F: for<'c> FnOnce(
                &'c mut AsyncPgConnection,
            ) -> BoxFuture<'c, Result<Vec<Envelope>, HandlerError>>
            + Send,
    {
        let mut conn = self.pool.get().await?;
        let service = self.service;
        let guarded = service.keeps_chat_data();
        let produced = conn
            .transaction(async move |conn| {
                if guarded && erasure::guard(conn, chat_id).await? {
                    log::debug!("{service} leaves erased chat {chat_id} alone");
                    return Ok(Vec::new());
                }
                let outgoing = work(conn).await?;
                outbox::enqueue(conn, &outgoing).await?;
                Ok::<_, HandlerError>(outgoing)
            })
            .await?;
        self.published(produced);
        Ok(())
    }

    /// Writes events to the outbox outside of any consumed event (timers, HTTP requests).
    pub async fn emit<F>(&self, work: F) -> Result<(), HandlerError>
    where
        F: for<'c> FnOnce(
                &'c mut AsyncPgConnection,
            ) -> BoxFuture<'c, Result<Vec<Envelope>, HandlerError>>
            + Send,
    {
        let mut conn = self.pool.get().await?;
        let produced = conn
            .transaction(async move |conn| {
                let outgoing = work(conn).await?;
                outbox::enqueue(conn, &outgoing).await?;
                Ok::<_, HandlerError>(outgoing)
            })
            .await?;
        self.published(produced);
        Ok(())
    }

    /// Hands events just committed to the outbox to its relay, which publishes them at once.
    pub fn published(&self, committed: Vec<Envelope>) {
        if !committed.is_empty() {
            self.relay.do_send(Committed(committed));
        }
    }
}
