"""Live GraphQL: subscriptions over graphql-transport-ws and the cloud seat's alarm handling."""
