//! Benchmarks. Each prints its figures; none is a test.

mod broker;
mod chats;
mod child;
mod cluster;
mod faults;
mod llm_mock;
mod pipeline;
mod quality;
mod shops;
mod simulated;
mod soak;
mod sse;
mod sse_floor;
mod startup;

use std::time::Duration;

use clap::{Subcommand, ValueEnum};

use crate::config::Config;

#[derive(Subcommand)]
pub enum Target {
    /// Events per second through the Broker (persistent, confirmed, acked on RabbitMQ).
    Broker {
        /// Events per transport.
        #[arg(long, default_value_t = 100_000)]
        events: usize,
        /// Publishes in flight at once.
        #[arg(long, default_value_t = 512)]
        window: usize,
        #[arg(long, value_enum, default_value_t = Transports::Both)]
        transport: Transports,
    },
    /// Whole gift searches through every service and database, answering the first
    /// suggestion: sessions per second and start → gift-ready latency.
    Pipeline {
        #[arg(long, default_value_t = 200)]
        sessions: usize,
        /// Sessions running at once.
        #[arg(long, default_value_t = 50)]
        concurrency: usize,
        #[arg(long, value_enum, default_value_t = Transports::Both)]
        transport: Transports,
        /// Search OLX, Allegro, eBay and Amazon through their real clients against local
        /// mocks instead of the bundled catalog.
        #[arg(long)]
        shops: bool,
        /// The mocks answer each search after a delay between these bounds (ms).
        #[arg(long, value_delimiter = '-', num_args = 1, default_value = "300-1500")]
        shop_delay_ms: Vec<u64>,
        /// Every step through the LLM client, against a local mock answering after this
        /// many milliseconds; adds turn latency, tokens, connections and memory.
        #[arg(long)]
        llm_latency_ms: Option<u64>,
        /// LLM calls in flight at most (LLM_MAX_CONCURRENCY) with `--llm-latency-ms`.
        #[arg(long, default_value_t = 256)]
        llm_max_concurrency: usize,
        /// Each simulated user thinks for a time between these bounds (ms) before each
        /// answer, as people read the question first; 0-0 answers at once.
        #[arg(long, value_delimiter = '-', num_args = 1, default_value = "0-0")]
        think_ms: Vec<u64>,
    },
    /// How well the gifts fit: recipient personas answer the interview in their own words and
    /// each top 10 is judged against the persona's relevance judgments (precision@10, nDCG@10,
    /// budget, owned/disliked and life-stage violations, category spread).
    Quality {
        /// Only the personas whose id contains one of these.
        #[arg(long, value_delimiter = ',')]
        personas: Vec<String>,
        /// Print every interview and top 10.
        #[arg(long)]
        verbose: bool,
    },
    /// What a search costs in LLM tokens: `pipeline --llm-latency-ms 0` on the in-process
    /// bus (tokens counted as characters / 4, the mock reporting no usage).
    LlmCost {
        #[arg(long, default_value_t = 20)]
        sessions: usize,
        #[arg(long, default_value_t = 5)]
        concurrency: usize,
    },
    /// Whole searches over HTTP/SSE against 1, 2, 3… `serve` processes on RabbitMQ (needs
    /// AMQP_URL): sessions per second and latency for each count, beside PostgreSQL's
    /// ceiling measured with pgbench.
    Cluster {
        /// Process counts to measure, one after the other.
        #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
        processes: Vec<usize>,
        #[arg(long, default_value_t = 150)]
        sessions: usize,
        /// Searches running at once.
        #[arg(long, default_value_t = 50)]
        concurrency: usize,
    },
    /// `GET /chats` of a user whose 20 searches have finished (each with its gifts) under
    /// wrk, against `serve` on scratch databases (RabbitMQ when AMQP_URL is set).
    Chats {
        #[arg(long, default_value_t = 32)]
        connections: u32,
        #[arg(long, default_value_t = 20)]
        seconds: u32,
        #[arg(long, default_value_t = 20)]
        chats: usize,
    },
    /// Many SSE connections on one `serve`, then one event pushed to each: delivery
    /// latency and server memory (RabbitMQ when AMQP_URL is set).
    Sse {
        #[arg(long, default_value_t = 10_000)]
        connections: usize,
        /// Chats the connections follow (each chat's event goes to all its followers).
        #[arg(long, default_value_t = 100)]
        chats: usize,
        /// Against a bare actix-web SSE server instead of `serve`: what the HTTP stack and
        /// the machine cost alone.
        #[arg(long)]
        floor: bool,
    },
    /// The bare SSE server `bench sse --floor` measures (listens on `PORT`).
    #[command(hide = true)]
    SseFloorServer,
    /// Searches over HTTP/SSE against `serve` processes on RabbitMQ while faults hit them
    /// (needs AMQP_URL unless the rabbitmq fault runs, which starts a private node): prints
    /// `N searches, N completed, N failed cleanly, N lost, N duplicated`; fails unless
    /// nothing was lost or duplicated and no dead letter is left. `postgres` restarts the
    /// machine's PostgreSQL: every other user of it loses their connections.
    Faults {
        #[arg(long, default_value_t = 100)]
        searches: usize,
        /// `serve` processes (every service in each).
        #[arg(long, default_value_t = 2)]
        processes: usize,
        #[arg(long, value_enum, value_delimiter = ',', default_value = "kill,chaos")]
        faults: Vec<faults::Fault>,
    },
    /// A bounded mixed workload of whole searches over HTTP/SSE against one `serve`
    /// (RabbitMQ when AMQP_URL is set): memory, database connections, file descriptors and
    /// table sizes at the start and the end, and whether they stayed flat; zero errors.
    Soak {
        #[arg(long, default_value_t = 10)]
        minutes: u64,
    },
    /// Time from start to ready and idle memory of `serve` with every service.
    Startup {
        /// Starts to measure.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// How long the process idles before its memory is read.
        #[arg(long, default_value_t = 10)]
        idle_seconds: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Transports {
    InProcess,
    Amqp,
    Both,
}

impl Transports {
    pub fn selected(self) -> Vec<Transports> {
        match self {
            Transports::Both => vec![Transports::InProcess, Transports::Amqp],
            one => vec![one],
        }
    }
}

pub fn run(config: Config, target: Target) -> anyhow::Result<()> {
    match target {
        Target::Broker {
            events,
            window,
            transport,
        } => crate::serve::block_on(broker::run(config, events, window, transport)),
        Target::Pipeline {
            sessions,
            concurrency,
            transport,
            shops,
            shop_delay_ms,
            llm_latency_ms,
            llm_max_concurrency,
            think_ms,
        } => {
            let shop_delay = bounds(&shop_delay_ms, "--shop-delay-ms")?;
            let shops = shops.then_some(shop_delay);
            let think = bounds(&think_ms, "--think-ms")?;
            let users = pipeline::Users {
                sessions,
                concurrency,
                think: Duration::from_millis(*think.start())..=Duration::from_millis(*think.end()),
            };
            let llm = llm_latency_ms.map(|ms| pipeline::LlmRun {
                latency: std::time::Duration::from_millis(ms),
                max_concurrency: llm_max_concurrency,
            });
            crate::serve::block_on(pipeline::run(config, users, transport, llm, shops))
        }
        Target::Quality { personas, verbose } => {
            crate::serve::block_on(quality::run(config, personas, verbose))
        }
        Target::LlmCost {
            sessions,
            concurrency,
        } => {
            let llm = pipeline::LlmRun {
                latency: std::time::Duration::ZERO,
                max_concurrency: 64,
            };
            let users = pipeline::Users {
                sessions,
                concurrency,
                think: Duration::ZERO..=Duration::ZERO,
            };
            crate::serve::block_on(pipeline::run(
                config,
                users,
                Transports::InProcess,
                Some(llm),
                None,
            ))
        }
        Target::Cluster {
            processes,
            sessions,
            concurrency,
        } => crate::serve::block_on(cluster::run(config, processes, sessions, concurrency)),
        Target::Chats {
            connections,
            seconds,
            chats,
        } => crate::serve::block_on(chats::run(config, connections, seconds, chats)),
        Target::Sse {
            connections,
            chats,
            floor,
        } => crate::serve::block_on(sse::run(config, connections, chats, floor)),
        Target::SseFloorServer => sse_floor::serve(config.port),
        Target::Faults {
            searches,
            processes,
            faults,
        } => crate::serve::block_on(faults::run(config, searches, processes, faults)),
        Target::Soak { minutes } => crate::serve::block_on(soak::run(config, minutes)),
        Target::Startup { runs, idle_seconds } => startup::run(runs, idle_seconds),
    }
}

/// Prints a line of results (benchmarks report on stdout).
/// A `LOW-HIGH` option's two bounds.
fn bounds(values: &[u64], flag: &str) -> anyhow::Result<std::ops::RangeInclusive<u64>> {
    match values {
        &[low, high] if low <= high => Ok(low..=high),
        _ => anyhow::bail!("{flag} takes two bounds, the lower first: 300-1500"),
    }
}

pub fn report(line: impl std::fmt::Display) {
    #[allow(clippy::print_stdout)]
    {
        println!("{line}");
    }
}
