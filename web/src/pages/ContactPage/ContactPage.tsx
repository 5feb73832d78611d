import { useState } from 'react'

import { navigate, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import ContactThreadCell from 'src/components/Contacts/ContactThreadCell'
import { QUERY as THREAD_QUERY } from 'src/components/Contacts/ContactThreadCell/ContactThreadCell'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'

/** The conversation with one number: replies next to what was sent, and its WhatsApp window. */
const ContactPage = ({ phoneNumber }: { phoneNumber: string }) => {
  const [other, setOther] = useState('')
  // Events carry ids, never numbers: any reply or any message change refreshes the thread.
  const live = useLiveEvents(['inbound', 'messages'], [THREAD_QUERY])
  return (
    <>
      <Metadata title={`Conversation with ${phoneNumber}`} />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div className="flex items-center gap-3">
          <h1 className="text-xl font-semibold">
            Conversation with <span className="font-mono">{phoneNumber}</span>
          </h1>
          <LiveIndicator state={live} />
        </div>
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
      <ContactThreadCell phoneNumber={phoneNumber} />
    </>
  )
}

export default ContactPage
