"""The GraphQL schema, one sub-package per domain mirroring parking/."""
