/**
 * How many SMS parts a body costs. GSM-7 (160 per single message, 153 per
 * part of a long one; the extension table costs two) unless any character is
 * outside it, then UCS-2 (70, or 67 per part, counted in UTF-16 units).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const GSM_EXTENSION = '^{}\\[~]|€\f'

export type SmsParts = { encoding: 'GSM-7' | 'UCS-2'; units: number; parts: number; perPart: number; remaining: number }

export function smsParts(body: string): SmsParts {
  let septets = 0
  let gsm = true
  for (const ch of body) {
    if (GSM_BASIC.includes(ch)) septets += 1
    else if (GSM_EXTENSION.includes(ch)) septets += 2
    else {
      gsm = false
      break
    }
  }
  const [units, single, multi] = gsm ? [septets, 160, 153] : [body.length, 70, 67]
  const parts = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi)
  const perPart = parts <= 1 ? single : multi
  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    units,
    parts,
    perPart,
    remaining: parts === 0 ? single : parts * perPart - units,
  }
}
