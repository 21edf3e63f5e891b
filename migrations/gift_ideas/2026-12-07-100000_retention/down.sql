DROP INDEX erased_chats_erased_at;
