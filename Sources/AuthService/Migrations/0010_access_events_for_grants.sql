-- Changes the access feed did not announce (before this, only an access_version bump by the
-- admin routes did): a membership's roles or module grants edited row by row, a delegation's
-- permissions or expiry edited, a session's end brought forward. Every enforcing service and
-- Auth's own memory drop what they held for them.

CREATE FUNCTION access_event_membership_part() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.membership_id ELSE NEW.membership_id END;
BEGIN
    -- A row removed with its membership (ON DELETE CASCADE) names nothing left: the
    -- membership's own deletion is announced.
    INSERT INTO access_events (kind, user_id, company_id, membership_id)
    SELECT 'membership_changed', user_id, company_id, id FROM memberships WHERE id = target;
    IF TG_OP = 'UPDATE' AND OLD.membership_id IS DISTINCT FROM NEW.membership_id THEN
        INSERT INTO access_events (kind, user_id, company_id, membership_id)
        SELECT 'membership_changed', user_id, company_id, id FROM memberships WHERE id = OLD.membership_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER membership_roles_access_event AFTER INSERT OR UPDATE OR DELETE ON membership_roles
    FOR EACH ROW EXECUTE FUNCTION access_event_membership_part();
CREATE TRIGGER membership_module_grants_access_event AFTER INSERT OR UPDATE OR DELETE ON membership_module_grants
    FOR EACH ROW EXECUTE FUNCTION access_event_membership_part();

CREATE TRIGGER delegations_access_event_terms AFTER UPDATE OF permissions, expires_at ON delegations
    FOR EACH ROW WHEN (OLD.permissions IS DISTINCT FROM NEW.permissions OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
    EXECUTE FUNCTION access_event_delegation();

CREATE TRIGGER sessions_access_event_shortened AFTER UPDATE OF expires_at ON sessions
    FOR EACH ROW WHEN (NEW.expires_at < OLD.expires_at AND NEW.revoked_at IS NULL)
    EXECUTE FUNCTION access_event_session();
