//! The user's chats: history, one chat, rename, delete, and a chat's gifts.

use actix_web::{HttpResponse, delete, get, patch, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{MAX_NAME, check_present, check_text, required, schema};
use crate::http::auth::AuthUser;
use crate::http::validation::{Problems, ValidJson, Validate, uuid_param};
use crate::http::{ApiError, AppState};
use crate::restapi::commands;
use crate::restapi::listing::Listing;
use crate::restapi::queries::chats::{self, ChatHead, ChatSummary};
use crate::restapi::queries::listings;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(get_one)
        .service(rename)
        .service(remove)
        .service(gifts);
}

#[derive(Serialize, ToSchema)]
pub struct ChatList {
    chats: Vec<ChatSummary>,
}

/// The user's chats, newest first.
#[utoipa::path(
    tag = "chats",
    responses(
        (status = 200, description = "The user's chats", body = ChatList),
        (status = 401, description = "Not logged in"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/chats")]
async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<ChatList>, ApiError> {
    let mut conn = state.db().await?;
    let chats = chats::list(&mut conn, user.id).await?;
    Ok(web::Json(ChatList { chats }))
}

/// One chat of the user, with the id of its latest event to stream from.
#[utoipa::path(
    tag = "chats",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    responses(
        (status = 200, description = "The chat", body = ChatSummary),
        (status = 400, description = "chatId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/chats/{chatId}")]
async fn get_one(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
) -> Result<web::Json<ChatSummary>, ApiError> {
    let chat_id = uuid_param("chatId", &chat_id)?;
    let mut conn = state.db().await?;
    let chat = chats::get(&mut conn, user.id, chat_id).await?;
    chat.map(web::Json).ok_or_else(ApiError::chat_not_found)
}

/// A new name for a chat.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rename {
    /// 1–100 characters.
    #[schema(value_type = String)]
    chat_name: Option<String>,
}

impl Validate for Rename {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        check_present(&mut problems, self.chat_name.as_ref(), "chatName");
        if let Some(name) = &self.chat_name {
            check_text(&mut problems, "chatName", name, 1, MAX_NAME);
        }
        problems.finish()
    }
}

/// Renames a chat.
#[utoipa::path(
    tag = "chats",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    request_body = Rename,
    responses(
        (status = 200, description = "The renamed chat", body = ChatSummary),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[patch("/chats/{chatId}")]
async fn rename(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
    body: ValidJson<Rename>,
) -> Result<web::Json<ChatSummary>, ApiError> {
    let chat_id = uuid_param("chatId", &chat_id)?;
    let name = required(body.0.chat_name, "chatName")?;
    let mut conn = state.db().await?;
    if !chats::rename(&mut conn, user.id, chat_id, name.trim()).await? {
        return Err(ApiError::chat_not_found());
    }
    let chat = chats::get(&mut conn, user.id, chat_id).await?;
    chat.map(web::Json).ok_or_else(ApiError::chat_not_found)
}

/// Deletes a chat with its messages, gifts (and their favourites), events and feedback; every
/// other service erases what it keeps of the chat (interview, profile analysis, search).
#[utoipa::path(
    tag = "chats",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "chatId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[delete("/chats/{chatId}")]
async fn remove(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let chat_id = uuid_param("chatId", &chat_id)?;
    let deleted = commands::delete_chat(state.restapi()?, user.id, chat_id)
        .await
        .map_err(ApiError::from)?;
    if !deleted {
        return Err(ApiError::chat_not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatGifts {
    chat: ChatHead,
    /// Best first (rank 1, 2, …).
    #[schema(value_type = Vec<schema::Listing>)]
    listings: Vec<Listing>,
    /// The id of the chat's latest SSE event (0 before the first): stream from it
    /// (`GET /sse?clientId=…&lastEventId=…`) to follow the chat from this state on.
    last_event_id: i64,
}

/// The gifts of a chat, in rank order, with score, reasoning and `isFavorited`, and the id of
/// its latest event to stream from.
#[utoipa::path(
    tag = "chats",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    responses(
        (status = 200, description = "The chat and its gifts", body = ChatGifts),
        (status = 400, description = "chatId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/chats/{chatId}/listings")]
async fn gifts(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
) -> Result<web::Json<ChatGifts>, ApiError> {
    let chat_id = uuid_param("chatId", &chat_id)?;
    let mut conn = state.db().await?;
    let found = listings::chat_with_listings(&mut conn, user.id, chat_id).await?;
    let page = found.ok_or_else(ApiError::chat_not_found)?;
    Ok(web::Json(ChatGifts {
        chat: page.chat,
        listings: page.listings,
        last_event_id: page.last_event_id,
    }))
}
