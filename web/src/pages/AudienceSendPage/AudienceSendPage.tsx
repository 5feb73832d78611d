import { useEffect, useState } from 'react'

import type {
  AudienceContactListsQuery,
  AudienceContactListsQueryVariables,
  AudienceSendInput,
  AudienceSendLimitsQuery,
  AudienceSendLimitsQueryVariables,
  ReviewAudienceSendQuery,
  ReviewAudienceSendQueryVariables,
  SendToAudienceMutation,
  SendToAudienceMutationVariables,
} from 'types/graphql'

import {
  DatetimeLocalField,
  FieldError,
  FileField,
  Form,
  Label,
  RadioField,
  SelectField,
  Submit,
  TextAreaField,
  TextField,
  useForm,
} from '@redwoodjs/forms'
import { navigate, routes } from '@redwoodjs/router'
import { Metadata, useMutation, useQuery, type TypedDocumentNode } from '@redwoodjs/web'

import AudienceReview, { type Review } from 'src/components/AudienceSend/AudienceReview/AudienceReview'
import SaveSmsTemplate from 'src/components/AudienceSend/SaveSmsTemplate/SaveSmsTemplate'
import SmsTemplatePicker from 'src/components/AudienceSend/SmsTemplatePicker/SmsTemplatePicker'
import { csvHeader, fieldKey, fileHead, isPlaceholderName } from 'src/lib/csvHeader'

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

export const LISTS: TypedDocumentNode<AudienceContactListsQuery, AudienceContactListsQueryVariables> = gql`
  query AudienceContactListsQuery {
    contactLists {
      id
      name
      memberCount
      optedOutCount
    }
  }
`

export const LIMITS: TypedDocumentNode<AudienceSendLimitsQuery, AudienceSendLimitsQueryVariables> = gql`
  query AudienceSendLimitsQuery {
    sendLimits {
      maxExpiryHoursAfterSend
      csvNumberColumnNames
    }
  }
`

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'
const fieldError = 'mt-1 block text-sm text-rose-900'

type Source = 'CSV' | 'PASTED' | 'LIST'
const SOURCES: { value: Source; label: string }[] = [
  { value: 'CSV', label: 'A CSV file' },
  { value: 'PASTED', label: 'Pasted numbers' },
  { value: 'LIST', label: 'A contact list' },
]

export type Values = {
  templateId: number | null
  body: string
  source: Source
  numberColumn: string
  recipients: string
  listId: number | null
  when: 'now' | 'later'
  sendAt: Date | null
  expireAt: Date | null
  /** Keyed `p_<placeholder>` so that a placeholder named like a number is not read as an array index. */
  defaults?: Record<string, string>
}

/** The file gzip-compressed and base64-encoded: 100,000 rows travel in a few hundred kB. */
async function packCsv(file: File): Promise<string> {
  const reader = file.stream().pipeThrough(new CompressionStream('gzip')).getReader()
  let binary = ''
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    for (let i = 0; i < chunk.value.length; i += 0x8000)
      binary += String.fromCharCode(...chunk.value.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** The column the api would take for the numbers when none is chosen (its names come from sendLimits). */
export const guessNumberColumn = (columns: string[], names: string[]) =>
  columns.find((c) => names.includes(fieldKey(c).replace(/-/g, '_')))

const plural = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`
const validDate = (d: Date | null): d is Date => d instanceof Date && !Number.isNaN(d.getTime())

/**
 * A send to a spreadsheet, a contact list or many pasted numbers, with a
 * template, a review (the api's: counts, problems, a preview, parts and cost),
 * an optional schedule and expiry. Nothing is stored until "Send N messages".
 */
const AudienceSendPage = () => {
  const formMethods = useForm<Values>({
    defaultValues: { body: '', source: 'CSV', when: 'now', numberColumn: '', recipients: '' },
  })
  const { watch, setValue, getValues } = formMethods
  const [csv, setCsv] = useState<{ name: string; packed: string; columns: string[] } | null>(null)
  const [packing, setPacking] = useState(false)
  const [review, setReview] = useState<{ review: Review; input: AudienceSendInput } | null>(null)
  // The placeholders of the last review: their defaults stay editable after the review goes stale.
  const [placeholders, setPlaceholders] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [reviewing, setReviewing] = useState(false)
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const limits = useQuery(LIMITS, { fetchPolicy: 'cache-first' }).data?.sendLimits
  const source = watch('source')
  const later = watch('when') === 'later'
  const lists = useQuery(LISTS, { skip: source !== 'LIST', fetchPolicy: 'cache-and-network' })
  const { refetch: runReview } = useQuery(REVIEW, { skip: true, fetchPolicy: 'no-cache' })
  const [send, { loading: sending }] = useMutation(SEND)

  // A review is of the input it was given: any change makes it stale.
  useEffect(() => {
    const subscription = watch((_values, { name }) => {
      setReview(null)
      setError(null)
      // The file input is gone with its source: so is the file it held.
      if (name === 'source') setCsv(null)
    })
    return () => subscription.unsubscribe()
  }, [watch])

  // The api's guess of the number column, once both the file's header and the api's column names are here: a file
  // chosen before the limits arrived is guessed when they do, not left at "Choose…".
  const numberColumnNames = limits?.csvNumberColumnNames
  useEffect(() => {
    if (!csv || !numberColumnNames || getValues('numberColumn')) return
    const guess = guessNumberColumn(csv.columns, numberColumnNames)
    if (guess) setValue('numberColumn', guess)
  }, [csv, numberColumnNames, getValues, setValue])

  const onFile = async (file: File | undefined) => {
    setReview(null)
    if (!file) return setCsv(null)
    setPacking(true)
    try {
      const [packed, head] = await Promise.all([packCsv(file), fileHead(file)])
      const columns = csvHeader(head)
      setCsv({ name: file.name, packed, columns })
      // A new file's number column is guessed again (below), unless the user picks one.
      setValue('numberColumn', '')
    } finally {
      setPacking(false)
    }
  }

  const toInput = (v: Values): AudienceSendInput => ({
    body: v.body,
    smsTemplateId: v.templateId ?? null,
    source: v.source,
    ...(v.source === 'CSV'
      ? { csvGzip: csv?.packed ?? '', numberColumn: v.numberColumn || null }
      : v.source === 'PASTED'
        ? { recipients: v.recipients }
        : { listId: v.listId }),
    defaults: placeholders
      .map((name) => ({ name, value: v.defaults?.[`p_${name}`] ?? '' }))
      .filter((d) => d.value !== ''),
    sendAt: v.when === 'later' && validDate(v.sendAt) ? v.sendAt.toISOString() : null,
    expireAt: validDate(v.expireAt) ? v.expireAt.toISOString() : null,
  })

  const onReview = async (values: Values) => {
    setError(null)
    setReview(null)
    setReviewing(true)
    try {
      const input = toInput(values)
      const { data, error: e } = await runReview({ input })
      if (e) throw e
      setReview({ review: data.reviewAudienceSend, input })
      setPlaceholders(data.reviewAudienceSend.placeholders)
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

  /** Sinch's expire_at: after the send goes, at most maxExpiryHoursAfterSend after it (the api checks it again). */
  const validateExpiry = (expireAt: Date | null) => {
    if (!validDate(expireAt)) return true
    const sendAt = getValues('sendAt')
    const goes = getValues('when') === 'later' && validDate(sendAt) ? sendAt.getTime() : Date.now()
    const goesWords = getValues('when') === 'later' ? 'the time it is sent' : 'now'
    if (expireAt.getTime() <= goes) return `Give up after ${goesWords}: choose a later time.`
    const hours = limits?.maxExpiryHoursAfterSend
    if (hours && expireAt.getTime() > goes + hours * 3600_000)
      return `Sinch keeps trying for at most ${hours} hours (${hours / 24} days): choose a time within ${hours} hours of ${goesWords}.`
    return true
  }

  const insertPlaceholder = (name: string) => {
    const body = getValues('body')
    setValue('body', `${body}${body && !/\s$/.test(body) ? ' ' : ''}((${name}))`, { shouldDirty: true })
  }

  const r = review?.review
  const canSend = r && r.draftId && r.recipients > 0 && r.missing.length === 0
  const columnPlaceholders = (csv?.columns ?? []).map(fieldKey).filter(isPlaceholderName)
  const listOptions = lists.data?.contactLists ?? []
  return (
    <>
      <Metadata title="Send to many" />
      <h1 className="mb-4 text-xl font-semibold">Send an SMS to a spreadsheet, a contact list or many numbers</h1>
      <Form<Values>
        formMethods={formMethods}
        onSubmit={onReview}
        aria-label="Send to many"
        className="max-w-3xl space-y-5 rounded border border-slate-200 bg-white p-5"
      >
        <SmsTemplatePicker
          onPick={(template) => {
            if (template) setValue('body', template.body, { shouldDirty: true, shouldValidate: true })
          }}
        />
        <div>
          <Label name="body" className="text-sm font-medium">
            Message
          </Label>
          <TextAreaField
            name="body"
            rows={4}
            className={field}
            validation={{ validate: (v: string) => v.trim() !== '' || 'Write the message.' }}
          />
          <FieldError name="body" className={fieldError} />
          <span className="mt-1 block text-xs text-slate-600">
            Placeholders like ((name)) or ((date)) are filled from the spreadsheet&apos;s columns, or from a
            contact&apos;s name and fields, of the same name.
          </span>
        </div>
        <SaveSmsTemplate body={watch('body')} />
        <fieldset>
          <legend className="text-sm font-medium">Recipients</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {SOURCES.map((s) => (
              <label key={s.value} htmlFor={`source-${s.value}`} className="flex items-center gap-1">
                <RadioField name="source" id={`source-${s.value}`} value={s.value} />
                {s.label}
              </label>
            ))}
          </div>
          {source === 'CSV' && (
            <div className="mt-2 space-y-2 text-sm">
              <div>
                <Label name="csv" className="block">
                  CSV with a header row
                </Label>
                <FileField
                  name="csv"
                  accept=".csv,text/csv"
                  className="mt-1 block max-w-full"
                  validation={{ validate: () => (csv !== null && !packing) || 'Choose a CSV file.' }}
                  onChange={(e) => void onFile(e.target.files?.[0])}
                />
              </div>
              <FieldError name="csv" className={fieldError} />
              {csv && (
                <>
                  <div>
                    <Label name="numberColumn">Numbers are in the column</Label>
                    <SelectField
                      name="numberColumn"
                      className={field}
                      validation={{ validate: (v: string) => v !== '' || 'Choose the column with the phone numbers.' }}
                    >
                      <option value="">Choose…</option>
                      {csv.columns.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </SelectField>
                    <FieldError name="numberColumn" className={fieldError} />
                  </div>
                  <div data-testid="column-placeholders">
                    {columnPlaceholders.length > 0 ? (
                      <>
                        <span className="text-slate-600">Placeholders from this file (click to add): </span>
                        {columnPlaceholders.map((name) => (
                          <button
                            key={name}
                            type="button"
                            onClick={() => insertPlaceholder(name)}
                            className="mr-1 mt-1 rounded border border-slate-300 px-2 py-0.5 font-mono text-xs hover:bg-slate-50"
                          >
                            (({name}))
                          </button>
                        ))}
                      </>
                    ) : (
                      <span className="text-slate-600">No column of this file can be a placeholder.</span>
                    )}
                  </div>
                </>
              )}
            </div>
          )}
          {source === 'PASTED' && (
            <>
              <TextAreaField
                name="recipients"
                rows={5}
                aria-label="Numbers, one per line"
                className={field}
                validation={{ validate: (v: string) => v.trim() !== '' || 'Paste at least one number.' }}
              />
              <FieldError name="recipients" className={fieldError} />
            </>
          )}
          {source === 'LIST' && (
            <div className="mt-2 text-sm">
              <Label name="listId">Contact list</Label>
              <SelectField
                name="listId"
                className={field}
                validation={{ valueAsNumber: true, required: 'Choose a contact list.' }}
              >
                <option value="">{lists.loading ? 'Loading lists…' : 'Choose…'}</option>
                {listOptions.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name} ({plural(l.memberCount, 'contact')}
                    {l.optedOutCount > 0 ? `, ${l.optedOutCount.toLocaleString('en')} opted out` : ''})
                  </option>
                ))}
              </SelectField>
              <FieldError name="listId" className={fieldError} />
              {!lists.loading && listOptions.length === 0 && (
                <p className="mt-1 text-slate-600">No contact lists yet: make one in the address book.</p>
              )}
              <p className="mt-1 text-xs text-slate-600">
                Opted-out contacts are left out. ((name)) is the contact&apos;s name; any other placeholder is filled
                from the contact&apos;s field of that name.
              </p>
            </div>
          )}
        </fieldset>
        {placeholders.length > 0 && (
          <fieldset>
            <legend className="text-sm font-medium">Defaults, for rows without a value</legend>
            {placeholders.map((name) => (
              <label key={name} className="mt-1 block text-sm">
                (({name}))
                <TextField name={`defaults.p_${name}`} aria-label={`Default for ((${name}))`} className={field} />
              </label>
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend className="text-sm font-medium">When</legend>
          <div className="mt-1 flex flex-wrap items-center gap-4 text-sm">
            <label htmlFor="when-now" className="flex items-center gap-1">
              <RadioField name="when" id="when-now" value="now" />
              Now
            </label>
            <label htmlFor="when-later" className="flex items-center gap-1">
              <RadioField name="when" id="when-later" value="later" />
              Later
            </label>
            {later && (
              <label className="flex flex-wrap items-center gap-1">
                <DatetimeLocalField
                  name="sendAt"
                  step={1}
                  aria-label="Send at"
                  className="rounded border border-slate-300 px-2 py-1"
                  validation={{
                    validate: (v: Date | null) => validDate(v) || 'Choose when to send it.',
                    deps: ['expireAt'],
                  }}
                />
                <span className="text-slate-600">your time ({timeZone})</span>
              </label>
            )}
          </div>
          <FieldError name="sendAt" className={fieldError} />
          <div className="mt-3 flex flex-wrap items-center gap-1 text-sm">
            <Label name="expireAt">Give up after</Label>
            <DatetimeLocalField
              name="expireAt"
              step={1}
              className="rounded border border-slate-300 px-2 py-1"
              validation={{ validate: validateExpiry }}
            />
            <span className="text-slate-600">
              your time ({timeZone}); optional: Sinch stops trying to deliver then
              {limits ? ` (at most ${limits.maxExpiryHoursAfterSend} hours after sending, its default)` : ''}
            </span>
          </div>
          <FieldError name="expireAt" className={fieldError} />
        </fieldset>
        {error && (
          <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
            {error}
          </p>
        )}
        <Submit
          disabled={reviewing || packing}
          className="rounded bg-slate-700 px-4 py-2 font-medium text-white hover:bg-slate-800 disabled:opacity-60"
        >
          {reviewing ? 'Reviewing…' : packing ? 'Reading the file…' : 'Review'}
        </Submit>
      </Form>
      {r && (
        <div className="mt-4 max-w-3xl space-y-3">
          <AudienceReview review={r} timeZone={timeZone} />
          <button
            type="button"
            disabled={!canSend || sending}
            onClick={onSend}
            className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            {sending ? 'Sending…' : `${r.sendAt ? 'Schedule' : 'Send'} ${plural(r.recipients, 'message')}`}
          </button>
        </div>
      )}
    </>
  )
}

export default AudienceSendPage
