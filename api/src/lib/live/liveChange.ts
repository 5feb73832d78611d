/**
 * What one committed transaction changed, as the database announces it on the
 * `desk_live` channel (migration 20261202110000_live_notify, README "Live
 * updates"): ids only, never a phone number or a text.
 */
export const LIVE_CHANNEL = 'desk_live'

export type IdList<T> = T[] | 'all'

export type LiveChange = {
  /** Messages whose message row, recipients or timelines changed ('all': too many to list). */
  messageIds: IdList<string>
  /** Inbound messages (replies) stored. */
  inboundIds: IdList<number>
  /** The callback log changed. */
  callbacks: boolean
  /** The refused-callback views changed. */
  refused: boolean
  /** The stalled-delivery alarm changed (announced by an instance's alarm watch). */
  alarm: boolean
  /** Users whose sessions were ended: their event streams close (never sent to browsers). */
  userIds: number[]
  /** Users whose read state changed (notifyLive): each hears of it on their own streams only. */
  readUserIds: number[]
  /** An opt-out was added or removed (notifyLive). */
  optOuts: boolean
}

const ids = <T>(value: unknown, of: (v: unknown) => T | null): IdList<T> => {
  if (value === '*') return 'all'
  if (!Array.isArray(value)) return []
  return value.map(of).filter((v): v is T => v !== null)
}
const asString = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : null)
const asInt = (v: unknown) => {
  const n = typeof v === 'string' ? Number(v) : v
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null
}

/** The notification's payload, or null when it is not one of ours. */
export function parseLiveChange(payload: string | undefined): LiveChange | null {
  if (!payload) return null
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(payload)
  } catch {
    return null
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null
  const users = ids(raw.u, asInt)
  const readers = ids(raw.rd, asInt)
  return {
    messageIds: ids(raw.m, asString),
    inboundIds: ids(raw.i, asInt),
    callbacks: raw.c === 1,
    refused: raw.r === 1,
    alarm: raw.a === 1,
    userIds: users === 'all' ? [] : users,
    readUserIds: readers === 'all' ? [] : readers,
    optOuts: raw.o === 1,
  }
}

/**
 * The event a browser receives for a change: `{"m": [...] | "*", "i": [...] | "*", "c": 1, "r": 1, "a": 1,
 * "o": 1, "rd": 1}` with empty parts left out (web/src/components/Live/liveConnection.ts reads it), or null
 * when the change is nothing this browser shows. `rd` ("your read state changed") only in the events of a
 * stream whose user (`forUserId`) is one of the change's readers: read state is per staff user.
 */
export function browserEvent(change: LiveChange, forUserId?: number): string | null {
  const out: Record<string, unknown> = {}
  const list = <T>(l: IdList<T>) => (l === 'all' ? '*' : l.length ? l : undefined)
  const m = list(change.messageIds)
  const i = list(change.inboundIds)
  if (m) out.m = m
  if (i) out.i = i
  if (change.callbacks) out.c = 1
  if (change.refused) out.r = 1
  if (change.alarm) out.a = 1
  if (change.optOuts) out.o = 1
  if (forUserId !== undefined && change.readUserIds.includes(forUserId)) out.rd = 1
  return Object.keys(out).length ? JSON.stringify(out) : null
}
