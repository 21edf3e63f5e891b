//! `bench soak`: a bounded mixed workload against one `serve` (RabbitMQ when `AMQP_URL` is
//! set): browsers that each search over HTTP + SSE, read their chats and results, and delete
//! every third search, over and over for the given minutes. The server's memory (RSS), open
//! database connections (pg_stat_activity, by the process's sockets), file descriptors and
//! its databases' table sizes are compared idle after a warm-up and idle at the end (with
//! the peak of the samples taken every 30 s under load), with whether they stayed flat. Any failed request or search is an
//! error; there must be none.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use present_finder_schema::ServiceDatabase;
use present_finder_web::browser::Browser;
use present_finder_web::driver::Ending;

use super::child::ScratchServer;
use super::cluster::{TEST_DATABASE, psql};
use super::report;
use crate::config::Config;

/// Browsers searching at once.
const BROWSERS: usize = 8;
/// How often the server is sampled under load.
const SAMPLE_EVERY: Duration = Duration::from_secs(30);
/// Longer than the server's keep-alive (5 s) and its SSE keep-alive comments (15 s, the
/// first write that finds a stream's browser gone): the browsers' connections are closed.
const IDLE_AFTER: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Default)]
struct Sample {
    rss_kib: u64,
    db_connections: u64,
    fds: u64,
    fd_kinds: BTreeMap<String, u64>,
    table_kib: u64,
    outbox_rows: u64,
}

impl Sample {
    /// The higher of each figure.
    fn max(&self, other: &Sample) -> Sample {
        Sample {
            rss_kib: self.rss_kib.max(other.rss_kib),
            db_connections: self.db_connections.max(other.db_connections),
            fds: self.fds.max(other.fds),
            fd_kinds: self.fd_kinds.clone(),
            table_kib: self.table_kib.max(other.table_kib),
            outbox_rows: self.outbox_rows.max(other.outbox_rows),
        }
    }
}

pub async fn run(config: Config, minutes: u64) -> anyhow::Result<()> {
    // Retention runs every minute, and cached marketplace answers expire after one: the
    // tables it prunes are pruned within the run (inbox entries and tombstones only go after
    // a day, so those grow with the searches, as chats and listings do).
    let extra = [
        ("RETENTION_INTERVAL_S", "60".to_owned()),
        ("QUERY_CACHE_TTL_S", "60".to_owned()),
        ("MIN_QUESTIONS", "2".to_owned()),
        ("MAX_QUESTIONS", "4".to_owned()),
        ("MAX_IDEAS_LOOP", "0".to_owned()),
        ("STALKING_DEADLINE_S", "2".to_owned()),
    ];
    let server = ScratchServer::start(&config, &extra).await?;
    report(format!(
        "bench soak: {minutes} min of whole searches by {BROWSERS} browsers over HTTP/SSE, on the {}",
        server.transport
    ));
    let result = soak(&server, Duration::from_secs(minutes * 60)).await;
    server.stop().await;
    result
}

async fn soak(server: &ScratchServer, length: Duration) -> anyhow::Result<()> {
    let base = format!("http://127.0.0.1:{}", server.port());
    let started = Instant::now();
    // A warm-up (pools filled, caches loaded), then the figures of the idle server: the
    // requests in flight at the moment of a sample move its sockets and memory, so the
    // start and the end are compared idle, each after the keep-alive closed the browsers'
    // connections.
    let warm_up = (length / 5).min(Duration::from_secs(60));
    let (searches, errors) = browsers(&base, started + warm_up).await;
    let idle = || async {
        tokio::time::sleep(IDLE_AFTER).await;
        sample(server)
    };
    let first = idle().await?;
    let deadline = started + length;
    let sampling = async {
        let mut peak = first.clone();
        while Instant::now() < deadline {
            tokio::time::sleep(
                SAMPLE_EVERY.min(deadline.saturating_duration_since(Instant::now())),
            )
            .await;
            match sample(server) {
                Ok(sample) => {
                    log::info!("{:>4} s: {sample:?}", started.elapsed().as_secs());
                    peak = peak.max(&sample);
                }
                Err(error) => log::warn!("sampling failed: {error:#}"),
            }
        }
        peak
    };
    let ((more, failed), peak) =
        futures_util::future::join(browsers(&base, deadline), sampling).await;
    let (searches, errors) = (searches + more, errors + failed);
    let last = idle().await?;
    let flat = |start: u64, end: u64, slack: u64| end <= start + slack;
    let verdict = |ok: bool| if ok { "flat" } else { "GREW" };
    report(format!(
        "  {searches} searches in {:.1} min, {errors} errors; idle after the warm-up → idle at the end (peak under load)",
        started.elapsed().as_secs_f64() / 60.0
    ));
    for (what, start, end, top, slack) in [
        (
            "RSS KiB",
            first.rss_kib,
            last.rss_kib,
            peak.rss_kib,
            first.rss_kib / 5,
        ),
        (
            "DB connections",
            first.db_connections,
            last.db_connections,
            peak.db_connections,
            2,
        ),
        ("open fds", first.fds, last.fds, peak.fds, 5),
        (
            "outbox rows",
            first.outbox_rows,
            last.outbox_rows,
            peak.outbox_rows,
            0,
        ),
    ] {
        report(format!(
            "  {what:<15} {start:>8} → {end:>8} ({top:>8})  {}",
            verdict(flat(start, end, slack))
        ));
    }
    let kinds: BTreeSet<&String> = first.fd_kinds.keys().chain(last.fd_kinds.keys()).collect();
    let by_kind: Vec<String> = kinds
        .into_iter()
        .map(|kind| {
            let count = |sample: &Sample| sample.fd_kinds.get(kind).copied().unwrap_or(0);
            format!("{kind} {} → {}", count(&first), count(&last))
        })
        .collect();
    report(format!("    fds by kind: {}", by_kind.join(", ")));
    report(format!(
        "  {:<15} {:>8} → {:>8}             (chats, listings and inbox entries grow with the searches)",
        "tables KiB", first.table_kib, last.table_kib
    ));
    if errors > 0 {
        bail!("{errors} errors");
    }
    Ok(())
}

/// `BROWSERS` browsers searching until `deadline`: searches, errors.
async fn browsers(base: &str, deadline: Instant) -> (usize, usize) {
    futures_util::future::join_all((0..BROWSERS).map(|_| browse(base, deadline)))
        .await
        .into_iter()
        .fold((0, 0), |(searches, errors), (s, e)| {
            (searches + s, errors + e)
        })
}

/// One browser's searches until `deadline`: search, read the chat list and the results,
/// delete every third search. How many searches, how many failed.
async fn browse(base: &str, deadline: Instant) -> (usize, usize) {
    let (mut searches, mut errors) = (0, 0);
    let mut browser = None;
    while Instant::now() < deadline {
        // A new guest now and then, as new visitors come.
        if searches % 10 == 0 {
            browser = None;
        }
        let result = async {
            let guest = match browser.take() {
                Some(guest) => guest,
                None => Browser::guest(base).await?,
            };
            let end = guest.search().await?;
            let Ending::Ready { .. } = end.ending else {
                bail!("chat {} ended with {:?}", end.chat_id, end.ending);
            };
            for path in [
                "/chats".to_owned(),
                format!("/chats/{}/listings", end.chat_id),
            ] {
                let status = guest.get(&path).await?.status();
                if status != 200 {
                    bail!("GET {path} answered {status}");
                }
            }
            if searches % 3 == 2 {
                let status = guest
                    .http
                    .delete(format!("{base}/chats/{}", end.chat_id))
                    .bearer_auth(&guest.token)
                    .send()
                    .await?
                    .status();
                if status != 204 {
                    bail!("deleting a chat answered {status}");
                }
            }
            anyhow::Ok(guest)
        }
        .await;
        searches += 1;
        match result {
            Ok(guest) => browser = Some(guest),
            Err(error) => {
                errors += 1;
                log::error!("{error:#}");
            }
        }
    }
    (searches, errors)
}

fn sample(server: &ScratchServer) -> anyhow::Result<Sample> {
    let pid = server.server.child.id();
    let fds = open_fds(pid, server.port())?;
    Ok(Sample {
        rss_kib: server.server.resident_kib()?,
        db_connections: db_connections(&fds.postgres_ports)?,
        fds: fds.kinds.values().sum(),
        fd_kinds: fds.kinds,
        table_kib: table_kib(server)?,
        outbox_rows: outbox_rows(server)?,
    })
}

/// A process's open file descriptors by what they are.
struct OpenFds {
    /// "postgres", "rabbitmq", "http" (the server's port), "tcp" (any other peer), "unix",
    /// "udp", "other socket", "pipe", "eventfd", "eventpoll", "timerfd", "file", …
    kinds: BTreeMap<String, u64>,
    /// Local ports of the sockets connected to PostgreSQL.
    postgres_ports: Vec<u16>,
}

fn open_fds(pid: u32, http_port: u16) -> anyhow::Result<OpenFds> {
    let peers = tcp_peers();
    let unix = socket_inodes("/proc/net/unix", 6);
    let udp = ["/proc/net/udp", "/proc/net/udp6"]
        .into_iter()
        .flat_map(|table| socket_inodes(table, 9))
        .collect::<BTreeSet<_>>();
    let mut fds = OpenFds {
        kinds: BTreeMap::new(),
        postgres_ports: Vec::new(),
    };
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))? {
        let target = std::fs::read_link(entry?.path()).unwrap_or_default();
        let target = target.to_string_lossy();
        let kind = if let Some(inode) = target
            .strip_prefix("socket:[")
            .and_then(|rest| rest.strip_suffix(']'))
        {
            match peers.get(inode) {
                Some(&(local, 5432)) => {
                    fds.postgres_ports.push(local);
                    "postgres".to_owned()
                }
                Some((_, 5672)) => "rabbitmq".to_owned(),
                Some(&(local, _)) if local == http_port => "http".to_owned(),
                Some(_) => "tcp".to_owned(),
                None if unix.contains(inode) => "unix".to_owned(),
                None if udp.contains(inode) => "udp".to_owned(),
                // Closed, or in no table yet: in flight between two states.
                None => "other socket".to_owned(),
            }
        } else if let Some(inode) = target.strip_prefix("anon_inode:") {
            inode.trim_matches(['[', ']']).to_owned()
        } else if target.starts_with("pipe:") {
            "pipe".to_owned()
        } else {
            "file".to_owned()
        };
        *fds.kinds.entry(kind).or_default() += 1;
    }
    Ok(fds)
}

/// The inodes (column `column`) of a `/proc/net` socket table.
fn socket_inodes(table: &str, column: usize) -> BTreeSet<String> {
    let text = std::fs::read_to_string(table).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().nth(column))
        .map(str::to_owned)
        .collect()
}

/// Every TCP socket of the machine: inode → (local port, remote port).
fn tcp_peers() -> HashMap<String, (u16, u16)> {
    let port = |address: &str| {
        address
            .rsplit(':')
            .next()
            .and_then(|hex| u16::from_str_radix(hex, 16).ok())
    };
    let mut peers = HashMap::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if let (Some(local), Some(remote), Some(inode)) =
                (fields.get(1), fields.get(2), fields.get(9))
                && let (Some(local), Some(remote)) = (port(local), port(remote))
            {
                peers.insert((*inode).to_owned(), (local, remote));
            }
        }
    }
    peers
}

/// Backends in pg_stat_activity whose client is one of `ports`.
fn db_connections(ports: &[u16]) -> anyhow::Result<u64> {
    if ports.is_empty() {
        return Ok(0);
    }
    let list: Vec<String> = ports.iter().map(u16::to_string).collect();
    let query = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE client_port IN ({})",
        list.join(",")
    );
    let output = psql(&["-d", "postgres", "-Atc", &query])?;
    output.trim().parse().context("pg_stat_activity count")
}

/// The size of every table (with indexes and TOAST) of the server's databases.
fn table_kib(server: &ScratchServer) -> anyhow::Result<u64> {
    let schemas: Vec<String> = ServiceDatabase::ALL
        .into_iter()
        .map(|database| format!("'{}'", server.schema(database)))
        .collect();
    let query = format!(
        "SELECT (coalesce(sum(pg_total_relation_size(c.oid)), 0) / 1024)::bigint FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'r' AND n.nspname IN ({})",
        schemas.join(",")
    );
    let output = psql(&["-d", TEST_DATABASE, "-Atc", &query])?;
    output.trim().parse().context("table sizes")
}

/// Events written to the outboxes and not yet published.
fn outbox_rows(server: &ScratchServer) -> anyhow::Result<u64> {
    let counts: Vec<String> = ServiceDatabase::ALL
        .into_iter()
        .map(|database| format!("(SELECT count(*) FROM {}.outbox)", server.schema(database)))
        .collect();
    let query = format!("SELECT {}", counts.join(" + "));
    let output = psql(&["-d", TEST_DATABASE, "-Atc", &query])?;
    output.trim().parse().context("outbox rows")
}
