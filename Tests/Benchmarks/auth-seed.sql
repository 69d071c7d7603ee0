-- Auth for the benchmark: the 10,000 companies of core-seed.sql (same ids), approved; 1,000
-- users (u1..u1000@bench.test, one password hash given as :'hash'), each a member of company i
-- with the member role and a grant for every module.
INSERT INTO companies (id, slug, name, status)
    SELECT md5(i::text)::uuid, 'c' || i, 'Company ' || i, 'approved' FROM generate_series(1, 10000) i;
INSERT INTO users (id, email, password_hash)
    SELECT md5('user' || i)::uuid, 'u' || i || '@bench.test', :'hash' FROM generate_series(1, 1000) i;
INSERT INTO memberships (id, user_id, company_id)
    SELECT md5('membership' || i)::uuid, md5('user' || i)::uuid, md5(i::text)::uuid FROM generate_series(1, 1000) i;
INSERT INTO membership_roles (membership_id, role_id)
    SELECT md5('membership' || i)::uuid, '00000000-0000-4000-8000-000000000003' FROM generate_series(1, 1000) i;
INSERT INTO membership_module_grants (membership_id, module_key)
    SELECT md5('membership' || i)::uuid, m FROM generate_series(1, 1000) i,
           unnest(ARRAY['core_app', 'finance', 'market', 'touring', 'venue', 'ai']) m;
INSERT INTO company_entitlement_versions (company_id, version) SELECT md5(i::text)::uuid, 1 FROM generate_series(1, 10000) i;
ANALYZE;
