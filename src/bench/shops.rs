//! The four marketplaces as local HTTP mocks for `bench pipeline --shops`: each search is
//! answered after a delay drawn between the bounds given (what real shops take), with
//! products built from the query in the marketplace's own JSON shape, so the clients, the
//! query cache and the retries run as against the real APIs. Tokens are issued at once.

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{HttpRequest, HttpResponse, web};
use present_finder_actors::services::ProviderConfig;
use present_finder_actors::services::fetch::{AllegroConfig, AmazonConfig, EbayConfig, OlxConfig};
use present_finder_actors::services::http::Secret;
use rand::Rng;
use serde_json::{Value, json};

/// Kinds of a product that make each query's offers differ.
const VARIANTS: [&str; 10] = [
    "klasyczny",
    "premium",
    "zestaw prezentowy",
    "mini",
    "XL",
    "edycja limitowana",
    "dla początkujących",
    "profesjonalny",
    "w pudełku",
    "ręcznie robiony",
];
/// Products per answer when a marketplace is not told how many.
const PAGE: usize = 20;

pub struct MockShops {
    address: String,
    server: ServerHandle,
    searches: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Shop {
    delay: RangeInclusive<u64>,
    searches: Arc<AtomicUsize>,
}

impl MockShops {
    pub fn start(delay_ms: RangeInclusive<u64>) -> anyhow::Result<Self> {
        let searches = Arc::new(AtomicUsize::new(0));
        let shop = Shop {
            delay: delay_ms,
            searches: searches.clone(),
        };
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(web::Data::new(shop.clone()))
                .route("/olx/api/v1/offers/", web::get().to(olx))
                .route("/allegro/auth/oauth/token", web::post().to(token))
                .route("/allegro/offers/listing", web::get().to(allegro))
                .route("/ebay/identity/v1/oauth2/token", web::post().to(token))
                .route(
                    "/ebay/buy/browse/v1/item_summary/search",
                    web::get().to(ebay),
                )
                .route("/amazon/search", web::get().to(amazon))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))?;
        let address = format!("http://{}", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Ok(Self {
            address,
            server: handle,
            searches,
        })
    }

    /// The clients of the four marketplaces, pointed at the mocks.
    pub fn config(&self) -> ProviderConfig {
        let at = |shop: &str| format!("{}/{shop}", self.address);
        ProviderConfig {
            olx: Some(OlxConfig {
                base_url: at("olx"),
            }),
            allegro: Some(AllegroConfig {
                api_url: at("allegro"),
                site_url: at("allegro"),
                client_id: "bench".into(),
                client_secret: Secret::new("bench"),
            }),
            ebay: Some(EbayConfig {
                api_url: at("ebay"),
                marketplace_id: EbayConfig::DEFAULT_MARKETPLACE.into(),
                client_id: "bench".into(),
                client_secret: Secret::new("bench"),
            }),
            amazon: Some(AmazonConfig {
                api_url: at("amazon"),
                api_key: Secret::new("bench"),
                country: "PL".into(),
            }),
            brightdata: None,
            llm: None,
        }
    }

    /// Searches answered so far (token requests not counted).
    pub fn searches(&self) -> usize {
        self.searches.load(Ordering::Relaxed)
    }

    pub async fn stop(self) {
        self.server.stop(true).await;
    }
}

/// What a search asked: its text, price bounds and page size.
struct Asked {
    query: String,
    min: f64,
    max: f64,
    limit: usize,
}

impl Shop {
    /// Counts the search and waits as long as a real shop would.
    async fn answer(&self, request: &HttpRequest, keys: [&str; 4]) -> Asked {
        self.searches.fetch_add(1, Ordering::Relaxed);
        let pause = rand::rng().random_range(self.delay.clone());
        tokio::time::sleep(Duration::from_millis(pause)).await;
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(request.query_string().as_bytes())
                .into_owned()
                .collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let [query, min, max, limit] = keys;
        let number = |key: &str| get(key).and_then(|v| v.parse::<f64>().ok());
        Asked {
            query: get(query).unwrap_or_default(),
            min: number(min).unwrap_or(20.0),
            max: number(max).unwrap_or(600.0),
            limit: number(limit).map_or(PAGE, |l| l as usize).min(PAGE),
        }
    }
}

impl Asked {
    /// The offers: title, price within the bounds, and a number that makes links unique.
    fn offers(&self) -> Vec<(String, f64, usize)> {
        let mut rng = rand::rng();
        (0..self.limit)
            .map(|n| {
                let title = format!("{} {}", self.query, VARIANTS[n % VARIANTS.len()]);
                let price = if self.max > self.min {
                    rng.random_range(self.min..=self.max)
                } else {
                    self.min
                };
                (
                    (title),
                    (price * 100.0).round() / 100.0,
                    rng.random_range(1..1_000_000_000),
                )
            })
            .collect()
    }
}

async fn token() -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "access_token": "bench-token", "token_type": "bearer", "expires_in": 7200
    }))
}

async fn olx(shop: web::Data<Shop>, request: HttpRequest) -> HttpResponse {
    let asked = shop
        .answer(
            &request,
            [
                "query",
                "filter_float_price:from",
                "filter_float_price:to",
                "limit",
            ],
        )
        .await;
    let data: Vec<Value> = asked
        .offers()
        .into_iter()
        .map(|(title, price, id)| {
            json!({
                "id": id,
                "url": format!("https://www.olx.pl/d/oferta/bench-ID{id}.html"),
                "title": title,
                "description": format!("{title}.<br />Stan bardzo dobry."),
                "params": [{"key": "price", "value": {
                    "value": price, "label": format!("{price:.0} zł"), "currency": "PLN",
                    "negotiable": id % 3 == 0
                }}],
                "photos": [{"link": format!("https://ireland.apollo.olxcdn.com/v1/files/{id}-PL/image;s={{width}}x{{height}}")}],
                "user": {"name": "Sprzedawca"},
                "location": {"city": {"name": "Kraków"}, "region": {"name": "Małopolskie"}}
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "data": data }))
}

async fn allegro(shop: web::Data<Shop>, request: HttpRequest) -> HttpResponse {
    let asked = shop
        .answer(&request, ["phrase", "price.from", "price.to", "limit"])
        .await;
    let offers: Vec<Value> = asked
        .offers()
        .into_iter()
        .map(|(title, price, id)| {
            json!({
                "id": id.to_string(),
                "name": title,
                "seller": {"login": "sklep"},
                "images": [{"url": format!("https://a.allegroimg.com/original/{id}")}],
                "sellingMode": {"price": {"amount": format!("{price:.2}"), "currency": "PLN"}}
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "items": { "promoted": [], "regular": offers } }))
}

async fn ebay(shop: web::Data<Shop>, request: HttpRequest) -> HttpResponse {
    let asked = shop.answer(&request, ["q", "", "", "limit"]).await;
    let items: Vec<Value> = asked
        .offers()
        .into_iter()
        .map(|(title, price, id)| {
            json!({
                "itemId": format!("v1|{id}|0"),
                "title": title,
                "price": {"value": format!("{price:.2}"), "currency": "PLN"},
                "image": {"imageUrl": format!("https://i.ebayimg.com/images/g/{id}/s-l225.jpg")},
                "itemWebUrl": format!("https://www.ebay.pl/itm/{id}"),
                "seller": {"username": "seller", "feedbackPercentage": "99.1"},
                "condition": "Nowy"
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "total": items.len(), "itemSummaries": items }))
}

async fn amazon(shop: web::Data<Shop>, request: HttpRequest) -> HttpResponse {
    let asked = shop
        .answer(&request, ["query", "min_price", "max_price", ""])
        .await;
    let products: Vec<Value> = asked
        .offers()
        .into_iter()
        .map(|(title, price, id)| {
            json!({
                "asin": format!("B0{id:08}"),
                "product_title": title,
                "product_price": format!("{price:.2} zł").replace('.', ","),
                "currency": "PLN",
                "product_star_rating": "4.5",
                "product_num_ratings": id % 5000,
                "product_url": format!("https://www.amazon.pl/dp/B0{id:08}"),
                "product_photo": format!("https://m.media-amazon.com/images/I/{id}.jpg")
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "status": "OK", "data": { "products": products } }))
}
