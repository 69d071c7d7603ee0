-- The access change feed: one row per change that can narrow (or widen) access, written by
-- triggers in the transaction of the change itself, so no code path can change access
-- without telling the services that enforce it.
--
-- Ordering and gap-freedom: `tx` is the writing transaction's id (pg_current_xact_id, which
-- grows monotonically as transactions first write). A reader returns only events whose `tx`
-- is below the oldest transaction still in progress (pg_snapshot_xmin of its snapshot):
-- every such transaction has ended, and every transaction that writes later gets a larger id,
-- so nothing can ever appear behind a cursor (tx, id). Identifiers allocated in one order and
-- committed in another cannot let a reader skip an event.
CREATE TABLE access_events (
    id          bigserial PRIMARY KEY,
    tx          bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    kind        text NOT NULL,
    user_id     uuid,
    company_id  uuid,
    membership_id uuid,
    session_id  uuid,
    key_id      text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_events_order ON access_events (tx, id);

-- What retention has removed: a cursor at or below it is out of reach (the reader resyncs).
CREATE TABLE access_feed_retention (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    pruned_tx   bigint NOT NULL DEFAULT 0,
    pruned_id   bigint NOT NULL DEFAULT 0
);
INSERT INTO access_feed_retention DEFAULT VALUES;

-- Delegations that have passed expires_at are announced once (a job does it).
ALTER TABLE delegations ADD COLUMN expiry_announced boolean NOT NULL DEFAULT false;

CREATE FUNCTION access_event_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind, user_id, session_id) VALUES ('session_revoked', NEW.user_id, NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER sessions_access_event AFTER UPDATE OF revoked_at ON sessions
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION access_event_session();

CREATE FUNCTION access_event_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind, user_id) VALUES ('user_changed', NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER users_access_event AFTER UPDATE OF status, platform_roles ON users
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.platform_roles IS DISTINCT FROM NEW.platform_roles)
    EXECUTE FUNCTION access_event_user();

CREATE FUNCTION access_event_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind, user_id, company_id, membership_id)
    VALUES ('membership_changed', NEW.user_id, NEW.company_id, NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_access_event_insert AFTER INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION access_event_membership();
CREATE TRIGGER memberships_access_event_update AFTER UPDATE ON memberships
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.access_version IS DISTINCT FROM NEW.access_version)
    EXECUTE FUNCTION access_event_membership();

CREATE FUNCTION access_event_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'companies' THEN
        INSERT INTO access_events (kind, company_id) VALUES ('company_changed', NEW.id);
    ELSE
        INSERT INTO access_events (kind, company_id) VALUES ('company_changed', NEW.company_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER companies_access_event AFTER UPDATE OF status, slug ON companies
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION access_event_company();
CREATE TRIGGER entitlements_access_event AFTER INSERT OR UPDATE ON company_entitlement_versions
    FOR EACH ROW EXECUTE FUNCTION access_event_company();

CREATE FUNCTION access_event_delegation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind, company_id, membership_id)
    VALUES ('delegation_changed', NEW.company_id, NEW.to_membership);
    RETURN NULL;
END $$;
CREATE TRIGGER delegations_access_event_insert AFTER INSERT ON delegations
    FOR EACH ROW EXECUTE FUNCTION access_event_delegation();
CREATE TRIGGER delegations_access_event_update AFTER UPDATE OF revoked_at, expiry_announced ON delegations
    FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expiry_announced IS DISTINCT FROM NEW.expiry_announced)
    EXECUTE FUNCTION access_event_delegation();

-- A custom role's permissions changed: every holder's access changed (the admin route also
-- bumps the holders; this event names the role's company for readers that cache by company).
CREATE FUNCTION access_event_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind, company_id) VALUES ('role_changed', NEW.company_id);
    RETURN NULL;
END $$;
CREATE TRIGGER roles_access_event AFTER UPDATE OF permissions ON roles
    FOR EACH ROW WHEN (OLD.permissions IS DISTINCT FROM NEW.permissions) EXECUTE FUNCTION access_event_role();

CREATE FUNCTION access_event_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind, key_id) VALUES ('signing_key_retired', NEW.kid);
    RETURN NULL;
END $$;
CREATE TRIGGER signing_keys_access_event AFTER UPDATE OF state ON signing_keys
    FOR EACH ROW WHEN (NEW.state = 'retired' AND OLD.state <> 'retired') EXECUTE FUNCTION access_event_key();

-- Readers are woken at commit (NOTIFY is delivered then; one per transaction), so the feed's
-- latency is not its polling interval.
CREATE FUNCTION access_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('access_events', '');
    RETURN NULL;
END $$;
CREATE TRIGGER access_events_notify AFTER INSERT ON access_events
    FOR EACH STATEMENT EXECUTE FUNCTION access_events_notify();

-- Rows removed outright (data repair by an operator; the application never deletes these) are
-- changes too; a TRUNCATE is announced as a kind no reader knows, so every reader drops
-- everything it holds.
CREATE FUNCTION access_event_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'sessions' THEN
        INSERT INTO access_events (kind, user_id, session_id) VALUES ('session_revoked', OLD.user_id, OLD.id);
    WHEN 'users' THEN
        INSERT INTO access_events (kind, user_id) VALUES ('user_changed', OLD.id);
    WHEN 'memberships' THEN
        INSERT INTO access_events (kind, user_id, company_id, membership_id)
        VALUES ('membership_changed', OLD.user_id, OLD.company_id, OLD.id);
    WHEN 'companies' THEN
        INSERT INTO access_events (kind, company_id) VALUES ('company_changed', OLD.id);
    WHEN 'delegations' THEN
        INSERT INTO access_events (kind, company_id, membership_id) VALUES ('delegation_changed', OLD.company_id, OLD.to_membership);
    WHEN 'roles' THEN
        INSERT INTO access_events (kind, company_id) VALUES ('role_changed', OLD.company_id);
    WHEN 'signing_keys' THEN
        INSERT INTO access_events (kind, key_id) VALUES ('signing_key_retired', OLD.kid);
    END CASE;
    RETURN NULL;
END $$;

CREATE FUNCTION access_event_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO access_events (kind) VALUES ('truncated:' || TG_TABLE_NAME);
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sessions', 'users', 'memberships', 'companies', 'delegations', 'roles', 'signing_keys',
                             'membership_roles', 'membership_module_grants', 'company_entitlement_versions'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION access_event_truncated()',
                       t || '_access_event_truncate', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sessions', 'users', 'memberships', 'companies', 'delegations', 'roles', 'signing_keys'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I FOR EACH ROW EXECUTE FUNCTION access_event_deleted()',
                       t || '_access_event_delete', t);
    END LOOP;
END $$;
