-- Rate-limit counters for when Redis is unavailable: limits keep holding across every Auth
-- instance (never per-process memory). Fixed windows; old rows are swept.
CREATE TABLE rate_limit_counters (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start);
