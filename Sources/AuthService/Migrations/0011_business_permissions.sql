-- The business backends' permissions (each backend's permission table, e.g. BasicPermissions),
-- granted by the system roles: owner, admin and member read and write; a viewer reads. Access
-- aggregation keeps only those whose module the company is entitled to and the membership is
-- granted, so holding a key here never opens a module by itself.
UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY[
        'core_app.contacts.read', 'core_app.contacts.write', 'core_app.calendar.read', 'core_app.calendar.write',
        'finance.transactions.read', 'finance.transactions.write', 'finance.budgets.read', 'finance.budgets.write',
        'finance.reports.read',
        'market.listings.read', 'market.listings.write', 'market.offers.read', 'market.offers.write',
        'touring.tours.read', 'touring.tours.write',
        'venue.venues.read', 'venue.venues.write', 'venue.bookings.read', 'venue.bookings.write',
        'ai.assist.use', 'ai.usage.read']) ORDER BY 1)
WHERE company_id IS NULL AND key IN ('owner', 'admin', 'member');

UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY[
        'core_app.contacts.read', 'core_app.calendar.read', 'finance.transactions.read', 'finance.budgets.read',
        'finance.reports.read', 'market.listings.read', 'market.offers.read', 'touring.tours.read', 'venue.venues.read',
        'venue.bookings.read', 'ai.usage.read']) ORDER BY 1)
WHERE company_id IS NULL AND key = 'viewer';
