//! The user's saved recipient profiles (created by the interview when the giver agrees).

use actix_web::{HttpResponse, delete, get, patch, web};
use present_finder_actors::vocabulary::RecipientProfile;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{MAX_NAME, check_text, schema};
use crate::http::auth::AuthUser;
use crate::http::validation::{Problems, ValidJson, Validate, uuid_param};
use crate::http::{ApiError, AppState};
use crate::restapi::queries::profiles::{self, Edited, ProfileChanges, UserProfile};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(get_one)
        .service(edit)
        .service(remove);
}

fn profile_not_found() -> ApiError {
    ApiError::NotFound("Profile not found".into())
}

#[derive(Serialize, ToSchema)]
pub struct ProfileList {
    profiles: Vec<UserProfile>,
}

/// The user's saved profiles, newest first.
#[utoipa::path(
    tag = "profiles",
    responses(
        (status = 200, description = "The saved profiles", body = ProfileList),
        (status = 401, description = "Not logged in"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/user-profiles")]
async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<ProfileList>, ApiError> {
    let mut conn = state.db().await?;
    let profiles = profiles::list(&mut conn, user.id).await?;
    Ok(web::Json(ProfileList { profiles }))
}

/// One saved profile.
#[utoipa::path(
    tag = "profiles",
    params(("profileId" = Uuid, Path, description = "The profile's id")),
    responses(
        (status = 200, description = "The profile", body = UserProfile),
        (status = 400, description = "profileId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Profile not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[get("/user-profiles/{profileId}")]
async fn get_one(
    state: web::Data<AppState>,
    user: AuthUser,
    profile_id: web::Path<String>,
) -> Result<web::Json<UserProfile>, ApiError> {
    let profile_id = uuid_param("profileId", &profile_id)?;
    let mut conn = state.db().await?;
    let profile = profiles::get(&mut conn, user.id, profile_id).await?;
    profile.map(web::Json).ok_or_else(profile_not_found)
}

/// Changes to a saved profile; at least one field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileEdit {
    /// 1–100 characters, unique among the user's profiles.
    #[serde(default)]
    person_name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<schema::RecipientProfile>)]
    profile: Option<RecipientProfile>,
}

impl Validate for ProfileEdit {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        problems.check(
            self.person_name.is_some() || self.profile.is_some(),
            "body",
            "nothing to change: give personName and/or profile",
        );
        if let Some(name) = &self.person_name {
            check_text(&mut problems, "personName", name, 1, MAX_NAME);
        }
        if let Some(profile) = &self.profile {
            match serde_json::to_string(profile) {
                Ok(text) => problems.check(
                    !text.contains("\\u0000"),
                    "profile",
                    "must not contain NUL characters",
                ),
                Err(error) => problems.add("profile", format!("cannot be stored: {error}")),
            }
        }
        problems.finish()
    }
}

impl ProfileEdit {
    fn into_changes(self) -> Result<ProfileChanges, ApiError> {
        let profile = match self.profile {
            Some(profile) => Some(
                serde_json::to_value(profile)
                    .map_err(|_| ApiError::field("profile", "is not a recipient profile"))?,
            ),
            None => None,
        };
        Ok(ProfileChanges {
            person_name: self.person_name.map(|name| name.trim().to_owned()),
            profile,
        })
    }
}

/// Renames a saved profile and/or replaces its content.
#[utoipa::path(
    tag = "profiles",
    params(("profileId" = Uuid, Path, description = "The profile's id")),
    request_body = ProfileEdit,
    responses(
        (status = 200, description = "The edited profile", body = UserProfile),
        (status = 400, description = "Invalid field (named in details)"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Profile not found"),
        (status = 409, description = "Another profile of the user has this name"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[patch("/user-profiles/{profileId}")]
async fn edit(
    state: web::Data<AppState>,
    user: AuthUser,
    profile_id: web::Path<String>,
    body: ValidJson<ProfileEdit>,
) -> Result<web::Json<UserProfile>, ApiError> {
    let profile_id = uuid_param("profileId", &profile_id)?;
    let changes = body.0.into_changes()?;
    let mut conn = state.db().await?;
    match profiles::edit(&mut conn, user.id, profile_id, changes).await? {
        Edited::Updated(profile) => Ok(web::Json(profile)),
        Edited::NotFound => Err(profile_not_found()),
        Edited::NameTaken => Err(ApiError::Conflict(
            "Another saved profile already has this name".into(),
        )),
    }
}

/// Deletes a saved profile.
#[utoipa::path(
    tag = "profiles",
    params(("profileId" = Uuid, Path, description = "The profile's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "profileId is not a UUID"),
        (status = 401, description = "Not logged in"),
        (status = 404, description = "Profile not found"),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
#[delete("/user-profiles/{profileId}")]
async fn remove(
    state: web::Data<AppState>,
    user: AuthUser,
    profile_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let profile_id = uuid_param("profileId", &profile_id)?;
    let mut conn = state.db().await?;
    if !profiles::delete(&mut conn, user.id, profile_id).await? {
        return Err(profile_not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}
