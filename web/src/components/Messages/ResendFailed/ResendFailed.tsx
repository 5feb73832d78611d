import { useState } from 'react'

import type { ResendFailedMutation, ResendFailedMutationVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { useCan } from 'src/lib/permissions'

export const RESEND_FAILED: TypedDocumentNode<ResendFailedMutation, ResendFailedMutationVariables> = gql`
  mutation ResendFailedMutation($id: String!) {
    resendFailed(id: $id) {
      created
      skippedOptedOut
      alreadyResent
      message {
        id
        recipientCount
        submitState
      }
    }
  }
`

type LinkedMessage = { id: string; createdAt: string; recipientCount?: number }

type Props = {
  messageId: string
  /** Recipients whose latest status is a failure. */
  failed: number
  resendOf?: LinkedMessage | null
  resendAttempt?: number | null
  resends?: LinkedMessage[]
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** What the last press did, in words. */
function outcome(r: ResendFailedMutation['resendFailed']): string {
  const parts = [
    r.created
      ? `Resent to ${plural(r.message.recipientCount, 'failed recipient')}${r.message.submitState === 'FAILED' ? ', but Sinch did not accept it (see the resend)' : ''}.`
      : 'Already resent: every failed recipient is in an earlier resend.',
  ]
  if (r.skippedOptedOut > 0) parts.push(`${plural(r.skippedOptedOut, 'opted-out number')} skipped.`)
  return parts.join(' ')
}

/** "Resend of …", "Resent as …" and the button that resends to failed recipients. */
const ResendFailed = ({ messageId, failed, resendOf, resendAttempt, resends = [] }: Props) => {
  const [last, setLast] = useState<ResendFailedMutation['resendFailed'] | null>(null)
  const [resend, { loading }] = useMutation(RESEND_FAILED, {
    refetchQueries: ['FindMessageQuery'],
    onCompleted: (data) => {
      setLast(data.resendFailed)
      toast.success(outcome(data.resendFailed))
    },
    onError: (error) => toast.error(error.message),
  })
  const can = useCan()
  if (!resendOf && resends.length === 0 && failed === 0) return null
  return (
    <div className="mt-3 space-y-2 text-sm" data-testid="resends">
      {resendOf && (
        <p>
          Resend{resendAttempt && resendAttempt > 1 ? ` (attempt ${resendAttempt})` : ''} of{' '}
          <Link to={routes.message({ id: resendOf.id })} className="text-indigo-700 underline">
            the message of {new Date(resendOf.createdAt).toLocaleString()}
          </Link>
        </p>
      )}
      {resends.length > 0 && (
        <div>
          <p>Resent as:</p>
          <ul className="list-inside list-disc">
            {resends.map((r) => (
              <li key={r.id}>
                <Link to={routes.message({ id: r.id })} className="text-indigo-700 underline">
                  {new Date(r.createdAt).toLocaleString()}
                </Link>
                {r.recipientCount !== undefined ? ` · ${plural(r.recipientCount, 'recipient')}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {failed > 0 && can('send') && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            disabled={loading}
            onClick={() => resend({ variables: { id: messageId } })}
            className="rounded border border-rose-300 bg-white px-3 py-1.5 font-medium text-rose-800 hover:bg-rose-50 disabled:opacity-60"
          >
            {loading ? 'Resending…' : 'Resend to failed recipients'}
          </button>
          <span className="text-slate-600">{plural(failed, 'recipient')} failed; opted-out numbers are skipped.</span>
        </div>
      )}
      {last && (
        <p role="status" className="rounded bg-slate-100 p-2">
          {outcome(last)}{' '}
          <Link to={routes.message({ id: last.message.id })} className="text-indigo-700 underline">
            Open the resend
          </Link>
        </p>
      )}
    </div>
  )
}

export default ResendFailed
