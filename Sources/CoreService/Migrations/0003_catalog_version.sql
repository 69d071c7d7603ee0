-- A counter bumped by every catalog write, so instances can cache the catalog and still see
-- every change on their next read (one cheap row instead of three catalog queries).
CREATE TABLE catalog_state (
    id      smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version bigint NOT NULL DEFAULT 1
);
INSERT INTO catalog_state (id, version) VALUES (1, 1);
