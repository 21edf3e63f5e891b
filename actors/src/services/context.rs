use std::sync::Arc;

use actix::Addr;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::future::BoxFuture;
use present_finder_schema::DbPool;

use super::{ServiceName, Settings};
use crate::broker::outbox::{self, Committed, OutboxRelay};
use crate::broker::{BrokerHandle, HandlerError, inbox};
use crate::events::Envelope;

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
}

impl ServiceContext {
    /// Handles `envelope` exactly once: in one transaction, claims it in the inbox, runs
    /// `work` and writes the events `work` returns to the outbox. A redelivered envelope is
    /// acknowledged without running `work`. The relay is woken after the commit.
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
        let produced = conn
            .transaction(async move |conn| {
                if !inbox::claim(conn, consumer, envelope).await? {
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
