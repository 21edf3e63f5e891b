use diesel_migrations::{EmbeddedMigrations, embed_migrations};

const RESTAPI_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/restapi");
const CHAT_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/chat");
const STALKING_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/stalking");
const GIFT_IDEAS_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/gift_ideas");
const RERANKING_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/reranking");
const FETCH_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/fetch");

/// The six databases. Each is owned by one part of the system and touched by nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceDatabase {
    Restapi,
    Chat,
    Stalking,
    GiftIdeas,
    Reranking,
    Fetch,
}

impl ServiceDatabase {
    pub const ALL: [ServiceDatabase; 6] = [
        ServiceDatabase::Restapi,
        ServiceDatabase::Chat,
        ServiceDatabase::Stalking,
        ServiceDatabase::GiftIdeas,
        ServiceDatabase::Reranking,
        ServiceDatabase::Fetch,
    ];

    /// Short name, as in `migrations/<key>/`.
    pub fn key(self) -> &'static str {
        match self {
            ServiceDatabase::Restapi => "restapi",
            ServiceDatabase::Chat => "chat",
            ServiceDatabase::Stalking => "stalking",
            ServiceDatabase::GiftIdeas => "gift_ideas",
            ServiceDatabase::Reranking => "reranking",
            ServiceDatabase::Fetch => "fetch",
        }
    }

    /// The PostgreSQL database name used by default (`<key>_service`).
    pub fn default_database_name(self) -> String {
        format!("{}_service", self.key())
    }

    /// The login role used by default (`<key>_user`).
    pub fn default_role_name(self) -> String {
        format!("{}_user", self.key())
    }

    /// The environment variable holding this database's URL.
    pub fn url_variable(self) -> &'static str {
        match self {
            ServiceDatabase::Restapi => "RESTAPI_DATABASE_URL",
            ServiceDatabase::Chat => "CHAT_DATABASE_URL",
            ServiceDatabase::Stalking => "STALKING_DATABASE_URL",
            ServiceDatabase::GiftIdeas => "GIFT_IDEAS_DATABASE_URL",
            ServiceDatabase::Reranking => "RERANKING_DATABASE_URL",
            ServiceDatabase::Fetch => "FETCH_DATABASE_URL",
        }
    }

    pub fn migrations(self) -> EmbeddedMigrations {
        match self {
            ServiceDatabase::Restapi => RESTAPI_MIGRATIONS,
            ServiceDatabase::Chat => CHAT_MIGRATIONS,
            ServiceDatabase::Stalking => STALKING_MIGRATIONS,
            ServiceDatabase::GiftIdeas => GIFT_IDEAS_MIGRATIONS,
            ServiceDatabase::Reranking => RERANKING_MIGRATIONS,
            ServiceDatabase::Fetch => FETCH_MIGRATIONS,
        }
    }
}

impl std::fmt::Display for ServiceDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
