// Operations of the tariff editor: versions with their documents, a draft's live preview (problems, fee curve and
// example quotes in one request) and saving a new version; typed by graphql-codegen like operations.ts.
import { graphql } from '../gql'

export const TariffVersionDocsDocument = graphql(`
  query TariffVersionDocs($lotId: ID!, $vehicleClass: VehicleClass, $areaId: ID) {
    tariffVersions(lotId: $lotId, vehicleClass: $vehicleClass, areaId: $areaId) {
      id name version vehicleClass effectiveFrom areaId createdAt document
    }
  }
`)

export const TariffPreviewDocument = graphql(`
  query TariffPreview(
    $document: JSON!, $curveMinutes: [Int!]!, $exampleMinutes: [Int!], $entryAt: DateTime, $tariffClass: String!
  ) {
    tariffPreview(
      document: $document, curveMinutes: $curveMinutes, exampleMinutes: $exampleMinutes, entryAt: $entryAt,
      tariffClass: $tariffClass
    ) {
      problems { path reason }
      curve { minutes feeFen capped }
      quotes {
        durationS amountFen
        lines { kind label amountFen units unitMinutes rateFen startAt endAt repeat }
      }
    }
  }
`)

export const TariffVersionCreateDocument = graphql(`
  mutation TariffVersionCreate($input: TariffVersionCreateInput!) {
    tariffVersionCreate(input: $input) {
      __typename
      ... on TariffSuccess { tariffVersion { id version effectiveFrom } }
      ... on TariffError { code message field problems { path reason } }
    }
  }
`)

export const TariffLotAreasDocument = graphql(`
  query TariffLotAreas($id: ID!) {
    lot(id: $id) { id areas { id name } }
  }
`)
