import MessageContent from 'src/components/Media/MessageContent/MessageContent'

import { channelName, when, type ThreadEntryData } from './threadEntryTypes'

/** A reply from the contact: text, files, a location, a chosen option or a contact card (MessageContent). */
const InboundEntry = ({ entry }: { entry: ThreadEntryData }) => (
  <>
    <p className="text-xs text-slate-600">
      Received · {channelName(entry.channel)} · {when(entry.at)}
    </p>
    <MessageContent message={entry} />
  </>
)

export default InboundEntry
