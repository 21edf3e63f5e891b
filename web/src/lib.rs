//! The web layer of Present Finder: the REST API, the SSE hub, health and metrics, and the
//! restapi service that turns pipeline events into what the browser sees.

pub mod browser;
pub mod driver;
pub mod http;
pub mod restapi;
pub mod system;
