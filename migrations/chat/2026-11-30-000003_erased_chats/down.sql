DROP TABLE erased_chats;
