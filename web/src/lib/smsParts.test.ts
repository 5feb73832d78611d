import { smsParts } from './smsParts'

describe('smsParts', () => {
  it('counts GSM-7 bodies: 160 in one part, 153 per part beyond', () => {
    expect(smsParts('')).toMatchObject({ parts: 0, units: 0 })
    expect(smsParts('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, parts: 1, perPart: 160, remaining: 0 })
    expect(smsParts('a'.repeat(161))).toMatchObject({ parts: 2, perPart: 153, remaining: 145 })
    expect(smsParts('a'.repeat(306))).toMatchObject({ parts: 2 })
    expect(smsParts('a'.repeat(307))).toMatchObject({ parts: 3 })
  })

  it('charges two septets for the extension table', () => {
    expect(smsParts('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, parts: 1 })
    expect(smsParts('{'.repeat(81))).toMatchObject({ units: 162, parts: 2 })
  })

  it('switches to UCS-2 for any other character: 70, or 67 per part', () => {
    expect(smsParts('Привет')).toMatchObject({ encoding: 'UCS-2', units: 6, parts: 1, perPart: 70 })
    expect(smsParts('a'.repeat(70) + 'ç')).toMatchObject({ encoding: 'UCS-2', units: 71, parts: 2, perPart: 67 })
    expect(smsParts('👍')).toMatchObject({ encoding: 'UCS-2', units: 2 })
  })
})
