/** A channel as staff read it: the api's WHATSAPP is "WhatsApp" everywhere, SMS stays SMS. */
export function channelLabel(channel: string | null | undefined): string {
  if (channel === 'WHATSAPP') return 'WhatsApp'
  return channel ?? ''
}
