// Operations of the catalogue and settings pages (lists, vehicle groups, pass products, partner API keys;
// merchants and coupons are in merchants.ts) and of a lot's payment settings; typed by graphql-codegen like operations.ts.
import { graphql } from '../gql'

export const LotPaymentSettingsDocument = graphql(`
  query LotPaymentSettings($id: ID!) {
    lot(id: $id) {
      id
      paymentSettings {
        frictionless frictionlessAdvance frictionlessFreeMinutes feeRatePpm noEntryFeeFen minConfidence
        doublePaymentAutoRefund
        entryTemplateId entryTemplatePage entryTemplateFields { plate lot time }
      }
    }
  }
`)

export const LotPaymentSettingsUpdateDocument = graphql(`
  mutation LotPaymentSettingsUpdate($lotId: ID!, $input: LotPaymentSettingsInput!) {
    lotPaymentSettingsUpdate(lotId: $lotId, input: $input) {
      __typename
      ... on LotPaymentSettingsSuccess {
        paymentSettings {
          frictionless frictionlessAdvance frictionlessFreeMinutes feeRatePpm noEntryFeeFen minConfidence
          doublePaymentAutoRefund
          entryTemplateId entryTemplatePage entryTemplateFields { plate lot time }
        }
      }
      ... on TenancyError { code message field }
    }
  }
`)

export const ListEntriesDocument = graphql(`
  query ListEntries($filter: ListEntryFilter, $first: Int!, $after: String) {
    listEntries(filter: $filter, first: $first, after: $after) {
      items { id plate category validFrom validUntil windowStart windowEnd reason }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const ListEntryCreateDocument = graphql(`
  mutation ListEntryCreate($input: ListEntryCreateInput!) {
    listEntryCreate(input: $input) {
      __typename
      ... on ListEntrySuccess { entry { id plate category } }
      ... on VehicleError { code message field }
    }
  }
`)

export const ListEntryUpdateDocument = graphql(`
  mutation ListEntryUpdate($id: ID!, $input: ListEntryUpdateInput!) {
    listEntryUpdate(id: $id, input: $input) {
      __typename
      ... on ListEntrySuccess { entry { id plate category } }
      ... on VehicleError { code message field }
    }
  }
`)

export const ListEntryDeleteDocument = graphql(`
  mutation ListEntryDelete($id: ID!) {
    listEntryDelete(id: $id) {
      __typename
      ... on DeleteSuccess { id }
      ... on VehicleError { code message field }
    }
  }
`)

export const VehicleGroupsDocument = graphql(`
  query VehicleGroups($filter: VehicleGroupFilter, $first: Int!, $after: String) {
    vehicleGroups(filter: $filter, first: $first, after: $after) {
      items { id name spaces vehicles { id plate } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const VehicleGroupCreateDocument = graphql(`
  mutation VehicleGroupCreate($input: VehicleGroupCreateInput!) {
    vehicleGroupCreate(input: $input) {
      __typename
      ... on VehicleGroupSuccess { group { id name } }
      ... on VehicleError { code message field }
    }
  }
`)

export const VehicleGroupUpdateDocument = graphql(`
  mutation VehicleGroupUpdate($id: ID!, $input: VehicleGroupUpdateInput!) {
    vehicleGroupUpdate(id: $id, input: $input) {
      __typename
      ... on VehicleGroupSuccess { group { id name } }
      ... on VehicleError { code message field }
    }
  }
`)

export const PassProductsDocument = graphql(`
  query PassProducts($filter: PassProductFilter, $first: Int!, $after: String) {
    passProducts(filter: $filter, first: $first, after: $after) {
      items { id name category period priceFen vehicleClass windowStart windowEnd isActive soldOnline quota }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const PassProductCreateDocument = graphql(`
  mutation PassProductCreate($input: PassProductCreateInput!) {
    passProductCreate(input: $input) {
      __typename
      ... on PassProductSuccess { product { id name } }
      ... on VehicleError { code message field }
    }
  }
`)

export const PassProductUpdateDocument = graphql(`
  mutation PassProductUpdate($id: ID!, $input: PassProductUpdateInput!) {
    passProductUpdate(id: $id, input: $input) {
      __typename
      ... on PassProductSuccess { product { id name } }
      ... on VehicleError { code message field }
    }
  }
`)

export const ApiKeysDocument = graphql(`
  query ApiKeys($first: Int!, $after: String) {
    apiKeys(first: $first, after: $after) {
      items { id name prefix permissions scopeLevel createdAt revokedAt lastUsedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const ApiKeyCreateDocument = graphql(`
  mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
    apiKeyCreate(input: $input) {
      __typename
      ... on ApiKeyCreateSuccess { key apiKey { id name prefix } }
      ... on AccountError { code message field }
    }
  }
`)

export const ApiKeyRevokeDocument = graphql(`
  mutation ApiKeyRevoke($id: ID!) {
    apiKeyRevoke(id: $id) {
      __typename
      ... on ApiKeySuccess { apiKey { id revokedAt } }
      ... on AccountError { code message field }
    }
  }
`)

export const PermissionCatalogueDocument = graphql(`
  query PermissionCatalogue {
    permissionCatalogue { menu permissions }
  }
`)
