//! Migrations of all six databases apply, revert and apply again; `db setup` is idempotent
//! and gives each service a role that can reach only its own database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_schema::provision::{self, DatabaseTarget};
use present_finder_schema::testing::{TestDatabases, admin_url};
use present_finder_schema::{ServiceDatabase, migrate};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

async fn table_count(url: &str, schema: &str) -> i64 {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    let row: Count = sql_query(
        "SELECT count(*) AS count FROM information_schema.tables \
         WHERE table_schema = $1 AND table_name <> '__diesel_schema_migrations'",
    )
    .bind::<Text, _>(schema)
    .get_result(&mut conn)
    .await
    .unwrap();
    row.count
}

#[actix_rt::test]
async fn every_migration_applies_reverts_and_applies_again() {
    let databases = TestDatabases::create_empty().await.unwrap();
    for database in ServiceDatabase::ALL {
        let url = databases.url(database);
        let schema = databases.schema(database).to_owned();
        let embedded = migrate::embedded_versions(database).unwrap();
        assert!(!embedded.is_empty());

        let applied = migrate::run_pending_async(url.clone(), database)
            .await
            .unwrap();
        assert_eq!(
            applied, embedded,
            "{database}: all migrations applied in order"
        );
        let tables = table_count(&url, &schema).await;
        assert!(
            tables >= 3,
            "{database}: inbox, outbox and its own tables ({tables})"
        );

        let revert_url = url.clone();
        let reverted = migrate::on_own_thread(move || migrate::revert_all(&revert_url, database))
            .await
            .unwrap();
        let mut newest_first = embedded.clone();
        newest_first.reverse();
        assert_eq!(
            reverted, newest_first,
            "{database}: every down.sql ran, newest first"
        );
        assert_eq!(
            table_count(&url, &schema).await,
            0,
            "{database}: down leaves nothing"
        );

        let reapplied = migrate::run_pending_async(url.clone(), database)
            .await
            .unwrap();
        assert_eq!(reapplied, embedded);
        assert_eq!(table_count(&url, &schema).await, tables);
        let pending_url = url.clone();
        let pending = migrate::on_own_thread(move || migrate::has_pending(&pending_url, database))
            .await
            .unwrap();
        assert!(!pending);
    }
}

/// Real roles and databases (named uniquely for this test), removed at the end.
struct Provisioned {
    targets: Vec<DatabaseTarget>,
}

impl Provisioned {
    fn new() -> Self {
        let id = &uuid::Uuid::new_v4().simple().to_string()[..10];
        let targets = ServiceDatabase::ALL
            .into_iter()
            .map(|database| DatabaseTarget {
                database,
                role: format!("pf{id}_{}_user", database.key()),
                password: Some(format!("secret-{}-{id}", database.key())),
                database_name: format!("pf{id}_{}", database.key()),
            })
            .collect();
        Self { targets }
    }

    fn url_as(&self, role_of: ServiceDatabase, database_of: ServiceDatabase) -> String {
        let role = self.target(role_of);
        let mut url = url::Url::parse(&admin_url()).unwrap();
        url.set_username(&role.role).unwrap();
        url.set_password(role.password.as_deref()).unwrap();
        url.set_path(&self.target(database_of).database_name);
        url.to_string()
    }

    fn target(&self, database: ServiceDatabase) -> &DatabaseTarget {
        self.targets
            .iter()
            .find(|t| t.database == database)
            .unwrap()
    }

    async fn drop_all(&self) {
        let mut admin = AsyncPgConnection::establish(&admin_url()).await.unwrap();
        for target in &self.targets {
            sql_query(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                target.database_name
            ))
            .execute(&mut admin)
            .await
            .unwrap();
            sql_query(format!("DROP ROLE IF EXISTS \"{}\"", target.role))
                .execute(&mut admin)
                .await
                .unwrap();
        }
    }
}

#[actix_rt::test]
async fn db_setup_is_idempotent_and_isolates_each_service() {
    let provisioned = Provisioned::new();
    let outcome = async {
        let first = provision::setup(&admin_url(), &provisioned.targets)
            .await
            .unwrap();
        assert!(first.iter().all(|r| r.role_created && r.database_created));
        let second = provision::setup(&admin_url(), &provisioned.targets)
            .await
            .unwrap();
        assert!(
            second
                .iter()
                .all(|r| !r.role_created && !r.database_created)
        );

        // Each role owns its database: it can connect and migrate it.
        for database in ServiceDatabase::ALL {
            let url = provisioned.url_as(database, database);
            migrate::run_pending_async(url, database).await.unwrap();
        }
        // The chat role cannot even connect to the restapi database.
        let foreign = provisioned.url_as(ServiceDatabase::Chat, ServiceDatabase::Restapi);
        let refused = AsyncPgConnection::establish(&foreign).await;
        let error = refused.err().expect("the chat role is refused").to_string();
        assert!(error.contains("permission denied"), "{error}");
        // Nor can any other service's role reach another's database.
        let foreign = provisioned.url_as(ServiceDatabase::Reranking, ServiceDatabase::Fetch);
        assert!(AsyncPgConnection::establish(&foreign).await.is_err());
    };
    // Clean up whatever happened.
    let result = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(outcome)).await;
    provisioned.drop_all().await;
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
