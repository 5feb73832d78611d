import { useEffect, useState } from 'react'

import { Link, navigate, routes, useParams } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import FailureCodeChip from 'src/components/Delivery/FailureCodeChip/FailureCodeChip'
import StatusOptions from 'src/components/Delivery/StatusOptions/StatusOptions'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'
import MessageCell from 'src/components/Messages/MessageCell'
import { QUERY as MESSAGE_QUERY } from 'src/components/Messages/MessageCell/MessageCell'
import RecipientsCell from 'src/components/Messages/RecipientsCell'
import { QUERY as RECIPIENTS_QUERY } from 'src/components/Messages/RecipientsCell/RecipientsCell'
import RecipientTimelineCell from 'src/components/Messages/RecipientTimelineCell'
import { QUERY as TIMELINE_QUERY } from 'src/components/Messages/RecipientTimelineCell/RecipientTimelineCell'
import PageButton from 'src/components/PageButton/PageButton'
import { searchToSend, useSearchLimits } from 'src/components/Search/useSearchLimits'
import { useSearchInUrl } from 'src/lib/useSearchInUrl'

/** The recipients' filters, in the URL like the message list's: /messages/<id>?status=Failed&q=4670&code=402. */
type RecipientFilters = { status: string; q: string; code: string }

const MessagePage = ({ id }: { id: string }) => {
  const live = useLiveEvents([`message:${id}`], [MESSAGE_QUERY, RECIPIENTS_QUERY, TIMELINE_QUERY])
  const params = useParams()
  const filters: RecipientFilters = {
    status: params.status ?? '',
    q: params.q ?? '',
    code: /^\d+$/.test(params.code ?? '') ? params.code! : '',
  }
  const setFilters = (patch: Partial<RecipientFilters>, options: { replace?: boolean } = {}) => {
    const next = { ...filters, ...patch }
    navigate(
      routes.message({
        id,
        ...(next.status ? { status: next.status } : {}),
        ...(next.q.trim() ? { q: next.q.trim() } : {}),
        ...(next.code ? { code: next.code } : {}),
      }),
      { replace: options.replace ?? false }
    )
  }
  const limits = useSearchLimits()
  const [text, setText] = useSearchInUrl(filters.q, (q) => setFilters({ q }, { replace: true }))
  const { search, hint } = searchToSend(filters.q, limits)
  const [cursors, setCursors] = useState<number[]>([])
  const filterKey = JSON.stringify(filters)
  useEffect(() => setCursors([]), [filterKey])
  const [selected, setSelected] = useState<number | null>(null)
  const filtered = Boolean(filters.status || filters.q || filters.code)

  return (
    <>
      <Metadata title="Message" />
      <div className="mb-3">
        <Link to={routes.messages()} className="text-sm text-indigo-700 underline">
          ← All messages
        </Link>
      </div>
      {/* The live dot and the recipients only once the message is known to exist (MessageCell's Empty shows neither). */}
      <MessageCell id={id} aside={<LiveIndicator state={live} />}>
        <div className="mt-6 grid gap-6 lg:grid-cols-5">
          <div className="min-w-0 lg:col-span-3">
            <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
              <h2 className="font-semibold">Recipients</h2>
              <div className="flex flex-wrap items-center gap-3">
                <label className="text-sm">
                  <span className="mr-2">Number</span>
                  <input
                    type="search"
                    inputMode="tel"
                    className="w-36 rounded border border-slate-300 px-2 py-1 text-sm"
                    value={text}
                    maxLength={limits?.maxLength}
                    aria-describedby="recipient-search-hint"
                    onChange={(e) => setText(e.target.value)}
                  />
                </label>
                <label className="text-sm">
                  <span className="mr-2">Status</span>
                  <select
                    className="rounded border border-slate-300 px-2 py-1 text-sm"
                    value={filters.status}
                    onChange={(e) => setFilters({ status: e.target.value })}
                  >
                    <StatusOptions />
                  </select>
                </label>
                {filters.code && (
                  <FailureCodeChip className="text-sm" code={filters.code} onRemove={() => setFilters({ code: '' })} />
                )}
              </div>
            </div>
            <p id="recipient-search-hint" className="mb-1 text-xs text-slate-600" aria-live="polite">
              {hint}
            </p>
            <RecipientsCell
              id={id}
              status={filters.status || null}
              failureCode={filters.code ? Number(filters.code) : null}
              search={search}
              cursor={cursors[cursors.length - 1] ?? null}
              selectedId={selected}
              onSelect={(rid: number) => setSelected(selected === rid ? null : rid)}
              onNext={(c: number) => setCursors([...cursors, c])}
              onClearFilters={filtered ? () => setFilters({ status: '', q: '', code: '' }) : undefined}
            />
            {cursors.length > 0 && (
              <PageButton onClick={() => setCursors(cursors.slice(0, -1))}>Previous recipients</PageButton>
            )}
          </div>
          <div className="min-w-0 lg:col-span-2">
            {selected ? (
              <RecipientTimelineCell id={selected} />
            ) : (
              <p className="text-sm text-slate-600">Choose a number to see its timeline.</p>
            )}
          </div>
        </div>
      </MessageCell>
    </>
  )
}

export default MessagePage
