import { useState } from 'react'

import type {
  SendLimitsQuery,
  SendLimitsQueryVariables,
  SendMessageMutation,
  SendMessageMutationVariables,
  SendMmsMutation,
  SendMmsMutationVariables,
} from 'types/graphql'

import { navigate, routes } from '@redwoodjs/router'
import { Metadata, useMutation, useQuery, type TypedDocumentNode } from '@redwoodjs/web'

import RecipientCheck from 'src/components/Compose/RecipientCheck/RecipientCheck'
import WhatsAppTemplatesCell from 'src/components/Compose/WhatsAppTemplatesCell'
import type { TemplateChoice } from 'src/components/Compose/WhatsAppTemplatesCell/WhatsAppTemplatesCell'
import WindowCheck from 'src/components/Compose/WindowCheck/WindowCheck'
import MmsPictureField from 'src/components/Media/MmsPictureField/MmsPictureField'
import { readAsBase64 } from 'src/lib/readAsBase64'
import { smsParts } from 'src/lib/smsParts'

/** What Compose needs back from a send: the stored message, or the recipients it refused. */
const SEND_RESULT_FIELDS = gql`
  fragment SendMessageResultFields on SendMessageResult {
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
`

export const SEND_MESSAGE: TypedDocumentNode<SendMessageMutation, SendMessageMutationVariables> = gql`
  mutation SendMessageMutation($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...SendMessageResultFields
    }
  }
  ${SEND_RESULT_FIELDS}
`

export const SEND_MMS: TypedDocumentNode<SendMmsMutation, SendMmsMutationVariables> = gql`
  mutation SendMmsMutation($input: SendMmsInput!) {
    sendMms(input: $input) {
      ...SendMessageResultFields
    }
  }
  ${SEND_RESULT_FIELDS}
`

export const SEND_LIMITS: TypedDocumentNode<SendLimitsQuery, SendLimitsQueryVariables> = gql`
  query SendLimitsQuery {
    sendLimits {
      maxSmsBodyLength
      maxWhatsAppTextLength
    }
  }
`

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

const ComposePage = () => {
  const [body, setBody] = useState('')
  const [recipients, setRecipients] = useState('')
  const [clientReference, setClientReference] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [refused, setRefused] = useState<{ input: string; reason: string }[]>([])
  const [channel, setChannel] = useState<'SMS' | 'WHATSAPP'>('SMS')
  const [template, setTemplate] = useState<TemplateChoice>({ templateId: null, parameters: [] })
  const [smsFallback, setSmsFallback] = useState(false)
  const whatsApp = channel === 'WHATSAPP'
  const usesTemplate = whatsApp && template.templateId !== null
  const [picture, setPicture] = useState<File | null>(null)
  const [send, { loading: sendingText }] = useMutation(SEND_MESSAGE)
  const [sendMms, { loading: sendingMms }] = useMutation(SEND_MMS)
  const loading = sendingText || sendingMms
  const mms = !whatsApp && picture !== null
  const parts = smsParts(body)
  // The api's limits (it counts the body without the blanks around it); none while they load.
  const limits = useQuery(SEND_LIMITS, { fetchPolicy: 'cache-first' }).data?.sendLimits
  const maxLength = limits && (whatsApp ? limits.maxWhatsAppTextLength : limits.maxSmsBodyLength)
  const over = maxLength !== undefined && !usesTemplate ? body.trim().length - maxLength : 0
  // What a refused send said is about the input it was given: any change makes it stale.
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value)
      setError(null)
      setRefused([])
    }

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault()
    if (over > 0) return
    setError(null)
    setRefused([])
    try {
      const base = { body: usesTemplate ? '' : body, recipients, clientReference: clientReference || null }
      const input = whatsApp
        ? {
            ...base,
            channel,
            smsFallback,
            ...(usesTemplate ? { templateId: template.templateId, templateParameters: template.parameters } : {}),
          }
        : base
      const result = mms
        ? (
            await sendMms({
              variables: {
                input: {
                  recipients,
                  message: body || null,
                  fileName: picture.name,
                  contentBase64: await readAsBase64(picture),
                  clientReference: clientReference || null,
                },
              },
            })
          ).data?.sendMms
        : (await send({ variables: { input } })).data?.sendMessage
      if (result?.invalid.length) {
        setError(
          `Nothing was sent: ${result.invalid.length} recipient${result.invalid.length === 1 ? ' is' : 's are'} invalid or opted out${whatsApp && !usesTemplate ? ', or outside the WhatsApp 24-hour window' : ''}.`
        )
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
      <h1 className="mb-4 text-xl font-semibold">{whatsApp ? 'Compose a WhatsApp message' : 'Compose an SMS'}</h1>
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
        <fieldset>
          <legend className="text-sm font-medium">Channel</legend>
          <div className="mt-1 flex gap-4 text-sm">
            {(['SMS', 'WHATSAPP'] as const).map((c) => (
              <label key={c} className="flex items-center gap-1">
                <input
                  type="radio"
                  name="channel"
                  value={c}
                  checked={channel === c}
                  onChange={() => {
                    edited(setChannel)(c)
                    setPicture(null)
                  }}
                />
                {c === 'SMS' ? 'SMS' : 'WhatsApp'}
              </label>
            ))}
          </div>
        </fieldset>
        {whatsApp && (
          <div className="space-y-3 rounded border border-emerald-200 bg-emerald-50/40 p-3">
            <WhatsAppTemplatesCell choice={template} onChange={edited(setTemplate)} />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={smsFallback} onChange={(e) => setSmsFallback(e.target.checked)} />
              Fall back to SMS when WhatsApp cannot deliver
            </label>
          </div>
        )}
        {!usesTemplate && (
          <div>
            <label htmlFor="body" className="text-sm font-medium">
              Message
            </label>
            <textarea
              id="body"
              required={!mms}
              rows={5}
              className={field}
              value={body}
              onChange={(e) => edited(setBody)(e.target.value)}
              aria-describedby="body-count"
              aria-invalid={over > 0}
            />
            {/* WhatsApp free text is one message however long: SMS parts and encodings do not apply. */}
            <p id="body-count" className="mt-1 text-xs text-slate-600" data-testid="sms-count">
              {whatsApp ? (
                <>
                  {body.length} characters{maxLength !== undefined ? ` of ${maxLength.toLocaleString('en')}` : ''}
                </>
              ) : (
                <>
                  {body.length} characters · {parts.encoding} · {parts.parts} SMS part{parts.parts === 1 ? '' : 's'}
                  {parts.parts > 0 ? ` · ${parts.remaining} left in this part` : ''}
                  {parts.encoding === 'UCS-2' && body ? ' (a character outside GSM-7 makes every part shorter)' : ''}
                </>
              )}
            </p>
            {over > 0 && (
              <p className="mt-1 text-sm font-medium text-rose-800" data-testid="too-long" aria-live="polite">
                {over.toLocaleString('en')} character{over === 1 ? '' : 's'} over the limit of{' '}
                {maxLength!.toLocaleString('en')}: shorten the message to send it.
              </p>
            )}
            {!whatsApp && <MmsPictureField onChange={setPicture} />}
          </div>
        )}
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
            onChange={(e) => edited(setRecipients)(e.target.value)}
            aria-describedby="recipients-check"
          />
          <div id="recipients-check" className="mt-1">
            <RecipientCheck entries={recipients} />
            {whatsApp && !usesTemplate && <WindowCheck entries={recipients} />}
          </div>
        </div>
        <div>
          <label htmlFor="clientReference" className="text-sm font-medium">
            Client reference <span className="font-normal text-slate-600">(optional, e.g. an order number)</span>
          </label>
          <input
            id="clientReference"
            maxLength={128}
            className={field}
            value={clientReference}
            onChange={(e) => edited(setClientReference)(e.target.value)}
          />
        </div>
        <button
          type="submit"
          disabled={loading || over > 0}
          className="rounded bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {loading ? 'Sending…' : mms ? 'Send MMS' : 'Send'}
        </button>
      </form>
    </>
  )
}

export default ComposePage
