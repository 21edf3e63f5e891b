//! Feedback on a gift search: one per chat from its owner; admins read them all.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MAX_TEXT, check_present, check_text, required};
use crate::http::auth::AuthUser;
use crate::http::validation::{Problems, ValidJson, Validate, uuid_param};
use crate::http::{ApiError, AppState};
use crate::restapi::queries::feedback::{self, Feedback, Given};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(give).service(of_chat).service(all);
}

/// Page size of the admin list when none is asked for.
const DEFAULT_PAGE_SIZE: u32 = 100;
const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewFeedback {
    /// One of the caller's chats.
    #[schema(value_type = Uuid)]
    chat_id: Option<Uuid>,
    /// An integer from 1 to 5.
    #[schema(value_type = i32, minimum = 1, maximum = 5)]
    rating: Option<i64>,
    /// Up to 2000 characters; blank means none.
    #[serde(default)]
    comment: Option<String>,
}

impl Validate for NewFeedback {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        check_present(&mut problems, self.chat_id.as_ref(), "chatId");
        check_present(&mut problems, self.rating.as_ref(), "rating");
        if let Some(rating) = self.rating {
            problems.check(
                (1..=5).contains(&rating),
                "rating",
                "must be an integer from 1 to 5",
            );
        }
        if let Some(comment) = &self.comment {
            check_text(&mut problems, "comment", comment, 0, MAX_TEXT);
        }
        problems.finish()
    }
}

#[derive(Serialize, ToSchema)]
pub struct FeedbackCreated {
    message: String,
}

/// Rates the results of one of the user's chats (once per chat).
#[utoipa::path(
    tag = "feedback",
    request_body = NewFeedback,
    responses(
        (status = 201, description = "Feedback recorded", body = FeedbackCreated),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found"),
        (status = 409, description = "The chat already has feedback"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[post("/feedback")]
async fn give(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<NewFeedback>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let chat_id = required(body.chat_id, "chatId")?;
    let rating = required(body.rating, "rating")?;
    let rating = i16::try_from(rating)
        .map_err(|_| ApiError::field("rating", "must be an integer from 1 to 5"))?;
    let comment = body
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let mut conn = state.db().await?;
    match feedback::give(&mut conn, user.id, chat_id, rating, comment).await? {
        Given::Created => Ok(HttpResponse::Created().json(FeedbackCreated {
            message: "Feedback created successfully".into(),
        })),
        Given::ChatNotFound => Err(ApiError::chat_not_found()),
        Given::AlreadyGiven => Err(ApiError::Conflict(
            "Feedback already exists for this chat".into(),
        )),
    }
}

/// The feedback on one of the user's chats.
#[utoipa::path(
    tag = "feedback",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    responses(
        (status = 200, description = "The feedback", body = Feedback),
        (status = 400, description = "chatId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "No feedback on a chat of the user"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/feedback/chat/{chatId}")]
async fn of_chat(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
) -> Result<web::Json<Feedback>, ApiError> {
    let chat_id: Uuid = uuid_param("chatId", &chat_id)?;
    let mut conn = state.db().await?;
    let found = feedback::of_chat(&mut conn, user.id, chat_id).await?;
    found
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound("Feedback not found".into()))
}

/// `page` (from 1) and `pageSize` (1–100) of the query string.
fn paging(query: &str) -> Result<(u32, u32), ApiError> {
    let mut problems = Problems::default();
    let (mut page, mut page_size) = (1, DEFAULT_PAGE_SIZE);
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "page" => match value.parse::<u32>() {
                Ok(n) if n >= 1 => page = n,
                _ => problems.add("page", "must be an integer ≥ 1"),
            },
            "pageSize" => match value.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => page_size = n,
                _ => problems.add(
                    "pageSize",
                    format!("must be an integer from 1 to {MAX_PAGE_SIZE}"),
                ),
            },
            _ => {}
        }
    }
    problems.finish()?;
    Ok((page, page_size))
}

/// All feedback, newest first, one page at a time (admins only).
#[utoipa::path(
    tag = "feedback",
    params(
        ("page" = Option<u32>, Query, description = "Page number, from 1 (default 1)"),
        ("pageSize" = Option<u32>, Query, description = "1–100 (default 100)"),
    ),
    responses(
        (status = 200, description = "One page of feedback", body = Vec<Feedback>),
        (status = 400, description = "Bad page or pageSize"),
        (status = 401, description = "Not logged in"),
        (status = 403, description = "Not an admin"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/feedback")]
async fn all(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<web::Json<Vec<Feedback>>, ApiError> {
    if !user.is_admin() {
        return Err(ApiError::Forbidden("Forbidden resource".into()));
    }
    let (page, page_size) = paging(req.query_string())?;
    let mut conn = state.db().await?;
    Ok(web::Json(feedback::page(&mut conn, page, page_size).await?))
}
