import type { DeliveryOutcome } from 'types/graphql'

/**
 * One colour per outcome (the api says which a status has: useDeliveryStatuses);
 * text stays dark on light backgrounds for contrast. A status the api does not
 * know (or not yet: still loading) is shown neutral.
 */
const BADGE: Record<DeliveryOutcome, string> = {
  DELIVERED: 'bg-emerald-100 text-emerald-900 ring-emerald-600/30',
  IN_FLIGHT: 'bg-sky-100 text-sky-900 ring-sky-600/30',
  PENDING: 'bg-slate-100 text-slate-800 ring-slate-500/30',
  UNDETERMINED: 'bg-amber-100 text-amber-900 ring-amber-600/30',
  FAILED: 'bg-rose-100 text-rose-900 ring-rose-600/30',
}

const BAR: Record<DeliveryOutcome, string> = {
  DELIVERED: 'bg-emerald-500',
  IN_FLIGHT: 'bg-sky-500',
  PENDING: 'bg-slate-400',
  UNDETERMINED: 'bg-amber-500',
  FAILED: 'bg-rose-500',
}

export function statusTone(outcome: DeliveryOutcome | undefined): string {
  return outcome ? BADGE[outcome] : 'bg-white text-slate-800 ring-slate-400/40'
}

export function statusBarColor(outcome: DeliveryOutcome | undefined): string {
  return outcome ? BAR[outcome] : 'bg-slate-300'
}
