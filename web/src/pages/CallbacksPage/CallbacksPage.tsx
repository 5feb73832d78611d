import { useState } from 'react'

import type { CallbackVerdict } from 'types/graphql'

import { Metadata } from '@redwoodjs/web'

import CallbackEventsCell from 'src/components/Callbacks/CallbackEventsCell'
import ReprocessAll from 'src/components/Callbacks/ReprocessAll/ReprocessAll'

const VERDICTS: CallbackVerdict[] = ['ACCEPTED', 'DUPLICATE', 'REJECTED', 'IGNORED']

/** Every callback as it reached the desk: for checking an ngrok or proxy setup. */
const CallbacksPage = () => {
  const [verdict, setVerdict] = useState<CallbackVerdict | ''>('')
  const [cursors, setCursors] = useState<number[]>([])
  return (
    <>
      <Metadata title="Callback log" />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Callback log</h1>
          <p className="text-sm text-slate-600">
            Authenticated callbacks, newest first, refreshed every 2 s. Refused ones (401) are only in the api log, with the reason.
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <ReprocessAll />
          <label className="text-sm">
            <span className="mr-2">Verdict</span>
            <select
              className="rounded border border-slate-300 px-2 py-1"
              value={verdict}
              onChange={(e) => {
                setVerdict(e.target.value as CallbackVerdict | '')
                setCursors([])
              }}
            >
              <option value="">Any</option>
              {VERDICTS.map((v) => (
                <option key={v} value={v}>
                  {v.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <CallbackEventsCell verdict={verdict || null} cursor={cursors[cursors.length - 1] ?? null} onNext={(c: number) => setCursors([...cursors, c])} />
    </>
  )
}

export default CallbacksPage
