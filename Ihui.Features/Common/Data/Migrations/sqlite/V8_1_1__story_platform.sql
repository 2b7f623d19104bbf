-- Seed 003's story platform, part 1: wallet accounts and tokens, characters, stories, catalogs.
-- Ids of platform objects are 24 hex digits (ObjectId-shaped, as the seed's clients expect); story templates keep
-- the readable ids clients give them (e.g. free-creation).
CREATE TABLE wallet_accounts (
    user_id        TEXT NOT NULL PRIMARY KEY,
    wallet_address TEXT NOT NULL,
    is_editor      INTEGER     NOT NULL DEFAULT 0,
    last_login_at  TEXT NULL,
    created_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_wallet_accounts_address ON wallet_accounts (wallet_address);

CREATE TABLE wallet_nonces (
    nonce          TEXT NOT NULL PRIMARY KEY,
    wallet_address TEXT NOT NULL,
    message        TEXT        NOT NULL,
    issued_at      TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    used_at        TEXT NULL
);
CREATE INDEX ix_wallet_nonces_address ON wallet_nonces (wallet_address, expires_at);

CREATE TABLE wallet_tokens (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL,
    token_hash      TEXT    NOT NULL,
    token_protected TEXT        NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT NULL,
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_wallet_tokens_hash ON wallet_tokens (token_hash);
CREATE INDEX ix_wallet_tokens_user ON wallet_tokens (user_id, expires_at);

CREATE TABLE data_protection_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    xml        TEXT   NOT NULL,
    created_at TEXT  NOT NULL
);

CREATE TABLE characters (
    id             TEXT   NOT NULL PRIMARY KEY,
    owner_id       TEXT   NULL,
    name           TEXT  NOT NULL,
    avatar         TEXT NULL,
    personality    TEXT    NULL,
    background     TEXT    NULL,
    description    TEXT    NULL,
    image_url      TEXT NULL,
    icon_url       TEXT NULL,
    image_prompt   TEXT    NULL,
    language       TEXT   NULL,
    llm_id         TEXT  NULL,
    character_type TEXT   NOT NULL DEFAULT 'character',
    created_at     TEXT   NOT NULL,
    updated_at     TEXT   NOT NULL
);
CREATE INDEX ix_characters_owner ON characters (owner_id, created_at);

CREATE TABLE stories (
    id                   TEXT   NOT NULL PRIMARY KEY,
    owner_id             TEXT   NOT NULL,
    title                TEXT  NOT NULL,
    setting              TEXT    NULL,
    status               TEXT   NOT NULL DEFAULT 'draft',
    template_id          TEXT   NULL,
    template_content     TEXT    NULL,
    background_music_id  TEXT   NULL,
    bg_image_url         TEXT NULL,
    language             TEXT   NULL,
    settings             TEXT    NULL,
    opening_messages     TEXT    NULL,
    generated_background TEXT    NULL,
    published_at         TEXT   NULL,
    created_at           TEXT   NOT NULL,
    updated_at           TEXT   NOT NULL
);
CREATE INDEX ix_stories_owner ON stories (owner_id, created_at);
CREATE INDEX ix_stories_published ON stories (status, published_at);

CREATE TABLE story_characters (
    story_id     TEXT NOT NULL,
    position     INTEGER     NOT NULL,
    character_id TEXT NOT NULL,
    PRIMARY KEY (story_id, position)
);
CREATE INDEX ix_story_characters_character ON story_characters (character_id);

-- A user's play-through of a story (part 2 adds its messages); here it decides which stories are still unstarted.
CREATE TABLE conversations (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL,
    story_id        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active',
    last_message_id TEXT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ix_conversations_user_story ON conversations (user_id, story_id);

CREATE TABLE system_prompt_posts (
    id         TEXT NOT NULL PRIMARY KEY,
    owner_id   TEXT NOT NULL,
    content    TEXT  NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_system_prompt_posts_owner ON system_prompt_posts (owner_id, created_at);

CREATE TABLE languages (
    id         TEXT NOT NULL PRIMARY KEY,
    language   TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_languages_language ON languages (language);

CREATE TABLE story_templates (
    id             TEXT   NOT NULL PRIMARY KEY,
    name           TEXT  NOT NULL,
    thumbnail      TEXT NULL,
    introduction   TEXT    NULL,
    components     TEXT    NULL,
    max_characters INTEGER           NOT NULL DEFAULT 5,
    hidden_prompt  TEXT    NULL,
    status         TEXT   NOT NULL DEFAULT 'active',
    created_at     TEXT   NOT NULL,
    updated_at     TEXT   NOT NULL
);

CREATE TABLE music (
    id         TEXT   NOT NULL PRIMARY KEY,
    name       TEXT  NOT NULL,
    url        TEXT NOT NULL,
    type       TEXT   NOT NULL,
    created_at TEXT   NOT NULL,
    updated_at TEXT   NOT NULL
);
CREATE INDEX ix_music_type ON music (type);

CREATE TABLE art_styles (
    id          TEXT   NOT NULL PRIMARY KEY,
    name        TEXT  NOT NULL,
    keyword     TEXT  NOT NULL,
    description TEXT    NULL,
    thumbnail   TEXT NULL,
    status      TEXT   NOT NULL DEFAULT 'active',
    created_at  TEXT   NOT NULL
);

CREATE TABLE prompt_templates (
    id         TEXT  NOT NULL PRIMARY KEY,
    type       TEXT  NOT NULL,
    name       TEXT NOT NULL,
    content    TEXT   NOT NULL,
    created_at TEXT  NOT NULL,
    updated_at TEXT  NOT NULL
);
CREATE UNIQUE INDEX ux_prompt_templates_type ON prompt_templates (type);
