-- Touring: a company's tours and their shows. A show has a date, a city, an optional venue
-- reference (a Venue id or a venue's name: Touring does not call Venue) and a status
-- hold → confirmed → canceled. Every statement is scoped by company_id.
CREATE TABLE tours (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL,
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    artist      text CHECK (length(artist) <= 200),
    notes       text CHECK (length(notes) <= 4000),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id)
);
CREATE INDEX tours_company_position ON tours (company_id, position);

CREATE TABLE shows (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL,
    tour_id     uuid NOT NULL,
    position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    show_date   date NOT NULL,
    city        text NOT NULL CHECK (length(city) BETWEEN 1 AND 200),
    venue_ref   text CHECK (length(venue_ref) <= 200),
    status      text NOT NULL DEFAULT 'hold' CHECK (status IN ('hold', 'confirmed', 'canceled')),
    notes       text CHECK (length(notes) <= 4000),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- A show belongs to a tour of its own company, enforced by the database.
    FOREIGN KEY (company_id, tour_id) REFERENCES tours (company_id, id) ON DELETE CASCADE
);
CREATE INDEX shows_tour_position ON shows (tour_id, position);
CREATE INDEX shows_company_date ON shows (company_id, show_date);
