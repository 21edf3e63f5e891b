//! The `erased_chats` tombstones, present with the same shape in every database that keeps
//! data of a chat (restapi, chat, stalking, gift_ideas, reranking; see the `*_erased_chats`
//! migrations), so one definition serves them all. The fetch database keeps nothing per chat.
//!
//! A tombstone holds a SHA-256 digest of the chat id ([`chat_digest`]), never the id itself:
//! after an erasure no row anywhere names the chat, yet whoever holds the id can still tell
//! that it was erased.

use sha2::{Digest, Sha256};
use uuid::Uuid;

diesel::table! {
    erased_chats (chat_digest) {
        chat_digest -> Bytea,
        erased_at -> Timestamptz,
    }
}

/// The digest an erased chat is remembered by.
pub fn chat_digest(chat_id: Uuid) -> Vec<u8> {
    Sha256::digest(chat_id.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::chat_digest;
    use uuid::Uuid;

    #[test]
    fn the_digest_is_stable_and_does_not_contain_the_id() {
        let id = Uuid::now_v7();
        let digest = chat_digest(id);
        assert_eq!(digest.len(), 32);
        assert_eq!(digest, chat_digest(id));
        assert_ne!(digest, chat_digest(Uuid::now_v7()));
        assert!(!digest.windows(16).any(|w| w == id.as_bytes()));
    }
}
