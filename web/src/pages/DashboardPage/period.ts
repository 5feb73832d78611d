/** The periods the dashboard offers; a custom one may be as long as the api allows (`deliveryStatsLimits`). */
export const PRESETS = [
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'custom', label: 'Custom' },
] as const

export type Preset = (typeof PRESETS)[number]['id']

export type PeriodRange = { from: Date; to: Date } | { error: string }

/** Local midnight at the start of `date` plus `days` calendar days (a DST day is 23 or 25 hours). */
function midnight(date: Date, days = 0): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days)
}

/** A yyyy-mm-dd date input's value as local midnight, or null. */
function parseDay(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return Number.isNaN(d.getTime()) ? null : d
}

/** yyyy-mm-dd of a local date, for date inputs. */
export function dayValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/**
 * [from, to) for a preset, in whole local hours or days so the chart's
 * buckets are whole too:
 * - last 24 hours: the 24 hours up to the end of the current hour;
 * - last 7 / 30 days: that many calendar days, today included;
 * - custom: from the start of the first day to the end of the last one, at most `maxDays` long (the api's limit;
 *   null while it is not known, and the api judges).
 */
export function periodRange(
  preset: Preset,
  now: Date,
  custom: { from: string; to: string },
  maxDays: number | null
): PeriodRange {
  if (preset === '24h') {
    const to = new Date(now)
    to.setMinutes(0, 0, 0)
    to.setHours(to.getHours() + 1)
    return { from: new Date(to.getTime() - 24 * 60 * 60 * 1000), to }
  }
  if (preset === '7d' || preset === '30d') {
    const days = preset === '7d' ? 7 : 30
    return { from: midnight(now, 1 - days), to: midnight(now, 1) }
  }
  const first = parseDay(custom.from)
  const last = parseDay(custom.to)
  if (!first || !last) return { error: 'Choose both a first and a last day.' }
  if (last < first) return { error: 'The last day must not be before the first day.' }
  const from = first
  const to = midnight(last, 1)
  if (maxDays !== null && to.getTime() - from.getTime() > maxDays * 24 * 60 * 60 * 1000)
    return { error: `Choose at most ${maxDays} days.` }
  return { from, to }
}
