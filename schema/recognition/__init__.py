"""GraphQL for cloud recognition: the correction queue of the cloud seat."""
