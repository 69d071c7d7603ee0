-- One definition of what a membership holds, read by every access check and by delegation:
-- its module grants, the permissions of its roles, and the permissions delegated to it that are
-- unexpired, unrevoked and still held by an active delegator (through the delegator's roles).
CREATE VIEW membership_grants AS
SELECT m.id AS membership_id,
       coalesce((SELECT array_agg(g.module_key) FROM membership_module_grants g WHERE g.membership_id = m.id), '{}') AS modules,
       coalesce((SELECT array_agg(DISTINCT p) FROM membership_roles mr JOIN roles r ON r.id = mr.role_id, unnest(r.permissions) p
                 WHERE mr.membership_id = m.id), '{}') AS role_permissions,
       coalesce((SELECT array_agg(DISTINCT p) FROM delegations d, unnest(d.permissions) p
                 WHERE d.to_membership = m.id AND d.revoked_at IS NULL AND d.expires_at > now()
                   AND EXISTS (SELECT 1 FROM memberships f JOIN membership_roles fr ON fr.membership_id = f.id
                               JOIN roles fro ON fro.id = fr.role_id
                               WHERE f.id = d.from_membership AND f.status = 'active' AND p = ANY(fro.permissions))), '{}')
           AS delegated_permissions
FROM memberships m;
