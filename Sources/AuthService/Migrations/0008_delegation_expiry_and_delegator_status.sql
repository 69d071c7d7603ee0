-- Delegations end by themselves: nothing is written when one passes expires_at, so a cached
-- access snapshot must not outlive the earliest expiry among the delegations it was built from
-- (delegations_valid_until, read with the grants). A delegation also needs its delegator's
-- user to be active: disabling a user ends what they lent, not only what they hold.
CREATE OR REPLACE VIEW membership_grants AS
SELECT m.id AS membership_id,
       coalesce((SELECT array_agg(g.module_key) FROM membership_module_grants g WHERE g.membership_id = m.id), '{}') AS modules,
       coalesce((SELECT array_agg(DISTINCT p) FROM membership_roles mr JOIN roles r ON r.id = mr.role_id, unnest(r.permissions) p
                 WHERE mr.membership_id = m.id), '{}') AS role_permissions,
       coalesce((SELECT array_agg(DISTINCT p) FROM delegations d, unnest(d.permissions) p
                 WHERE d.to_membership = m.id AND d.revoked_at IS NULL AND d.expires_at > now()
                   AND EXISTS (SELECT 1 FROM memberships f JOIN users fu ON fu.id = f.user_id
                               JOIN membership_roles fr ON fr.membership_id = f.id
                               JOIN roles fro ON fro.id = fr.role_id
                               WHERE f.id = d.from_membership AND f.status = 'active' AND fu.status = 'active'
                                 AND p = ANY(fro.permissions))), '{}')
           AS delegated_permissions,
       (SELECT min(d.expires_at) FROM delegations d
         WHERE d.to_membership = m.id AND d.revoked_at IS NULL AND d.expires_at > now())
           AS delegations_valid_until
FROM memberships m;
