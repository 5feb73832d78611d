export const schema = gql`
  "How long what callbacks make us store is kept (RETENTION_* in the api's configuration)."
  type StorageRetention {
    "Callback log entries (raw body, headers, verdict) are deleted after this many days."
    callbackDays: Float!
    "Reports that never found their message are deleted after this many days."
    unmatchedDays: Float!
    "UNMATCHED and FAILED callbacks stay re-processable at least this many days."
    reprocessableDays: Float!
  }

  type Query {
    storageRetention: StorageRetention! @requireAuth
  }
`
