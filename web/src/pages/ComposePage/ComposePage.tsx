import { useEffect, useState } from 'react'

import type {
  SendLimitsQuery,
  SendLimitsQueryVariables,
  SendMessageMutation,
  SendMessageMutationVariables,
  SendMmsMutation,
  SendMmsMutationVariables,
} from 'types/graphql'

import {
  CheckboxField,
  FieldError,
  Form,
  Label,
  RadioField,
  Submit,
  TextAreaField,
  TextField,
  useForm,
} from '@redwoodjs/forms'
import { Link, navigate, routes } from '@redwoodjs/router'
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
      maxRecipientsTextLength
      maxClientReferenceLength
    }
  }
`

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'
const invalidField = field.replace('border-slate-300', 'border-rose-500')
const fieldError = 'mt-1 block text-sm font-medium text-rose-800'

type Channel = 'SMS' | 'WHATSAPP'
type ComposeValues = {
  channel: Channel
  body: string
  recipients: string
  clientReference: string
  smsFallback: boolean
}
/** What the api answered to the last send: why nothing was sent, and the entries it refused. */
type Refusal = { message: string; entries: { input: string; reason: string }[] }

const count = (n: number) => n.toLocaleString('en')

const ComposePage = () => {
  const formMethods = useForm<ComposeValues>({
    defaultValues: { channel: 'SMS', body: '', recipients: '', clientReference: '', smsFallback: false },
  })
  const { errors } = formMethods.formState
  const [channel, body, recipients] = formMethods.watch(['channel', 'body', 'recipients'])
  const [refusal, setRefusal] = useState<Refusal | null>(null)
  const [template, setTemplate] = useState<TemplateChoice>({ templateId: null, parameters: [] })
  const [picture, setPicture] = useState<File | null>(null)
  const whatsApp = channel === 'WHATSAPP'
  const usesTemplate = whatsApp && template.templateId !== null
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
  useEffect(() => {
    const subscription = formMethods.watch((_, { name }) => {
      setRefusal(null)
      // The picture goes with an SMS only; its field starts empty when SMS is chosen again.
      if (name === 'channel') setPicture(null)
    })
    return () => subscription.unsubscribe()
  }, [formMethods])

  const onSubmit = async (values: ComposeValues) => {
    setRefusal(null)
    const clientReference = values.clientReference || null
    try {
      const base = { body: usesTemplate ? '' : values.body, recipients: values.recipients, clientReference }
      const input = whatsApp
        ? {
            ...base,
            channel: values.channel,
            smsFallback: values.smsFallback,
            ...(usesTemplate ? { templateId: template.templateId, templateParameters: template.parameters } : {}),
          }
        : base
      const result = mms
        ? (
            await sendMms({
              variables: {
                input: {
                  recipients: values.recipients,
                  message: values.body || null,
                  fileName: picture.name,
                  contentBase64: await readAsBase64(picture),
                  clientReference,
                },
              },
            })
          ).data?.sendMms
        : (await send({ variables: { input } })).data?.sendMessage
      if (result?.invalid.length) {
        setRefusal({
          message: `Nothing was sent: ${result.invalid.length} recipient${result.invalid.length === 1 ? ' is' : 's are'} invalid or opted out${whatsApp && !usesTemplate ? ', or outside the WhatsApp 24-hour window' : ''}.`,
          entries: result.invalid,
        })
      } else if (result?.message) {
        navigate(routes.message({ id: result.message.id }))
      }
    } catch (e) {
      setRefusal({ message: (e as Error).message, entries: [] })
    }
  }

  return (
    <>
      <Metadata title="Compose" />
      <h1 className="mb-1 text-xl font-semibold">{whatsApp ? 'Compose a WhatsApp message' : 'Compose an SMS'}</h1>
      <p className="mb-4 text-sm text-slate-600">
        To a contact list or a spreadsheet, with a template filled per person, reviewed first or sent later:{' '}
        <Link to={routes.audienceSend()} className="text-indigo-700 underline">
          Send to many
        </Link>
        .
      </p>
      <Form
        formMethods={formMethods}
        onSubmit={onSubmit}
        className="max-w-2xl space-y-5 rounded border border-slate-200 bg-white p-5"
      >
        {refusal && (
          <div role="alert" className="rounded bg-rose-50 p-3 text-sm text-rose-900">
            <p>{refusal.message}</p>
            {refusal.entries.length > 0 && (
              <ul className="mt-1 list-inside list-disc">
                {refusal.entries.map((p) => (
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
              <label key={c} htmlFor={`channel-${c}`} className="flex items-center gap-1">
                <RadioField id={`channel-${c}`} name="channel" value={c} />
                {c === 'SMS' ? 'SMS' : 'WhatsApp'}
              </label>
            ))}
          </div>
        </fieldset>
        {whatsApp && (
          <div className="space-y-3 rounded border border-emerald-200 bg-emerald-50/40 p-3">
            <WhatsAppTemplatesCell
              choice={template}
              onChange={(choice) => {
                setTemplate(choice)
                setRefusal(null)
              }}
            />
            <label htmlFor="smsFallback" className="flex items-center gap-2 text-sm">
              <CheckboxField id="smsFallback" name="smsFallback" />
              Fall back to SMS when WhatsApp cannot deliver
            </label>
          </div>
        )}
        {!usesTemplate && (
          <div>
            <Label name="body" className="text-sm font-medium">
              Message
            </Label>
            <TextAreaField
              name="body"
              rows={5}
              className={field}
              errorClassName={invalidField}
              aria-describedby="body-count body-error"
              aria-invalid={over > 0 || !!errors.body}
              validation={{
                validate: {
                  // An MMS may go with its picture alone.
                  written: (v) => mms || v.trim() !== '' || 'Write the message.',
                  withinLimit: (v) =>
                    maxLength === undefined ||
                    v.trim().length <= maxLength ||
                    `The message is over the limit of ${count(maxLength)} characters.`,
                },
              }}
            />
            {/* WhatsApp free text is one message however long: SMS parts and encodings do not apply. */}
            <p id="body-count" className="mt-1 text-xs text-slate-600" data-testid="sms-count">
              {whatsApp ? (
                <>
                  {body.length} characters{maxLength !== undefined ? ` of ${count(maxLength)}` : ''}
                </>
              ) : (
                <>
                  {body.length} characters · {parts.encoding} · {parts.parts} SMS part{parts.parts === 1 ? '' : 's'}
                  {parts.parts > 0 ? ` · ${parts.remaining} left in this part` : ''}
                  {parts.encoding === 'UCS-2' && body ? ' (a character outside GSM-7 makes every part shorter)' : ''}
                </>
              )}
            </p>
            {/* Past the limit it says so while typing; otherwise what the last Send attempt found. */}
            {over > 0 ? (
              <p id="body-error" className={fieldError} data-testid="too-long" aria-live="polite">
                {count(over)} character{over === 1 ? '' : 's'} over the limit of {count(maxLength!)}: shorten the
                message to send it.
              </p>
            ) : (
              <FieldError id="body-error" name="body" className={fieldError} />
            )}
            {!whatsApp && (
              <MmsPictureField
                onChange={(file) => {
                  setPicture(file)
                  setRefusal(null)
                }}
              />
            )}
          </div>
        )}
        <div>
          <Label name="recipients" className="text-sm font-medium">
            Recipients
          </Label>
          <TextAreaField
            name="recipients"
            rows={5}
            className={`${field} font-mono text-sm`}
            errorClassName={`${invalidField} font-mono text-sm`}
            placeholder={'+46701234567\n+12025550123'}
            aria-describedby="recipients-error recipients-check"
            aria-invalid={!!errors.recipients}
            validation={{
              validate: {
                given: (v) => v.trim() !== '' || 'Enter at least one recipient.',
                withinLimit: (v) =>
                  !limits ||
                  v.length <= limits.maxRecipientsTextLength ||
                  `The recipients are ${count(v.length)} characters long; paste at most ${count(limits.maxRecipientsTextLength)}.`,
              },
            }}
          />
          <FieldError id="recipients-error" name="recipients" className={fieldError} />
          <div id="recipients-check" className="mt-1">
            <RecipientCheck entries={recipients} />
            {whatsApp && !usesTemplate && <WindowCheck entries={recipients} />}
          </div>
        </div>
        <div>
          <Label name="clientReference" className="text-sm font-medium">
            Client reference <span className="font-normal text-slate-600">(optional, e.g. an order number)</span>
          </Label>
          <TextField
            name="clientReference"
            className={field}
            errorClassName={invalidField}
            aria-describedby="clientReference-error"
            aria-invalid={!!errors.clientReference}
            validation={{
              ...(limits && {
                maxLength: {
                  value: limits.maxClientReferenceLength,
                  message: `At most ${count(limits.maxClientReferenceLength)} characters.`,
                },
              }),
            }}
          />
          <FieldError id="clientReference-error" name="clientReference" className={fieldError} />
        </div>
        <Submit
          disabled={loading || over > 0}
          className="rounded bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {loading ? 'Sending…' : mms ? 'Send MMS' : 'Send'}
        </Submit>
      </Form>
    </>
  )
}

export default ComposePage
