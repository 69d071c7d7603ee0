-- Platform Core: the commercial entitlement truth (platform_core_db).

CREATE TABLE modules (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE packages (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE package_modules (
    package_key text NOT NULL REFERENCES packages (key),
    module_key  text NOT NULL REFERENCES modules (key),
    PRIMARY KEY (package_key, module_key)
);
CREATE INDEX package_modules_module ON package_modules (module_key);

-- An add-on sells one module on its own. Core App is never an add-on: it comes with Basic only.
CREATE TABLE addons (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    module_key text NOT NULL REFERENCES modules (key) CHECK (module_key <> 'core_app'),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addons_module ON addons (module_key);

CREATE TABLE company_subscriptions (
    company_id   uuid PRIMARY KEY,
    package_key  text NOT NULL REFERENCES packages (key),
    status       text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'expired')),
    period_start timestamptz NOT NULL,
    period_end   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end IS NULL OR period_end > period_start)
);
CREATE INDEX company_subscriptions_package ON company_subscriptions (package_key);

CREATE TABLE company_addons (
    company_id   uuid NOT NULL,
    addon_key    text NOT NULL REFERENCES addons (key),
    status       text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'expired')),
    period_start timestamptz NOT NULL,
    period_end   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, addon_key),
    CHECK (period_end IS NULL OR period_end > period_start)
);
CREATE INDEX company_addons_addon ON company_addons (addon_key);

-- Bumped in the same transaction as any change that can alter a company's entitlements.
CREATE TABLE company_entitlement_versions (
    company_id uuid PRIMARY KEY,
    version    bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only.
CREATE TABLE entitlement_history (
    id          bigserial PRIMARY KEY,
    company_id  uuid NOT NULL,
    version     bigint NOT NULL,
    change      text NOT NULL,
    before      jsonb,
    after       jsonb,
    actor       text NOT NULL,
    request_id  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entitlement_history_company ON entitlement_history (company_id, id DESC);

CREATE TABLE audit_events (
    id          bigserial PRIMARY KEY,
    actor       text NOT NULL,
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   text NOT NULL,
    before      jsonb,
    after       jsonb,
    request_id  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id, id DESC);

-- Invalidation signals to Auth, written with the change, delivered by the outbox worker.
CREATE TABLE entitlement_outbox (
    id                  bigserial PRIMARY KEY,
    company_id          uuid NOT NULL,
    entitlement_version bigint NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    attempts            integer NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    delivered_at        timestamptz,
    last_error          text
);
CREATE INDEX entitlement_outbox_pending ON entitlement_outbox (company_id, id) WHERE delivered_at IS NULL;

-- A retried write with the same key returns the first answer instead of applying twice.
CREATE TABLE idempotency_keys (
    caller        text NOT NULL,
    key           text NOT NULL,
    request_hash  text NOT NULL,
    status        integer NOT NULL,
    response      jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
