//! "More like this / not this" on a chat's results: one more search wave near what the user
//! liked, without what they did not, in the same budget. The new finds arrive as another
//! `gift-ready` event holding the whole list, ranked with the earlier results.

use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::auth::AuthUser;
use crate::http::rate_limit::Limited;
use crate::http::validation::{Problems, ValidJson, Validate, uuid_param};
use crate::http::{ApiError, AppState};
use crate::restapi::commands::{self, Refine};

/// Listings judged in one request at most, per list.
const MAX_JUDGED: usize = 20;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(refine);
}

/// What the user said about some results. At least one listing in all; a listing in one list
/// only.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefinementRequest {
    /// Listings of the chat to find more like (at most 20).
    #[serde(default)]
    more_like: Vec<Uuid>,
    /// Listings of the chat whose kind of product is not wanted (at most 20).
    #[serde(default)]
    not_this: Vec<Uuid>,
}

impl Validate for RefinementRequest {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        if self.more_like.is_empty() && self.not_this.is_empty() {
            problems.add("moreLike", "or notThis must name at least one listing");
        }
        for (field, ids) in [("moreLike", &self.more_like), ("notThis", &self.not_this)] {
            problems.check(
                ids.len() <= MAX_JUDGED,
                field,
                "must name at most 20 listings",
            );
        }
        problems.check(
            !self.more_like.iter().any(|id| self.not_this.contains(id)),
            "notThis",
            "must not name a listing that moreLike names",
        );
        problems.finish()
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefinementStarted {
    chat_id: Uuid,
    /// Liked listings, with the likes of earlier searches for the same saved recipient.
    likes: usize,
    dislikes: usize,
    /// Favourites and well-rated results (4–5) of earlier searches for the same saved
    /// recipient, counted as likes.
    earlier_likes: usize,
}

/// Refines a chat's results. The chat goes back to `searching`; progress and the merged
/// results (`gift-ready`, earlier listings keeping their ids) stream over SSE as for the search.
#[utoipa::path(
    tag = "chats",
    params(("chatId" = Uuid, Path, description = "The chat's id")),
    request_body = RefinementRequest,
    responses(
        (status = 202, description = "Refinement started", body = RefinementStarted),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Chat not found, or a listing is not one of its results"),
        (status = 409, description = "The chat has no results yet, or its search is running"),
        (status = 429, description = "Too many searches; see Retry-After"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[post("/chats/{chatId}/refinements")]
async fn refine(
    state: web::Data<AppState>,
    user: AuthUser,
    chat_id: web::Path<String>,
    body: ValidJson<RefinementRequest>,
) -> Result<HttpResponse, ApiError> {
    let chat_id = uuid_param("chatId", &chat_id)?;
    state.limiter.check(user.id, Limited::Search)?;
    let request = Refine {
        chat_id,
        more: body.0.more_like,
        less: body.0.not_this,
    };
    let started = commands::refine(state.restapi()?, user.id, request)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Accepted().json(RefinementStarted {
        chat_id,
        likes: started.likes,
        dislikes: started.dislikes,
        earlier_likes: started.earlier_likes,
    }))
}
