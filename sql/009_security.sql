-- 009: API tokens expire (issue 19).  NULL: a token made before this
-- migration, which never expires until it is revoked; new ones get a date.

ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
