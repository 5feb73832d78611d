type Props = {
  /** The Sinch failure code the list is filtered by. */
  code: string
  onRemove: () => void
  className?: string
}

/** The active "failure code" filter of a delivery list, with a button that removes it. */
const FailureCodeChip = ({ code, onRemove, className }: Props) => (
  <span className={className}>
    Failure code <span className="font-mono">{code}</span>{' '}
    <button
      type="button"
      className="text-indigo-700 underline"
      onClick={onRemove}
      aria-label={`Remove the failure code ${code} filter`}
    >
      remove
    </button>
  </span>
)

export default FailureCodeChip
