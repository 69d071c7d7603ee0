-- Platform Admin's own state: the audit trail of every administrative action (admin_db).
-- A row is written as `pending` before the action reaches Auth or Core and completed with its
-- outcome afterwards, so no action happens unaudited (an admin_db outage refuses mutations).
CREATE TABLE admin_audit_events (
    id           bigserial PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    actor_id     uuid NOT NULL,
    actor_email  text NOT NULL,
    permission   text NOT NULL,
    action       text NOT NULL,
    target_type  text NOT NULL,
    target       text NOT NULL,
    reason       text,
    before       jsonb,
    after        jsonb,
    outcome      text NOT NULL CHECK (outcome IN ('pending', 'ok', 'failed', 'denied')),
    error_code   text,
    request_id   text
);
CREATE INDEX admin_audit_created ON admin_audit_events (id DESC);
CREATE INDEX admin_audit_actor ON admin_audit_events (actor_id, id DESC);
CREATE INDEX admin_audit_target ON admin_audit_events (target, id DESC);
CREATE INDEX admin_audit_action ON admin_audit_events (action, id DESC);
