-- AI: each company's use of the assist route. `ai_daily_usage` is the quota's ledger (one row
-- per company and UTC day, claimed atomically before a provider is called); `ai_usage_records`
-- keeps every call, its provider, tokens, cost and outcome.
CREATE TABLE ai_daily_usage (
    company_id   uuid NOT NULL,
    day          date NOT NULL,
    requests     integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    tokens       bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
    cost_micros  bigint NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
    PRIMARY KEY (company_id, day)
);

CREATE TABLE ai_usage_records (
    id             uuid PRIMARY KEY,
    company_id     uuid NOT NULL,
    position       bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    user_id        uuid NOT NULL,
    day            date NOT NULL,
    task           text NOT NULL,
    provider       text NOT NULL,
    model          text NOT NULL,
    input_tokens   integer NOT NULL CHECK (input_tokens >= 0),
    output_tokens  integer NOT NULL CHECK (output_tokens >= 0),
    cost_micros    bigint NOT NULL CHECK (cost_micros >= 0),
    outcome        text NOT NULL CHECK (outcome IN ('ok', 'upstream_timeout', 'upstream_failed')),
    duration_ms    integer NOT NULL CHECK (duration_ms >= 0),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_usage_records_company_position ON ai_usage_records (company_id, position);
