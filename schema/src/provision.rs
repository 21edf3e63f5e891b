//! `present-finder db setup`: creates one login role per service, with its own password, and
//! the service's database owned by that role, from an administrator URL. Idempotent: running
//! it again changes nothing but the passwords (set to what the URLs say).

use anyhow::{Context, bail};
use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use url::Url;

use crate::ServiceDatabase;

/// Serialises concurrent `db setup` runs (several replicas starting at once).
const SETUP_LOCK_KEY: i64 = 0x5046_5345_5455_5001;

/// Where one service's database should live, as its connection URL says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseTarget {
    pub database: ServiceDatabase,
    pub role: String,
    pub password: Option<String>,
    pub database_name: String,
}

impl DatabaseTarget {
    /// Reads role, password and database name from a service URL such as
    /// `postgres://chat_user:secret@db:5432/chat_service`.
    pub fn from_url(database: ServiceDatabase, url: &str) -> anyhow::Result<Self> {
        let parsed =
            Url::parse(url).with_context(|| format!("{} is not a URL", database.url_variable()))?;
        let role = parsed.username().to_owned();
        let database_name = parsed.path().trim_start_matches('/').to_owned();
        if role.is_empty() {
            bail!("{} names no user", database.url_variable());
        }
        if database_name.is_empty() {
            bail!("{} names no database", database.url_variable());
        }
        check_identifier(&role).with_context(|| format!("user in {}", database.url_variable()))?;
        check_identifier(&database_name)
            .with_context(|| format!("database in {}", database.url_variable()))?;
        let password = parsed.password().map(percent_decode).transpose()?;
        Ok(Self {
            database,
            role,
            password,
            database_name,
        })
    }
}

/// What `db setup` did for one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupReport {
    pub database: ServiceDatabase,
    pub role_created: bool,
    pub database_created: bool,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Creates the roles and databases of `targets`, connecting with `admin_url`.
pub async fn setup(
    admin_url: &str,
    targets: &[DatabaseTarget],
) -> anyhow::Result<Vec<SetupReport>> {
    let mut conn = AsyncPgConnection::establish(admin_url)
        .await
        .with_context(|| format!("cannot connect to {}", crate::redact_url(admin_url)))?;
    let admin_role = current_user(&mut conn).await?;
    sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(SETUP_LOCK_KEY)
        .execute(&mut conn)
        .await?;
    let mut reports = Vec::with_capacity(targets.len());
    let mut result = Ok(());
    for target in targets {
        match setup_one(&mut conn, admin_url, &admin_role, target).await {
            Ok(report) => reports.push(report),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<diesel::sql_types::BigInt, _>(SETUP_LOCK_KEY)
        .execute(&mut conn)
        .await?;
    result.map(|()| reports)
}

async fn setup_one(
    conn: &mut AsyncPgConnection,
    admin_url: &str,
    admin_role: &str,
    target: &DatabaseTarget,
) -> anyhow::Result<SetupReport> {
    let role = quote_identifier(&target.role);
    let database = quote_identifier(&target.database_name);
    // A service configured to use the administrator's own role gets no role of its own.
    let own_role = target.role != admin_role;
    let role_created = own_role
        && !exists(
            conn,
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists",
            &target.role,
        )
        .await?;
    if own_role {
        let password = match &target.password {
            Some(p) => format!("PASSWORD {}", quote_literal(p)),
            None => "PASSWORD NULL".to_owned(),
        };
        let verb = if role_created { "CREATE" } else { "ALTER" };
        sql_query(format!(
            "{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT {password}"
        ))
        .execute(conn)
        .await
        .with_context(|| format!("{verb} ROLE {}", target.role))?;
    }
    let database_created = !exists(
        conn,
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists",
        &target.database_name,
    )
    .await?;
    if database_created {
        sql_query(format!("CREATE DATABASE {database} OWNER {role}"))
            .execute(conn)
            .await
            .with_context(|| format!("CREATE DATABASE {}", target.database_name))?;
    } else {
        sql_query(format!("ALTER DATABASE {database} OWNER TO {role}"))
            .execute(conn)
            .await?;
    }
    // Only the owning role (and superusers) may connect: no other service can read it.
    sql_query(format!("REVOKE ALL ON DATABASE {database} FROM PUBLIC"))
        .execute(conn)
        .await?;
    give_public_schema(admin_url, target).await?;
    Ok(SetupReport {
        database: target.database,
        role_created,
        database_created,
    })
}

/// The service's role owns the `public` schema of its database, whatever the template
/// database's `public` schema belonged to.
async fn give_public_schema(admin_url: &str, target: &DatabaseTarget) -> anyhow::Result<()> {
    let mut url = Url::parse(admin_url).context("DATABASE_URL")?;
    url.set_path(&target.database_name);
    let mut conn = AsyncPgConnection::establish(url.as_str())
        .await
        .with_context(|| {
            format!(
                "cannot connect to the new {} database",
                target.database_name
            )
        })?;
    sql_query(format!(
        "ALTER SCHEMA public OWNER TO {}",
        quote_identifier(&target.role)
    ))
    .execute(&mut conn)
    .await?;
    Ok(())
}

async fn exists(conn: &mut AsyncPgConnection, query: &str, name: &str) -> anyhow::Result<bool> {
    let row: Exists = sql_query(query)
        .bind::<Text, _>(name)
        .get_result(conn)
        .await?;
    Ok(row.exists)
}

#[derive(QueryableByName)]
struct CurrentUser {
    #[diesel(sql_type = Text)]
    name: String,
}

async fn current_user(conn: &mut AsyncPgConnection) -> anyhow::Result<String> {
    let row: CurrentUser = sql_query("SELECT current_user::text AS name")
        .get_result(conn)
        .await?;
    Ok(row.name)
}

/// Role and database names are interpolated into DDL (which takes no bind parameters), so
/// only plain identifiers are accepted.
fn check_identifier(name: &str) -> anyhow::Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        bail!(
            "{name:?} must be 1-63 lowercase letters, digits or underscores, not starting with a digit"
        );
    }
    Ok(())
}

fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn percent_decode(value: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut iter = value.bytes();
    while let Some(b) = iter.next() {
        if b == b'%' {
            let hex = [iter.next(), iter.next()];
            let [Some(h), Some(l)] = hex else {
                bail!("malformed percent-encoding in a database password");
            };
            let digit = |c: u8| (c as char).to_digit(16);
            let (Some(h), Some(l)) = (digit(h), digit(l)) else {
                bail!("malformed percent-encoding in a database password");
            };
            bytes.push((h * 16 + l) as u8);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).context("a database password is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_role_password_and_database_from_a_url() {
        let target = DatabaseTarget::from_url(
            ServiceDatabase::Chat,
            "postgres://chat_user:s%40cret@db:5432/chat_service",
        )
        .unwrap();
        assert_eq!(target.role, "chat_user");
        assert_eq!(target.password.as_deref(), Some("s@cret"));
        assert_eq!(target.database_name, "chat_service");
    }

    #[test]
    fn rejects_names_that_would_need_quoting() {
        let err = DatabaseTarget::from_url(ServiceDatabase::Chat, "postgres://a@db/chat;drop")
            .unwrap_err();
        assert!(format!("{err:#}").contains("CHAT_DATABASE_URL"), "{err:#}");
    }

    #[test]
    fn literals_are_quoted() {
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
