import {
  e164FromSinch,
  internationalE164,
  maskPhone,
  normalisePhoneNumber,
  parseRecipients,
  splitRecipientEntries,
} from '../phone'

describe('phone numbers', () => {
  it('splits pasted lists by lines, commas and semicolons', () => {
    expect(splitRecipientEntries('+46701234567, +46701234568\n\n 0046 70 123 45 69;+12025550123 ')).toEqual([
      '+46701234567',
      '+46701234568',
      '0046 70 123 45 69',
      '+12025550123',
    ])
  })

  it('normalises to E.164, reading numbers without + in the default region', () => {
    expect(normalisePhoneNumber('+46 70-123 45 67', 'US')).toEqual({ ok: true, e164: '+46701234567' })
    expect(normalisePhoneNumber('0046701234567', 'US')).toEqual({ ok: true, e164: '+46701234567' })
    expect(normalisePhoneNumber('070-123 45 67', 'SE')).toEqual({ ok: true, e164: '+46701234567' })
    expect(normalisePhoneNumber('(202) 555-0123', 'US')).toEqual({ ok: true, e164: '+12025550123' })
  })

  it('explains why an entry is refused', () => {
    expect(normalisePhoneNumber('hello', 'US')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/characters/),
    })
    expect(normalisePhoneNumber('123', 'US')).toMatchObject({ ok: false, reason: expect.stringMatching(/too short/) })
    expect(normalisePhoneNumber('+1234567890123456', 'US')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/15 digits/),
    })
    expect(normalisePhoneNumber('+46 12 345', 'US')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/SE number|not a valid/),
    })
    expect(normalisePhoneNumber('+1 011 555 0123', 'US')).toMatchObject({ ok: false })
  })

  it('parses a list: valid in order, invalid with reasons, duplicates removed and counted', () => {
    const result = parseRecipients('+46701234567\n0046701234567\n+1 202 555 0123\nnope\n+46 70 123 45 67', 'US')
    expect(result.valid).toEqual(['+46701234567', '+12025550123'])
    expect(result.duplicatesRemoved).toBe(2)
    expect(result.invalid).toEqual([{ input: 'nope', reason: expect.any(String) }])
    expect(result.tooMany).toBe(false)
  })

  it('flags more than 1,000 recipients', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `+1202555${String(i).padStart(4, '0')}`).join('\n')
    const result = parseRecipients(many, 'US')
    expect(result.valid.length).toBe(1001)
    expect(result.tooMany).toBe(true)
  })

  it('reads Sinch MSISDNs and masks numbers for logs', () => {
    expect(e164FromSinch('46701234567')).toBe('+46701234567')
    expect(e164FromSinch('0046701234567')).toBe('+46701234567')
    expect(maskPhone('+46701234567')).toBe('+46…4567')
  })

  // Every format Sinch and operators use for one number (docs/phone-numbers.md).
  const FORMATS = [
    '46701234567',
    '+46701234567',
    '0046701234567',
    '00 46 70 123 45 67',
    '+46 70 123 45 67',
    '+46-70-123-45-67',
    '+46 (0)70 123 45 67',
    '+46.70.123.45.67',
    'tel:+46701234567',
    'TEL:0046701234567',
    ' +46701234567 ',
  ]

  it.each(FORMATS)('%s is +46701234567 on the callback side', (format) => {
    expect(internationalE164(format)).toBe('+46701234567')
    expect(e164FromSinch(format)).toBe('+46701234567')
  })

  it.each(FORMATS.filter((f) => f.trim() !== '46701234567'))(
    '%s is +46701234567 on the send side too, whatever the default region',
    (format) => {
      for (const region of ['US', 'SE', 'GB']) {
        expect(normalisePhoneNumber(format, region)).toEqual({ ok: true, e164: '+46701234567' })
      }
    }
  )

  it('reads no number into what is none, and leaves national numbers unresolved', () => {
    expect(internationalE164('46-70-abc')).toBeNull()
    expect(internationalE164('')).toBeNull()
    expect(internationalE164('+')).toBeNull()
    // A national number needs a region: the callback side never guesses one.
    expect(internationalE164('0701234567')).toBe('+0701234567')
  })
})
