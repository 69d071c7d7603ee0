-- The system roles every company has. Permissions are `module.action`: access aggregation
-- keeps only those whose module the company is entitled to and the membership is granted.
INSERT INTO roles (id, company_id, key, name, permissions) VALUES
    ('00000000-0000-4000-8000-000000000001', NULL, 'owner', 'Owner',
     ARRAY['core_app.manage', 'core_app.read', 'core_app.write', 'finance.manage', 'finance.read', 'finance.write',
           'market.manage', 'market.read', 'market.write', 'touring.manage', 'touring.read', 'touring.write',
           'venue.manage', 'venue.read', 'venue.write', 'ai.manage', 'ai.read', 'ai.write']),
    ('00000000-0000-4000-8000-000000000002', NULL, 'admin', 'Admin',
     ARRAY['core_app.manage', 'core_app.read', 'core_app.write', 'finance.read', 'finance.write', 'market.read',
           'market.write', 'touring.read', 'touring.write', 'venue.read', 'venue.write', 'ai.read', 'ai.write']),
    ('00000000-0000-4000-8000-000000000003', NULL, 'member', 'Member',
     ARRAY['core_app.read', 'core_app.write', 'finance.read', 'finance.write', 'market.read', 'market.write',
           'touring.read', 'touring.write', 'venue.read', 'venue.write', 'ai.read', 'ai.write']),
    ('00000000-0000-4000-8000-000000000004', NULL, 'viewer', 'Viewer',
     ARRAY['core_app.read', 'finance.read', 'market.read', 'touring.read', 'venue.read', 'ai.read']);
