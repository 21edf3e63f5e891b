use std::sync::Arc;

use actix::prelude::*;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_actors::broker::{BrokerError, Deliver, HandlerError};
use present_finder_actors::events::{
    ChatInappropriateRequestEvent, ChatInterviewCompletedEvent, ChatQuestionAskedEvent, Envelope,
    GiftReadyEvent, GiftSessionFailedEvent, GiftSessionProgressEvent, LlmUsageRecordedEvent,
};
use present_finder_actors::llm::SessionUsage;
use present_finder_actors::services::ServiceContext;
use present_finder_schema::tables::restapi::{chats, favorites, listings, messages, user_profiles};
use uuid::Uuid;

use super::listing::ListingWithId;
use super::queries;
use super::ui::{self, ChatbotMessage, Progress, Sender, SessionError, UiUpdate};

/// The restapi service's supervisor actor: persists what the pipeline tells the user.
pub struct RestapiService {
    ctx: ServiceContext,
}

impl Actor for RestapiService {
    type Context = Context<Self>;
}

impl Supervised for RestapiService {}

pub async fn start(ctx: ServiceContext) -> Result<Addr<RestapiService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let events = service.consumed_events(&ctx.settings.marketplaces);
    let addr = Supervisor::start(move |_| RestapiService { ctx });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for RestapiService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            let cause = envelope.clone();
            let update = Update::decode(&envelope)?;
            ctx.once(&envelope, move |conn| {
                Box::pin(async move { update.apply(conn, &cause).await })
            })
            .await
        })
    }
}

/// One pipeline event, decoded.
enum Update {
    Question(ChatQuestionAskedEvent),
    InterviewCompleted(ChatInterviewCompletedEvent),
    Inappropriate(ChatInappropriateRequestEvent),
    Ready(GiftReadyEvent),
    Progress(GiftSessionProgressEvent),
    Failed(GiftSessionFailedEvent),
    LlmUsage(LlmUsageRecordedEvent),
}

impl Update {
    fn decode(envelope: &Envelope) -> Result<Self, HandlerError> {
        Ok(if envelope.is::<ChatQuestionAskedEvent>() {
            Update::Question(envelope.decode()?)
        } else if envelope.is::<ChatInterviewCompletedEvent>() {
            Update::InterviewCompleted(envelope.decode()?)
        } else if envelope.is::<ChatInappropriateRequestEvent>() {
            Update::Inappropriate(envelope.decode()?)
        } else if envelope.is::<GiftReadyEvent>() {
            Update::Ready(envelope.decode()?)
        } else if envelope.is::<GiftSessionProgressEvent>() {
            Update::Progress(envelope.decode()?)
        } else if envelope.is::<GiftSessionFailedEvent>() {
            Update::Failed(envelope.decode()?)
        } else if envelope.is::<LlmUsageRecordedEvent>() {
            Update::LlmUsage(envelope.decode()?)
        } else {
            return Err(HandlerError::Permanent(anyhow::anyhow!(
                "unexpected {} event",
                envelope.event_type
            )));
        })
    }

    /// Persists the update and records its ui event. Events of chats that no longer exist
    /// (deleted by their owner) are acknowledged without effect.
    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        cause: &Arc<Envelope>,
    ) -> Result<Vec<Envelope>, HandlerError> {
        let chat_id = cause.chat_id;
        if let Update::Progress(event) = self {
            // The most frequent update: one conditional statement, no lock taken first.
            let progress = Progress::new(event.stage, event.done, event.total, event.message);
            let recorded = ui::record_progress(conn, chat_id, &progress).await?;
            return Ok(recorded.into_iter().collect());
        }
        let Some(chat) = lock_chat(conn, chat_id).await? else {
            return Ok(Vec::new());
        };
        let recorded = match self {
            Update::Question(event) => {
                let message = ChatbotMessage {
                    id: event.message_id,
                    content: event.question,
                    sender: Sender::Assistant,
                    potential_answers: Some(event.potential_answers),
                };
                insert_message(conn, chat_id, &message).await?;
                ui::record(
                    conn,
                    chat_id,
                    ui::UI_UPDATE,
                    &UiUpdate::ChatbotMessage { message },
                )
                .await?
            }
            Update::InterviewCompleted(event) => {
                set_status(conn, chat_id, Some("searching"), true).await?;
                if let (true, Some(name)) = (event.save_profile, event.profile_name.as_deref()) {
                    save_profile(conn, chat.user_id, chat_id, name, &event).await?;
                }
                ui::record(
                    conn,
                    chat_id,
                    ui::UI_UPDATE,
                    &UiUpdate::ChatInterviewCompleted,
                )
                .await?
            }
            Update::Inappropriate(event) => {
                set_status(conn, chat_id, Some("failed"), false).await?;
                let update = UiUpdate::ChatInappropriateRequest {
                    reason: event.reason,
                };
                ui::record(conn, chat_id, ui::UI_UPDATE, &update).await?
            }
            Update::Ready(event) => {
                if chat.status == "ready" {
                    // A second result never duplicates listings.
                    return Ok(Vec::new());
                }
                // After results, only a refinement round (which sets the chat searching
                // again) brings another result; it is merged into the listings shown.
                let data = store_listings(conn, &chat, chat_id, &event).await?;
                let update = UiUpdate::GiftReady {
                    data,
                    partial: event.partial,
                    reason: event.reason,
                };
                ui::record(conn, chat_id, ui::UI_UPDATE, &update).await?
            }
            // Recorded above.
            Update::Progress(_) => None,
            Update::Failed(event) => {
                if chat.status == "ready" {
                    return Ok(Vec::new());
                }
                // A refinement round that fails leaves the results it started from.
                let status = if chat.gift_count > 0 {
                    "ready"
                } else {
                    "failed"
                };
                set_status(conn, chat_id, Some(status), false).await?;
                let error = SessionError {
                    stage: event.stage,
                    reason: event.reason,
                    retryable: event.retryable,
                };
                ui::record(conn, chat_id, ui::SESSION_ERROR, &error).await?
            }
            Update::LlmUsage(event) => {
                let mut usage = chat.llm_usage().unwrap_or_default();
                usage.add(event.step, &event.usage);
                let mut summary = chat
                    .reasoning_summary
                    .filter(serde_json::Value::is_object)
                    .unwrap_or_else(|| serde_json::json!({}));
                summary["llmUsage"] = present_finder_schema::json::to_column(&usage)?;
                diesel::update(chats::table.find(chat_id))
                    .set(chats::reasoning_summary.eq(summary))
                    .execute(conn)
                    .await?;
                None
            }
        };
        Ok(recorded.into_iter().collect())
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = chats)]
struct ChatHead {
    user_id: Uuid,
    status: String,
    gift_count: i32,
    reasoning_summary: Option<serde_json::Value>,
}

impl ChatHead {
    /// What the session's LLM calls cost so far (the summary's `llmUsage`).
    fn llm_usage(&self) -> Option<SessionUsage> {
        let usage = self.reasoning_summary.as_ref()?.get("llmUsage")?;
        serde_json::from_value(usage.clone()).ok()
    }
}

async fn lock_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<Option<ChatHead>> {
    chats::table
        .find(chat_id)
        .select(ChatHead::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

async fn set_status(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    status: Option<&str>,
    interview_completed: bool,
) -> QueryResult<()> {
    let now = Utc::now();
    if let Some(status) = status {
        diesel::update(chats::table.find(chat_id))
            .set((chats::status.eq(status), chats::updated_at.eq(now)))
            .execute(conn)
            .await?;
    }
    if interview_completed {
        diesel::update(chats::table.find(chat_id))
            .set(chats::is_interview_completed.eq(true))
            .execute(conn)
            .await?;
    }
    Ok(())
}

async fn insert_message(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    message: &ChatbotMessage,
) -> QueryResult<()> {
    diesel::insert_into(messages::table)
        .values((
            messages::id.eq(message.id),
            messages::chat_id.eq(chat_id),
            messages::role.eq("assistant"),
            messages::content.eq(&message.content),
            messages::proposed_answers.eq(message
                .potential_answers
                .as_ref()
                .map(present_finder_schema::json::to_column)
                .transpose()?),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// Saves (or updates) the recipient profile under the name the giver chose.
async fn save_profile(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
    person_name: &str,
    event: &ChatInterviewCompletedEvent,
) -> Result<(), HandlerError> {
    let profile =
        serde_json::to_value(&event.profile).map_err(|e| HandlerError::Permanent(e.into()))?;
    let key_themes = serde_json::json!(event.key_themes);
    let now = Utc::now();
    let profile_id: Uuid = diesel::insert_into(user_profiles::table)
        .values((
            user_profiles::id.eq(Uuid::now_v7()),
            user_profiles::user_id.eq(user_id),
            user_profiles::chat_id.eq(chat_id),
            user_profiles::person_name.eq(person_name),
            user_profiles::profile.eq(&profile),
            user_profiles::key_themes.eq(&key_themes),
        ))
        .on_conflict((user_profiles::user_id, user_profiles::person_name))
        .do_update()
        .set((
            user_profiles::chat_id.eq(chat_id),
            user_profiles::profile.eq(&profile),
            user_profiles::key_themes.eq(&key_themes),
            user_profiles::updated_at.eq(now),
        ))
        .returning(user_profiles::id)
        .get_result(conn)
        .await?;
    // The chat is one of the profile's searches, as those started from it are.
    diesel::update(chats::table.find(chat_id))
        .set(chats::profile_id.eq(profile_id))
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the gifts in rank order, with the reasoning summary and their number. A listing
/// already shown (the result of a refinement round holds the earlier finds too) keeps its id,
/// so favourites stay, and takes its new rank; one the new result leaves out goes, unless the
/// user favourited it (it then follows the result). Returns every listing of the chat.
async fn store_listings(
    conn: &mut AsyncPgConnection,
    chat: &ChatHead,
    chat_id: Uuid,
    event: &GiftReadyEvent,
) -> Result<Vec<ListingWithId>, HandlerError> {
    // Ranks are unique per chat: the listings shown so far step aside (negative ranks)
    // before they are given new ones.
    let shown: Vec<(Uuid, String)> =
        diesel::update(listings::table.filter(listings::chat_id.eq(chat_id)))
            .set(listings::rank.eq(listings::rank * -1))
            .returning((listings::id, listings::link))
            .get_results(conn)
            .await?;
    let mut kept: Vec<Uuid> = Vec::new();
    let mut rows = Vec::new();
    for (index, gift) in event.gifts.iter().enumerate() {
        let rank = i32::try_from(index + 1).unwrap_or(i32::MAX);
        let product = &gift.product;
        let earlier = shown
            .iter()
            .find(|(id, link)| *link == product.link && !kept.contains(id));
        if let Some((id, _)) = earlier {
            diesel::update(listings::table.find(id))
                .set((
                    listings::rank.eq(rank),
                    listings::score.eq(gift.score),
                    listings::reasoning.eq(gift.reasoning.clone()),
                ))
                .execute(conn)
                .await?;
            kept.push(*id);
            continue;
        }
        let details = if product.details.is_empty() {
            None
        } else {
            Some(present_finder_schema::json::to_column(&product.details)?)
        };
        rows.push((
            listings::id.eq(Uuid::now_v7()),
            listings::chat_id.eq(chat_id),
            listings::rank.eq(rank),
            listings::image.eq(product.image.clone()),
            listings::title.eq(product.title.clone()),
            listings::description.eq(product.description.clone()),
            listings::link.eq(product.link.clone()),
            listings::price_value.eq(product.price.value),
            listings::price_label.eq(product.price.label.clone()),
            listings::price_currency.eq(product.price.currency.clone()),
            listings::price_negotiable.eq(product.price.negotiable),
            listings::category.eq(product.category.clone()),
            listings::provider.eq(product.provider.as_str()),
            listings::score.eq(gift.score),
            listings::reasoning.eq(gift.reasoning.clone()),
            listings::details.eq(details),
        ));
    }
    let left_out: Vec<Uuid> = shown
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !kept.contains(id))
        .collect();
    let mut count = event.gifts.len();
    if !left_out.is_empty() {
        let favourited: Vec<Uuid> = favorites::table
            .filter(favorites::listing_id.eq_any(&left_out))
            .select(favorites::listing_id)
            .distinct()
            .order(favorites::listing_id)
            .load(conn)
            .await?;
        diesel::delete(
            listings::table
                .filter(listings::id.eq_any(&left_out))
                .filter(listings::id.ne_all(&favourited)),
        )
        .execute(conn)
        .await?;
        for id in &favourited {
            count += 1;
            diesel::update(listings::table.find(id))
                .set(listings::rank.eq(i32::try_from(count).unwrap_or(i32::MAX)))
                .execute(conn)
                .await?;
        }
    }
    if !rows.is_empty() {
        diesel::insert_into(listings::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    let mut summary = serde_json::json!({
        "recipientProfile": event.profile_summary.recipient_profile,
        "keyThemesAndKeywords": event.profile_summary.key_themes_and_keywords,
    });
    // Recorded by the steps before the result (and after it, by the usage events).
    if let Some(usage) = chat.llm_usage() {
        summary["llmUsage"] = present_finder_schema::json::to_column(&usage)?;
    }
    diesel::update(chats::table.find(chat_id))
        .set((
            chats::status.eq("ready"),
            chats::reasoning_summary.eq(summary),
            chats::is_interview_completed.eq(true),
            chats::gift_count.eq(i32::try_from(count).unwrap_or(i32::MAX)),
            chats::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    let data = queries::listings::of_chat(conn, chat.user_id, chat_id)
        .await?
        .into_iter()
        .map(|listing| ListingWithId {
            listing_id: listing.id,
            listing,
        })
        .collect();
    Ok(data)
}
