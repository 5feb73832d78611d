import type { ComponentType } from 'react'

import InboundEntry from './InboundEntry'
import OutboundEntry from './OutboundEntry'
import type { ThreadEntryData } from './threadEntryTypes'

/**
 * One component per kind of thread entry: a reply, a message we sent. What a
 * message says (text, files, a location…) is drawn by MessageContent, one
 * component per content kind; a new entry kind is a component and a line here.
 */
const KINDS: Record<string, ComponentType<{ entry: ThreadEntryData }>> = {
  INBOUND: InboundEntry,
  OUTBOUND: OutboundEntry,
}

export function kindOf(entry: ThreadEntryData): string {
  return entry.direction in KINDS ? entry.direction : 'INBOUND'
}

const ThreadEntry = ({ entry }: { entry: ThreadEntryData }) => {
  const kind = kindOf(entry)
  const Body = KINDS[kind] ?? InboundEntry
  const inbound = entry.direction === 'INBOUND'
  return (
    <li
      data-direction={entry.direction}
      data-kind={kind}
      className={`max-w-xl rounded-lg border p-3 text-sm ${inbound ? 'mr-auto border-slate-200 bg-white' : 'ml-auto border-indigo-200 bg-indigo-50'}`}
    >
      <Body entry={entry} />
    </li>
  )
}

export default ThreadEntry
