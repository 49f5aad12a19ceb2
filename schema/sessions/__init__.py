"""GraphQL for parking sessions and what happened at the lanes: stays and lane events."""
