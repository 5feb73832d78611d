import { useState } from 'react'

import type { CallbackVerdict, SendTestCallbackMutation } from 'types/graphql'

import { Metadata } from '@redwoodjs/web'

import CallbackEventsCell from 'src/components/Callbacks/CallbackEventsCell'
import { QUERY as CALLBACK_EVENTS_QUERY } from 'src/components/Callbacks/CallbackEventsCell/CallbackEventsCell'
import CallbackRejectionsCell from 'src/components/Callbacks/CallbackRejectionsCell'
import { QUERY as REJECTIONS_QUERY } from 'src/components/Callbacks/CallbackRejectionsCell/CallbackRejectionsCell'
import RefusedNotRecordedCell from 'src/components/Callbacks/RefusedNotRecordedCell'
import { QUERY as NOT_RECORDED_QUERY } from 'src/components/Callbacks/RefusedNotRecordedCell/RefusedNotRecordedCell'
import ReprocessAll from 'src/components/Callbacks/ReprocessAll/ReprocessAll'
import SendTestCallback, { TestCallbackOutcome } from 'src/components/Callbacks/SendTestCallback/SendTestCallback'
import StorageRetentionCell from 'src/components/Callbacks/StorageRetentionCell'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'
import { useCan } from 'src/lib/permissions'

const VERDICTS: CallbackVerdict[] = ['ACCEPTED', 'DUPLICATE', 'REJECTED', 'IGNORED']

/** Every callback as it reached the desk: for checking an ngrok or proxy setup. */
const CallbacksPage = () => {
  const [verdict, setVerdict] = useState<CallbackVerdict | ''>('')
  const [cursors, setCursors] = useState<number[]>([])
  const [tab, setTab] = useState<'stored' | 'refused'>('stored')
  const [refusedCursors, setRefusedCursors] = useState<number[]>([])
  const [testResult, setTestResult] = useState<SendTestCallbackMutation['sendTestCallback'] | null>(null)
  const isAdmin = useCan()('administer')
  const live = useLiveEvents(
    tab === 'stored' ? ['callbacks'] : ['refused'],
    tab === 'stored' ? [CALLBACK_EVENTS_QUERY] : [REJECTIONS_QUERY, NOT_RECORDED_QUERY]
  )
  const tabClass = (t: typeof tab) =>
    `-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${tab === t ? 'border-indigo-600 text-indigo-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`
  return (
    <>
      <Metadata title="Callback log" />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-xl font-semibold">Callback log</h1>
            <LiveIndicator state={live} />
          </div>
          <p className="text-sm text-slate-600">
            Callbacks as they reached the desk, newest first, live. Refused ones (401) are under Refused, with why and
            how the request was seen. <StorageRetentionCell />
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          {isAdmin && <SendTestCallback onResult={setTestResult} />}
          {tab === 'stored' && isAdmin && <ReprocessAll />}
          <label className={`text-sm ${tab === 'stored' ? '' : 'hidden'}`}>
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
      {testResult && <TestCallbackOutcome result={testResult} />}
      <div role="tablist" className="mb-3 flex gap-1 border-b border-slate-200">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'stored'}
          className={tabClass('stored')}
          onClick={() => setTab('stored')}
        >
          Authenticated
        </button>
        {isAdmin && (
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'refused'}
            className={tabClass('refused')}
            onClick={() => setTab('refused')}
          >
            Refused (401)
          </button>
        )}
      </div>
      {tab === 'stored' ? (
        <CallbackEventsCell
          // Only defined props: Redwood types a cell with beforeQuery as taking non-null values.
          {...(verdict ? { verdict } : {})}
          cursor={cursors[cursors.length - 1] ?? null}
          onNext={(c: number) => setCursors([...cursors, c])}
          {...(verdict
            ? {
                onClearFilters: () => {
                  setVerdict('')
                  setCursors([])
                },
              }
            : {})}
        />
      ) : (
        <>
          <RefusedNotRecordedCell />
          <CallbackRejectionsCell
            cursor={refusedCursors[refusedCursors.length - 1] ?? null}
            onNext={(c: number) => setRefusedCursors([...refusedCursors, c])}
          />
        </>
      )}
    </>
  )
}

export default CallbacksPage
