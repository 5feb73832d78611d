import type { ReconcileMessageMutation, ReconcileMessageMutationVariables } from 'types/graphql'

import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

export const RECONCILE: TypedDocumentNode<ReconcileMessageMutation, ReconcileMessageMutationVariables> = gql`
  mutation ReconcileMessageMutation($id: String!) {
    reconcileMessage(id: $id) {
      messageId
      checked
      changed
      gaveUp
      failed
      errors
    }
  }
`

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** The toast text for what a check found. */
export function describeReconcile(r: ReconcileMessageMutation['reconcileMessage']): string {
  if (r.checked === 0) return 'Every recipient already has a final status: nothing to check.'
  const parts = [
    `Checked ${plural(r.checked, 'recipient')} with Sinch: ${r.changed === 0 ? 'nothing new' : `${r.changed} changed`}`,
  ]
  if (r.gaveUp > 0) parts.push(`${r.gaveUp} ended Unknown (no report from the operator)`)
  if (r.failed > 0) parts.push(`${plural(r.failed, 'check')} failed: ${r.errors[0] ?? 'Sinch did not answer'}`)
  return `${parts.join('; ')}.`
}

type Props = { messageId: string; inFlight: number }

/**
 * "Check with Sinch now": asks Sinch's delivery report API about the
 * message's recipients with no final status, without waiting for the
 * periodic reconciliation (RECONCILE_AFTER_MINUTES).
 */
const CheckWithSinch = ({ messageId, inFlight }: Props) => {
  const [reconcile, { loading }] = useMutation(RECONCILE, {
    refetchQueries: ['FindMessageQuery', 'MessageRecipientsQuery', 'RecipientTimelineQuery'],
    onCompleted: ({ reconcileMessage: r }) =>
      r.failed > 0 && r.failed === r.checked ? toast.error(describeReconcile(r)) : toast.success(describeReconcile(r)),
    onError: (error) => toast.error(error.message),
  })
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
      <button
        type="button"
        disabled={loading || inFlight === 0}
        onClick={() => reconcile({ variables: { id: messageId } })}
        className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100 disabled:opacity-60"
      >
        {loading ? 'Checking with Sinch…' : 'Check with Sinch now'}
      </button>
      <span className="text-slate-600">
        {inFlight === 0
          ? 'Every recipient has a final status.'
          : `Asks Sinch for the delivery reports of the ${plural(inFlight, 'recipient')} still in flight, in case a callback was lost.`}
      </span>
    </div>
  )
}

export default CheckWithSinch
