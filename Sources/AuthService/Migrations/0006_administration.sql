-- Role and status changes of a delegator bump its delegates: find them by delegator.
CREATE INDEX delegations_from ON delegations (from_membership) WHERE revoked_at IS NULL;
-- Administrators search users by email prefix and companies by slug or name.
CREATE INDEX users_email_pattern ON users (lower(email) text_pattern_ops);
-- A used refresh token's successor, sealed under the key-encryption key, so a client retrying
-- a lost response within the grace window gets the same successor (NULL once the window passed).
ALTER TABLE refresh_tokens ADD COLUMN successor_sealed bytea;
