// Operations of issue #19's contract (the driver's plates, plate lookup, nearby lots) that the committed SDL does
// not have yet: typed by hand after the contract, outside codegen (codegen.ts skips src/contract/). Once the
// server's schema carries them, move each into a `graphql()` call and delete its hand-written types here.
import { TypedDocumentString } from '@/gql/graphql'

type ErrorResult = { __typename: 'Error' | `${string}Error`; code: string; message: string }

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
  address: string | null
  latitude: number
  longitude: number
  distanceM: number
  freeSpaces: number | null
  totalSpaces: number | null
  tariffSummary: string | null
}

export interface HistoryStay {
  lotName: string
  enteredAt: string
  exitedAt: string | null
  paidFen: number
}

function doc<R, V>(source: string): TypedDocumentString<R, V> {
  return new TypedDocumentString<R, V>(source)
}

const PLATE = 'plate boundAt proven'
const ERROR = '... on Error { code message }'

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

export type PlateStaysResult = { __typename: 'PlateStays'; stays: DriverStay[] } | ErrorResult

export const PlateStaysDocument = doc<{ plateStays: PlateStaysResult }, { plate: string }>(
  `query MpPlateStays($plate: String!) { plateStays(plate: $plate) { __typename
     ... on PlateStays { stays { lotName lotId enteredAt owedFen graceEndsAt stayToken maskedPlate paidFen couponFen } }
     ${ERROR} } }`,
)

export type PlateHistoryResult =
  | { __typename: 'PlateHistory'; stays: HistoryStay[]; endCursor: string | null }
  | ErrorResult

export const PlateHistoryDocument = doc<{ plateHistory: PlateHistoryResult }, { plate: string; after?: string | null }>(
  `query MpPlateHistory($plate: String!, $after: String) { plateHistory(plate: $plate, first: 20, after: $after) {
     __typename ... on PlateHistory { stays { lotName enteredAt exitedAt paidFen } endCursor } ${ERROR} } }`,
)

export const LotsNearbyDocument = doc<
  { lotsNearby: NearbyLot[] },
  { latitude: number; longitude: number; radiusKm?: number }
>(
  `query MpLotsNearby($latitude: Float!, $longitude: Float!, $radiusKm: Float) {
     lotsNearby(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm) {
       lotId name address latitude longitude distanceM freeSpaces totalSpaces tariffSummary } }`,
)
