// Fault tickets for field technicians, and the lookups their forms need (devices, operators).
import { graphql } from '../gql'

export const FaultTicketsDocument = graphql(`
  query FaultTickets($filter: FaultTicketFilter, $first: Int!, $after: String) {
    faultTickets(filter: $filter, first: $first, after: $after) {
      items {
        id lotId deviceId alarmId title description status assigneeId resolvedAt resolution createdAt
        photos { id ref createdAt }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const FaultTicketCreateDocument = graphql(`
  mutation FaultTicketCreate($input: FaultTicketCreateInput!) {
    faultTicketCreate(input: $input) {
      __typename
      ... on FaultTicketSuccess { ticket { id status } }
      ... on FaultError { code message field }
    }
  }
`)

export const FaultTicketUpdateDocument = graphql(`
  mutation FaultTicketUpdate($id: ID!, $input: FaultTicketUpdateInput!) {
    faultTicketUpdate(id: $id, input: $input) {
      __typename
      ... on FaultTicketSuccess { ticket { id status assigneeId resolution resolvedAt } }
      ... on FaultError { code message field }
    }
  }
`)

export const AlarmOpenFaultTicketDocument = graphql(`
  mutation AlarmOpenFaultTicket($alarmId: ID!, $title: String) {
    alarmOpenFaultTicket(alarmId: $alarmId, title: $title) {
      __typename
      ... on FaultTicketSuccess { ticket { id status title } }
      ... on FaultError { code message field }
    }
  }
`)

export const DeviceOptionsDocument = graphql(`
  query DeviceOptions($lotId: ID) {
    devices(filter: { lotId: $lotId }, first: 100) { items { id name } pageInfo { hasNextPage endCursor } }
  }
`)

export const OperatorOptionsDocument = graphql(`
  query OperatorOptions {
    operators(first: 100) { items { id displayName username } pageInfo { hasNextPage endCursor } }
  }
`)

export const MyOperatorDocument = graphql(`
  query MyOperator {
    me { operator { id displayName } }
  }
`)
