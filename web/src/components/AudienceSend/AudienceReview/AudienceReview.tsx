import type { ReviewAudienceSendQuery } from 'types/graphql'

export type Review = ReviewAudienceSendQuery['reviewAudienceSend']

const n = (v: number) => v.toLocaleString('en')

const Problems = ({ title, count, rows }: { title: string; count: number; rows: Review['invalid'] }) =>
  count === 0 ? null : (
    <details className="mt-2" data-problems={title}>
      <summary className="cursor-pointer text-sm text-amber-900">
        {n(count)} {title}
        {count > rows.length ? ` (the first ${rows.length} listed)` : ''}
      </summary>
      <ul className="mt-1 max-h-48 overflow-auto text-sm">
        {rows.map((p, i) => (
          <li key={i}>
            {p.line !== null && p.line !== undefined ? `line ${p.line}: ` : ''}
            <span className="font-mono">{p.input || '(empty)'}</span> — {p.reason}
          </li>
        ))}
      </ul>
    </details>
  )

/** What a send would do, from the api's review; nothing is stored until the sender confirms. */
const AudienceReview = ({ review, timeZone }: { review: Review; timeZone: string }) => (
  <section aria-labelledby="review-heading" className="space-y-3 rounded border border-indigo-200 bg-indigo-50 p-4">
    <h2 id="review-heading" className="font-semibold">
      Review
    </h2>
    <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
      <div>
        <dt className="text-slate-600">Recipients</dt>
        <dd className="text-lg font-semibold" data-review="recipients">
          {n(review.recipients)}
        </dd>
      </div>
      <div>
        <dt className="text-slate-600">Duplicates removed</dt>
        <dd data-review="duplicates">{n(review.duplicatesRemoved)}</dd>
      </div>
      <div>
        <dt className="text-slate-600">Invalid rows</dt>
        <dd data-review="invalid">{n(review.invalidCount)}</dd>
      </div>
      <div>
        <dt className="text-slate-600">Opted out</dt>
        <dd data-review="opted-out">{n(review.optedOutCount)}</dd>
      </div>
      <div>
        <dt className="text-slate-600">SMS parts</dt>
        <dd data-review="parts">{n(review.parts)}</dd>
      </div>
      <div>
        <dt className="text-slate-600">Estimated cost</dt>
        <dd data-review="cost">
          {review.estimatedCost.toLocaleString('en', { style: 'currency', currency: review.currency })}
        </dd>
      </div>
      <div>
        <dt className="text-slate-600">Sinch batches</dt>
        <dd>{n(review.chunks)}</dd>
      </div>
      <div>
        <dt className="text-slate-600">Goes</dt>
        <dd data-review="goes">
          {review.sendAt ? `${new Date(review.sendAt).toLocaleString()} (${timeZone})` : 'now'}
        </dd>
      </div>
      {review.expireAt && (
        <div>
          <dt className="text-slate-600">Sinch gives up</dt>
          <dd data-review="expires">
            {new Date(review.expireAt).toLocaleString()} ({timeZone})
          </dd>
        </div>
      )}
    </dl>
    {review.partsNote && <p className="text-sm text-amber-900">{review.partsNote}</p>}
    {review.missing.length > 0 && (
      <p role="alert" className="rounded bg-rose-50 p-2 text-sm text-rose-900">
        No value for{' '}
        {review.missing.map((m) => `((${m.name})) in ${n(m.rows)} row${m.rows === 1 ? '' : 's'}`).join(', ')}: fill the
        file or give a default below.
      </p>
    )}
    <Problems title="invalid rows" count={review.invalidCount} rows={review.invalid} />
    <Problems title="opted-out numbers" count={review.optedOutCount} rows={review.optedOut} />
    {review.preview.length > 0 && (
      <div>
        <h3 className="text-sm font-medium">The first messages, as they will read</h3>
        <ul className="mt-1 space-y-1 text-sm" aria-label="Preview">
          {review.preview.map((p) => (
            <li key={p.phoneNumber} className="rounded bg-white p-2" data-preview={p.phoneNumber}>
              <span className="font-mono text-slate-600">{p.phoneNumber}</span>{' '}
              <span className="whitespace-pre-wrap">{p.text}</span>{' '}
              <span className="text-xs text-slate-500">
                ({p.parts} part{p.parts === 1 ? '' : 's'}, {p.encoding})
              </span>
            </li>
          ))}
        </ul>
      </div>
    )}
  </section>
)

export default AudienceReview
