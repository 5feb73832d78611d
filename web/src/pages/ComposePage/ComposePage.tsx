import { useState } from 'react'

import type { SendMessageMutation, SendMessageMutationVariables } from 'types/graphql'

import { navigate, routes } from '@redwoodjs/router'
import { Metadata, useMutation, type TypedDocumentNode } from '@redwoodjs/web'

import RecipientCheck from 'src/components/Compose/RecipientCheck/RecipientCheck'
import { smsParts } from 'src/lib/smsParts'

export const SEND_MESSAGE: TypedDocumentNode<SendMessageMutation, SendMessageMutationVariables> = gql`
  mutation SendMessageMutation($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message {
        id
        submitState
        submitError
      }
      invalid {
        input
        reason
      }
    }
  }
`

const field = 'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

const ComposePage = () => {
  const [body, setBody] = useState('')
  const [recipients, setRecipients] = useState('')
  const [clientReference, setClientReference] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [refused, setRefused] = useState<{ input: string; reason: string }[]>([])
  const [send, { loading }] = useMutation(SEND_MESSAGE)
  const parts = smsParts(body)

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault()
    setError(null)
    setRefused([])
    try {
      const { data } = await send({ variables: { input: { body, recipients, clientReference: clientReference || null } } })
      const result = data?.sendMessage
      if (result?.invalid.length) {
        setError(`Nothing was sent: ${result.invalid.length} recipient${result.invalid.length === 1 ? ' is' : 's are'} invalid or opted out.`)
        setRefused(result.invalid)
      } else if (result?.message) {
        navigate(routes.message({ id: result.message.id }))
      }
    } catch (e) {
      setError((e as Error).message)
    }
  }

  return (
    <>
      <Metadata title="Compose" />
      <h1 className="mb-4 text-xl font-semibold">Compose an SMS</h1>
      <form onSubmit={onSubmit} className="max-w-2xl space-y-5 rounded border border-slate-200 bg-white p-5">
        {error && (
          <div role="alert" className="rounded bg-rose-50 p-3 text-sm text-rose-900">
            <p>{error}</p>
            {refused.length > 0 && (
              <ul className="mt-1 list-inside list-disc">
                {refused.map((p) => (
                  <li key={p.input}>
                    <span className="font-mono">{p.input}</span>: {p.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div>
          <label htmlFor="body" className="text-sm font-medium">
            Message
          </label>
          <textarea id="body" required rows={5} className={field} value={body} onChange={(e) => setBody(e.target.value)} aria-describedby="body-count" />
          <p id="body-count" className="mt-1 text-xs text-slate-600" data-testid="sms-count">
            {body.length} characters · {parts.encoding} · {parts.parts} SMS part{parts.parts === 1 ? '' : 's'}
            {parts.parts > 0 ? ` · ${parts.remaining} left in this part` : ''}
            {parts.encoding === 'UCS-2' && body ? ' (a character outside GSM-7 makes every part shorter)' : ''}
          </p>
        </div>
        <div>
          <label htmlFor="recipients" className="text-sm font-medium">
            Recipients
          </label>
          <textarea
            id="recipients"
            required
            rows={5}
            className={`${field} font-mono text-sm`}
            placeholder={'+46701234567\n+12025550123'}
            value={recipients}
            onChange={(e) => setRecipients(e.target.value)}
            aria-describedby="recipients-check"
          />
          <div id="recipients-check" className="mt-1">
            <RecipientCheck entries={recipients} />
          </div>
        </div>
        <div>
          <label htmlFor="clientReference" className="text-sm font-medium">
            Client reference <span className="font-normal text-slate-600">(optional, e.g. an order number)</span>
          </label>
          <input id="clientReference" maxLength={128} className={field} value={clientReference} onChange={(e) => setClientReference(e.target.value)} />
        </div>
        <button type="submit" disabled={loading} className="rounded bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
          {loading ? 'Sending…' : 'Send'}
        </button>
      </form>
    </>
  )
}

export default ComposePage
