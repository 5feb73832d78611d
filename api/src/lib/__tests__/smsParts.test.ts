/**
 * Our per-recipient part count against sms-segments-calculator (a maintained
 * implementation of the GSM 03.38 / UCS-2 rules), on the texts that matter:
 * the edges of one and several parts, the extension table, and non-GSM text.
 */
import { SegmentedMessage } from 'sms-segments-calculator'

import { smsParts } from 'src/lib/smsParts'

const texts = [
  'Hi Ann, your appointment is on Tue 4 March.',
  'a'.repeat(160),
  'a'.repeat(161),
  'a'.repeat(306),
  'a'.repeat(307),
  '€'.repeat(80),
  '€'.repeat(81),
  'Hej Åsa, välkommen!',
  'Привет, Анна',
  'ç'.repeat(70),
  'ç'.repeat(71),
  'Hi 👋 there',
]

describe('smsParts', () => {
  it.each(texts.map((t) => [t.length > 30 ? `${t.slice(0, 12)}… (${t.length})` : t, t]))(
    '%s: as many parts as sms-segments-calculator counts',
    (_label, text) => {
      const theirs = new SegmentedMessage(text)
      const ours = smsParts(text)
      expect(ours.parts).toBe(theirs.segmentsCount)
      expect(ours.encoding).toBe(theirs.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2')
    }
  )
})
