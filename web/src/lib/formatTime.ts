/**
 * Every date and time the desk shows, in one format and the user's own time
 * zone and language (the browser's): "1 Dec 2026, 14:05", and where the
 * moment matters more than the date, relative ("3 min ago") with the full
 * date in the tooltip (the <When> component).
 */

const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }
const DATE_TIME_SECONDS: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' }
const DATE: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }
// The medium style spelled out, because dateStyle/timeStyle cannot be combined with fractionalSecondDigits.
const DATE_TIME_MILLISECONDS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
}

type When = string | number | Date

// toLocaleString with options builds a new Intl.DateTimeFormat on every call, which costs: a list of 50
// messages formats 100 dates. One formatter per locale, zone and style instead.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale ?? null, options])
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, f)
  }
  return f
}
const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>()
function relativeFormatter(locale: string | undefined, style: 'long' | 'short'): Intl.RelativeTimeFormat {
  const key = `${locale ?? ''}|${style}`
  let f = relativeFormatters.get(key)
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style })
    relativeFormatters.set(key, f)
  }
  return f
}
const asDate = (when: When) => (when instanceof Date ? when : new Date(when))

/** "1 Dec 2026, 14:05"; with seconds ("14:05:09") or milliseconds ("14:05:09.082") where a sequence of events needs them. */
export function formatDateTime(
  when: When,
  options: { seconds?: boolean | 'ms'; locale?: string; timeZone?: string } = {}
) {
  const style = options.seconds === 'ms' ? DATE_TIME_MILLISECONDS : options.seconds ? DATE_TIME_SECONDS : DATE_TIME
  return formatter(options.locale, { ...style, timeZone: options.timeZone }).format(asDate(when))
}

/** "1 Dec 2026". */
export function formatDate(when: When, options: { locale?: string; timeZone?: string } = {}) {
  return formatter(options.locale, { ...DATE, timeZone: options.timeZone }).format(asDate(when))
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 1000],
  ['minute', 60_000],
  ['hour', 3_600_000],
  ['day', 86_400_000],
]

/** Up to this far away a time reads better relative; beyond, the date says more. */
export const RELATIVE_WITHIN_MS = 7 * 86_400_000

/**
 * "just now", "3 min ago", "in 2 hours", "yesterday" within a week of `now`;
 * otherwise the date and time (formatDateTime).
 */
export function formatRelative(when: When, now: number = Date.now(), locale?: string): string {
  const at = asDate(when).getTime()
  const delta = at - now
  const distance = Math.abs(delta)
  if (distance >= RELATIVE_WITHIN_MS) return formatDateTime(at, { locale })
  if (distance < 10_000) return relativeFormatter(locale, 'long').format(0, 'second')
  let [unit, size] = UNITS[0]
  for (const [u, s] of UNITS) if (distance >= s) [unit, size] = [u, s]
  return relativeFormatter(locale, 'short').format(Math.round(delta / size), unit)
}
