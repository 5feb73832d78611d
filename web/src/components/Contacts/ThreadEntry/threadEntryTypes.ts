import type { ContactThreadQuery } from 'types/graphql'

export type ThreadEntryData = ContactThreadQuery['contactThread']['entries'][number]

import { channelLabel } from 'src/lib/channel'
import { formatDateTime } from 'src/lib/formatTime'

/** The desk's one way of naming a channel and a time (src/lib/channel.ts, src/lib/formatTime.ts). */
export const channelName = (channel: string) => channelLabel(channel)

export const when = (iso: string) => formatDateTime(iso)
