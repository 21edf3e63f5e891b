//! What the embedded providers know without an LLM: light Polish/English text analysis and the
//! interest taxonomy (interests, their synonyms, gift ideas and search queries). Shared by the
//! interviewer, the fact extractor, the idea generator, the catalog search and the scorer.

pub mod gender;
pub mod intensity;
pub mod interests;
pub mod life_stage;
pub mod matching;
pub mod text;

pub use interests::{Interest, InterestMatch, LifeArea, StatedInterest};
