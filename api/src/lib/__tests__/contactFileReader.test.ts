/**
 * The contact file reader on its own (no database, no worker): chunks are
 * bounded by their text as well as by their rows, and a file arrives in
 * slices of any size.
 */
import { MAX_ATTRIBUTE_LENGTH } from '../contactCsv'
import { MAX_CHUNK_CHARACTERS, encodeChunk, readContactFile, type ImportChunk } from '../contactFileReader'

const mapping = { numberColumn: 'phone', nameColumn: 'name', fieldColumns: ['a', 'b', 'c', 'd'] }

async function chunksOf(text: string, sliceBytes: number, chunkRows = 5000) {
  const bytes = Buffer.from(text, 'utf8')
  const slices: Buffer[] = []
  for (let at = 0; at < bytes.length; at += sliceBytes) slices.push(bytes.subarray(at, at + sliceBytes))
  const chunks: ImportChunk[] = []
  const outcome = await readContactFile(slices, mapping, 'US', {
    chunkRows,
    onChunk: async (chunk) => {
      chunks.push(chunk)
    },
  })
  return { chunks, outcome }
}

const wideRow = (i: number) => {
  const field = 'x'.repeat(MAX_ATTRIBUTE_LENGTH - 1)
  return `+1202555${String(i).padStart(4, '0')},Name ${i},${field},${field},${field},${field}`
}

describe('readContactFile', () => {
  it('hands over a chunk of wide rows once its text reaches MAX_CHUNK_CHARACTERS, before chunkRows', async () => {
    const rows = 600 // 600 rows of 4,000 characters: 2.4 million, over twice the bound
    const text = ['phone,name,a,b,c,d', ...Array.from({ length: rows }, (_, i) => wideRow(i))].join('\n')
    const { chunks, outcome } = await chunksOf(text, 256 * 1024)
    expect(outcome.rowsRead).toBe(rows)
    expect(chunks.map((c) => c.contacts.length).reduce((a, b) => a + b, 0)).toBe(rows)
    expect(chunks.length).toBeGreaterThanOrEqual(3)
    for (const chunk of chunks) {
      const characters = chunk.contacts.reduce(
        (sum, c) =>
          sum +
          c.phoneNumber.length +
          (c.name?.length ?? 0) +
          Object.entries(c.attributes).reduce((s, [k, v]) => s + k.length + v.length, 0),
        0
      )
      // At most one row past the bound.
      expect(characters).toBeLessThan(MAX_CHUNK_CHARACTERS + 4 * MAX_ATTRIBUTE_LENGTH + 100)
    }
  })

  it('hands over bad rows in chunks of chunkRows too, not all at the end', async () => {
    const text = ['phone,name,a,b,c,d', ...Array.from({ length: 25 }, (_, i) => `not a number ${i},x`)].join('\n')
    const { chunks } = await chunksOf(text, 1024, 10)
    expect(chunks.map((c) => c.problems.length)).toEqual([10, 10, 5])
    expect(chunks[2].problems.map((p) => p.line)).toEqual([22, 23, 24, 25, 26])
  })

  it('reads the same rows whatever the slices, a character split between two of them included', async () => {
    const text = ['phone,name,a', '+12025550100,Zoë Ångström,Tromsø', '+12025550101,"Ünal, Jr.",Малмё'].join('\n')
    const whole = await chunksOf(text, 1 << 20)
    for (const size of [1, 2, 3, 7]) {
      const sliced = await chunksOf(text, size)
      expect(sliced.chunks).toEqual(whole.chunks)
    }
    expect(whole.chunks[0].contacts.map((c) => c.name)).toEqual(['Zoë Ångström', 'Ünal, Jr.'])
  })

  it('encodes a chunk as the UTF-8 JSON the writer reads', () => {
    const message = encodeChunk({
      contacts: [{ phoneNumber: '+12025550100', name: 'Zoë', attributes: { City: 'Tromsø' }, again: true }],
      problems: [{ line: 3, reason: 'no phone number', value: null }],
    })
    expect(JSON.parse(Buffer.from(message.contacts).toString('utf8'))).toEqual([
      { p: '+12025550100', n: 'Zoë', a: { City: 'Tromsø' }, g: true },
    ])
    expect(JSON.parse(Buffer.from(message.problems).toString('utf8'))).toEqual([
      { l: 3, r: 'no phone number', v: null },
    ])
    expect([message.contactCount, message.againCount, message.problemCount]).toEqual([1, 1, 1])
  })
})
