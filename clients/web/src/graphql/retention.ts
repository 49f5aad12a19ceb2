// Operations of a lot's retention tab (保存期限, docs/retention.md): the setting and the storage it holds, read
// apart so that a store that does not answer (IMAGES_UNAVAILABLE) leaves the setting editable.
import { graphql } from '../gql'

export const LotRetentionDocument = graphql(`
  query LotRetention($id: ID!) {
    lot(id: $id) { id imageRetentionDays recordRetentionDays }
  }
`)

export const LotStorageUsageDocument = graphql(`
  query LotStorageUsage($lotIds: [ID!]!) {
    lotStorageUsage(lotIds: $lotIds) { lotId sessions laneEvents recognitions images imageBytes }
  }
`)

export const LotRetentionUpdateDocument = graphql(`
  mutation LotRetentionUpdate($lotId: ID!, $input: LotRetentionInput!) {
    lotRetentionUpdate(lotId: $lotId, input: $input) {
      __typename
      ... on LotRetentionSuccess { lot { id imageRetentionDays recordRetentionDays } }
      ... on RetentionError { code message field }
    }
  }
`)
