import { useState } from 'react'

import type { AuditFiltersQuery, AuditFiltersQueryVariables } from 'types/graphql'

import { Metadata, useQuery } from '@redwoodjs/web'
import type { TypedDocumentNode } from '@redwoodjs/web'

import AuditEventsCell from 'src/components/Audit/AuditEventsCell'

const FILTERS: TypedDocumentNode<AuditFiltersQuery, AuditFiltersQueryVariables> = gql`
  query AuditFiltersQuery {
    auditActions {
      action
      label
    }
    users {
      id
      email
    }
  }
`

/** A date input's day, from the start of that day in the browser's time zone. */
const dayStart = (day: string, plusDays = 0) => {
  if (!day) return null
  const d = new Date(`${day}T00:00:00`)
  d.setDate(d.getDate() + plusDays)
  return d.toISOString()
}

/** Admins: who did what, when. Append-only; filter, page through, export as CSV. */
const AuditPage = () => {
  const { data } = useQuery(FILTERS)
  const [actorId, setActorId] = useState('')
  const [action, setAction] = useState('')
  const [fromDay, setFromDay] = useState('')
  const [toDay, setToDay] = useState('')
  const [cursors, setCursors] = useState<number[]>([])
  const filter = {
    actorId: actorId ? Number(actorId) : null,
    action: action || null,
    from: dayStart(fromDay),
    // The "to" day is included.
    to: dayStart(toDay, 1),
  }
  const exportQuery = new URLSearchParams(
    Object.entries(filter).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)]]))
  ).toString()
  const reset = () => setCursors([])
  const select = 'mt-1 block rounded border border-slate-300 px-2 py-1'
  return (
    <>
      <Metadata title="Audit log" />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Audit log</h1>
          <p className="text-sm text-slate-600">
            Every staff action, newest first: sign-ins, sends, checks with Sinch, opt-outs, templates, re-processed
            callbacks and user changes. It can only grow; message bodies and secrets are never in it.
          </p>
        </div>
        <a href={`/api/exportAudit?${exportQuery}`} download className="text-sm text-indigo-700 underline">
          Export as CSV
        </a>
      </div>
      <div className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label>
          User
          <select
            aria-label="User"
            className={select}
            value={actorId}
            onChange={(e) => {
              setActorId(e.target.value)
              reset()
            }}
          >
            <option value="">Anyone</option>
            {data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select
            aria-label="Action"
            className={select}
            value={action}
            onChange={(e) => {
              setAction(e.target.value)
              reset()
            }}
          >
            <option value="">Any</option>
            {data?.auditActions.map((a) => (
              <option key={a.action} value={a.action}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            className={select}
            value={fromDay}
            onChange={(e) => {
              setFromDay(e.target.value)
              reset()
            }}
          />
        </label>
        <label>
          To (included)
          <input
            type="date"
            className={select}
            value={toDay}
            onChange={(e) => {
              setToDay(e.target.value)
              reset()
            }}
          />
        </label>
        {cursors.length > 0 && (
          <button
            type="button"
            onClick={() => setCursors(cursors.slice(0, -1))}
            className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100"
          >
            Newer
          </button>
        )}
      </div>
      <AuditEventsCell
        {...filter}
        cursor={cursors[cursors.length - 1] ?? null}
        onNext={(cursor: number) => setCursors([...cursors, cursor])}
      />
    </>
  )
}

export default AuditPage
