import type { CheckRecipientsQuery, CheckRecipientsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

import { useDebouncedValue } from 'src/lib/useDebouncedValue'

export const CHECK_RECIPIENTS: TypedDocumentNode<CheckRecipientsQuery, CheckRecipientsQueryVariables> = gql`
  query CheckRecipientsQuery($entries: String!) {
    checkRecipients(entries: $entries) {
      valid
      duplicatesRemoved
      invalid {
        input
        reason
      }
    }
  }
`

/** Live feedback on pasted recipients: the server's own parsing, so compose and send agree. */
const RecipientCheck = ({ entries }: { entries: string }) => {
  const debounced = useDebouncedValue(entries)
  const { data, loading } = useQuery(CHECK_RECIPIENTS, { variables: { entries: debounced }, skip: !debounced.trim() })
  if (!entries.trim())
    return <p className="text-xs text-slate-600">One number per line, or separated by commas. Up to 1,000.</p>
  if (loading && !data) return <p className="text-xs text-slate-600">Checking numbers…</p>
  const check = data?.checkRecipients
  if (!check) return null
  return (
    <div className="text-xs" aria-live="polite" data-testid="recipient-check">
      <p className={check.invalid.length ? 'text-rose-800' : 'text-emerald-800'}>
        {check.valid.length} valid recipient{check.valid.length === 1 ? '' : 's'}
        {check.duplicatesRemoved
          ? `, ${check.duplicatesRemoved} duplicate${check.duplicatesRemoved === 1 ? '' : 's'} removed`
          : ''}
        {check.invalid.length ? `, ${check.invalid.length} invalid (nothing is sent until they are fixed)` : ''}
        {check.valid.length > 1000 ? ' — more than 1,000: split the list' : ''}
      </p>
      {check.invalid.length > 0 && (
        <ul className="mt-1 list-inside list-disc text-rose-800">
          {check.invalid.map((p) => (
            <li key={p.input}>
              <span className="font-mono">{p.input}</span>: {p.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export default RecipientCheck
