//! The user's favourite gifts (listings of their own chats only).

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{check_present, required, schema};
use crate::http::auth::AuthUser;
use crate::http::validation::{Problems, ValidJson, Validate, uuid_param};
use crate::http::{ApiError, AppState};
use crate::restapi::listing::Listing;
use crate::restapi::queries::favorites;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(add).service(remove);
}

#[derive(Serialize, ToSchema)]
pub struct FavoriteList {
    /// Most recently added first; `isFavorited` is always true.
    #[schema(value_type = Vec<schema::Listing>)]
    favorites: Vec<Listing>,
}

/// The user's favourites.
#[utoipa::path(
    tag = "favorites",
    responses(
        (status = 200, description = "The favourites", body = FavoriteList),
        (status = 401, description = "Not logged in"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/favorites")]
async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<FavoriteList>, ApiError> {
    let mut conn = state.db().await?;
    let favorites = favorites::list(&mut conn, user.id).await?;
    Ok(web::Json(FavoriteList { favorites }))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddFavorite {
    /// A listing of one of the caller's chats.
    #[schema(value_type = Uuid)]
    listing_id: Option<Uuid>,
}

impl Validate for AddFavorite {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        check_present(&mut problems, self.listing_id.as_ref(), "listingId");
        problems.finish()
    }
}

/// Adds a listing of one of the user's chats to the favourites (again: no effect).
#[utoipa::path(
    tag = "favorites",
    request_body = AddFavorite,
    responses(
        (status = 201, description = "Favourite added (or already there)", body = AddFavorite),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Listing not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[post("/favorites")]
async fn add(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<AddFavorite>,
) -> Result<HttpResponse, ApiError> {
    let listing_id = required(body.0.listing_id, "listingId")?;
    let mut conn = state.db().await?;
    if !favorites::add(&mut conn, user.id, listing_id).await? {
        return Err(ApiError::NotFound("Listing not found".into()));
    }
    Ok(HttpResponse::Created().json(AddFavorite {
        listing_id: Some(listing_id),
    }))
}

/// Removes a favourite (one that is not there: no effect).
#[utoipa::path(
    tag = "favorites",
    params(("listingId" = Uuid, Path, description = "The listing's id")),
    responses(
        (status = 204, description = "Not a favourite (any more)"),
        (status = 400, description = "listingId is not a UUID"),
        (status = 401, description = "Not logged in"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[delete("/favorites/{listingId}")]
async fn remove(
    state: web::Data<AppState>,
    user: AuthUser,
    listing_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let listing_id: Uuid = uuid_param("listingId", &listing_id)?;
    let mut conn = state.db().await?;
    favorites::remove(&mut conn, user.id, listing_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
