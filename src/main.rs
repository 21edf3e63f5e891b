//! `present-finder`: the whole gift finder in one binary. `serve` (the default) runs the
//! services selected by `SERVICES` in one actix System; the other commands are operations.

mod bench;
mod config;
mod logging;
mod serve;

use anyhow::Context;
use clap::{Parser, Subcommand};

use config::Config;

/// jemalloc: the services allocate and free many short-lived buffers (JSON, query results)
/// on several threads; measured, it gives about 13% more searches per second than the
/// system allocator and a little less resident memory (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "present-finder",
    version,
    about = "Finds gifts: interview, profiles, marketplaces, ranking"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the services and the web server (the default).
    Serve,
    /// Apply pending migrations of the six databases.
    Migrate,
    /// Database administration.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Dead letters: messages whose handlers kept failing.
    Dlq {
        #[command(subcommand)]
        action: DlqAction,
    },
    /// Benchmarks; they print their figures.
    Bench {
        #[command(subcommand)]
        target: bench::Target,
    },
    /// Print the machine-readable event catalog (JSON Schema).
    EventCatalog,
}

#[derive(Subcommand)]
enum DbAction {
    /// Create one role per service (own password) and the six databases, from DATABASE_URL.
    Setup,
    /// Applied and pending migrations of each database (read with the service URLs).
    Status,
}

#[derive(Subcommand)]
enum DlqAction {
    /// Show dead letters (they stay in the dead-letter queue).
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Send dead letters back to the queue they died in.
    Replay {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    logging::init().context("invalid configuration")?;
    let cli = Cli::parse();
    if let Some(Command::EventCatalog) = cli.command {
        let catalog = present_finder_actors::events::catalog_schema();
        #[allow(clippy::print_stdout)]
        {
            println!("{}", serde_json::to_string_pretty(&catalog)?);
        }
        return Ok(());
    }
    let config = Config::from_env().context("invalid configuration")?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::serve(config),
        Command::Migrate => serve::block_on(serve::migrate_all(config)),
        Command::Db {
            action: DbAction::Setup,
        } => serve::block_on(serve::setup_databases(config)),
        Command::Db {
            action: DbAction::Status,
        } => serve::block_on(serve::database_status(config)),
        Command::Dlq { action } => serve::block_on(async move {
            let broker =
                present_finder_actors::broker::Broker::start(config.broker.clone()).await?;
            match action {
                DlqAction::List { limit } => {
                    let letters = broker.dead_letters(limit).await?;
                    #[allow(clippy::print_stdout)]
                    {
                        println!("{}", serde_json::to_string_pretty(&letters)?);
                    }
                }
                DlqAction::Replay { limit } => {
                    let replayed = broker.replay_dead_letters(limit).await?;
                    log::info!("replayed {replayed} dead letters");
                }
            }
            Ok(())
        }),
        Command::Bench { target } => bench::run(config, target),
        Command::EventCatalog => Ok(()),
    }
}
