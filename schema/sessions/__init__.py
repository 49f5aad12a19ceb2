"""GraphQL for parking sessions and what happened at the lanes: stays, lane events, gate commands."""
