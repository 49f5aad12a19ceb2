"""GraphQL for accounts: login, me, operators, roles, API keys, audit log."""
