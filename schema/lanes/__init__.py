"""GraphQL for the cloud seat's lane actions: remote open, plate correction, exit matching, fee waivers."""
