"""Building blocks shared by every domain: the ORM base, time, errors, tenant scope, who acts and the audit log."""
