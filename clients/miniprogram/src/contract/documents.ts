// Operations of issue #19's contract (the driver's plates, plate lookup, nearby lots) that the committed SDL does
// not have yet: typed by hand after the server's schema on branch h/mpapi (commit 9232217), outside codegen
// (codegen.ts skips src/contract/). tests/contract.spec.ts validates them against schema/schema.graphql as soon
// as it carries `myPlates`; then move each into a `graphql()` call and delete its hand-written types here.
import { TypedDocumentString } from '@/gql/graphql'

type ErrorResult = { __typename: 'DriverError'; code: string; message: string }

export interface DriverPlate {
  plate: string
  boundAt: string
  proven: boolean
}

export interface DriverStay {
  lotName: string
  lotId: string
  enteredAt: string
  owedFen: number
  graceEndsAt: string | null
  stayToken: string
  maskedPlate: string
  paidFen: number
  couponFen: number
}

export interface NearbyLot {
  lotId: string
  name: string
  address: string
  latitude: number
  longitude: number
  distanceM: number
  freeSpaces: number
  totalSpaces: number
  tariffSummary: string | null
}

export interface HistoryStay {
  lotId: string
  lotName: string
  enteredAt: string
  exitedAt: string | null
  paidFen: number
  inLot: boolean
}

function doc<R, V>(source: string): TypedDocumentString<R, V> {
  return new TypedDocumentString<R, V>(source)
}

const PLATE = 'plate boundAt proven'
const ERROR = '... on DriverError { code message }'

export const MyPlatesDocument = doc<{ myPlates: DriverPlate[] }, Record<string, never>>(
  `query MpMyPlates { myPlates { ${PLATE} } }`,
)

export type PlateBindResult = ({ __typename: 'DriverPlate' } & DriverPlate) | ErrorResult

export const PlateBindDocument = doc<{ plateBind: PlateBindResult }, { plate: string }>(
  `mutation MpPlateBind($plate: String!) { plateBind(input: { plate: $plate }) { __typename ... on DriverPlate { ${PLATE} } ${ERROR} } }`,
)

export const PlateUnbindDocument = doc<{ plateUnbind: PlateBindResult }, { plate: string }>(
  `mutation MpPlateUnbind($plate: String!) { plateUnbind(input: { plate: $plate }) { __typename ... on DriverPlate { ${PLATE} } ${ERROR} } }`,
)

export type PlateStaysResult = { __typename: 'PlateStaysSuccess'; stays: DriverStay[] } | ErrorResult

export const PlateStaysDocument = doc<{ plateStays: PlateStaysResult }, { plate: string }>(
  `query MpPlateStays($plate: String!) { plateStays(plate: $plate) { __typename
     ... on PlateStaysSuccess { stays { lotName lotId enteredAt owedFen graceEndsAt stayToken maskedPlate paidFen couponFen } }
     ${ERROR} } }`,
)

export type PlateHistoryResult =
  | { __typename: 'PlateHistorySuccess'; items: HistoryStay[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
  | ErrorResult

export const PlateHistoryDocument = doc<{ plateHistory: PlateHistoryResult }, { plate: string; after?: string | null }>(
  `query MpPlateHistory($plate: String!, $after: String) { plateHistory(plate: $plate, first: 20, after: $after) {
     __typename ... on PlateHistorySuccess { items { lotId lotName enteredAt exitedAt paidFen inLot }
       pageInfo { hasNextPage endCursor } } ${ERROR} } }`,
)

export const LotsNearbyDocument = doc<
  { lotsNearby: NearbyLot[] },
  { latitude: number; longitude: number; radiusKm?: number }
>(
  `query MpLotsNearby($latitude: Float!, $longitude: Float!, $radiusKm: Float) {
     lotsNearby(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm) {
       lotId name address latitude longitude distanceM freeSpaces totalSpaces tariffSummary } }`,
)

export const SubscribeTemplatesDocument = doc<{ subscribeTemplates: string[] }, { lotId?: string }>(
  `query MpSubscribeTemplates($lotId: ID) { subscribeTemplates(lotId: $lotId) }`,
)
