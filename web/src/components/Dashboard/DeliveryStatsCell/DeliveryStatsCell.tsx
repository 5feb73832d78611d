import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { DeliveryStatsQuery, DeliveryStatsQueryVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import StatusBadge from 'src/components/Delivery/StatusBadge/StatusBadge'
import { formatDuration } from 'src/components/Messages/MessageCell/MessageCell'

export const QUERY: TypedDocumentNode<DeliveryStatsQuery, DeliveryStatsQueryVariables> = gql`
  query DeliveryStatsQuery($from: DateTime!, $to: DateTime!, $timeZone: String) {
    deliveryStats(from: $from, to: $to, timeZone: $timeZone) {
      from
      to
      timeZone
      bucketSize
      totalRecipients
      final
      delivered
      failed
      inFlight
      deliveryRate
      medianTimeToDeliverMs
      p95TimeToDeliverMs
      timedDeliveries
      finalStatusCounts {
        status
        count
      }
      topFailureCodes {
        code
        name
        meaning
        count
      }
      series {
        start
        delivered
        failed
        inFlight
      }
    }
  }
`

export const beforeQuery = (props: DeliveryStatsQueryVariables) => ({
  variables: props,
  fetchPolicy: 'cache-and-network' as const,
})

/** The query always returns stats; with no recipients in the period there is nothing to show. */
export const isEmpty = (data: DeliveryStatsQuery) => data.deliveryStats.totalRecipients === 0

export const Loading = () => <p className="text-slate-600">Loading delivery stats…</p>

export const Empty = () => (
  <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center">
    <p className="font-medium">No messages were sent in this period.</p>
    <p className="mt-1 text-sm text-slate-600">
      Choose a longer period, or{' '}
      <Link to={routes.compose()} className="text-indigo-700 underline">
        compose a message
      </Link>
      .
    </p>
  </div>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load delivery stats: {error?.message}
  </p>
)

/** Same hues as the status bar (statusColors.ts): emerald, rose and sky 500. */
export const SERIES = [
  { key: 'delivered', label: 'Delivered', color: '#10b981' },
  { key: 'failed', label: 'Failed', color: '#f43f5e' },
  { key: 'inFlight', label: 'In flight', color: '#0ea5e9' },
] as const

export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`
}

type Stats = DeliveryStatsQuery['deliveryStats']

/** yyyy-mm-dd of an instant in the browser's zone, as the message list's date filters take it. */
function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
}

/**
 * The message list showing the messages of this period whose recipients
 * failed with `code` (any failure when the reports carried no code). The list
 * filters by whole days: the days the period touches.
 */
export function failureCodeLink(stats: Pick<Stats, 'from' | 'to'>, code: number | null | undefined): string {
  const from = localDay(new Date(stats.from))
  const to = localDay(new Date(new Date(stats.to).getTime() - 1))
  return code === null || code === undefined
    ? routes.messages({ failed: '1', from, to })
    : routes.messages({ code: String(code), from, to })
}

/**
 * A bucket's start, in the zone the api bucketed in (the browser's own, as
 * the page asks): an hour ("02:00 PM") or a day ("Mar 3"); long adds the day
 * to an hour and the weekday and year to a day.
 */
export function formatBucket(start: string, size: Stats['bucketSize'], timeZone: string, long = false): string {
  const d = new Date(start)
  if (size === 'DAY')
    return d.toLocaleDateString(undefined, {
      timeZone,
      month: 'short',
      day: 'numeric',
      ...(long ? { weekday: 'short', year: 'numeric' } : {}),
    })
  return d.toLocaleString(undefined, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(long ? { month: 'short', day: 'numeric' } : {}),
  })
}

const StatCard = ({ label, value, hint }: { label: string; value: React.ReactNode; hint?: string }) => (
  <div className="rounded border border-slate-200 bg-white p-3">
    <dt className="text-xs text-slate-600">{label}</dt>
    <dd className="text-2xl font-semibold" data-stat={label}>
      {value}
    </dd>
    {hint && <dd className="text-xs text-slate-600">{hint}</dd>}
  </div>
)

const DeliveryChart = ({ stats }: { stats: Stats }) => {
  const unit = stats.bucketSize === 'HOUR' ? 'hour' : 'day'
  const data = stats.series.map((b) => ({ ...b, label: formatBucket(b.start, stats.bucketSize, stats.timeZone) }))
  return (
    <figure aria-labelledby="delivery-chart-caption" className="rounded border border-slate-200 bg-white p-3">
      <figcaption id="delivery-chart-caption" className="mb-2 text-sm font-semibold">
        Recipients by {unit} sent, by where they stand now
      </figcaption>
      <div className="h-72 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 12, fill: '#475569' }}
              interval="preserveStartEnd"
              minTickGap={16}
            />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#475569' }} />
            <Tooltip
              labelFormatter={(_label, payload) =>
                payload?.[0] ? formatBucket(payload[0].payload.start, stats.bucketSize, stats.timeZone, true) : ''
              }
              cursor={{ fill: '#f1f5f9' }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="recipients"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* The chart's numbers for screen readers (the chart itself is hidden from them). sr-only on a wrapper: a
          table ignores width: 1px, and an sr-only table as wide as its text made a phone's page scroll sideways. */}
      <div className="sr-only">
        <table>
          <caption>Recipients by {unit} sent</caption>
          <thead>
            <tr>
              <th scope="col">{unit === 'hour' ? 'Hour' : 'Day'}</th>
              {SERIES.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stats.series.map((b) => (
              <tr key={b.start}>
                <th scope="row">{formatBucket(b.start, stats.bucketSize, stats.timeZone, true)}</th>
                <td>{b.delivered}</td>
                <td>{b.failed}</td>
                <td>{b.inFlight}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}

export const Success = ({ deliveryStats: s }: CellSuccessProps<DeliveryStatsQuery, DeliveryStatsQueryVariables>) => (
  <div className="space-y-4">
    <dl className="grid gap-3 sm:grid-cols-3">
      <StatCard
        label="Delivery rate"
        value={formatRate(s.deliveryRate)}
        hint={`${s.delivered} delivered of ${s.final} with a final status`}
      />
      <StatCard
        label="Median time to deliver"
        value={formatDuration(s.medianTimeToDeliverMs)}
        hint={`over ${s.timedDeliveries} delivered`}
      />
      <StatCard
        label="95th percentile time to deliver"
        value={formatDuration(s.p95TimeToDeliverMs)}
        hint="95% were delivered at least this fast"
      />
    </dl>
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      <StatCard label="Recipients" value={s.totalRecipients} />
      <StatCard label="Delivered" value={s.delivered} />
      <StatCard label="Failed" value={s.failed} />
      <StatCard label="In flight" value={s.inFlight} />
    </dl>
    <div className="grid gap-4 lg:grid-cols-3">
      <div className="lg:col-span-2">
        <DeliveryChart stats={s} />
      </div>
      <section aria-labelledby="final-status-heading" className="rounded border border-slate-200 bg-white p-3">
        <h2 id="final-status-heading" className="mb-2 text-sm font-semibold">
          Final statuses
        </h2>
        {s.finalStatusCounts.length === 0 ? (
          <p className="text-sm text-slate-600">No recipient has a final status yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {s.finalStatusCounts.map((c) => (
              <li key={c.status} className="flex items-center justify-between py-1.5 text-sm">
                <StatusBadge status={c.status} />
                <span className="font-medium tabular-nums">{c.count}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
    <section aria-labelledby="failure-codes-heading" className="rounded border border-slate-200 bg-white p-3">
      <h2 id="failure-codes-heading" className="mb-2 text-sm font-semibold">
        Top failure codes
      </h2>
      {s.topFailureCodes.length === 0 ? (
        <p className="text-sm text-slate-600">No failures in this period.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">The most common codes among failed recipients</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-600">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Code
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  What it means
                </th>
                <th scope="col" className="py-1.5 text-right font-medium">
                  Recipients
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {s.topFailureCodes.map((c) => (
                <tr key={c.code ?? 'none'}>
                  <th scope="row" className="py-1.5 pr-3 font-mono font-normal">
                    <Link
                      to={failureCodeLink(s, c.code)}
                      className="text-indigo-700 underline"
                      title="The messages of this period with recipients that failed with this code"
                    >
                      {c.code ?? '—'}
                    </Link>
                  </th>
                  <td className="py-1.5 pr-3">
                    {c.name && <span className="font-medium">{c.name}: </span>}
                    {c.meaning}
                  </td>
                  <td className="py-1.5 text-right tabular-nums">
                    <Link to={failureCodeLink(s, c.code)} className="text-indigo-700 underline">
                      {c.count}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </div>
)
