import { useEffect, useState } from 'react'

import { Metadata } from '@redwoodjs/web'

import InboxCell from 'src/components/Inbox/InboxCell'
import { QUERY as INBOX_QUERY } from 'src/components/Inbox/InboxCell/InboxCell'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'
import PageButton from 'src/components/PageButton/PageButton'
import { useSearchLimits } from 'src/components/Search/useSearchLimits'
import { useSearchInUrl } from 'src/lib/useSearchInUrl'

import { useInboxFilters } from './inboxFilters'

/** Conversations (replies by number and channel), the latest reply first, with what the signed-in user has not read. */
const InboxPage = () => {
  // A reply arriving, a message sent (answering a conversation), this user reading a thread in another tab, or an
  // opt-out changing refreshes the page shown.
  const live = useLiveEvents(['inbound', 'messages', 'read', 'optouts'], [INBOX_QUERY])
  const [filters, setFilters] = useInboxFilters()
  // The box shows what is typed; the URL (and the query) what was typed before the last pause.
  const [text, setText] = useSearchInUrl(filters.q, (q) => setFilters({ q }, { replace: true }))
  // The longest search the api takes, as for every list's search (null while it is asked for).
  const limits = useSearchLimits()
  const [cursors, setCursors] = useState<string[]>([])
  const filterKey = JSON.stringify(filters)
  // A new search or filter (typed, chosen, or brought back by Back) starts from the newest page.
  useEffect(() => setCursors([]), [filterKey])

  return (
    <>
      <Metadata title="Inbox" />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold">Inbox</h1>
        <LiveIndicator state={live} />
      </div>
      <form
        role="search"
        className="mb-3 flex flex-wrap items-end gap-4"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Search conversations"
      >
        <label className="text-sm">
          <span className="mr-2">Search by number or name</span>
          <input
            type="search"
            value={text}
            maxLength={limits?.maxLength}
            className="rounded border border-slate-300 px-2 py-1"
            placeholder="e.g. 555 0123"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={filters.unanswered}
            onChange={(e) => setFilters({ unanswered: e.target.checked })}
          />
          Unanswered only
        </label>
      </form>
      <InboxCell
        unansweredOnly={filters.unanswered}
        search={filters.q}
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
