import { useState } from 'react'

import type { ResendFailedMutation, ResendFailedMutationVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import { formatDateTime } from 'src/lib/formatTime'
import { useCan } from 'src/lib/permissions'

export const RESEND_FAILED: TypedDocumentNode<ResendFailedMutation, ResendFailedMutationVariables> = gql`
  mutation ResendFailedMutation($id: String!, $skipUnlikely: Boolean) {
    resendFailed(id: $id, skipUnlikely: $skipUnlikely) {
      created
      skippedOptedOut
      alreadyResent
      skippedUnlikely
      message {
        id
        recipientCount
        submitState
      }
    }
  }
`

type LinkedMessage = { id: string; createdAt: string; recipientCount?: number }

/** The api's count of who a resend would reach now (Message.resendable). */
export type Resendable = { count: number; unlikelyToSucceed: number; optedOut: number; alreadyResent: number }

type Props = {
  messageId: string
  resendable?: Resendable | null
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
  if (r.skippedUnlikely > 0) parts.push(`${plural(r.skippedUnlikely, 'hopeless failure')} left out.`)
  if (r.skippedOptedOut > 0) parts.push(`${plural(r.skippedOptedOut, 'opted-out number')} skipped.`)
  return parts.join(' ')
}

const button = 'rounded px-3 py-1.5 font-medium disabled:opacity-60'

/**
 * "Resend of …", "Resent as …" and Resend to failed: the button opens a
 * confirmation that says how many would be resent and, when some failed for
 * a reason a resend does not change, offers to leave them out. Once every
 * failed recipient is in a resend the api's count is zero and the button goes.
 */
const ResendFailed = ({ messageId, resendable, resendOf, resendAttempt, resends = [] }: Props) => {
  const [last, setLast] = useState<ResendFailedMutation['resendFailed'] | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [resend, { loading }] = useMutation(RESEND_FAILED, {
    refetchQueries: ['FindMessageQuery'],
    awaitRefetchQueries: true,
    onCompleted: (data) => {
      setLast(data.resendFailed)
      setConfirming(false)
      toast.success(outcome(data.resendFailed))
    },
    onError: (error) => toast.error(error.message),
  })
  const can = useCan()
  const count = resendable?.count ?? 0
  const hopeless = resendable?.unlikelyToSucceed ?? 0
  if (!resendOf && resends.length === 0 && count === 0 && !last) return null
  const go = (skipUnlikely: boolean) => resend({ variables: { id: messageId, skipUnlikely } })
  return (
    <div className="mt-3 space-y-2 text-sm" data-testid="resends">
      {resendOf && (
        <p>
          Resend{resendAttempt && resendAttempt > 1 ? ` (attempt ${resendAttempt})` : ''} of{' '}
          <Link to={routes.message({ id: resendOf.id })} className="text-indigo-700 underline">
            the message of {formatDateTime(resendOf.createdAt)}
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
                  {formatDateTime(r.createdAt)}
                </Link>
                {r.recipientCount !== undefined ? ` · ${plural(r.recipientCount, 'recipient')}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {count > 0 && can('send') && !confirming && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => setConfirming(true)}
            className={`${button} border border-rose-300 bg-white text-rose-800 hover:bg-rose-50`}
          >
            Resend to failed recipients
          </button>
          <span className="text-slate-600">
            {plural(count, 'failed recipient')} not resent yet
            {hopeless > 0 ? `, ${hopeless} of them unlikely to succeed` : ''}; opted-out numbers are skipped.
          </span>
        </div>
      )}
      {count > 0 && can('send') && confirming && (
        <div role="group" aria-labelledby="resend-question" className="rounded border border-rose-200 bg-rose-50 p-3">
          <p id="resend-question" className="text-rose-900">
            {hopeless > 0 ? (
              <>
                Resend to {plural(count, 'failed recipient')}? <strong>{hopeless === count ? 'All' : hopeless}</strong>{' '}
                {hopeless === count ? '' : 'of them '}failed for a reason a resend does not change (an unroutable
                number, a region or sender the account cannot use…): they will most likely fail again, and each part is
                charged.
              </>
            ) : (
              <>Resend the message to {plural(count, 'failed recipient')}? Each is sent and charged again.</>
            )}
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            {hopeless > 0 && hopeless < count && (
              <button
                type="button"
                disabled={loading}
                onClick={() => go(true)}
                className={`${button} bg-rose-700 text-white hover:bg-rose-800`}
              >
                Resend to {count - hopeless}, leave out {hopeless}
              </button>
            )}
            <button
              type="button"
              disabled={loading}
              onClick={() => go(false)}
              className={`${button} ${hopeless > 0 ? 'border border-rose-300 bg-white text-rose-800 hover:bg-rose-100' : 'bg-rose-700 text-white hover:bg-rose-800'}`}
            >
              {hopeless === 0 ? `Resend to ${count}` : hopeless === count ? 'Resend anyway' : `Resend to all ${count}`}
            </button>
            <button
              type="button"
              disabled={loading}
              onClick={() => setConfirming(false)}
              className={`${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-100`}
            >
              Cancel
            </button>
          </div>
          {loading && <p className="mt-1 text-slate-700">Resending…</p>}
        </div>
      )}
      {resendable && count === 0 && resendable.alreadyResent > 0 && !last && (
        <p className="text-slate-600">Every failed recipient is in a resend.</p>
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
