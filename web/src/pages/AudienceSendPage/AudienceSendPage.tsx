import { useState } from 'react'

import type {
  AudienceSendInput,
  ReviewAudienceSendQuery,
  ReviewAudienceSendQueryVariables,
  SendToAudienceMutation,
  SendToAudienceMutationVariables,
  SmsTemplatesQuery,
  SmsTemplatesQueryVariables,
} from 'types/graphql'

import { navigate, routes } from '@redwoodjs/router'
import { Metadata, useMutation, useQuery, type TypedDocumentNode } from '@redwoodjs/web'

import AudienceReview, { type Review } from 'src/components/AudienceSend/AudienceReview/AudienceReview'
import SaveSmsTemplate from 'src/components/AudienceSend/SaveSmsTemplate/SaveSmsTemplate'

export const REVIEW: TypedDocumentNode<ReviewAudienceSendQuery, ReviewAudienceSendQueryVariables> = gql`
  query ReviewAudienceSendQuery($input: AudienceSendInput!) {
    reviewAudienceSend(input: $input) {
      recipients
      duplicatesRemoved
      invalidCount
      invalid {
        line
        input
        reason
      }
      optedOutCount
      optedOut {
        line
        input
        reason
      }
      missing {
        name
        rows
      }
      placeholders
      preview {
        phoneNumber
        text
        parts
        encoding
      }
      ourParts
      sinchParts
      parts
      partsNote
      estimatedCost
      currency
      pricePerPart
      chunks
      sendAt
      expireAt
      draftId
    }
  }
`

const SEND: TypedDocumentNode<SendToAudienceMutation, SendToAudienceMutationVariables> = gql`
  mutation SendToAudienceMutation($draftId: String!, $expectedRecipients: Int!) {
    sendToAudience(draftId: $draftId, expectedRecipients: $expectedRecipients) {
      id
    }
  }
`

const TEMPLATES: TypedDocumentNode<SmsTemplatesQuery, SmsTemplatesQueryVariables> = gql`
  query SmsTemplatesQuery {
    smsTemplates {
      id
      name
      body
    }
  }
`

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

type Source = 'CSV' | 'PASTED'

/** The file gzip-compressed and base64-encoded: 100,000 rows travel in a few hundred kB. */
async function packCsv(file: File): Promise<string> {
  const packed = new Uint8Array(
    await new Response(file.stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
  )
  let binary = ''
  for (let i = 0; i < packed.length; i += 0x8000) binary += String.fromCharCode(...packed.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * A send to a spreadsheet or many pasted numbers, with a template, a review
 * (the api's: counts, problems, a preview, parts and cost) and an optional
 * schedule. Nothing is stored until "Send N messages".
 */
const AudienceSendPage = () => {
  const [body, setBody] = useState('')
  const [templateId, setTemplateId] = useState<number | null>(null)
  const [source, setSource] = useState<Source>('CSV')
  const [csv, setCsv] = useState<{ name: string; packed: string } | null>(null)
  const [pasted, setPasted] = useState('')
  const [defaults, setDefaults] = useState<Record<string, string>>({})
  const [later, setLater] = useState(false)
  const [sendAtLocal, setSendAtLocal] = useState('')
  const [review, setReview] = useState<{ review: Review; input: AudienceSendInput } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [reviewing, setReviewing] = useState(false)
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const templates = useQuery(TEMPLATES)
  const { refetch: runReview } = useQuery(REVIEW, { skip: true, fetchPolicy: 'no-cache' })
  const [send, { loading: sending }] = useMutation(SEND)

  const input = (): AudienceSendInput => ({
    body,
    smsTemplateId: templateId,
    source,
    ...(source === 'CSV' ? { csvGzip: csv?.packed ?? '' } : { recipients: pasted }),
    defaults: Object.entries(defaults).map(([name, value]) => ({ name, value })),
    sendAt: later && sendAtLocal ? new Date(sendAtLocal).toISOString() : null,
  })

  const onReview = async (event: React.FormEvent) => {
    event.preventDefault()
    setError(null)
    setReview(null)
    if (later && !sendAtLocal) return setError('Choose when to send it.')
    setReviewing(true)
    try {
      const i = input()
      const { data, error: e } = await runReview({ input: i })
      if (e) throw e
      setReview({ review: data.reviewAudienceSend, input: i })
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setReviewing(false)
    }
  }

  const onSend = async () => {
    if (!review) return
    setError(null)
    try {
      const { data } = await send({
        variables: { draftId: review.review.draftId!, expectedRecipients: review.review.recipients },
      })
      if (data) navigate(routes.message({ id: data.sendToAudience.id }))
    } catch (e) {
      setError((e as Error).message)
    }
  }

  const changed = () => setReview(null)
  const r = review?.review
  const canSend = r && r.draftId && r.recipients > 0 && r.missing.length === 0
  return (
    <>
      <Metadata title="Send to many" />
      <h1 className="mb-4 text-xl font-semibold">Send an SMS to a spreadsheet or many numbers</h1>
      <form onSubmit={onReview} className="max-w-3xl space-y-5 rounded border border-slate-200 bg-white p-5">
        {(templates.data?.smsTemplates.length ?? 0) > 0 && (
          <label className="block">
            <span className="text-sm font-medium">Template</span>
            <select
              className={field}
              value={templateId ?? ''}
              onChange={(e) => {
                const id = e.target.value ? Number(e.target.value) : null
                setTemplateId(id)
                const t = templates.data?.smsTemplates.find((x) => x.id === id)
                if (t) setBody(t.body)
                changed()
              }}
            >
              <option value="">None</option>
              {templates.data?.smsTemplates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="block">
          <span className="text-sm font-medium">Message</span>
          <textarea
            name="body"
            required
            rows={4}
            className={field}
            value={body}
            onChange={(e) => {
              setBody(e.target.value)
              changed()
            }}
          />
          <span className="text-xs text-slate-600">
            Placeholders like ((name)) or ((date)) are filled from the spreadsheet&apos;s columns of the same name.
          </span>
        </label>
        <SaveSmsTemplate body={body} />
        <fieldset>
          <legend className="text-sm font-medium">Recipients</legend>
          <div className="mt-1 flex gap-4 text-sm">
            {(['CSV', 'PASTED'] as const).map((s) => (
              <label key={s} className="flex items-center gap-1">
                <input
                  type="radio"
                  name="source"
                  checked={source === s}
                  onChange={() => {
                    setSource(s)
                    changed()
                  }}
                />
                {s === 'CSV' ? 'A CSV file' : 'Pasted numbers'}
              </label>
            ))}
          </div>
          {source === 'CSV' ? (
            <label className="mt-2 block text-sm">
              <span>CSV with a header row and a phone (or number, mobile) column</span>
              <input
                type="file"
                name="csv"
                accept=".csv,text/csv"
                className="mt-1 block"
                onChange={async (e) => {
                  const file = e.target.files?.[0]
                  setCsv(file ? { name: file.name, packed: await packCsv(file) } : null)
                  changed()
                }}
              />
            </label>
          ) : (
            <textarea
              name="recipients"
              rows={5}
              aria-label="Numbers, one per line"
              className={field}
              value={pasted}
              onChange={(e) => {
                setPasted(e.target.value)
                changed()
              }}
            />
          )}
        </fieldset>
        {r && r.placeholders.length > 0 && (
          <fieldset>
            <legend className="text-sm font-medium">Defaults, for rows without a value</legend>
            {r.placeholders.map((name) => (
              <label key={name} className="mt-1 block text-sm">
                (({name}))
                <input
                  name={`default-${name}`}
                  className={field}
                  value={defaults[name] ?? ''}
                  onChange={(e) => {
                    setDefaults({ ...defaults, [name]: e.target.value })
                    changed()
                  }}
                />
              </label>
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend className="text-sm font-medium">When</legend>
          <div className="mt-1 flex flex-wrap items-center gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="when"
                checked={!later}
                onChange={() => {
                  setLater(false)
                  changed()
                }}
              />
              Now
            </label>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="when"
                checked={later}
                onChange={() => {
                  setLater(true)
                  changed()
                }}
              />
              Later
            </label>
            {later && (
              <label className="flex items-center gap-1">
                <input
                  type="datetime-local"
                  name="sendAt"
                  step={1}
                  aria-label="Send at"
                  className="rounded border border-slate-300 px-2 py-1"
                  value={sendAtLocal}
                  onChange={(e) => {
                    setSendAtLocal(e.target.value)
                    changed()
                  }}
                />
                <span className="text-slate-600">your time ({timeZone})</span>
              </label>
            )}
          </div>
        </fieldset>
        {error && (
          <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={reviewing}
          className="rounded bg-slate-700 px-4 py-2 font-medium text-white hover:bg-slate-800 disabled:opacity-60"
        >
          {reviewing ? 'Reviewing…' : 'Review'}
        </button>
      </form>
      {r && (
        <div className="mt-4 max-w-3xl space-y-3">
          <AudienceReview review={r} timeZone={timeZone} />
          <button
            type="button"
            disabled={!canSend || sending}
            onClick={onSend}
            className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            {sending
              ? 'Sending…'
              : `${r.sendAt ? 'Schedule' : 'Send'} ${r.recipients.toLocaleString('en')} message${r.recipients === 1 ? '' : 's'}`}
          </button>
        </div>
      )}
    </>
  )
}

export default AudienceSendPage
