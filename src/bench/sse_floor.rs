//! The floor under `bench sse`: a bare actix-web server with the same HTTP stack, worker
//! count and SSE encoding as `serve` and none of its work (no authentication, database,
//! broker or hub). It holds event streams open on `GET /sse` and pushes one event to all of
//! them on `POST /push`. What `bench sse --floor` measures on it is what the stack and the
//! machine cost by themselves.

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, Responder, get, post, web};
use actix_web_lab::sse;
use futures_util::stream;
use tokio::sync::broadcast::{self, error::RecvError};

/// As `serve` (`SSE_KEEP_ALIVE_S`'s default).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A ui event about the size of the one `bench sse` pushes through `serve` (an answer's echo).
const PAYLOAD: &str = r#"{"type":"chatbot-message","message":{"id":"5f0c6d1e-8a4b-4c2e-9d3f-1a2b3c4d5e6f","content":"Lubi biegać i pić kawę","sender":"user"}}"#;

type Pushes = broadcast::Sender<u64>;

/// Runs the floor server on `port` until it is killed.
pub fn serve(port: u16) -> anyhow::Result<()> {
    crate::serve::block_on(async move {
        let (pushes, _) = broadcast::channel::<u64>(16);
        HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(pushes.clone()))
                .service(readiness)
                .service(events)
                .service(push)
        })
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
        Ok(())
    })
}

#[get("/health/readiness")]
async fn readiness() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[get("/sse")]
async fn events(pushes: web::Data<Pushes>) -> impl Responder {
    let pushed = stream::unfold(pushes.subscribe(), |mut pushed| async move {
        loop {
            match pushed.recv().await {
                Ok(id) => {
                    let event = sse::Data::new(PAYLOAD)
                        .id(id.to_string())
                        .event("ui-update")
                        .into();
                    return Some((event, pushed));
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    sse::Sse::from_infallible_stream(pushed)
        .with_retry_duration(Duration::from_secs(3))
        .with_keep_alive(KEEP_ALIVE)
}

#[post("/push")]
async fn push(pushes: web::Data<Pushes>) -> impl Responder {
    let _ = pushes.send(1);
    HttpResponse::Created().finish()
}
