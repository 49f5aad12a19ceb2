"""GraphQL for owners, vehicles, groups, wallets, lists and passes."""
