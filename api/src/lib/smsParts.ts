/**
 * How many SMS parts a text costs, and in which encoding: GSM-7 (160 per
 * single message, 153 per part of a long one; the extension table costs two
 * septets) unless any character is outside it, then UCS-2 (70, or 67 per
 * part, counted in UTF-16 units). The same rule as web/src/lib/smsParts.ts,
 * here for what the api decides per recipient once a template is filled;
 * cross-checked against sms-segments-calculator in __tests__/smsParts.test.ts.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const GSM_EXTENSION = '^{}\\[~]|€\f'
/**
 * Septets per UTF-16 unit (0: not in GSM-7), one table lookup per character:
 * the api counts the parts of every recipient's filled text (100,000 per
 * send), and a lookup beats a Set (which the api build routes through a
 * polyfill) several times over. Every GSM-7 character is a single UTF-16
 * unit; a surrogate is not GSM-7, so an emoji still makes the text UCS-2.
 */
const SEPTETS = new Uint8Array(0x10000)
for (const ch of GSM_BASIC) SEPTETS[ch.charCodeAt(0)] = 1
for (const ch of GSM_EXTENSION) SEPTETS[ch.charCodeAt(0)] = 2

export type SmsEncoding = 'GSM-7' | 'UCS-2'
export type SmsParts = { encoding: SmsEncoding; units: number; parts: number }

export function smsParts(text: string): SmsParts {
  let septets = 0
  for (let i = 0; i < text.length; i++) {
    const cost = SEPTETS[text.charCodeAt(i)]
    if (cost === 0) return count('UCS-2', text.length, 70, 67)
    septets += cost
  }
  return count('GSM-7', septets, 160, 153)
}

function count(encoding: SmsEncoding, units: number, single: number, multi: number): SmsParts {
  return { encoding, units, parts: units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi) }
}
