//! The harness of the web crate's tests: the whole actor system on isolated databases
//! (schemas of the test database) and an isolated broker namespace.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod doubles;
pub mod google;
pub mod llm_mock;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use actix::Addr;
use present_finder_actors::services::{Providers, ServiceName, Settings};
use present_finder_actors::testing::{self, Transport};
use present_finder_actors::vocabulary::{Locale, Occasion, PriceRange};
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use present_finder_web::driver::{AnswerScript, Follow, SessionDriver, SessionOutcome};
use present_finder_web::http::{self, AppState, WebConfig};
use present_finder_web::restapi::commands::{self, StartSearch};
use present_finder_web::system::{RunningSystem, SystemConfig};
use reqwest::header::SET_COOKIE;
use uuid::Uuid;

/// Waits (up to 30 s) until `check` holds.
pub async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let started = std::time::Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still waiting after 30 s until {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub struct Harness {
    pub system: RunningSystem,
    pub databases: TestDatabases,
    pub driver: Addr<SessionDriver>,
    pub system_config: SystemConfig,
}

/// Settings with short deadlines, so failure paths finish quickly.
pub fn fast_settings() -> Settings {
    Settings {
        event_timeout: Duration::from_secs(3),
        stalking_deadline: Duration::from_secs(2),
        session_deadline: Duration::from_secs(30),
        ideas_deadline: Duration::from_secs(10),
        sweep_interval: Duration::from_millis(200),
        outbox_poll_interval: Duration::from_millis(200),
        ..Settings::default()
    }
}

impl Harness {
    pub async fn start(transport: Transport) -> Self {
        Self::start_with(
            transport,
            fast_settings(),
            ServiceName::ALL.into_iter().collect(),
        )
        .await
    }

    pub async fn start_with(
        transport: Transport,
        settings: Settings,
        services: BTreeSet<ServiceName>,
    ) -> Self {
        Self::start_custom(transport, settings, services, None).await
    }

    /// With providers of the test's choosing (slow, failing, …).
    pub async fn start_custom(
        transport: Transport,
        settings: Settings,
        services: BTreeSet<ServiceName>,
        providers: Option<Providers>,
    ) -> Self {
        Self::start_pooled(transport, settings, services, providers, 3).await
    }

    /// Like [`start_custom`](Self::start_custom), with `pool_size` connections per database.
    pub async fn start_pooled(
        transport: Transport,
        settings: Settings,
        services: BTreeSet<ServiceName>,
        providers: Option<Providers>,
        pool_size: usize,
    ) -> Self {
        let _ = env_logger::builder().is_test(true).try_init();
        let databases = TestDatabases::create().await.unwrap();
        let system_config = SystemConfig {
            broker: testing::broker_config(transport),
            database_urls: databases.urls(),
            pool_size,
            settings,
            services,
            providers,
        };
        let system = RunningSystem::start(system_config.clone()).await.unwrap();
        let driver = SessionDriver::start(system.restapi().unwrap(), &system.broker)
            .await
            .unwrap();
        Self {
            system,
            databases,
            driver,
            system_config,
        }
    }

    pub async fn guest(&self) -> Uuid {
        let pool = self.databases.pool(ServiceDatabase::Restapi);
        let mut conn = pool.get().await.unwrap();
        commands::create_guest(&mut conn).await.unwrap()
    }

    /// The price of every product that reached reranking, in any wave of any search.
    pub async fn reranked_prices(&self) -> Vec<Option<f64>> {
        use diesel::QueryDsl;
        use diesel_async::RunQueryDsl;
        use present_finder_schema::tables::reranking::products;

        let pool = self.databases.pool(ServiceDatabase::Reranking);
        let mut conn = pool.get().await.unwrap();
        products::table
            .select(products::price_value)
            .load(&mut conn)
            .await
            .unwrap()
    }

    /// Starts a search for a new guest that nobody answers: the guest's and the chat's ids.
    pub async fn start_search(&self, request: Search) -> (Uuid, Uuid) {
        let user_id = self.guest().await;
        let chat_id = Uuid::now_v7();
        let restapi = self.system.restapi().unwrap();
        commands::start_search(&restapi, user_id, request.into_command(chat_id))
            .await
            .unwrap();
        (user_id, chat_id)
    }

    /// Starts a search for a new guest and follows it to its end.
    pub async fn search(
        &self,
        request: Search,
        script: impl AnswerScript + 'static,
    ) -> SessionOutcome {
        let user_id = self.guest().await;
        self.search_as(user_id, request, script).await
    }

    pub async fn search_as(
        &self,
        user_id: Uuid,
        request: Search,
        script: impl AnswerScript + 'static,
    ) -> SessionOutcome {
        let chat_id = Uuid::now_v7();
        let (done, outcome) = tokio::sync::oneshot::channel();
        self.driver
            .send(Follow {
                chat_id,
                user_id,
                script: Box::new(script),
                done,
            })
            .await
            .unwrap();
        let restapi = self.system.restapi().unwrap();
        commands::start_search(&restapi, user_id, request.into_command(chat_id))
            .await
            .unwrap();
        tokio::time::timeout(Duration::from_secs(90), outcome)
            .await
            .expect("the session ended within 90 s")
            .unwrap()
    }

    pub async fn stop(self) {
        self.system.shutdown(Duration::from_secs(10)).await;
        self.system.broker.delete_topology().await.unwrap();
    }
}

/// A search request with the defaults a user would pick.
#[derive(Clone)]
pub struct Search {
    pub occasion: Occasion,
    pub locale: Locale,
    pub price_range: PriceRange,
    pub instagram_url: Option<String>,
    pub profile_id: Option<Uuid>,
}

impl Default for Search {
    fn default() -> Self {
        Self {
            occasion: Occasion::Birthday,
            locale: Locale::Pl,
            price_range: PriceRange::default(),
            instagram_url: None,
            profile_id: None,
        }
    }
}

impl Search {
    pub fn budget(min: f64, max: f64) -> Self {
        Self {
            price_range: PriceRange {
                min_price: Some(min),
                max_price: Some(max),
            },
            ..Self::default()
        }
    }

    pub fn into_command(self, chat_id: Uuid) -> StartSearch {
        StartSearch {
            chat_id,
            occasion: self.occasion,
            locale: self.locale,
            instagram_url: self.instagram_url,
            tiktok_url: None,
            x_url: None,
            price_range: self.price_range,
            profile_id: self.profile_id,
        }
    }
}

/// The whole application on a free port: the actor system plus the HTTP server.
pub struct TestApp {
    pub harness: Harness,
    pub state: AppState,
    pub address: String,
    server: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn spawn(transport: Transport) -> Self {
        Self::spawn_with(transport, WebConfig::for_tests()).await
    }

    pub async fn spawn_with(transport: Transport, config: WebConfig) -> Self {
        let harness = Harness::start(transport).await;
        Self::serve(harness, config).await
    }

    /// The HTTP server in front of `harness` (started with settings of the test's choosing).
    pub async fn serve(harness: Harness, config: WebConfig) -> Self {
        let state = AppState::build(config, &harness.system).await.unwrap();
        let factory_state = state.clone();
        let server = actix_web::HttpServer::new(move || http::app(factory_state.clone()))
            .workers(1)
            .bind(("127.0.0.1", 0))
            .unwrap();
        let address = format!("http://{}", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        actix_rt::spawn(server);
        Self {
            harness,
            state,
            address,
            server: handle,
        }
    }

    /// A second instance on the same databases and broker namespace (another replica).
    pub async fn spawn_peer(&self) -> TestApp {
        let system = RunningSystem::start(SystemConfig {
            broker: self.harness.system_config.broker.clone(),
            database_urls: self.harness.databases.urls(),
            pool_size: 3,
            settings: fast_settings(),
            services: ServiceName::ALL.into_iter().collect(),
            providers: None,
        })
        .await
        .unwrap();
        let driver = SessionDriver::start(system.restapi().unwrap(), &system.broker)
            .await
            .unwrap();
        let harness = Harness {
            system,
            databases: self.harness.databases.clone_handle(),
            driver,
            system_config: self.harness.system_config.clone(),
        };
        Self::serve(harness, (*self.state.config).clone()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn stop(self) {
        self.state.close_event_streams().await;
        self.server.stop(true).await;
        self.harness.stop().await;
    }
}

/// The `Set-Cookie` headers of a response, by cookie name.
pub fn set_cookies(response: &reqwest::Response) -> BTreeMap<String, String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .map(|header| (header.split('=').next().unwrap().to_owned(), header))
        .collect()
}

/// The value of a `Set-Cookie` header.
pub fn cookie_value(header: &str) -> String {
    header
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned()
}
