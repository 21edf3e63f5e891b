//! The reranking database: waves, their expected fetch requests, products and results.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::reranking::{products, results, wave_requests, waves};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::events::Refinement;
use crate::vocabulary::{
    Locale, Marketplace, Price, PriceRange, Product, ProductDetails, RecipientProfile,
};

/// What reranking keeps of a wave announcement.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveContext {
    pub profile: RecipientProfile,
    pub key_themes: Vec<String>,
    pub facts: Vec<String>,
    pub price_range: PriceRange,
    pub locale: Locale,
    /// The refinement round of the wave (0: the search itself).
    #[serde(default)]
    pub round: u32,
    #[serde(default)]
    pub refinement: Option<Refinement>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = waves)]
pub struct Wave {
    pub wave_id: Uuid,
    pub chat_id: Uuid,
    pub wave: i32,
    pub context: serde_json::Value,
    pub status: String,
}

impl Wave {
    pub fn is_collecting(&self) -> bool {
        self.status == "collecting"
    }

    pub fn context(&self) -> WaveContext {
        serde_json::from_value(self.context.clone()).unwrap_or_else(|_| WaveContext {
            profile: RecipientProfile::default(),
            key_themes: Vec::new(),
            facts: Vec::new(),
            price_range: PriceRange::default(),
            locale: Locale::default(),
            round: 0,
            refinement: None,
        })
    }
}

/// Serialises everything done to one wave until the transaction ends. The announcement and
/// the answers of a wave may be handled at the same moment in two transactions; without
/// this, each could miss the other's uncommitted rows and neither would complete the wave.
pub async fn serialize_wave(conn: &mut AsyncPgConnection, wave_id: Uuid) -> QueryResult<()> {
    let key = i64::from_be_bytes(wave_id.as_bytes()[8..].try_into().unwrap_or_default());
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a wave; `false` when it was already known.
pub async fn insert_wave(
    conn: &mut AsyncPgConnection,
    wave_id: Uuid,
    chat_id: Uuid,
    wave: u32,
    context: &WaveContext,
    deadline_at: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(waves::table)
        .values((
            waves::wave_id.eq(wave_id),
            waves::chat_id.eq(chat_id),
            waves::wave.eq(i32::try_from(wave).unwrap_or(i32::MAX)),
            waves::context.eq(present_finder_schema::json::to_column(context)?),
            waves::deadline_at.eq(deadline_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Marks the request ids a wave waits for (some may have answered already).
pub async fn expect_requests(
    conn: &mut AsyncPgConnection,
    wave_id: Uuid,
    request_ids: &[Uuid],
) -> QueryResult<()> {
    let rows: Vec<_> = request_ids
        .iter()
        .map(|id| {
            (
                wave_requests::request_id.eq(*id),
                wave_requests::wave_id.eq(wave_id),
                wave_requests::expected.eq(true),
            )
        })
        .collect();
    diesel::insert_into(wave_requests::table)
        .values(rows)
        .on_conflict(wave_requests::request_id)
        .do_update()
        .set(wave_requests::expected.eq(true))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the answer of a request; `false` when it had already answered.
pub async fn record_answer(
    conn: &mut AsyncPgConnection,
    request_id: Uuid,
    wave_id: Uuid,
    provider: Marketplace,
    success: bool,
    error: Option<&str>,
) -> QueryResult<bool> {
    let now = Utc::now();
    let answer = (
        wave_requests::provider.eq(provider.as_str()),
        wave_requests::received_at.eq(now),
        wave_requests::success.eq(success),
        wave_requests::error.eq(error),
    );
    // Expected already (the announcement came first) and not answered yet…
    let updated = diesel::update(
        wave_requests::table
            .find(request_id)
            .filter(wave_requests::received_at.is_null()),
    )
    .set(answer)
    .execute(conn)
    .await?;
    if updated == 1 {
        return Ok(true);
    }
    // …or not known at all: the answer came before the announcement.
    let inserted = diesel::insert_into(wave_requests::table)
        .values((
            wave_requests::request_id.eq(request_id),
            wave_requests::wave_id.eq(wave_id),
            answer,
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// (answered, expected) requests of a wave.
pub async fn request_counts(
    conn: &mut AsyncPgConnection,
    wave_id: Uuid,
) -> QueryResult<(i64, i64)> {
    let expected: i64 = wave_requests::table
        .filter(wave_requests::wave_id.eq(wave_id))
        .filter(wave_requests::expected)
        .count()
        .get_result(conn)
        .await?;
    let answered: i64 = wave_requests::table
        .filter(wave_requests::wave_id.eq(wave_id))
        .filter(wave_requests::expected)
        .filter(wave_requests::received_at.is_not_null())
        .count()
        .get_result(conn)
        .await?;
    Ok((answered, expected))
}

/// The wave, without a lock (what a finalisation starts from; it locks the wave later).
pub async fn find_wave(conn: &mut AsyncPgConnection, wave_id: Uuid) -> QueryResult<Option<Wave>> {
    waves::table
        .find(wave_id)
        .select(Wave::as_select())
        .first(conn)
        .await
        .optional()
}

/// The newest wave of a chat, without a lock.
pub async fn latest_wave(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<Option<Wave>> {
    waves::table
        .filter(waves::chat_id.eq(chat_id))
        .order(waves::wave.desc())
        .select(Wave::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn lock_wave(conn: &mut AsyncPgConnection, wave_id: Uuid) -> QueryResult<Option<Wave>> {
    waves::table
        .find(wave_id)
        .select(Wave::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The newest wave of a chat, locked.
pub async fn lock_latest_wave(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Option<Wave>> {
    waves::table
        .filter(waves::chat_id.eq(chat_id))
        .order(waves::wave.desc())
        .select(Wave::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Collecting waves quiet past their deadline, oldest deadline first, without a lock: each is
/// scored before it is locked (the finalisation's compare-and-set settles races between
/// replicas).
pub async fn overdue(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<Wave>> {
    waves::table
        .filter(waves::status.eq("collecting"))
        .filter(waves::deadline_at.le(now))
        .order(waves::deadline_at)
        .select(Wave::as_select())
        .limit(limit)
        .load(conn)
        .await
}

pub async fn extend_deadline(
    conn: &mut AsyncPgConnection,
    wave_id: Uuid,
    deadline_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(waves::table.find(wave_id))
        .set(waves::deadline_at.eq(deadline_at))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_finalized(conn: &mut AsyncPgConnection, wave_id: Uuid) -> QueryResult<()> {
    diesel::update(waves::table.find(wave_id))
        .set((
            waves::status.eq("finalized"),
            waves::finalized_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct StoredProduct {
    pub id: Uuid,
    pub wave_id: Uuid,
    pub provider: String,
    pub title: String,
    pub description: String,
    pub link: String,
    pub image: Option<String>,
    pub price_value: Option<f64>,
    pub price_label: Option<String>,
    pub price_currency: Option<String>,
    pub price_negotiable: bool,
    pub category: Option<String>,
    pub score: Option<f64>,
    pub reasoning: Option<String>,
    pub details: Option<serde_json::Value>,
}

impl StoredProduct {
    pub fn product(&self) -> Product {
        Product {
            image: self.image.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            link: self.link.clone(),
            price: Price {
                value: self.price_value,
                label: self.price_label.clone(),
                currency: self.price_currency.clone(),
                negotiable: self.price_negotiable,
            },
            category: self.category.clone(),
            provider: Marketplace::parse(&self.provider).unwrap_or(Marketplace::Catalog),
            details: self.details(),
        }
    }

    /// The stored details; none when there are none, or when they cannot be read (a product
    /// is still worth showing without them).
    fn details(&self) -> ProductDetails {
        let Some(stored) = &self.details else {
            return ProductDetails::default();
        };
        serde_json::from_value(stored.clone()).unwrap_or_else(|error| {
            log::warn!("product {}: unreadable details ({error})", self.id);
            ProductDetails::default()
        })
    }
}

/// The details as their column holds them: null when the marketplace gave none.
fn details_column(details: &ProductDetails) -> QueryResult<Option<serde_json::Value>> {
    if details.is_empty() {
        return Ok(None);
    }
    present_finder_schema::json::to_column(details).map(Some)
}

pub async fn insert_products(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    wave_id: Uuid,
    request_id: Uuid,
    found: &[Product],
) -> QueryResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    let rows = found
        .iter()
        .map(|p| {
            Ok((
                products::id.eq(Uuid::now_v7()),
                products::chat_id.eq(chat_id),
                products::wave_id.eq(wave_id),
                products::request_id.eq(request_id),
                products::provider.eq(p.provider.as_str()),
                products::title.eq(&p.title),
                products::description.eq(&p.description),
                products::link.eq(&p.link),
                products::image.eq(&p.image),
                products::price_value.eq(p.price.value),
                products::price_label.eq(&p.price.label),
                products::price_currency.eq(&p.price.currency),
                products::price_negotiable.eq(p.price.negotiable),
                products::category.eq(&p.category),
                products::details.eq(details_column(&p.details)?),
            ))
        })
        .collect::<QueryResult<Vec<_>>>()?;
    diesel::insert_into(products::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every product found for a chat, over all its waves.
pub async fn chat_products(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Vec<StoredProduct>> {
    products::table
        .filter(products::chat_id.eq(chat_id))
        .order(products::id)
        .select(StoredProduct::as_select())
        .load(conn)
        .await
}

/// The score given to one stored product.
pub struct ScoreUpdate<'a> {
    pub product_id: Uuid,
    pub score: f64,
    pub reasoning: &'a str,
    pub category: Option<&'a str>,
}

/// Stores the scores of a wave's products in one statement (a wave scores dozens at once).
pub async fn store_scores(
    conn: &mut AsyncPgConnection,
    updates: &[ScoreUpdate<'_>],
) -> QueryResult<()> {
    use diesel::sql_types::{Array, Float8, Nullable, Text, Uuid as SqlUuid};
    if updates.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = updates.iter().map(|u| u.product_id).collect();
    let scores: Vec<f64> = updates.iter().map(|u| u.score).collect();
    let reasonings: Vec<&str> = updates.iter().map(|u| u.reasoning).collect();
    let categories: Vec<Option<&str>> = updates.iter().map(|u| u.category).collect();
    diesel::sql_query(
        "UPDATE products AS p \
         SET score = v.score, reasoning = v.reasoning, category = v.category \
         FROM unnest($1, $2, $3, $4) AS v(id, score, reasoning, category) \
         WHERE p.id = v.id",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .bind::<Array<Float8>, _>(scores)
    .bind::<Array<Text>, _>(reasonings)
    .bind::<Array<Nullable<Text>>, _>(categories)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims the result of the chat's refinement `round` (0: the search itself); `false` when it
/// was already delivered.
pub async fn claim_result(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    round: u32,
    wave_id: Uuid,
    partial: bool,
    gift_count: usize,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(results::table)
        .values((
            results::chat_id.eq(chat_id),
            results::round.eq(i32::try_from(round).unwrap_or(i32::MAX)),
            results::wave_id.eq(wave_id),
            results::partial.eq(partial),
            results::gift_count.eq(i32::try_from(gift_count).unwrap_or(i32::MAX)),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Deletes everything of the chat: its waves (first: a deadline sweep finalising one holds
/// its row, and is waited for), their fetch requests, the products and the result. Returns
/// how many rows went.
///
/// Fetch requests are found through the chat's waves and products; a request answered with
/// no product before its wave was announced, and never announced since, names no chat and
/// carries nothing of it (ids, provider, outcome), so it stays.
pub async fn erase_chat(conn: &mut AsyncPgConnection, chat_id: Uuid) -> QueryResult<usize> {
    let mut wave_ids: Vec<Uuid> = diesel::delete(waves::table.filter(waves::chat_id.eq(chat_id)))
        .returning(waves::wave_id)
        .get_results(conn)
        .await?;
    let waves_deleted = wave_ids.len();
    let product_waves: Vec<Uuid> =
        diesel::delete(products::table.filter(products::chat_id.eq(chat_id)))
            .returning(products::wave_id)
            .get_results(conn)
            .await?;
    let products_deleted = product_waves.len();
    wave_ids.extend(product_waves);
    wave_ids.sort_unstable();
    wave_ids.dedup();
    let requests_deleted =
        diesel::delete(wave_requests::table.filter(wave_requests::wave_id.eq_any(&wave_ids)))
            .execute(conn)
            .await?;
    let results_deleted = diesel::delete(results::table.filter(results::chat_id.eq(chat_id)))
        .execute(conn)
        .await?;
    Ok(waves_deleted + products_deleted + requests_deleted + results_deleted)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use diesel_async::AsyncConnection;
    use present_finder_schema::ServiceDatabase;
    use present_finder_schema::testing::TestDatabases;

    use super::*;
    use crate::vocabulary::Rating;

    fn product(title: &str, provider: Marketplace, details: ProductDetails) -> Product {
        Product {
            image: None,
            title: title.to_owned(),
            description: String::new(),
            link: format!("https://example.com/{title}"),
            price: Price::pln(99.0),
            category: None,
            provider,
            details,
        }
    }

    #[actix_rt::test]
    async fn product_details_survive_storage_and_products_without_them_stay_bare() {
        let databases = TestDatabases::create().await.unwrap();
        let mut conn = AsyncPgConnection::establish(&databases.url(ServiceDatabase::Reranking))
            .await
            .unwrap();
        let detailed = ProductDetails {
            provider_id: Some("7623481122".into()),
            seller: Some("kawowy-swiat".into()),
            location: Some("Kraków, Małopolskie".into()),
            condition: Some("Nowy".into()),
            rating: Some(Rating {
                stars: 4.8,
                count: Some(1200),
            }),
        };
        let found = [
            product("młynek", Marketplace::Allegro, detailed.clone()),
            product("kubek", Marketplace::Catalog, ProductDetails::default()),
        ];
        let chat_id = Uuid::now_v7();
        insert_products(&mut conn, chat_id, Uuid::now_v7(), Uuid::now_v7(), &found)
            .await
            .unwrap();

        let stored = chat_products(&mut conn, chat_id).await.unwrap();
        let read: Vec<Product> = stored.iter().map(StoredProduct::product).collect();
        assert_eq!(read, found);
        assert!(stored[1].details.is_none(), "no details are stored as null");
        // The column holds the product's JSON form of them.
        assert_eq!(
            stored[0].details,
            Some(serde_json::json!({
                "providerId": "7623481122",
                "seller": "kawowy-swiat",
                "location": "Kraków, Małopolskie",
                "condition": "Nowy",
                "rating": {"stars": 4.8, "count": 1200}
            }))
        );
    }
}
