-- Venue: a company's venues and their bookings. Two confirmed bookings of one venue never
-- overlap: the database refuses it (an exclusion constraint over the venue and the booked
-- period), so concurrent confirmations cannot both win whatever the code does. Holds may
-- overlap (a venue pencils in several requests; only one is confirmed).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE venues (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL,
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    city        text CHECK (length(city) <= 200),
    capacity    integer CHECK (capacity BETWEEN 1 AND 1000000),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id)
);
CREATE INDEX venues_company_position ON venues (company_id, position);

CREATE TABLE bookings (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL,
    venue_id    uuid NOT NULL,
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text NOT NULL DEFAULT 'hold' CHECK (status IN ('hold', 'confirmed', 'canceled')),
    notes       text CHECK (length(notes) <= 4000),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    -- A booking is of a venue of its own company.
    FOREIGN KEY (company_id, venue_id) REFERENCES venues (company_id, id) ON DELETE CASCADE,
    CONSTRAINT bookings_confirmed_never_overlap
        EXCLUDE USING gist (venue_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'confirmed')
);
CREATE INDEX bookings_venue_position ON bookings (venue_id, position);
