-- Creating requests with an Idempotency-Key (BusinessBackend's IdempotentCreation): optional on
-- Basic's creates; when sent, the key is claimed in the transaction that creates, so a retried
-- POST never creates twice.
CREATE TABLE idempotency_keys (
    company_id   uuid NOT NULL,
    key          text NOT NULL,
    fingerprint  text NOT NULL,
    response     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, key)
);
