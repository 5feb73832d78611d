import { useState } from 'react'

import { Form, Label, Submit, TextField } from '@redwoodjs/forms'
import { Metadata } from '@redwoodjs/web'

import InboxCell from 'src/components/Inbox/InboxCell'
import { QUERY as INBOX_QUERY } from 'src/components/Inbox/InboxCell/InboxCell'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'
import PageButton from 'src/components/PageButton/PageButton'

/** Conversations (replies by number and channel), the latest reply first, with what the signed-in user has not read. */
const InboxPage = () => {
  // A reply arriving, or a message sent (answering a conversation), refreshes the page shown.
  const live = useLiveEvents(['inbound', 'messages'], [INBOX_QUERY])
  const [unansweredOnly, setUnansweredOnly] = useState(false)
  const [search, setSearch] = useState('')
  const [cursors, setCursors] = useState<string[]>([])

  return (
    <>
      <Metadata title="Inbox" />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold">Inbox</h1>
        <LiveIndicator state={live} />
      </div>
      <div className="mb-3 flex flex-wrap items-end gap-4">
        <Form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(data: { search: string }) => {
            setSearch(data.search.trim())
            setCursors([])
          }}
        >
          <Label name="search" className="w-full text-sm sm:w-auto">
            Search by number or name
          </Label>
          <TextField
            name="search"
            maxLength={64}
            className="rounded border border-slate-300 px-2 py-1"
            placeholder="e.g. 555 0123"
          />
          <Submit className="rounded bg-slate-700 px-3 py-1 text-sm text-white">Search</Submit>
        </Form>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={unansweredOnly}
            onChange={(e) => {
              setUnansweredOnly(e.target.checked)
              setCursors([])
            }}
          />
          Unanswered only
        </label>
      </div>
      <InboxCell
        unansweredOnly={unansweredOnly}
        search={search}
        cursor={cursors[cursors.length - 1] ?? ''}
        onNext={(c: string) => setCursors([...cursors, c])}
      />
      {cursors.length > 0 && (
        <PageButton onClick={() => setCursors(cursors.slice(0, -1))}>Newer conversations</PageButton>
      )}
    </>
  )
}

export default InboxPage
