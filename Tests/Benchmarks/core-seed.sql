-- 10,000 companies: 70% on Basic (some with add-ons), 30% add-ons only.
INSERT INTO modules (key, name) VALUES ('core_app', 'Core App'), ('finance', 'Finance'), ('market', 'Market'),
    ('touring', 'Touring'), ('venue', 'Venue'), ('ai', 'AI');
INSERT INTO packages (key, name) VALUES ('basic', 'Basic');
INSERT INTO package_modules VALUES ('basic', 'core_app');
INSERT INTO addons (key, name, module_key)
    SELECT m || '_addon', m || ' add-on', m FROM unnest(ARRAY['finance', 'market', 'touring', 'venue', 'ai']) m;
INSERT INTO company_subscriptions (company_id, package_key, status, period_start)
    SELECT md5(i::text)::uuid, 'basic', 'active', now() - interval '30 days' FROM generate_series(1, 7000) i;
INSERT INTO company_addons (company_id, addon_key, status, period_start, period_end)
    SELECT md5(i::text)::uuid, (ARRAY['finance_addon', 'market_addon', 'ai_addon'])[1 + i % 3], 'active',
           now() - interval '30 days', now() + interval '335 days'
    FROM generate_series(4001, 10000) i;
INSERT INTO company_entitlement_versions (company_id, version) SELECT md5(i::text)::uuid, 1 FROM generate_series(1, 10000) i;
ANALYZE;
