import { useState } from 'react'

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
  const [other, setOther] = useState('')
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
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            if (other.trim()) navigate(routes.contact({ phoneNumber: other.trim() }))
          }}
        >
          <label htmlFor="otherNumber" className="text-sm">
            Another number
            <input
              id="otherNumber"
              className="ml-2 rounded border border-slate-300 px-2 py-1 font-mono"
              value={other}
              onChange={(e) => setOther(e.target.value)}
            />
          </label>
          <button type="submit" className="rounded bg-slate-700 px-3 py-1 text-sm text-white">
            Open
          </button>
        </form>
      </div>
      <ContactThreadCell phoneNumber={phoneNumber} channel={channel ?? ''} />
    </>
  )
}

export default ContactPage
