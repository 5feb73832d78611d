/** The periods the dashboard offers; the api allows at most 366 days. */
export const PRESETS = [
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'custom', label: 'Custom' },
] as const

export type Preset = (typeof PRESETS)[number]['id']

export const MAX_DAYS = 366

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
 * - custom: from the start of the first day to the end of the last one.
 */
export function periodRange(preset: Preset, now: Date, custom: { from: string; to: string }): PeriodRange {
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
  if (to.getTime() - from.getTime() > MAX_DAYS * 24 * 60 * 60 * 1000)
    return { error: `Choose at most ${MAX_DAYS} days.` }
  return { from, to }
}
