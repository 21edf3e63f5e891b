//! Present Finder's actor system: the event catalog, the Broker actor and the services.

pub mod broker;
pub mod events;
pub mod knowledge;
pub mod llm;
pub mod services;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vocabulary;
