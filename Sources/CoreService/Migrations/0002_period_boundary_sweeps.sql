-- Entitlements also change when a period starts or ends, without any write. The boundary
-- sweeper bumps the versions of companies whose periods crossed a boundary since it last ran,
-- so caches keyed by entitlement version cannot outlive the change.
CREATE TABLE entitlement_boundary_sweeps (
    id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    swept_until timestamptz NOT NULL
);
CREATE INDEX company_subscriptions_period_end ON company_subscriptions (period_end) WHERE period_end IS NOT NULL;
CREATE INDEX company_subscriptions_period_start ON company_subscriptions (period_start);
CREATE INDEX company_addons_period_end ON company_addons (period_end) WHERE period_end IS NOT NULL;
CREATE INDEX company_addons_period_start ON company_addons (period_start);
