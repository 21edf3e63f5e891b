//! The transcript of a chat's interview.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::auth::AuthUser;
use crate::http::validation::uuid_param;
use crate::http::{ApiError, AppState};
use crate::restapi::queries::messages::{self, Message};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(of_chat);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageList {
    messages: Vec<Message>,
    /// The id of the chat's latest SSE event (0 before the first): stream from it
    /// (`GET /sse?clientId=…&lastEventId=…`) to get what follows, without gap or duplicate.
    last_event_id: i64,
}

/// The messages of a chat, oldest first (to restore the interview after a reload), and the
/// id of its latest event to stream from.
#[utoipa::path(
    tag = "chats",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    responses(
        (status = 200, description = "The transcript", body = MessageList),
        (status = 400, description = "chatId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/messages/chat/{chatId}")]
async fn of_chat(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
) -> Result<web::Json<MessageList>, ApiError> {
    let chat_id = uuid_param("chatId", &chat_id)?;
    let mut conn = state.db().await?;
    let transcript = messages::of_chat(&mut conn, user.id, chat_id)
        .await?
        .ok_or_else(ApiError::chat_not_found)?;
    Ok(web::Json(MessageList {
        messages: transcript.messages,
        last_event_id: transcript.last_event_id,
    }))
}
