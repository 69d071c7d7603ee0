-- Finance: a company's transactions (integer minor units and an ISO 4217 currency; positive
-- is money in, negative money out) and monthly budgets per category. Every statement is
-- scoped by company_id.
CREATE TABLE transactions (
    id            uuid PRIMARY KEY,
    company_id    uuid NOT NULL,
    position      bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    amount_minor  bigint NOT NULL CHECK (amount_minor <> 0),
    currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    category      text NOT NULL CHECK (length(category) BETWEEN 1 AND 64),
    booked_on     date NOT NULL,
    counterparty  text CHECK (length(counterparty) <= 200),
    memo          text CHECK (length(memo) <= 2000),
    created_by    uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transactions_company_position ON transactions (company_id, position);
CREATE INDEX transactions_company_booked ON transactions (company_id, booked_on);

CREATE TABLE budgets (
    company_id    uuid NOT NULL,
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    category      text NOT NULL CHECK (length(category) BETWEEN 1 AND 64),
    currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount_minor  bigint NOT NULL CHECK (amount_minor >= 0),
    updated_by    uuid NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, month, category, currency)
);

-- Creating requests with an Idempotency-Key (BusinessBackend's IdempotentCreation): the key is
-- claimed in the transaction that books, so a retry never books twice.
CREATE TABLE idempotency_keys (
    company_id   uuid NOT NULL,
    key          text NOT NULL,
    fingerprint  text NOT NULL,
    response     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, key)
);
