/** One colour per kind of status; text stays dark on light backgrounds for contrast. */
export function statusTone(status: string): string {
  if (['Delivered', 'DELIVERED', 'READ'].includes(status)) return 'bg-emerald-100 text-emerald-900 ring-emerald-600/30'
  if (['Queued', 'Dispatched', 'QUEUED_ON_CHANNEL', 'SWITCHING_CHANNEL'].includes(status))
    return 'bg-sky-100 text-sky-900 ring-sky-600/30'
  if (status === 'Pending') return 'bg-slate-100 text-slate-800 ring-slate-500/30'
  if (status === 'Unknown') return 'bg-amber-100 text-amber-900 ring-amber-600/30'
  return 'bg-rose-100 text-rose-900 ring-rose-600/30'
}

export function statusBarColor(status: string): string {
  if (['Delivered', 'DELIVERED', 'READ'].includes(status)) return 'bg-emerald-500'
  if (['Queued', 'Dispatched', 'QUEUED_ON_CHANNEL', 'SWITCHING_CHANNEL'].includes(status)) return 'bg-sky-500'
  if (status === 'Pending') return 'bg-slate-400'
  if (status === 'Unknown') return 'bg-amber-500'
  return 'bg-rose-500'
}
