"""GraphQL for the signed parking codes (停车码): list, make, rotate, revoke, and a driver's scan."""
