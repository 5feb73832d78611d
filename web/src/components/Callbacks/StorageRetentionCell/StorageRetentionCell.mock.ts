import type { StorageRetentionQuery } from 'types/graphql'

export const standard = (/* vars, { ctx, req } */): StorageRetentionQuery => ({
  storageRetention: { __typename: 'StorageRetention', callbackDays: 30, unmatchedDays: 14, reprocessableDays: 30 },
})
