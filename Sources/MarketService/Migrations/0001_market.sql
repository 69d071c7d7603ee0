-- Market: listings a company publishes to every company with the market module, and offers
-- other companies make on them. A listing's owner sees it in every state; others see it only
-- published or closed. An offer is seen by the company that made it and the listing's owner.
CREATE TABLE listings (
    id           uuid PRIMARY KEY,
    company_id   uuid NOT NULL,
    position     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description  text CHECK (length(description) <= 4000),
    price_minor  bigint CHECK (price_minor >= 0),
    currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    created_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX listings_company_position ON listings (company_id, position);
CREATE INDEX listings_public_position ON listings (position) WHERE status <> 'draft';

CREATE TABLE offers (
    id            uuid PRIMARY KEY,
    listing_id    uuid NOT NULL REFERENCES listings (id),
    company_id    uuid NOT NULL,  -- the company that makes the offer
    position      bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
    currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    message       text CHECK (length(message) <= 2000),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_by    uuid NOT NULL,
    decided_by    uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX offers_company_position ON offers (company_id, position);
CREATE INDEX offers_listing ON offers (listing_id, position);
-- At most one accepted offer per listing, whatever the code does.
CREATE UNIQUE INDEX offers_one_accepted ON offers (listing_id) WHERE status = 'accepted';
