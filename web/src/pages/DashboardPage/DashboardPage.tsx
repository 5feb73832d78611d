import { useMemo, useState } from 'react'

import { Metadata } from '@redwoodjs/web'

import DeliveryStatsCell from 'src/components/Dashboard/DeliveryStatsCell'
import { QUERY as STATS_QUERY } from 'src/components/Dashboard/DeliveryStatsCell/DeliveryStatsCell'
import LiveIndicator from 'src/components/Live/LiveIndicator'
import { useLiveEvents } from 'src/components/Live/useLiveEvents'

import { dayValue, periodRange, PRESETS, type Preset } from './period'

const field =
  'mt-1 block w-full rounded border border-slate-300 px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

const when: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }

/** The browser's zone, so day buckets start at the user's midnight. */
function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

const DashboardPage = () => {
  const [preset, setPreset] = useState<Preset>('7d')
  const [custom, setCustom] = useState(() => {
    const today = new Date()
    return { from: dayValue(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)), to: dayValue(today) }
  })
  // "now" only moves on Refresh: a new Date on every render would be a new query every render.
  const [now, setNow] = useState(() => new Date())
  const [refreshes, setRefreshes] = useState(0)
  const timeZone = useMemo(browserTimeZone, [])
  const range = useMemo(() => periodRange(preset, now, custom), [preset, now, custom])
  // The statistics are aggregates over the period: during a burst they are asked again at most once a second.
  const live = useLiveEvents(['messages'], [STATS_QUERY], { minIntervalMs: 1000 })

  return (
    <>
      <Metadata title="Dashboard" />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-xl font-semibold">Delivery dashboard</h1>
            <LiveIndicator state={live} />
          </div>
          <p className="text-sm text-slate-600">
            Recipients of the messages sent in the period, by where they stand now. Times are from submission to Sinch
            to the delivery receipt.
          </p>
        </div>
        <button
          type="button"
          onClick={() => {
            setNow(new Date())
            setRefreshes((n) => n + 1)
          }}
          className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          Refresh
        </button>
      </div>

      <form className="mb-4 flex flex-wrap items-end gap-4" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend className="text-sm">Period</legend>
          <div className="mt-1 inline-flex flex-wrap overflow-hidden rounded border border-slate-300 bg-white">
            {PRESETS.map((p) => (
              <label
                key={p.id}
                className={`cursor-pointer border-slate-300 px-3 py-1.5 text-sm focus-within:ring-2 focus-within:ring-inset focus-within:ring-indigo-500 [&:not(:first-child)]:border-l ${
                  preset === p.id ? 'bg-indigo-50 font-medium text-indigo-800' : 'text-slate-700 hover:bg-slate-100'
                }`}
              >
                <input
                  type="radio"
                  name="period"
                  value={p.id}
                  checked={preset === p.id}
                  onChange={() => setPreset(p.id)}
                  className="sr-only"
                />
                {p.label}
              </label>
            ))}
          </div>
        </fieldset>
        {preset === 'custom' && (
          <>
            <label className="text-sm">
              First day
              <input
                type="date"
                className={field}
                value={custom.from}
                max={custom.to || undefined}
                onChange={(e) => setCustom({ ...custom, from: e.target.value })}
              />
            </label>
            <label className="text-sm">
              Last day
              <input
                type="date"
                className={field}
                value={custom.to}
                min={custom.from || undefined}
                onChange={(e) => setCustom({ ...custom, to: e.target.value })}
              />
            </label>
          </>
        )}
      </form>

      {'error' in range ? (
        <p role="alert" className="rounded bg-amber-50 p-3 text-amber-900">
          {range.error}
        </p>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-600">
            From {range.from.toLocaleString(undefined, when)} to {range.to.toLocaleString(undefined, when)} ({timeZone})
          </p>
          <DeliveryStatsCell
            key={refreshes}
            from={range.from.toISOString()}
            to={range.to.toISOString()}
            timeZone={timeZone}
          />
        </>
      )}
    </>
  )
}

export default DashboardPage
