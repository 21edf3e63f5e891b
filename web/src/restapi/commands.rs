//! What the HTTP layer asks of the restapi service: start a search, take an answer, delete a
//! chat. Each runs in one transaction that also writes the resulting events to the outbox.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_actors::broker::outbox;
use present_finder_actors::events::{
    ChatDataErasedEvent, ChatStartInterviewEvent, ChatUserAnsweredEvent, Envelope, ErasureReason,
    GiftRefinementRequestedEvent, JudgedProduct, StalkingAnalyzeRequestedEvent,
};
use present_finder_actors::services::{ServiceContext, erasure};
use present_finder_actors::vocabulary::{Locale, Occasion, PriceRange, RecipientProfile};
use present_finder_schema::tables::restapi::{
    chats, favorites, feedback, listings, messages, user_profiles, users,
};
use uuid::Uuid;

use super::queries;
use super::ui::{self, ChatbotMessage, Sender, UiUpdate};

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("a chat with id {0} already exists")]
    DuplicateChat(Uuid),
    #[error("chat {0} not found")]
    ChatNotFound(Uuid),
    #[error("saved profile {0} not found")]
    ProfileNotFound(Uuid),
    #[error("no question is waiting for an answer in chat {0}")]
    NoPendingQuestion(Uuid),
    #[error("listing {0} is not one of the chat's results")]
    ListingNotFound(Uuid),
    /// Refinement needs results, and one round at a time.
    #[error("chat {chat_id} has no results to refine (it is {status})")]
    NotRefinable { chat_id: Uuid, status: String },
    /// The stored profile does not read back (a bug, or a hand edit).
    #[error("saved profile {profile_id} cannot be read: {problem}")]
    UnreadableProfile { profile_id: Uuid, problem: String },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Pool(#[from] present_finder_schema::PoolError),
}

/// A new gift search, as validated by the HTTP layer.
#[derive(Debug, Clone)]
pub struct StartSearch {
    pub chat_id: Uuid,
    pub occasion: Occasion,
    pub locale: Locale,
    pub instagram_url: Option<String>,
    pub tiktok_url: Option<String>,
    pub x_url: Option<String>,
    pub price_range: PriceRange,
    pub profile_id: Option<Uuid>,
}

/// Creates the chat and, through the outbox, starts profile analysis and the interview.
pub async fn start_search(
    ctx: &ServiceContext,
    user_id: Uuid,
    request: StartSearch,
) -> Result<(), CommandError> {
    let mut conn = ctx.pool.get().await?;
    conn.transaction(async |conn| {
        // A chat id is used once: the services ignore every event of a deleted chat's id.
        if erasure::is_erased(conn, request.chat_id).await? {
            return Err(CommandError::DuplicateChat(request.chat_id));
        }
        let saved = match request.profile_id {
            Some(profile_id) => Some(saved_profile(conn, user_id, profile_id).await?),
            None => None,
        };
        let inserted = diesel::insert_into(chats::table)
            .values((
                chats::chat_id.eq(request.chat_id),
                chats::user_id.eq(user_id),
                chats::chat_name.eq(chat_name(request.occasion, request.locale)),
                chats::occasion.eq(request.occasion.as_str()),
                chats::locale.eq(request.locale.as_str()),
                chats::profile_id.eq(request.profile_id),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 0 {
            return Err(CommandError::DuplicateChat(request.chat_id));
        }
        let analyze = StalkingAnalyzeRequestedEvent {
            instagram_url: request.instagram_url.clone(),
            tiktok_url: request.tiktok_url.clone(),
            x_url: request.x_url.clone(),
            price_range: request.price_range,
            locale: request.locale,
        };
        let (saved_profile, save_profile_name, saved_key_themes) = match saved {
            Some((name, profile, themes)) => (Some(profile), Some(name), themes),
            None => (None, None, Vec::new()),
        };
        let interview = ChatStartInterviewEvent {
            occasion: request.occasion,
            locale: request.locale,
            saved_profile,
            save_profile_name,
            saved_key_themes,
            price_range: request.price_range,
        };
        let events = vec![
            Envelope::new(request.chat_id, &analyze),
            Envelope::new(request.chat_id, &interview),
        ];
        outbox::enqueue(conn, &events).await?;
        Ok::<_, CommandError>(events)
    })
    .await
    .map(|events| ctx.published(events))
}

/// Takes the user's answer: stores it, echoes it to the browser and hands it to the
/// interview. Returns the answer's message id.
pub async fn answer(
    ctx: &ServiceContext,
    user_id: Uuid,
    chat_id: Uuid,
    content: &str,
) -> Result<Uuid, CommandError> {
    let mut conn = ctx.pool.get().await?;
    let (message_id, events) = conn
        .transaction(async |conn| {
            let chat: Option<String> = chats::table
                .filter(chats::chat_id.eq(chat_id))
                .filter(chats::user_id.eq(user_id))
                .select(chats::status)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let Some(status) = chat else {
                return Err(CommandError::ChatNotFound(chat_id));
            };
            let last_role: Option<String> = messages::table
                .filter(messages::chat_id.eq(chat_id))
                .order(messages::created_at.desc())
                .select(messages::role)
                .first(conn)
                .await
                .optional()?;
            if status != "interview" || last_role.as_deref() != Some("assistant") {
                return Err(CommandError::NoPendingQuestion(chat_id));
            }
            let message_id = Uuid::now_v7();
            diesel::insert_into(messages::table)
                .values((
                    messages::id.eq(message_id),
                    messages::chat_id.eq(chat_id),
                    messages::role.eq("user"),
                    messages::content.eq(content),
                ))
                .execute(conn)
                .await?;
            let echo = UiUpdate::ChatbotMessage {
                message: ChatbotMessage {
                    id: message_id,
                    content: content.to_owned(),
                    sender: Sender::User,
                    potential_answers: None,
                },
            };
            let mut events: Vec<Envelope> = ui::record(conn, chat_id, ui::UI_UPDATE, &echo)
                .await?
                .into_iter()
                .collect();
            events.push(Envelope::new(
                chat_id,
                &ChatUserAnsweredEvent {
                    message_id,
                    content: content.to_owned(),
                },
            ));
            outbox::enqueue(conn, &events).await?;
            Ok::<_, CommandError>((message_id, events))
        })
        .await?;
    ctx.published(events);
    Ok(message_id)
}

/// Deletes a chat of the user with everything restapi keeps of it (see
/// [`queries::chats::delete`]) and, in the same transaction, asks every service through the
/// outbox to erase what it keeps of it. `false` when there is no such chat.
pub async fn delete_chat(
    ctx: &ServiceContext,
    user_id: Uuid,
    chat_id: Uuid,
) -> Result<bool, CommandError> {
    let mut conn = ctx.pool.get().await?;
    let erasures = conn
        .transaction(async |conn| {
            if !queries::chats::delete(conn, user_id, chat_id).await? {
                return Ok::<_, CommandError>(None);
            }
            Ok(Some(
                erase_chats(conn, &[chat_id], ErasureReason::ChatDeleted).await?,
            ))
        })
        .await?;
    let deleted = erasures.is_some();
    ctx.published(erasures.unwrap_or_default());
    Ok(deleted)
}

/// For chats whose restapi rows are deleted in the current transaction: writes one
/// `ChatDataErasedEvent` per chat to the outbox, so that every other service erases what it
/// keeps of them, and records their tombstones, so that their ids never start a chat again.
/// Hand the returned events to [`ServiceContext::published`] once committed.
pub async fn erase_chats(
    conn: &mut AsyncPgConnection,
    chat_ids: &[Uuid],
    reason: ErasureReason,
) -> QueryResult<Vec<Envelope>> {
    erasure::remember(conn, chat_ids).await?;
    let events: Vec<Envelope> = chat_ids
        .iter()
        .map(|chat_id| Envelope::new(*chat_id, &ChatDataErasedEvent { reason }))
        .collect();
    outbox::enqueue(conn, &events).await?;
    Ok(events)
}

/// A new guest account (no e-mail, no name, no Google identity: the client names a guest in
/// its own language).
/// "More like this" (`more`) and "not this" (`less`) on listings of one chat's results.
#[derive(Debug, Clone)]
pub struct Refine {
    pub chat_id: Uuid,
    pub more: Vec<Uuid>,
    pub less: Vec<Uuid>,
}

/// What a refinement round starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefinementStarted {
    pub likes: usize,
    pub dislikes: usize,
    /// Favourites and well-rated results of earlier searches for the same saved recipient.
    pub earlier_likes: usize,
}

/// Earlier searches' results counted as likes at most.
const EARLIER_LIKES: i64 = 10;
/// A rating from which an earlier search's best results count as likes (of 1–5).
const GOOD_RATING: i16 = 4;
/// How many of a well-rated earlier search's best results count as likes.
const RATED_BEST: i64 = 3;

/// Starts a refinement round: sets the chat searching again and, through the outbox, asks the
/// saga for one more wave with the judged listings, plus the likes of earlier searches for the
/// same saved recipient.
pub async fn refine(
    ctx: &ServiceContext,
    user_id: Uuid,
    request: Refine,
) -> Result<RefinementStarted, CommandError> {
    let mut conn = ctx.pool.get().await?;
    let chat_id = request.chat_id;
    conn.transaction(async |conn| {
        let chat: Option<(String, Option<Uuid>)> = chats::table
            .find(chat_id)
            .filter(chats::user_id.eq(user_id))
            .select((chats::status, chats::profile_id))
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let Some((status, profile_id)) = chat else {
            return Err(CommandError::ChatNotFound(chat_id));
        };
        if status != "ready" {
            return Err(CommandError::NotRefinable { chat_id, status });
        }
        let likes = judged(conn, chat_id, &request.more).await?;
        let dislikes = judged(conn, chat_id, &request.less).await?;
        let earlier = earlier_likes(conn, user_id, chat_id, profile_id).await?;
        let started = RefinementStarted {
            likes: likes.len() + earlier.len(),
            dislikes: dislikes.len(),
            earlier_likes: earlier.len(),
        };
        diesel::update(chats::table.find(chat_id))
            .set((
                chats::status.eq("searching"),
                chats::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        let event = GiftRefinementRequestedEvent {
            likes: likes.into_iter().chain(earlier).collect(),
            dislikes,
        };
        let events = vec![Envelope::new(chat_id, &event)];
        outbox::enqueue(conn, &events).await?;
        Ok::<_, CommandError>((started, events))
    })
    .await
    .map(|(started, events)| {
        ctx.published(events);
        started
    })
}

/// The listings `ids` of the chat, as judged products, in the order given.
async fn judged(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<JudgedProduct>, CommandError> {
    let found: Vec<(Uuid, String)> = listings::table
        .filter(listings::chat_id.eq(chat_id))
        .filter(listings::id.eq_any(ids))
        .select((listings::id, listings::title))
        .load(conn)
        .await?;
    ids.iter()
        .map(|id| {
            found
                .iter()
                .find(|(found_id, _)| found_id == id)
                .map(|(_, title)| JudgedProduct {
                    title: title.clone(),
                })
                .ok_or(CommandError::ListingNotFound(*id))
        })
        .collect()
}

/// The user's favourites among the results of their earlier searches for the same saved
/// recipient (those that saved the profile and those started from it), then the best results
/// of those they rated well; newest first, at most [`EARLIER_LIKES`].
async fn earlier_likes(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
    profile_id: Option<Uuid>,
) -> Result<Vec<JudgedProduct>, CommandError> {
    let saved_by_this_chat: Option<Uuid> = user_profiles::table
        .filter(user_profiles::chat_id.eq(chat_id))
        .select(user_profiles::id)
        .first(conn)
        .await
        .optional()?;
    let Some(profile_id) = profile_id.or(saved_by_this_chat) else {
        return Ok(Vec::new());
    };
    let saving_chat: Option<Uuid> = user_profiles::table
        .find(profile_id)
        .filter(user_profiles::user_id.eq(user_id))
        .select(user_profiles::chat_id)
        .first::<Option<Uuid>>(conn)
        .await
        .optional()?
        .flatten();
    let earlier: Vec<Uuid> = chats::table
        .filter(chats::user_id.eq(user_id))
        .filter(chats::chat_id.ne(chat_id))
        .filter(
            chats::profile_id
                .eq(profile_id)
                .or(chats::chat_id.nullable().eq(saving_chat)),
        )
        .select(chats::chat_id)
        .load(conn)
        .await?;
    if earlier.is_empty() {
        return Ok(Vec::new());
    }
    let mut likes: Vec<String> = listings::table
        .inner_join(favorites::table)
        .filter(favorites::user_id.eq(user_id))
        .filter(listings::chat_id.eq_any(&earlier))
        .order(favorites::created_at.desc())
        .limit(EARLIER_LIKES)
        .select(listings::title)
        .load(conn)
        .await?;
    let well_rated: Vec<Uuid> = feedback::table
        .filter(feedback::user_id.eq(user_id))
        .filter(feedback::chat_id.eq_any(&earlier))
        .filter(feedback::rating.ge(GOOD_RATING))
        .select(feedback::chat_id)
        .load(conn)
        .await?;
    for rated in well_rated {
        let best: Vec<String> = listings::table
            .filter(listings::chat_id.eq(rated))
            .order(listings::rank.asc())
            .limit(RATED_BEST)
            .select(listings::title)
            .load(conn)
            .await?;
        likes.extend(best);
    }
    let mut unique: Vec<JudgedProduct> = Vec::new();
    for title in likes {
        if !unique.iter().any(|p| p.title == title) {
            unique.push(JudgedProduct { title });
        }
    }
    unique.truncate(usize::try_from(EARLIER_LIKES).unwrap_or(usize::MAX));
    Ok(unique)
}

pub async fn create_guest(conn: &mut AsyncPgConnection) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(users::table)
        .values((users::id.eq(id), users::is_guest.eq(true)))
        .execute(conn)
        .await?;
    Ok(id)
}

async fn saved_profile(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    profile_id: Uuid,
) -> Result<(String, RecipientProfile, Vec<String>), CommandError> {
    let row: Option<(String, serde_json::Value, serde_json::Value)> = user_profiles::table
        .filter(user_profiles::id.eq(profile_id))
        .filter(user_profiles::user_id.eq(user_id))
        .select((
            user_profiles::person_name,
            user_profiles::profile,
            user_profiles::key_themes,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((name, profile, themes)) = row else {
        return Err(CommandError::ProfileNotFound(profile_id));
    };
    let unreadable = |problem: String| CommandError::UnreadableProfile {
        profile_id,
        problem,
    };
    let profile =
        serde_json::from_value(profile).map_err(|e| unreadable(format!("profile: {e}")))?;
    let themes =
        serde_json::from_value(themes).map_err(|e| unreadable(format!("key themes: {e}")))?;
    Ok((name, profile, themes))
}

fn chat_name(occasion: Occasion, locale: Locale) -> String {
    let date = Utc::now().format("%d.%m.%Y");
    let label = match (occasion, locale) {
        (Occasion::Birthday, Locale::Pl) => "Prezent urodzinowy",
        (Occasion::NameDay, Locale::Pl) => "Prezent na imieniny",
        (Occasion::Anniversary, Locale::Pl) => "Prezent na rocznicę",
        (Occasion::Holiday, Locale::Pl) => "Prezent na święta",
        (Occasion::Valentines, Locale::Pl) => "Prezent walentynkowy",
        (Occasion::JustBecause, Locale::Pl) => "Prezent bez okazji",
        (Occasion::Birthday, Locale::En) => "Birthday gift",
        (Occasion::NameDay, Locale::En) => "Name-day gift",
        (Occasion::Anniversary, Locale::En) => "Anniversary gift",
        (Occasion::Holiday, Locale::En) => "Holiday gift",
        (Occasion::Valentines, Locale::En) => "Valentine's gift",
        (Occasion::JustBecause, Locale::En) => "Just-because gift",
    };
    format!("{label} {date}")
}
