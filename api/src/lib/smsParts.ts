/**
 * How many SMS parts a text costs, and in which encoding: GSM-7 (160 per
 * single message, 153 per part of a long one; the extension table costs two
 * septets) unless any character is outside it, then UCS-2 (70, or 67 per
 * part, counted in UTF-16 units). The same rule as web/src/lib/smsParts.ts,
 * here for what the api decides per recipient once a template is filled;
 * cross-checked against sms-segments-calculator in __tests__/smsParts.test.ts.
 */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
)
const GSM_EXTENSION = new Set('^{}\\[~]|€\f')

export type SmsEncoding = 'GSM-7' | 'UCS-2'
export type SmsParts = { encoding: SmsEncoding; units: number; parts: number }

export function smsParts(text: string): SmsParts {
  let septets = 0
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1
    else if (GSM_EXTENSION.has(ch)) septets += 2
    else return count('UCS-2', text.length, 70, 67)
  }
  return count('GSM-7', septets, 160, 153)
}

function count(encoding: SmsEncoding, units: number, single: number, multi: number): SmsParts {
  return { encoding, units, parts: units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi) }
}
