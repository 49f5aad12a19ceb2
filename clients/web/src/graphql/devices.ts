// Device operations: commands and their outcomes, a new push secret, refused pushes, live status.
import { graphql } from '../gql'

export const DeviceCommandsDocument = graphql(`
  query DeviceCommands($filter: DeviceCommandFilter, $first: Int!, $after: String) {
    deviceCommands(filter: $filter, first: $first, after: $after) {
      items { id deviceId kind status reason result operatorId issuedAt sentAt completedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const DeviceCommandSendDocument = graphql(`
  mutation DeviceCommandSend($deviceId: ID!, $kind: DeviceCommandKind!, $reason: String!) {
    deviceCommandSend(deviceId: $deviceId, kind: $kind, reason: $reason) {
      __typename
      ... on DeviceCommandSuccess { command { id kind status } }
      ... on DeviceError { code message field }
    }
  }
`)

export const DeviceRotateSecretDocument = graphql(`
  mutation DeviceRotateSecret($id: ID!) {
    deviceRotateSecret(id: $id) {
      __typename
      ... on DeviceSecretSuccess { secret device { id serial } }
      ... on DeviceError { code message field }
    }
  }
`)

export const DeviceRefusalsDocument = graphql(`
  query DeviceRefusals($serial: String, $atFrom: DateTime, $atTo: DateTime, $first: Int!, $after: String) {
    deviceRefusals(serial: $serial, atFrom: $atFrom, atTo: $atTo, first: $first, after: $after) {
      items { id at protocol serial ip reason detail }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const DeviceStatusLiveDocument = graphql(`
  subscription DeviceStatusLive($lotIds: [ID!]) {
    deviceStatus(lotIds: $lotIds) { id status lastSeenAt errorCount consecutiveFailures lastError firmware }
  }
`)
