-- Windows start at a key's first attempt, as in Redis (INCR + expiry), instead of at fixed clock
-- boundaries: a burst straddling a boundary could otherwise pass twice the limit.
DELETE FROM rate_limit_counters a USING rate_limit_counters b
    WHERE a.key = b.key AND a.window_start < b.window_start;
ALTER TABLE rate_limit_counters DROP CONSTRAINT rate_limit_counters_pkey;
ALTER TABLE rate_limit_counters ADD PRIMARY KEY (key);
