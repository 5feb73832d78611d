import { csvCell, csvRow } from '../csv'

describe('csv', () => {
  it('quotes commas, quotes and newlines', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', 3, null])).toBe('"a,b","say ""hi""","two\nlines",3,\r\n')
  })

  it('keeps E.164 numbers and dates readable', () => {
    expect(csvCell('+46701234567')).toBe('+46701234567')
    expect(csvCell(new Date('2025-03-01T10:00:00Z'))).toBe('2025-03-01T10:00:00.000Z')
    expect(csvCell(-5)).toBe('-5')
  })

  it('defuses formula injection', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)")
    expect(csvCell('+cmd|x')).toBe("'+cmd|x")
    expect(csvCell('-2+3')).toBe("'-2+3")
    expect(csvCell('+46701234567+1')).toBe("'+46701234567+1")
    expect(csvCell('\tx')).toBe("'\tx")
    expect(csvCell('\rx')).toBe(`"'\rx"`)
    expect(csvCell('2.5')).toBe('2.5')
    expect(csvCell('-x')).toBe("'-x")
  })
})
