import { useState } from 'react'

import type { ReplyToConversationMutation, ReplyToConversationMutationVariables } from 'types/graphql'

import { Form, Label, RadioField, Submit, TextAreaField, useForm } from '@redwoodjs/forms'
import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'
import { toast } from '@redwoodjs/web/toast'

import WhatsAppTemplatesCell from 'src/components/Compose/WhatsAppTemplatesCell'
import type { TemplateChoice } from 'src/components/Compose/WhatsAppTemplatesCell/WhatsAppTemplatesCell'

export const REPLY: TypedDocumentNode<ReplyToConversationMutation, ReplyToConversationMutationVariables> = gql`
  mutation ReplyToConversationMutation($input: ConversationReplyInput!) {
    replyToConversation(input: $input) {
      id
      submitState
      submitError
    }
  }
`

type Channel = 'SMS' | 'WHATSAPP'
type Props = {
  phoneNumber: string
  defaultChannel: Channel
  /** The WhatsApp 24-hour window: free text only while it is open. */
  windowOpen: boolean
  /** Why nothing may be sent (an opt-out, in words), or null. */
  refusedBecause: string | null
  /** The signed-in user may send (a viewer only reads). */
  maySend: boolean
}

const field =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

/**
 * Answers the conversation: SMS text, WhatsApp text inside the 24-hour window,
 * or a WhatsApp template (the only choice outside it). The api refuses the
 * same things whatever this box shows.
 */
const ReplyBox = ({ phoneNumber, defaultChannel, windowOpen, refusedBecause, maySend }: Props) => {
  const formMethods = useForm<{ channel: Channel; body: string }>({
    defaultValues: { channel: defaultChannel, body: '' },
  })
  const channel = formMethods.watch('channel') ?? defaultChannel
  const [template, setTemplate] = useState<TemplateChoice>({ templateId: null, parameters: [] })
  const [error, setError] = useState<string | null>(null)
  const [reply, { loading }] = useMutation(REPLY, {
    refetchQueries: ['ContactThreadQuery'],
    awaitRefetchQueries: true,
  })

  if (!maySend)
    return (
      <p className="rounded bg-slate-50 p-3 text-sm text-slate-700" data-testid="reply-box">
        You can read this conversation; senders and admins answer it.
      </p>
    )

  const whatsApp = channel === 'WHATSAPP'
  const usesTemplate = whatsApp && template.templateId !== null
  const freeTextRefused = whatsApp && !windowOpen && !usesTemplate

  return (
    <section aria-label="Reply" data-testid="reply-box" className="rounded border border-slate-200 bg-white p-3">
      {refusedBecause && (
        <p role="alert" className="mb-2 rounded bg-rose-50 p-2 text-sm text-rose-900" data-testid="reply-refused">
          Replies are refused: {phoneNumber} {refusedBecause}. Nothing is sent until the number opts back in (replies
          START) or an admin removes the opt-out.
        </p>
      )}
      <Form
        formMethods={formMethods}
        onSubmit={async (data: { channel: Channel; body: string }) => {
          setError(null)
          try {
            const result = await reply({
              variables: {
                input: {
                  phoneNumber,
                  channel: data.channel,
                  body: usesTemplate ? null : data.body,
                  ...(usesTemplate ? { templateId: template.templateId, templateParameters: template.parameters } : {}),
                },
              },
            })
            const sent = result.data?.replyToConversation
            if (sent?.submitState === 'FAILED') setError(`Stored, but Sinch did not accept it: ${sent.submitError}`)
            else toast.success('Reply sent')
            formMethods.reset({ channel: data.channel, body: '' })
            setTemplate({ templateId: null, parameters: [] })
          } catch (e) {
            setError((e as Error).message)
          }
        }}
      >
        <fieldset disabled={!!refusedBecause || loading} className="space-y-2">
          <legend className="sr-only">Reply to {phoneNumber}</legend>
          <div className="flex items-center gap-4 text-sm">
            <span className="font-medium">Reply by</span>
            <RadioField id="reply-channel-sms" name="channel" value="SMS" />
            <label htmlFor="reply-channel-sms">SMS</label>
            <RadioField id="reply-channel-whatsapp" name="channel" value="WHATSAPP" />
            <label htmlFor="reply-channel-whatsapp">WhatsApp</label>
          </div>
          {whatsApp && (
            <>
              {!windowOpen && (
                <p className="rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="reply-window">
                  The WhatsApp window is closed: free text would be refused. Choose a template.
                </p>
              )}
              <WhatsAppTemplatesCell choice={template} onChange={setTemplate} />
            </>
          )}
          {!usesTemplate && (windowOpen || !whatsApp) && (
            <div>
              <Label name="body" className="text-sm font-medium">
                Your reply
              </Label>
              <TextAreaField
                name="body"
                rows={3}
                className={field}
                validation={{ required: { value: true, message: 'Write a reply.' } }}
              />
            </div>
          )}
          {error && (
            <p role="alert" className="rounded bg-rose-50 p-2 text-sm text-rose-900" data-testid="reply-error">
              {error}
            </p>
          )}
          <Submit
            disabled={!!refusedBecause || loading || freeTextRefused}
            className="rounded bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          >
            {loading ? 'Sending…' : 'Send reply'}
          </Submit>
        </fieldset>
      </Form>
    </section>
  )
}

export default ReplyBox
