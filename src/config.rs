//! The one typed configuration, read from the environment (and `.env` when present). Every
//! variable is listed in the README with its default. A bad value stops the start with a
//! message naming the variable.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use present_finder_actors::broker::{BrokerConfig, RetryPolicy, Topology};
use present_finder_actors::llm::{LlmConfig, LlmModels};
use present_finder_actors::services::fetch::{AllegroConfig, AmazonConfig, EbayConfig, OlxConfig};
use present_finder_actors::services::http::Secret;
use present_finder_actors::services::retention::Retention;
use present_finder_actors::services::stalking::BrightDataConfig;
use present_finder_actors::services::{ProviderConfig, ServiceName, Settings};
use present_finder_actors::vocabulary::Marketplace;
use present_finder_schema::{ServiceDatabase, redact_url};
use present_finder_web::http::WebConfig;

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub app_env: AppEnv,
    pub host: IpAddr,
    pub port: u16,
    pub database: DatabaseConfig,
    pub broker: BrokerConfig,
    pub services: BTreeSet<ServiceName>,
    pub settings: Settings,
    /// The real providers turned on: marketplaces, the profile reader and, when
    /// `OPENAI_API_KEY` and `OPENAI_BASE_URL` are set, the LLM for every step it can do (their
    /// secrets redacted in `Debug`).
    pub providers: ProviderConfig,
    pub web: WebConfig,
    pub shutdown_timeout: Duration,
}

#[derive(Clone)]
pub struct DatabaseConfig {
    /// Administrator URL: `db setup` connects with it to create roles and databases.
    pub admin_url: String,
    pub urls: BTreeMap<ServiceDatabase, String>,
    pub pool_size: usize,
    pub migrate_on_start: bool,
    pub setup_on_start: bool,
}

/// The URLs' passwords stay out of logs.
impl std::fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let urls: BTreeMap<_, _> = self
            .urls
            .iter()
            .map(|(database, url)| (database, redact_url(url)))
            .collect();
        f.debug_struct("DatabaseConfig")
            .field("admin_url", &redact_url(&self.admin_url))
            .field("urls", &urls)
            .field("pool_size", &self.pool_size)
            .field("migrate_on_start", &self.migrate_on_start)
            .field("setup_on_start", &self.setup_on_start)
            .finish()
    }
}

/// Reads variables through a lookup function, so tests need not touch the process environment.
struct Env<F: Fn(&str) -> Option<String>> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn raw(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn parse<T: FromStr>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.raw(name) {
            None => Ok(default),
            Some(value) => value.parse().map_err(|e| ConfigError {
                variable: name,
                message: format!("cannot read {value:?}: {e}"),
            }),
        }
    }

    fn positive<T: FromStr + PartialOrd + Default>(
        &self,
        name: &'static str,
        default: T,
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        let value = self.parse(name, default)?;
        if value <= T::default() {
            return Err(ConfigError {
                variable: name,
                message: "must be greater than zero".into(),
            });
        }
        Ok(value)
    }

    fn flag(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.raw(name).map(|v| v.to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
            Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
            Some(v) => Err(ConfigError {
                variable: name,
                message: format!("{v:?} is not a boolean (use true or false)"),
            }),
        }
    }

    fn seconds(&self, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(self.positive(name, default)?))
    }

    /// Whole days, from 1 to 36 500.
    fn days(&self, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
        let days: u64 = self.positive(name, default)?;
        if days > 36_500 {
            return Err(ConfigError {
                variable: name,
                message: "must be at most 36500 days".into(),
            });
        }
        Ok(Duration::from_secs(days * 24 * 3600))
    }

    fn millis(&self, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
        Ok(Duration::from_millis(self.positive(name, default)?))
    }

    /// An `http(s)://` address, without a trailing slash.
    fn url(&self, name: &'static str, default: &str) -> Result<String, ConfigError> {
        let value = self.raw(name).unwrap_or_else(|| default.to_owned());
        match url::Url::parse(&value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                Ok(value.trim_end_matches('/').to_owned())
            }
            Ok(_) => Err(ConfigError {
                variable: name,
                message: "must be an http:// or https:// URL".into(),
            }),
            Err(e) => Err(ConfigError {
                variable: name,
                message: format!("not a URL: {e}"),
            }),
        }
    }

    /// A variable that `reason` makes mandatory.
    fn required(&self, name: &'static str, reason: &str) -> Result<String, ConfigError> {
        self.raw(name).ok_or_else(|| ConfigError {
            variable: name,
            message: format!("required {reason}"),
        })
    }

    fn list<T>(
        &self,
        name: &'static str,
        default: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Vec<T>, ConfigError> {
        let value = self.raw(name).unwrap_or_else(|| default.to_owned());
        value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                parse(item).ok_or_else(|| ConfigError {
                    variable: name,
                    message: format!("unknown value {item:?}"),
                })
            })
            .collect()
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env { lookup };
        let app_env = match env.raw("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("production") => AppEnv::Production,
            Some(other) => {
                return Err(ConfigError {
                    variable: "APP_ENV",
                    message: format!("{other:?} is neither development nor production"),
                });
            }
        };
        let database = database_config(&env, app_env)?;
        let services: BTreeSet<ServiceName> = match env.raw("SERVICES").as_deref() {
            None | Some("all") => ServiceName::ALL.into_iter().collect(),
            Some(_) => env
                .list("SERVICES", "", ServiceName::parse)?
                .into_iter()
                .collect(),
        };
        if services.is_empty() {
            return Err(ConfigError {
                variable: "SERVICES",
                message: "name at least one service, or `all`".into(),
            });
        }
        let settings = Settings {
            max_questions: env.positive("MAX_QUESTIONS", 12)?,
            min_questions: env.positive("MIN_QUESTIONS", 5)?,
            minimal_score: env.parse("MINIMAL_SCORE", 6.0)?,
            top_best_count: env.positive("TOP_BEST_COUNT", 40)?,
            max_ideas_loop: env.parse("MAX_IDEAS_LOOP", 1)?,
            event_timeout: env.millis("EVENT_TIMEOUT_MS", 30_000)?,
            stalking_deadline: env.seconds("STALKING_DEADLINE_S", 20)?,
            session_deadline: env.seconds("GIFT_SESSION_DEADLINE_S", 120)?,
            ideas_deadline: env.seconds("IDEAS_DEADLINE_S", 30)?,
            marketplaces: env.list("MARKETPLACES", "catalog", Marketplace::parse)?,
            products_per_query: env.positive("PRODUCTS_PER_QUERY", 20)?,
            query_cache_ttl: env.seconds("QUERY_CACHE_TTL_S", 600)?,
            provider_timeout: env.seconds("PROVIDER_TIMEOUT_S", 15)?,
            provider_retries: env.parse("PROVIDER_RETRIES", 2)?,
            interview_timeout: env.seconds("INTERVIEW_TIMEOUT_S", 30)?,
            profile_timeout: env.seconds("PROFILE_TIMEOUT_S", 180)?,
            scrape_cache_ttl: Duration::from_secs(env.positive("STALKING_CACHE_TTL_H", 24)? * 3600),
            extraction_timeout: env.seconds("EXTRACTION_TIMEOUT_S", 30)?,
            ideas_timeout: env.seconds("IDEAS_TIMEOUT_S", 20)?,
            scoring_timeout: env.seconds("SCORING_TIMEOUT_S", 30)?,
            sweep_interval: env.millis("SWEEP_INTERVAL_MS", 1_000)?,
            outbox_poll_interval: env.millis("OUTBOX_POLL_MS", 1_000)?,
            retention: Retention {
                inbox: env.days("INBOX_RETENTION_DAYS", 14)?,
                tombstones: env.days("TOMBSTONE_RETENTION_DAYS", 30)?,
                call_log: env.days("CALL_LOG_RETENTION_DAYS", 7)?,
                guest_ttl: env.days("GUEST_TTL_DAYS", 30)?,
                interval: env.seconds("RETENTION_INTERVAL_S", 3600)?,
                batch_size: env.positive("RETENTION_BATCH_SIZE", 500)?,
            },
        };
        check_settings(&settings)?;
        let providers = ProviderConfig {
            llm: llm_config(&env)?,
            ..provider_config(&env, &settings, &services)?
        };
        let broker = BrokerConfig {
            amqp_url: env.raw("AMQP_URL"),
            namespace: env
                .raw("AMQP_NAMESPACE")
                .unwrap_or_else(|| Topology::DEFAULT_NAMESPACE.to_owned()),
            prefetch: env.positive("AMQP_PREFETCH", 32)?,
            provider_prefetch: env.positive("AMQP_PROVIDER_PREFETCH", 256)?,
            delivery_limit: env.positive("DELIVERY_LIMIT", 5)?,
            retry: RetryPolicy {
                base: env.millis("RETRY_BASE_MS", 200)?,
                max: env.millis("RETRY_MAX_MS", 10_000)?,
            },
            publish_timeout: env.seconds("PUBLISH_TIMEOUT_S", 30)?,
            connection_name: format!("present-finder {}", hostname()),
            // Scratch deployments (benchmarks, previews) let idle queues vanish.
            queue_expiry: match env.raw("AMQP_QUEUE_EXPIRY_S") {
                Some(_) => Some(env.seconds("AMQP_QUEUE_EXPIRY_S", 1)?),
                None => None,
            },
            // The services' queues are added where the services start (they depend on the
            // marketplaces searched).
            service_queues: Vec::new(),
            chaos: env.flag("BROKER_CHAOS", false)?,
        };
        if let Some(url) = &broker.amqp_url
            && !(url.starts_with("amqp://") || url.starts_with("amqps://"))
        {
            return Err(ConfigError {
                variable: "AMQP_URL",
                message: "must start with amqp:// or amqps://".into(),
            });
        }
        let web = WebConfig::from_lookup(&|name| env.raw(name), app_env == AppEnv::Production)
            .map_err(|(variable, message)| ConfigError { variable, message })?;
        Ok(Self {
            app_env,
            host: env.parse("HOST", IpAddr::from([0, 0, 0, 0]))?,
            port: env.parse("PORT", 3000)?,
            database,
            broker,
            services,
            settings,
            providers,
            web,
            shutdown_timeout: env.seconds("SHUTDOWN_TIMEOUT_S", 30)?,
        })
    }
}

/// The LLM's configuration: both `OPENAI_API_KEY` and `OPENAI_BASE_URL`, or neither (the
/// embedded providers); one without the other is a mistake, not a choice.
fn llm_config<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<Option<LlmConfig>, ConfigError> {
    let (api_key, base_url) = match (env.raw("OPENAI_API_KEY"), env.raw("OPENAI_BASE_URL")) {
        (None, None) => return Ok(None),
        (Some(key), Some(url)) => (key, url),
        (Some(_), None) => {
            return Err(ConfigError {
                variable: "OPENAI_BASE_URL",
                message: "must be set with OPENAI_API_KEY (e.g. https://api.openai.com/v1)".into(),
            });
        }
        (None, Some(_)) => {
            return Err(ConfigError {
                variable: "OPENAI_API_KEY",
                message: "must be set with OPENAI_BASE_URL".into(),
            });
        }
    };
    if url::Url::parse(&base_url).map_or(true, |url| !["http", "https"].contains(&url.scheme())) {
        return Err(ConfigError {
            variable: "OPENAI_BASE_URL",
            message: format!("{base_url:?} is not an http(s) URL"),
        });
    }
    let model = |name: &'static str| {
        env.raw(name)
            .unwrap_or_else(|| LlmConfig::DEFAULT_MODEL.to_owned())
    };
    let defaults = LlmConfig::new(api_key, base_url);
    Ok(Some(LlmConfig {
        models: LlmModels {
            interview: model("LLM_MODEL_INTERVIEW"),
            facts: model("LLM_MODEL_FACTS"),
            ideas: model("LLM_MODEL_IDEAS"),
            scoring: model("LLM_MODEL_SCORING"),
        },
        timeout: env.seconds("LLM_TIMEOUT_S", defaults.timeout.as_secs())?,
        max_concurrency: env.positive("LLM_MAX_CONCURRENCY", defaults.max_concurrency)?,
        scoring_max: env.positive("LLM_SCORING_MAX", defaults.scoring_max)?,
        ..defaults
    }))
}

fn database_config<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
    app_env: AppEnv,
) -> Result<DatabaseConfig, ConfigError> {
    let admin_url = env
        .raw("DATABASE_URL")
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = url::Url::parse(&admin_url).map_err(|e| ConfigError {
        variable: "DATABASE_URL",
        message: format!("not a URL: {e}"),
    })?;
    if !matches!(admin.scheme(), "postgres" | "postgresql") {
        return Err(ConfigError {
            variable: "DATABASE_URL",
            message: "must be a postgres:// URL".into(),
        });
    }
    let mut urls = BTreeMap::new();
    for database in ServiceDatabase::ALL {
        let variable = database.url_variable();
        let url = match env.raw(variable) {
            Some(url) => {
                url::Url::parse(&url).map_err(|e| ConfigError {
                    variable,
                    message: format!("not a URL: {e}"),
                })?;
                url
            }
            None if app_env == AppEnv::Production => {
                return Err(ConfigError {
                    variable,
                    message: "required in production (each service connects with its own role and password)".into(),
                });
            }
            None => derived_url(&admin, database),
        };
        urls.insert(database, url);
    }
    Ok(DatabaseConfig {
        admin_url,
        urls,
        pool_size: env.positive("DB_POOL_SIZE", 8)?,
        migrate_on_start: env.flag("MIGRATE_ON_START", true)?,
        setup_on_start: env.flag("DB_SETUP_ON_START", app_env == AppEnv::Development)?,
    })
}

/// The marketplaces of `MARKETPLACES` and BrightData (when `BRIGHTDATA_API_KEY` is set).
/// A process that searches (fetch) or sends queries (gift-ideas) needs the credentials of
/// every marketplace named: without them nothing would answer those queries.
fn provider_config<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
    settings: &Settings,
    services: &BTreeSet<ServiceName>,
) -> Result<ProviderConfig, ConfigError> {
    let searches =
        services.contains(&ServiceName::Fetch) || services.contains(&ServiceName::GiftIdeas);
    let wanted = |marketplace| searches && settings.marketplaces.contains(&marketplace);
    let mut config = ProviderConfig::default();
    if wanted(Marketplace::Olx) {
        config.olx = Some(OlxConfig {
            base_url: env.url("OLX_BASE_URL", "https://www.olx.pl")?,
        });
    }
    if wanted(Marketplace::Allegro) {
        let why = "when MARKETPLACES names allegro";
        let (api, site) = if env.flag("ALLEGRO_SANDBOX", false)? {
            (
                "https://api.allegro.pl.allegrosandbox.pl",
                "https://allegro.pl.allegrosandbox.pl",
            )
        } else {
            ("https://api.allegro.pl", "https://allegro.pl")
        };
        config.allegro = Some(AllegroConfig {
            api_url: env.url("ALLEGRO_API_URL", api)?,
            site_url: env.url("ALLEGRO_SITE_URL", site)?,
            client_id: env.required("ALLEGRO_CLIENT_ID", why)?,
            client_secret: Secret::new(env.required("ALLEGRO_CLIENT_SECRET", why)?),
        });
    }
    if wanted(Marketplace::Ebay) {
        let why = "when MARKETPLACES names ebay";
        config.ebay = Some(EbayConfig {
            api_url: env.url("EBAY_API_URL", "https://api.ebay.com")?,
            marketplace_id: env
                .raw("EBAY_MARKETPLACE_ID")
                .unwrap_or_else(|| EbayConfig::DEFAULT_MARKETPLACE.to_owned()),
            client_id: env.required("EBAY_CLIENT_ID", why)?,
            client_secret: Secret::new(env.required("EBAY_CLIENT_SECRET", why)?),
        });
    }
    if wanted(Marketplace::Amazon) {
        config.amazon = Some(AmazonConfig {
            api_url: env.url(
                "AMAZON_API_URL",
                "https://real-time-amazon-data.p.rapidapi.com",
            )?,
            api_key: Secret::new(env.required("RAPIDAPI_KEY", "when MARKETPLACES names amazon")?),
            country: env
                .raw("AMAZON_COUNTRY")
                .unwrap_or_else(|| "PL".to_owned())
                .to_uppercase(),
        });
    }
    if let Some(api_key) = env.raw("BRIGHTDATA_API_KEY") {
        config.brightdata = Some(BrightDataConfig {
            api_url: env.url("BRIGHTDATA_API_URL", "https://api.brightdata.com")?,
            api_key: Secret::new(api_key),
            poll_interval: env.millis("BRIGHTDATA_POLL_MS", 5_000)?,
        });
    }
    Ok(config)
}

/// The development default of a service database: same server as `DATABASE_URL`, the
/// service's own role (`<key>_user`, password `<key>_dev_password`) and database.
fn derived_url(admin: &url::Url, database: ServiceDatabase) -> String {
    let mut url = admin.clone();
    let _ = url.set_username(&database.default_role_name());
    let _ = url.set_password(Some(&format!("{}_dev_password", database.key())));
    url.set_path(&database.default_database_name());
    url.to_string()
}

fn check_settings(settings: &Settings) -> Result<(), ConfigError> {
    if settings.min_questions > settings.max_questions {
        return Err(ConfigError {
            variable: "MIN_QUESTIONS",
            message: format!("must not exceed MAX_QUESTIONS ({})", settings.max_questions),
        });
    }
    if !(1.0..=10.0).contains(&settings.minimal_score) {
        return Err(ConfigError {
            variable: "MINIMAL_SCORE",
            message: "must be between 1 and 10".into(),
        });
    }
    if settings.retention.tombstones < settings.retention.inbox {
        // An event redelivered after its inbox entry is gone must still meet its chat's
        // tombstone, or it could recreate data of an erased chat.
        return Err(ConfigError {
            variable: "TOMBSTONE_RETENTION_DAYS",
            message: "must not be shorter than INBOX_RETENTION_DAYS".into(),
        });
    }
    if settings.marketplaces.is_empty() {
        return Err(ConfigError {
            variable: "MARKETPLACES",
            message: "name at least one marketplace".into(),
        });
    }
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "local".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_llm_needs_both_its_key_and_its_url() {
        assert!(config(&[]).unwrap().providers.llm.is_none());
        let error = config(&[("OPENAI_API_KEY", "sk-test")]).unwrap_err();
        assert_eq!(error.variable, "OPENAI_BASE_URL");
        let error = config(&[("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")]).unwrap_err();
        assert_eq!(error.variable, "OPENAI_API_KEY");
        let error =
            config(&[("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "localhost")]).unwrap_err();
        assert_eq!(error.variable, "OPENAI_BASE_URL");
        let llm = config(&[
            ("OPENAI_API_KEY", "sk-test"),
            ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"),
            ("LLM_MODEL_SCORING", "llama3.1"),
            ("LLM_SCORING_MAX", "30"),
        ])
        .unwrap()
        .providers
        .llm
        .unwrap();
        assert_eq!(llm.models.scoring, "llama3.1");
        assert_eq!(llm.models.interview, "gpt-4o-mini");
        assert_eq!(llm.scoring_max, 30);
        assert_eq!(llm.max_concurrency, 64);
        assert_eq!(llm.timeout, Duration::from_secs(20));
        assert!(!format!("{llm:?}").contains("sk-test"));
        let error = config(&[
            ("OPENAI_API_KEY", "k"),
            ("OPENAI_BASE_URL", "http://x"),
            ("LLM_MAX_CONCURRENCY", "0"),
        ])
        .unwrap_err();
        assert_eq!(error.variable, "LLM_MAX_CONCURRENCY");
    }

    #[test]
    fn defaults_run_everything_locally() {
        let config = config(&[]).unwrap();
        assert_eq!(config.port, 3000);
        assert!(config.broker.amqp_url.is_none());
        assert_eq!(config.services.len(), ServiceName::ALL.len());
        assert_eq!(config.settings.max_questions, 12);
        assert_eq!(config.settings.top_best_count, 40);
        let day = Duration::from_secs(24 * 3600);
        assert_eq!(config.settings.retention.inbox, 14 * day);
        assert_eq!(config.settings.retention.tombstones, 30 * day);
        assert_eq!(config.settings.retention.guest_ttl, 30 * day);
        assert_eq!(config.settings.interview_timeout, Duration::from_secs(30));
        assert_eq!(config.settings.scoring_timeout, Duration::from_secs(30));
        assert!(config.database.setup_on_start);
        assert_eq!(
            config.database.urls[&ServiceDatabase::Chat],
            "postgres://chat_user:chat_dev_password@127.0.0.1:5432/chat_service"
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (vars, variable) in [
            (vec![("PORT", "eighty")], "PORT"),
            (vec![("MAX_QUESTIONS", "0")], "MAX_QUESTIONS"),
            (vec![("SERVICES", "chat,billing")], "SERVICES"),
            (vec![("MARKETPLACES", "olx,shopee")], "MARKETPLACES"),
            (vec![("AMQP_URL", "http://rabbit")], "AMQP_URL"),
            (vec![("MIGRATE_ON_START", "maybe")], "MIGRATE_ON_START"),
            (vec![("MIN_QUESTIONS", "20")], "MIN_QUESTIONS"),
            (vec![("INTERVIEW_TIMEOUT_S", "0")], "INTERVIEW_TIMEOUT_S"),
            (vec![("SCORING_TIMEOUT_S", "soon")], "SCORING_TIMEOUT_S"),
            (vec![("APP_ENV", "staging")], "APP_ENV"),
            (vec![("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![("INBOX_RETENTION_DAYS", "0")], "INBOX_RETENTION_DAYS"),
            (
                vec![("INBOX_RETENTION_DAYS", "two")],
                "INBOX_RETENTION_DAYS",
            ),
            (vec![("GUEST_TTL_DAYS", "-1")], "GUEST_TTL_DAYS"),
            (vec![("GUEST_TTL_DAYS", "100000")], "GUEST_TTL_DAYS"),
            (
                vec![("CALL_LOG_RETENTION_DAYS", "0")],
                "CALL_LOG_RETENTION_DAYS",
            ),
            (vec![("RETENTION_INTERVAL_S", "0")], "RETENTION_INTERVAL_S"),
            (vec![("RETENTION_BATCH_SIZE", "0")], "RETENTION_BATCH_SIZE"),
            (
                vec![
                    ("INBOX_RETENTION_DAYS", "40"),
                    ("TOMBSTONE_RETENTION_DAYS", "30"),
                ],
                "TOMBSTONE_RETENTION_DAYS",
            ),
        ] {
            let error = config(&vars).unwrap_err();
            assert_eq!(error.variable, variable, "{error}");
        }
    }

    #[test]
    fn production_requires_each_service_url_and_a_jwt_secret() {
        let error = config(&[("APP_ENV", "production")]).unwrap_err();
        assert_eq!(error.variable, "RESTAPI_DATABASE_URL");
        let mut vars: Vec<(String, String)> = ServiceDatabase::ALL
            .iter()
            .map(|db| {
                (
                    db.url_variable().to_owned(),
                    format!("postgres://{}_user:pw@db/{}_service", db.key(), db.key()),
                )
            })
            .collect();
        vars.push(("APP_ENV".into(), "production".into()));
        let vars_ref: Vec<(&str, &str)> =
            vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let error = config(&vars_ref).unwrap_err();
        assert_eq!(error.variable, "JWT_SECRET");
    }

    #[test]
    fn debug_output_holds_no_secret() {
        let config = config(&[
            ("DATABASE_URL", "postgres://admin:admin-pw@db:5432/postgres"),
            ("CHAT_DATABASE_URL", "postgres://chat:chat-pw@db:5432/chat"),
            ("AMQP_URL", "amqp://app:amqp-pw@rabbit:5672/%2f"),
            ("JWT_SECRET", "jwt-secret-of-at-least-32-characters!"),
            ("GOOGLE_CLIENT_ID", "client-id"),
            ("GOOGLE_CLIENT_SECRET", "google-pw"),
            (
                "GOOGLE_REDIRECT_URL",
                "http://localhost:3000/auth/google/callback",
            ),
        ])
        .unwrap();
        let shown = format!("{config:?}");
        assert!(
            shown.contains("postgres://chat:***@db:5432/chat"),
            "{shown}"
        );
        assert!(config.web.google.is_some(), "{shown}");
        for secret in ["admin-pw", "chat-pw", "amqp-pw", "jwt-secret", "google-pw"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn retention_settings_are_read() {
        let config = config(&[
            ("INBOX_RETENTION_DAYS", "3"),
            ("TOMBSTONE_RETENTION_DAYS", "3"),
            ("CALL_LOG_RETENTION_DAYS", "2"),
            ("GUEST_TTL_DAYS", "90"),
            ("RETENTION_INTERVAL_S", "60"),
            ("RETENTION_BATCH_SIZE", "100"),
        ])
        .unwrap();
        let retention = &config.settings.retention;
        let day = Duration::from_secs(24 * 3600);
        assert_eq!(retention.inbox, 3 * day);
        assert_eq!(retention.tombstones, 3 * day);
        assert_eq!(retention.call_log, 2 * day);
        assert_eq!(retention.guest_ttl, 90 * day);
        assert_eq!(retention.interval, Duration::from_secs(60));
        assert_eq!(retention.batch_size, 100);
    }

    #[test]
    fn a_marketplace_without_its_credentials_stops_the_start() {
        for (marketplaces, given, missing) in [
            ("allegro", vec![], "ALLEGRO_CLIENT_ID"),
            (
                "catalog,allegro",
                vec![("ALLEGRO_CLIENT_ID", "id")],
                "ALLEGRO_CLIENT_SECRET",
            ),
            ("ebay", vec![("EBAY_CLIENT_SECRET", "pw")], "EBAY_CLIENT_ID"),
            (
                "olx,ebay",
                vec![("EBAY_CLIENT_ID", "id")],
                "EBAY_CLIENT_SECRET",
            ),
            ("amazon", vec![], "RAPIDAPI_KEY"),
            ("olx", vec![("OLX_BASE_URL", "ftp://olx")], "OLX_BASE_URL"),
            (
                "amazon",
                vec![("RAPIDAPI_KEY", "key"), ("AMAZON_API_URL", "not a url")],
                "AMAZON_API_URL",
            ),
        ] {
            let mut vars = given;
            vars.push(("MARKETPLACES", marketplaces));
            let error = config(&vars).unwrap_err();
            assert_eq!(error.variable, missing, "{marketplaces}: {error}");
            assert!(error.to_string().contains(missing), "{error}");
        }
        // A process that neither searches nor sends queries needs no marketplace credentials.
        let web_only = config(&[("MARKETPLACES", "allegro"), ("SERVICES", "restapi,chat")]);
        assert!(web_only.unwrap().providers.allegro.is_none());
    }

    #[test]
    fn marketplaces_and_brightdata_are_configured_from_their_variables() {
        let config = config(&[
            ("MARKETPLACES", "catalog,olx,allegro,ebay,amazon"),
            ("ALLEGRO_CLIENT_ID", "allegro-id"),
            ("ALLEGRO_CLIENT_SECRET", "allegro-pw"),
            ("ALLEGRO_SANDBOX", "true"),
            ("EBAY_CLIENT_ID", "ebay-id"),
            ("EBAY_CLIENT_SECRET", "ebay-pw"),
            ("RAPIDAPI_KEY", "rapid-pw"),
            ("BRIGHTDATA_API_KEY", "bright-pw"),
            ("BRIGHTDATA_API_URL", "http://127.0.0.1:9/"),
            ("STALKING_CACHE_TTL_H", "2"),
        ])
        .unwrap();
        let providers = &config.providers;
        assert_eq!(
            providers.olx.as_ref().unwrap().base_url,
            "https://www.olx.pl"
        );
        let allegro = providers.allegro.as_ref().unwrap();
        assert_eq!(allegro.api_url, "https://api.allegro.pl.allegrosandbox.pl");
        assert_eq!(allegro.site_url, "https://allegro.pl.allegrosandbox.pl");
        let ebay = providers.ebay.as_ref().unwrap();
        assert_eq!(ebay.marketplace_id, "EBAY_PL");
        assert_eq!(ebay.api_url, "https://api.ebay.com");
        assert_eq!(providers.amazon.as_ref().unwrap().country, "PL");
        let brightdata = providers.brightdata.as_ref().unwrap();
        assert_eq!(brightdata.api_url, "http://127.0.0.1:9");
        assert_eq!(brightdata.poll_interval, Duration::from_secs(5));
        assert_eq!(
            config.settings.scrape_cache_ttl,
            Duration::from_secs(2 * 3600)
        );
        let shown = format!("{config:?}");
        for secret in ["allegro-pw", "ebay-pw", "rapid-pw", "bright-pw"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("allegro-id"), "{shown}");
        // Nothing configured: the catalog and no profile reading, as before.
        let plain = super::Config::from_lookup(|_| None).unwrap();
        assert!(plain.providers.olx.is_none() && plain.providers.brightdata.is_none());
    }

    #[test]
    fn services_subset() {
        let config = config(&[("SERVICES", "chat, reranking")]).unwrap();
        assert_eq!(
            config.services,
            BTreeSet::from([ServiceName::Chat, ServiceName::Reranking])
        );
    }
}
