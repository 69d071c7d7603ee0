-- Messages for users (password-reset links) written by the local/dev sender instead of email.
-- The production sender delivers through the configured provider and stores nothing here.
CREATE TABLE outgoing_messages (
    id         bigserial PRIMARY KEY,
    recipient  text NOT NULL,
    kind       text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
