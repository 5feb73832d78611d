import { useEffect, useState } from 'react'

import { Link, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import FailureCodeChip from 'src/components/Delivery/FailureCodeChip/FailureCodeChip'
import StatusOptions from 'src/components/Delivery/StatusOptions/StatusOptions'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'
import MessagesCell from 'src/components/Messages/MessagesCell'
import { QUERY as MESSAGES_QUERY } from 'src/components/Messages/MessagesCell/MessagesCell'
import SenderOptions from 'src/components/Messages/SenderOptions/SenderOptions'
import PageButton from 'src/components/PageButton/PageButton'
import { searchToSend, useSearchLimits } from 'src/components/Search/useSearchLimits'
import { useCan } from 'src/lib/permissions'
import { useSearchInUrl } from 'src/lib/useSearchInUrl'

import { hasFilters, queryVariables, useMessageFilters } from './messageFilters'

const field =
  'mt-1 block w-full rounded border border-slate-300 px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

const MessagesPage = () => {
  const [filters, setFilters] = useMessageFilters()
  const limits = useSearchLimits()
  // The search box shows what is typed; the URL (and the query) what was typed
  // before the last pause.
  const [text, setText] = useSearchInUrl(filters.q, (q) => setFilters({ q }, { replace: true }))
  const [cursors, setCursors] = useState<string[]>([])
  const filterKey = JSON.stringify(filters)
  // A new filter (typed, chosen, or brought back by Back) starts from the newest page.
  useEffect(() => setCursors([]), [filterKey])
  const { search, hint } = searchToSend(filters.q, limits)

  const can = useCan()
  const live = useLiveEvents(['messages'], [MESSAGES_QUERY])
  return (
    <>
      <Metadata title="Messages" />
      <div className="mb-4 flex items-center justify-between">
        <div className="flex items-center gap-3">
          <h1 className="text-xl font-semibold">Messages</h1>
          <LiveIndicator state={live} />
        </div>
        {can('send') && (
          <Link
            to={routes.compose()}
            className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          >
            Compose
          </Link>
        )}
      </div>
      <form role="search" className="mb-4 grid gap-3 sm:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
        <label className="text-sm sm:col-span-2">
          Search (words of the message, number or client reference)
          <input
            type="search"
            className={field}
            value={text}
            maxLength={limits?.maxLength}
            aria-describedby="message-search-hint"
            onChange={(e) => setText(e.target.value)}
          />
          <span id="message-search-hint" className="text-xs text-slate-600" aria-live="polite">
            {hint}
          </span>
        </label>
        <label className="text-sm">
          Sent by
          <select className={field} value={filters.sentBy} onChange={(e) => setFilters({ sentBy: e.target.value })}>
            <SenderOptions />
          </select>
        </label>
        <label className="text-sm">
          Channel
          <select
            className={field}
            value={filters.channel}
            onChange={(e) => setFilters({ channel: e.target.value as typeof filters.channel })}
          >
            <option value="">Any</option>
            <option value="SMS">SMS</option>
            <option value="WHATSAPP">WhatsApp</option>
          </select>
        </label>
        <label className="text-sm">
          Recipient status
          <select className={field} value={filters.status} onChange={(e) => setFilters({ status: e.target.value })}>
            <StatusOptions />
          </select>
        </label>
        <label className="text-sm">
          From
          <input
            type="date"
            className={field}
            value={filters.from}
            onChange={(e) => setFilters({ from: e.target.value })}
          />
        </label>
        <label className="text-sm">
          To
          <input
            type="date"
            className={field}
            value={filters.to}
            onChange={(e) => setFilters({ to: e.target.value })}
          />
        </label>
        <div className="flex flex-col justify-end gap-1 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={filters.failed}
              onChange={(e) => setFilters({ failed: e.target.checked })}
            />
            Any failure
          </label>
          {filters.code && (
            <FailureCodeChip
              className="flex items-center gap-2"
              code={filters.code}
              onRemove={() => setFilters({ code: '' })}
            />
          )}
        </div>
      </form>
      <MessagesCell
        cursor={cursors[cursors.length - 1] ?? null}
        {...queryVariables(filters, search)}
        filtered={hasFilters(filters)}
        onNext={(c: string) => setCursors([...cursors, c])}
      />
      {cursors.length > 0 && <PageButton onClick={() => setCursors(cursors.slice(0, -1))}>Newer messages</PageButton>}
    </>
  )
}

export default MessagesPage
