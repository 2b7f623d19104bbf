-- What a fresh install of the story platform starts with: the narrator, art styles, languages, prompt templates and
-- the free-creation story template. Editors change them later; these rows are only inserted once.
INSERT INTO characters (id, owner_id, name, avatar, personality, background, description, image_url, icon_url, image_prompt, language, llm_id, character_type, created_at, updated_at)
VALUES ('000000000000000000000001', NULL, '旁白', NULL, '客观、冷静，善于描写环境与氛围', '故事的讲述者，不参与角色之间的对话，只描写场景、动作和氛围。',
        '故事的旁白：描写场景、动作和氛围', NULL, NULL, NULL, NULL, NULL, 'narrator', '2025-01-01 00:00:00', '2025-01-01 00:00:00');

INSERT INTO art_styles (id, name, keyword, description, thumbnail, status, created_at) VALUES
('000000000000000000000101', '动漫', 'anime style, cel shading, vibrant colors', '日系动漫画风', NULL, 'active', '2025-01-01 00:00:00'),
('000000000000000000000102', '写实', 'photorealistic, natural lighting, highly detailed', '照片级写实', NULL, 'active', '2025-01-01 00:00:00'),
('000000000000000000000103', '水彩', 'watercolor painting, soft edges, pastel palette', '水彩插画', NULL, 'active', '2025-01-01 00:00:00'),
('000000000000000000000104', '像素', 'pixel art, 16-bit, limited palette', '复古像素风', NULL, 'inactive', '2025-01-01 00:00:00');

INSERT INTO languages (id, language, created_at) VALUES
('000000000000000000000201', '中文', '2025-01-01 00:00:00'),
('000000000000000000000202', 'English', '2025-01-01 00:00:00'),
('000000000000000000000203', '日本語', '2025-01-01 00:00:00');

INSERT INTO prompt_templates (id, type, name, content, created_at, updated_at) VALUES
('000000000000000000000301', 't2i_character', '角色形象提示词',
 'Write one English prompt for a text-to-image model that draws this character as a single portrait. Art style: {art_style_keyword}. Description: {character_description}. Personality: {personality}. Reference image: {reference_image_description}. Answer with the prompt only.',
 '2025-01-01 00:00:00', '2025-01-01 00:00:00'),
('000000000000000000000302', 't2i_story_background', '故事背景图提示词',
 'Write one English prompt for a text-to-image model that draws the background scene of a story, without people in the foreground. Style: {style_keyword}. Scene: {background_description}. Answer with the prompt only.',
 '2025-01-01 00:00:00', '2025-01-01 00:00:00'),
('000000000000000000000303', 'story_character_system', '角色扮演系统提示词',
 'You are {character_name} in an interactive story. Personality: {personality}. Background: {character_background}. Story: {story_background}. Stay in character, answer in {language}, and speak only for {character_name}.',
 '2025-01-01 00:00:00', '2025-01-01 00:00:00');

INSERT INTO story_templates (id, name, thumbnail, introduction, components, max_characters, hidden_prompt, status, created_at, updated_at) VALUES
('free-creation', '自由创作', NULL, '不限题材，自由设定角色与开场。', '[]', 5, NULL, 'active', '2025-01-01 00:00:00', '2025-01-01 00:00:00');
