/**
 * An uploaded CSV as text is read in slices: a row is the same whichever
 * slice boundary falls inside it, an emoji's surrogate pair included.
 */
import { csvAudience } from '../audienceScreening'

async function rowsOf(text: string) {
  const rows = []
  for await (const row of csvAudience(text, null, 1000)) rows.push(row)
  return rows
}

describe('csvAudience', () => {
  it('keeps a character whose surrogate pair straddles a 16 K slice boundary', async () => {
    const header = 'phone,name\n'
    const pad = 'x'.repeat(16 * 1024 - header.length - '+46701234567,'.length - 1)
    // The emoji's first half is the 16,384th character of the text.
    const text = `${header}+46701234567,${pad}😀\n+46701234568,Bo\n`
    expect(text.charCodeAt(16 * 1024 - 1)).toBe(0xd83d)
    const rows = await rowsOf(text)
    expect(rows.map((r) => r.fields.name)).toEqual([`${pad}😀`, 'Bo'])
    expect(rows.map((r) => r.line)).toEqual([2, 3])
  })
})
