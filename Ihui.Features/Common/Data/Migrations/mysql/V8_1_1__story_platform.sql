-- Seed 003's story platform, part 1: wallet accounts and tokens, characters, stories, catalogs.
-- Ids of platform objects are 24 hex digits (ObjectId-shaped, as the seed's clients expect); story templates keep
-- the readable ids clients give them (e.g. free-creation).
CREATE TABLE wallet_accounts (
    user_id        VARCHAR(36) NOT NULL PRIMARY KEY,
    wallet_address VARCHAR(42) NOT NULL,
    is_editor      INT         NOT NULL DEFAULT 0,
    last_login_at  DATETIME(6) NULL,
    created_at     DATETIME(6) NOT NULL,
    UNIQUE KEY ux_wallet_accounts_address (wallet_address)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE wallet_nonces (
    nonce          VARCHAR(64) NOT NULL PRIMARY KEY,
    wallet_address VARCHAR(42) NOT NULL,
    message        TEXT        NOT NULL,
    issued_at      DATETIME(6) NOT NULL,
    expires_at     DATETIME(6) NOT NULL,
    used_at        DATETIME(6) NULL,
    KEY ix_wallet_nonces_address (wallet_address, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE wallet_tokens (
    id              VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id         VARCHAR(36) NOT NULL,
    token_hash      CHAR(64)    NOT NULL,
    token_protected TEXT        NOT NULL,
    expires_at      DATETIME(6) NOT NULL,
    revoked_at      DATETIME(6) NULL,
    created_at      DATETIME(6) NOT NULL,
    UNIQUE KEY ux_wallet_tokens_hash (token_hash),
    KEY ix_wallet_tokens_user (user_id, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE data_protection_keys (
    name       VARCHAR(255) NOT NULL PRIMARY KEY,
    xml        MEDIUMTEXT   NOT NULL,
    created_at DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE characters (
    id             VARCHAR(24)   NOT NULL PRIMARY KEY,
    owner_id       VARCHAR(36)   NULL,
    name           VARCHAR(255)  NOT NULL,
    avatar         VARCHAR(2048) NULL,
    personality    MEDIUMTEXT    NULL,
    background     MEDIUMTEXT    NULL,
    description    MEDIUMTEXT    NULL,
    image_url      VARCHAR(2048) NULL,
    icon_url       VARCHAR(2048) NULL,
    image_prompt   MEDIUMTEXT    NULL,
    language       VARCHAR(64)   NULL,
    llm_id         VARCHAR(128)  NULL,
    character_type VARCHAR(32)   NOT NULL DEFAULT 'character',
    created_at     DATETIME(6)   NOT NULL,
    updated_at     DATETIME(6)   NOT NULL,
    KEY ix_characters_owner (owner_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE stories (
    id                   VARCHAR(24)   NOT NULL PRIMARY KEY,
    owner_id             VARCHAR(36)   NOT NULL,
    title                VARCHAR(255)  NOT NULL,
    setting              MEDIUMTEXT    NULL,
    status               VARCHAR(16)   NOT NULL DEFAULT 'draft',
    template_id          VARCHAR(64)   NULL,
    template_content     MEDIUMTEXT    NULL,
    background_music_id  VARCHAR(24)   NULL,
    bg_image_url         VARCHAR(2048) NULL,
    language             VARCHAR(64)   NULL,
    settings             MEDIUMTEXT    NULL,
    opening_messages     MEDIUMTEXT    NULL,
    generated_background MEDIUMTEXT    NULL,
    published_at         DATETIME(6)   NULL,
    created_at           DATETIME(6)   NOT NULL,
    updated_at           DATETIME(6)   NOT NULL,
    KEY ix_stories_owner (owner_id, created_at),
    KEY ix_stories_published (status, published_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE story_characters (
    story_id     VARCHAR(24) NOT NULL,
    position     INT         NOT NULL,
    character_id VARCHAR(24) NOT NULL,
    PRIMARY KEY (story_id, position),
    KEY ix_story_characters_character (character_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A user's play-through of a story (part 2 adds its messages); here it decides which stories are still unstarted.
CREATE TABLE conversations (
    id              VARCHAR(24) NOT NULL PRIMARY KEY,
    user_id         VARCHAR(36) NOT NULL,
    story_id        VARCHAR(24) NOT NULL,
    status          VARCHAR(16) NOT NULL DEFAULT 'active',
    last_message_id VARCHAR(24) NULL,
    created_at      DATETIME(6) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    KEY ix_conversations_user_story (user_id, story_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE system_prompt_posts (
    id         VARCHAR(24) NOT NULL PRIMARY KEY,
    owner_id   VARCHAR(36) NOT NULL,
    content    MEDIUMTEXT  NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_system_prompt_posts_owner (owner_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE languages (
    id         VARCHAR(24) NOT NULL PRIMARY KEY,
    language   VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_languages_language (language)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE story_templates (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    name           VARCHAR(255)  NOT NULL,
    thumbnail      VARCHAR(2048) NULL,
    introduction   MEDIUMTEXT    NULL,
    components     MEDIUMTEXT    NULL,
    max_characters INT           NOT NULL DEFAULT 5,
    hidden_prompt  MEDIUMTEXT    NULL,
    status         VARCHAR(16)   NOT NULL DEFAULT 'active',
    created_at     DATETIME(6)   NOT NULL,
    updated_at     DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE music (
    id         VARCHAR(24)   NOT NULL PRIMARY KEY,
    name       VARCHAR(255)  NOT NULL,
    url        VARCHAR(2048) NOT NULL,
    type       VARCHAR(64)   NOT NULL,
    created_at DATETIME(6)   NOT NULL,
    updated_at DATETIME(6)   NOT NULL,
    KEY ix_music_type (type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE art_styles (
    id          VARCHAR(24)   NOT NULL PRIMARY KEY,
    name        VARCHAR(255)  NOT NULL,
    keyword     VARCHAR(255)  NOT NULL,
    description MEDIUMTEXT    NULL,
    thumbnail   VARCHAR(2048) NULL,
    status      VARCHAR(16)   NOT NULL DEFAULT 'active',
    created_at  DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE prompt_templates (
    id         VARCHAR(24)  NOT NULL PRIMARY KEY,
    type       VARCHAR(64)  NOT NULL,
    name       VARCHAR(255) NOT NULL,
    content    MEDIUMTEXT   NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    updated_at DATETIME(6)  NOT NULL,
    UNIQUE KEY ux_prompt_templates_type (type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
