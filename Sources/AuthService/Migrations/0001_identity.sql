-- Auth: the identity and access truth (auth_db).

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL,
    password_hash  text NOT NULL,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    platform_roles text[] NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE companies (
    id         uuid PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text NOT NULL,
    status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id),
    company_id     uuid NOT NULL REFERENCES companies (id),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    access_version bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, company_id)
);
CREATE INDEX memberships_company ON memberships (company_id);

-- System roles have company_id NULL; custom roles belong to one company.
CREATE TABLE roles (
    id          uuid PRIMARY KEY,
    company_id  uuid REFERENCES companies (id),
    key         text NOT NULL,
    name        text NOT NULL,
    permissions text[] NOT NULL DEFAULT '{}',
    UNIQUE NULLS NOT DISTINCT (company_id, key)
);

CREATE TABLE membership_roles (
    membership_id uuid NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    role_id       uuid NOT NULL REFERENCES roles (id),
    PRIMARY KEY (membership_id, role_id)
);

CREATE TABLE membership_module_grants (
    membership_id uuid NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    module_key    text NOT NULL,
    PRIMARY KEY (membership_id, module_key)
);

-- A membership grants a subset of its own permissions to another membership of the same company.
CREATE TABLE delegations (
    id                uuid PRIMARY KEY,
    company_id        uuid NOT NULL REFERENCES companies (id),
    from_membership   uuid NOT NULL REFERENCES memberships (id),
    to_membership     uuid NOT NULL REFERENCES memberships (id),
    permissions       text[] NOT NULL,
    expires_at        timestamptz NOT NULL,
    revoked_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (from_membership <> to_membership)
);
CREATE INDEX delegations_to ON delegations (to_membership) WHERE revoked_at IS NULL;

CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    revoke_reason text,
    user_agent   text,
    ip           text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Hashes only; single use; a used token's successor is remembered for reuse detection.
CREATE TABLE refresh_tokens (
    token_hash   bytea PRIMARY KEY,
    session_id   uuid NOT NULL REFERENCES sessions (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    successor    bytea
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- JWT signing keys, private parts encrypted with the key-encryption key.
CREATE TABLE signing_keys (
    kid                   text PRIMARY KEY,
    state                 text NOT NULL CHECK (state IN ('pending', 'active', 'retiring', 'retired')),
    private_key_encrypted bytea NOT NULL,
    public_jwk            jsonb NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    activate_at           timestamptz NOT NULL,
    retire_at             timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active';

CREATE TABLE password_reset_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The latest entitlement version Core has signalled per company (Core's outbox delivers it).
CREATE TABLE company_entitlement_versions (
    company_id uuid PRIMARY KEY,
    version    bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    actor      text NOT NULL,
    action     text NOT NULL,
    target     text,
    outcome    text NOT NULL,
    details    jsonb,
    request_id text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_created ON audit_events (created_at DESC);
