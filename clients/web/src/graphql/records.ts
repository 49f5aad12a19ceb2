// The parking record drawer's own operation: one stay's lane readings with their lanes and pictures. Its orders,
// refunds and operator actions come from the finance and audit lists filtered to the stay.
import { graphql } from '../gql'

export const StayEventsDocument = graphql(`
  query StayEvents($sessionId: ID!) {
    laneEvents(filter: { sessionId: $sessionId }, direction: ASC, first: 100) {
      items { id kind at plate plateColor confidence source imageRef opened decisionReason lane { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)
