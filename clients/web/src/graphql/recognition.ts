// The correction queue's operations: open tasks with their picture, crop, candidates and lane; resolving one.
import { graphql } from '../gql'

export const CorrectionTasksDocument = graphql(`
  query CorrectionTasks($filter: CorrectionTaskFilter, $direction: SortDirection! = ASC, $first: Int!, $after: String) {
    correctionTasks(filter: $filter, direction: $direction, first: $first, after: $after) {
      items {
        id lotId laneEventId sessionId status imageRef cropRef cameraPlate plate reason detail
        resolvedAt createdAt
        candidates { plate sources confidence }
        readings { source text confidence }
        laneEvent { id kind at }
        lane { id name direction }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const CorrectionTaskResolveDocument = graphql(`
  mutation CorrectionTaskResolve($id: ID!, $plate: String!) {
    correctionTaskResolve(id: $id, plate: $plate) {
      __typename
      ... on CorrectionTaskSuccess { task { id status plate resolvedAt } }
      ... on RecognitionError { code message field }
    }
  }
`)
