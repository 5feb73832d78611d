import type { LiveState } from './useLiveEvents'

const TEXT: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  paused: 'Paused (tab hidden)',
  offline: 'Offline: retrying',
}
const DOT: Record<LiveState, string> = {
  live: 'bg-emerald-500 animate-pulse',
  connecting: 'bg-amber-400',
  paused: 'bg-slate-400',
  offline: 'bg-rose-500',
}

const LiveIndicator = ({ state }: { state: LiveState }) => (
  <span
    className="inline-flex items-center gap-1.5 text-xs text-slate-700"
    role="status"
    aria-live="polite"
    data-live={state}
  >
    <span className={`h-2 w-2 rounded-full ${DOT[state]}`} aria-hidden="true" />
    {TEXT[state]}
  </span>
)

export default LiveIndicator
