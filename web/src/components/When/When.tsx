import { formatDateTime, formatRelative } from 'src/lib/formatTime'

type Props = {
  at: string
  /** "3 min ago" (the full date in the tooltip): for lists, where how recent matters more than the date. */
  relative?: boolean
  seconds?: boolean
  className?: string
}

/** A moment, in the desk's one date format and the user's time zone (src/lib/formatTime.ts). */
const When = ({ at, relative, seconds, className }: Props) => (
  <time dateTime={at} title={formatDateTime(at, { seconds: true })} className={className}>
    {relative ? formatRelative(at) : formatDateTime(at, { seconds })}
  </time>
)

export default When
