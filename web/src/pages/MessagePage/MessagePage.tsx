import { useState } from 'react'

import { Link, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import StatusOptions from 'src/components/Delivery/StatusOptions/StatusOptions'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveMessage } from 'src/components/Live/useLiveRefresh'
import MessageCell from 'src/components/Messages/MessageCell'
import RecipientsCell from 'src/components/Messages/RecipientsCell'
import RecipientTimelineCell from 'src/components/Messages/RecipientTimelineCell'
import PageButton from 'src/components/PageButton/PageButton'

const MessagePage = ({ id }: { id: string }) => {
  const live = useLiveMessage(id)
  const [status, setStatus] = useState('')
  const [cursors, setCursors] = useState<number[]>([])
  const [selected, setSelected] = useState<number | null>(null)

  return (
    <>
      <Metadata title="Message" />
      <div className="mb-3 flex items-center justify-between">
        <Link to={routes.messages()} className="text-sm text-indigo-700 underline">
          ← All messages
        </Link>
        <LiveIndicator state={live} />
      </div>
      <MessageCell id={id} />
      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-3">
          <div className="mb-2 flex items-center justify-between">
            <h2 className="font-semibold">Recipients</h2>
            <label className="text-sm">
              <span className="mr-2">Status</span>
              <select
                className="rounded border border-slate-300 px-2 py-1 text-sm"
                value={status}
                onChange={(e) => {
                  setStatus(e.target.value)
                  setCursors([])
                }}
              >
                <StatusOptions />
              </select>
            </label>
          </div>
          <RecipientsCell
            id={id}
            status={status || null}
            cursor={cursors[cursors.length - 1] ?? null}
            selectedId={selected}
            onSelect={(rid: number) => setSelected(selected === rid ? null : rid)}
            onNext={(c: number) => setCursors([...cursors, c])}
          />
          {cursors.length > 0 && (
            <PageButton onClick={() => setCursors(cursors.slice(0, -1))}>Previous recipients</PageButton>
          )}
        </div>
        <div className="lg:col-span-2">
          {selected ? (
            <RecipientTimelineCell id={selected} />
          ) : (
            <p className="text-sm text-slate-600">Choose a number to see its timeline.</p>
          )}
        </div>
      </div>
    </>
  )
}

export default MessagePage
