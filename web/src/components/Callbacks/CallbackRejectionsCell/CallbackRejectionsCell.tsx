import type { CallbackRejectionsQuery, CallbackRejectionsQueryVariables } from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import PageButton from 'src/components/PageButton/PageButton'
import When from 'src/components/When/When'

export const QUERY: TypedDocumentNode<CallbackRejectionsQuery, CallbackRejectionsQueryVariables> = gql`
  query CallbackRejectionsQuery($cursor: Int) {
    callbackRejections(cursor: $cursor, take: 50) {
      nextCursor
      items {
        id
        receivedAt
        reason
        reasonText
        details
        method
        url
        host
        forwardedProto
        forwardedHost
        remoteAddress
        contentLength
        bodyExcerpt
      }
    }
  }
`

export const beforeQuery = (props: CallbackRejectionsQueryVariables) => ({
  variables: props,
  fetchPolicy: 'cache-and-network' as const,
})

export const isEmpty = (data: CallbackRejectionsQuery) => !data?.callbackRejections?.items?.length

export const Loading = () => <p className="text-slate-600">Loading refused callbacks…</p>
export const Empty = () => (
  <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-700">
    No callback has been refused (401) in the last 7 days.
  </div>
)
export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load refused callbacks: {error?.message}
  </p>
)

type Rejection = CallbackRejectionsQuery['callbackRejections']['items'][number]
type Details = {
  skewSeconds?: number
  toleranceSeconds?: number
  triedSecretIds?: string[]
  triedSecrets?: { id: string; fingerprint: string }[]
}

/** The URL as the desk saw it: what the proxy or tunnel forwarded (X-Forwarded-*), else the Host header. */
export function seenUrl(r: Pick<Rejection, 'url' | 'host' | 'forwardedProto' | 'forwardedHost'>): string {
  const host = r.forwardedHost ?? r.host
  return host ? `${r.forwardedProto ?? 'http'}://${host}${r.url}` : r.url
}

export function describeSkew(skewSeconds: number): string {
  return skewSeconds >= 0 ? `${skewSeconds} s behind our clock` : `${-skewSeconds} s ahead of our clock`
}

const Fact = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <div className="flex gap-2">
    <dt className="w-36 shrink-0 text-slate-500">{label}</dt>
    <dd className="min-w-0 break-all">{children}</dd>
  </div>
)

type Props = CellSuccessProps<CallbackRejectionsQuery, CallbackRejectionsQueryVariables> & {
  onNext?: (cursor: number) => void
}

export const Success = ({ callbackRejections, onNext }: Props) => (
  <div>
    <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
      {callbackRejections.items.map((r) => {
        const details = (r.details ?? {}) as Details
        const tried = details.triedSecrets?.map((s) => `${s.id} (${s.fingerprint})`) ?? details.triedSecretIds
        return (
          <li key={r.id} className="p-3" data-reason={r.reason}>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="rounded bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-900">401</span>
              <span className="font-mono">{r.reason}</span>
              <span className="text-rose-800">{r.reasonText}</span>
              <When at={r.receivedAt} relative className="ml-auto text-xs text-slate-600" />
            </div>
            <dl className="mt-2 space-y-0.5 text-xs">
              <Fact label="Seen as">
                <span className="font-mono">
                  {r.method} {seenUrl(r)}
                </span>
              </Fact>
              <Fact label="Host">{r.host ?? '—'}</Fact>
              <Fact label="X-Forwarded-Proto">{r.forwardedProto ?? '—'}</Fact>
              <Fact label="X-Forwarded-Host">{r.forwardedHost ?? '—'}</Fact>
              {typeof details.skewSeconds === 'number' && (
                <Fact label="Timestamp skew">
                  {describeSkew(details.skewSeconds)}
                  {details.toleranceSeconds ? ` (window ±${details.toleranceSeconds} s)` : ''}
                </Fact>
              )}
              {tried && <Fact label="Secrets tried">{tried.join(', ')}</Fact>}
              {r.remoteAddress && <Fact label="From">{r.remoteAddress}</Fact>}
            </dl>
            <details className="mt-1">
              <summary className="cursor-pointer text-xs text-indigo-700">
                Body (first 500 characters{r.contentLength != null ? ` of ${r.contentLength} bytes` : ''}) and details
              </summary>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
                {JSON.stringify(r.details, null, 2)}
              </pre>
              <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-xs text-slate-100">
                {r.bodyExcerpt}
              </pre>
            </details>
          </li>
        )
      })}
    </ul>
    {callbackRejections.nextCursor && onNext && (
      <PageButton onClick={() => onNext(callbackRejections.nextCursor!)}>Older refused callbacks</PageButton>
    )}
  </div>
)
