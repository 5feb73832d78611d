import { FieldError, Form, Label, Submit, TextField, useForm } from '@redwoodjs/forms'
import { navigate, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import ContactThreadCell from 'src/components/Contacts/ContactThreadCell'
import { QUERY as THREAD_QUERY } from 'src/components/Contacts/ContactThreadCell/ContactThreadCell'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'

/**
 * The conversation with one number: replies next to what was sent, its WhatsApp window, its opt-out and the reply
 * box. `channel` (from the inbox's link) is the channel the reply box starts on.
 */
/** A number typed into the address bar may arrive percent-encoded (%2B for +). */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

const ContactPage = ({ phoneNumber: raw, channel }: { phoneNumber: string; channel?: string }) => {
  const phoneNumber = decoded(raw)
  const otherNumber = useForm<{ other: string }>({ defaultValues: { other: '' } })
  // Events carry ids, never numbers: any reply, any message change or any opt-out change (staff adding or removing
  // one, in another tab or by another user) refreshes the thread, its opt-out banner and its reply box.
  const live = useLiveEvents(['inbound', 'messages', 'optouts'], [THREAD_QUERY])
  return (
    <>
      <Metadata title={`Conversation with ${phoneNumber}`} />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold">
          Conversation with <span className="font-mono">{phoneNumber}</span>
        </h1>
        <LiveIndicator state={live} />
        {/* A lookup, not a save: the number is checked by the api when its thread is asked for. */}
        <Form<{ other: string }>
          formMethods={otherNumber}
          aria-label="Open another conversation"
          className="flex flex-wrap items-start gap-2"
          onSubmit={({ other }) => {
            navigate(routes.contact({ phoneNumber: other.trim() }))
            otherNumber.reset()
          }}
        >
          <div className="text-sm">
            <Label name="other" htmlFor="otherNumber">
              Another number
            </Label>
            <TextField
              name="other"
              id="otherNumber"
              aria-describedby="otherNumber-error"
              className="ml-2 rounded border border-slate-300 px-2 py-1 font-mono"
              validation={{ validate: (v: string) => v.trim() !== '' || 'Enter a phone number.' }}
            />
            <FieldError name="other" id="otherNumber-error" className="mt-1 block text-sm text-rose-700" />
          </div>
          <Submit className="rounded bg-slate-700 px-3 py-1 text-sm text-white">Open</Submit>
        </Form>
      </div>
      <ContactThreadCell phoneNumber={phoneNumber} channel={channel ?? ''} />
    </>
  )
}

export default ContactPage
