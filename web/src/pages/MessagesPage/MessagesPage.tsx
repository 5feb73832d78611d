import { useState } from 'react'

import { Link, routes } from '@redwoodjs/router'
import { Metadata } from '@redwoodjs/web'

import StatusOptions from 'src/components/Delivery/StatusOptions/StatusOptions'
import MessagesCell from 'src/components/Messages/MessagesCell'
import PageButton from 'src/components/PageButton/PageButton'
import { useCan } from 'src/lib/permissions'

const field =
  'mt-1 block w-full rounded border border-slate-300 px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

const MessagesPage = () => {
  const [status, setStatus] = useState('')
  const [search, setSearch] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [cursors, setCursors] = useState<string[]>([])
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v)
      setCursors([])
    }

  const can = useCan()
  return (
    <>
      <Metadata title="Messages" />
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-xl font-semibold">Messages</h1>
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
        <label className="text-sm">
          Search (number or client reference)
          <input className={field} value={search} onChange={(e) => reset(setSearch)(e.target.value)} />
        </label>
        <label className="text-sm">
          Recipient status
          <select className={field} value={status} onChange={(e) => reset(setStatus)(e.target.value)}>
            <StatusOptions />
          </select>
        </label>
        <label className="text-sm">
          From
          <input type="date" className={field} value={from} onChange={(e) => reset(setFrom)(e.target.value)} />
        </label>
        <label className="text-sm">
          To
          <input type="date" className={field} value={to} onChange={(e) => reset(setTo)(e.target.value)} />
        </label>
      </form>
      <MessagesCell
        cursor={cursors[cursors.length - 1] ?? null}
        status={status || null}
        search={search.trim() || null}
        from={from ? new Date(`${from}T00:00:00`).toISOString() : null}
        to={to ? new Date(`${to}T23:59:59.999`).toISOString() : null}
        onNext={(c: string) => setCursors([...cursors, c])}
      />
      {cursors.length > 0 && <PageButton onClick={() => setCursors(cursors.slice(0, -1))}>Newer messages</PageButton>}
    </>
  )
}

export default MessagesPage
