// `me`, which every visit asks before its first page (src/router.ts): a module of its own, so that the entry's
// chunk does not carry the rest of the dashboard's operations (operations.ts) with it.
import { graphql } from '../gql'

export const MeDocument = graphql(`
  query Me {
    me { name permissions scopeLevel agentId customerId lotIds }
  }
`)
