import { useEffect, useMemo, useState } from 'react'

import { DateField, FieldError, Form, Label, RadioField, useForm } from '@redwoodjs/forms'
import { Metadata } from '@redwoodjs/web'

import DeliveryStatsCell from 'src/components/Dashboard/DeliveryStatsCell'
import { QUERY as STATS_QUERY } from 'src/components/Dashboard/DeliveryStatsCell/DeliveryStatsCell'
import { useDeliveryStatsLimits } from 'src/components/Dashboard/useDeliveryStatsLimits'
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

type PeriodValues = { period: Preset; from: string; to: string }

/** A date input's value as typed (yyyy-mm-dd), not the Date @redwoodjs/forms would make of it at UTC midnight. */
const asTyped = (value: string) => value

const DashboardPage = () => {
  // The period applies as it is chosen (no submit): the form holds it and the page watches it.
  const period = useForm<PeriodValues>({
    mode: 'onChange',
    defaultValues: (() => {
      const today = new Date()
      const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)
      return { period: '7d' as Preset, from: dayValue(weekAgo), to: dayValue(today) }
    })(),
  })
  const [preset, from, to] = period.watch(['period', 'from', 'to'])
  const maxDays = useDeliveryStatsLimits()?.maxPeriodDays ?? null
  // "now" only moves on Refresh: a new Date on every render would be a new query every render.
  const [now, setNow] = useState(() => new Date())
  const [refreshes, setRefreshes] = useState(0)
  const timeZone = useMemo(browserTimeZone, [])
  const range = useMemo(() => periodRange(preset, now, { from, to }, maxDays), [preset, now, from, to, maxDays])
  // The api's limit may arrive after a custom period was chosen: judge the period again by it.
  useEffect(() => {
    if (maxDays !== null && period.getValues('period') === 'custom') period.trigger('to')
  }, [maxDays, period])
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

      <Form<PeriodValues> formMethods={period} aria-label="Period" className="mb-4 flex flex-wrap items-end gap-4">
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
                <RadioField name="period" value={p.id} className="sr-only" />
                {p.label}
              </label>
            ))}
          </div>
        </fieldset>
        {preset === 'custom' && (
          <>
            <div className="text-sm">
              <Label name="from" htmlFor="periodFrom">
                First day
              </Label>
              <DateField
                name="from"
                id="periodFrom"
                className={field}
                max={to || undefined}
                aria-describedby="period-error"
                // A new first day may make the last one wrong (or right again).
                validation={{ setValueAs: asTyped, deps: ['to'] }}
              />
            </div>
            <div className="text-sm">
              <Label name="to" htmlFor="periodTo">
                Last day
              </Label>
              <DateField
                name="to"
                id="periodTo"
                className={field}
                min={from || undefined}
                aria-describedby="period-error"
                validation={{
                  setValueAs: asTyped,
                  validate: (value: string) => {
                    const custom = periodRange('custom', now, { from: period.getValues('from'), to: value }, maxDays)
                    return 'error' in custom ? custom.error : true
                  },
                }}
              />
            </div>
            <FieldError
              name="to"
              id="period-error"
              role="alert"
              className="w-full rounded bg-amber-50 p-3 text-amber-900"
            />
          </>
        )}
      </Form>

      {'error' in range ? (
        // Why is said next to the days (the period's FieldError); nothing is asked of the api meanwhile.
        <p className="text-sm text-slate-600">No statistics until the period is right.</p>
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
