-- Basic (the Core App): a company's contacts and calendar events. Every row belongs to one
-- company and every statement is scoped by company_id; `position` orders lists and keys
-- their pages (stable while rows are inserted).
CREATE TABLE contacts (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL,
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text CHECK (length(email) <= 254),
    phone       text CHECK (length(phone) <= 50),
    notes       text CHECK (length(notes) <= 2000),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_company_position ON contacts (company_id, position);

CREATE TABLE calendar_events (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL,
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    location    text CHECK (length(location) <= 200),
    contact_id  uuid REFERENCES contacts (id) ON DELETE SET NULL,
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at)
);
CREATE INDEX calendar_events_company_position ON calendar_events (company_id, position);
CREATE INDEX calendar_events_company_time ON calendar_events (company_id, starts_at);
