import type { ReprocessCallbacksMutation, ReprocessCallbacksMutationVariables } from 'types/graphql'

import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

export const REPROCESS_ALL: TypedDocumentNode<ReprocessCallbacksMutation, ReprocessCallbacksMutationVariables> = gql`
  mutation ReprocessCallbacksMutation {
    reprocessCallbacks {
      total
      processed
      unmatched
      failed
    }
  }
`

export function describeReprocessAll(r: ReprocessCallbacksMutation['reprocessCallbacks']): string {
  if (r.total === 0) return 'No unmatched or failed callback to re-process.'
  const rest = [r.unmatched > 0 && `${r.unmatched} still unmatched`, r.failed > 0 && `${r.failed} still failed`]
    .filter(Boolean)
    .join(', ')
  return `Re-processed ${r.total} callback${r.total === 1 ? '' : 's'}: ${r.processed} processed${rest ? `, ${rest}` : ''}.`
}

/** "Re-process all unmatched/failed": every stored callback no message matched yet, or whose processing failed. */
const ReprocessAll = () => {
  const [reprocessAll, { loading }] = useMutation(REPROCESS_ALL, {
    refetchQueries: ['CallbackEventsQuery'],
    onCompleted: ({ reprocessCallbacks: r }) => toast.success(describeReprocessAll(r)),
    onError: (error) => toast.error(error.message),
  })
  return (
    <button
      type="button"
      disabled={loading}
      onClick={() => reprocessAll()}
      title="Processes every unmatched or failed callback again from its stored body; reports already stored stay one row"
      className="rounded border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
    >
      {loading ? 'Re-processing…' : 'Re-process all unmatched/failed'}
    </button>
  )
}

export default ReprocessAll
