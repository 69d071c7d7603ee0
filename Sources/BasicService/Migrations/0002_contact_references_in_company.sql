-- An event's contact is a contact of the event's own company, enforced by the database too
-- (not only by the insert's check): the reference is (company_id, contact_id).
ALTER TABLE contacts ADD CONSTRAINT contacts_company_id_id UNIQUE (company_id, id);
ALTER TABLE calendar_events DROP CONSTRAINT calendar_events_contact_id_fkey;
ALTER TABLE calendar_events ADD CONSTRAINT calendar_events_contact_in_company
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE SET NULL (contact_id);
