-- The canary's one table: short notes, read through the Redis cache.
CREATE TABLE canary_notes (
    id         bigserial PRIMARY KEY,
    body       text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL DEFAULT now()
);
