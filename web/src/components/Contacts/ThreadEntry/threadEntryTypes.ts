import type { ContactThreadQuery } from 'types/graphql'

export type ThreadEntryData = ContactThreadQuery['contactThread']['entries'][number]

export const channelName = (channel: string) => (channel === 'WHATSAPP' ? 'WhatsApp' : 'SMS')

export const when = (iso: string) => new Date(iso).toLocaleString()
