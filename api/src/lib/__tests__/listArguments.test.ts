import { containsPattern, pageSize, searchText } from '../listArguments'

describe('list arguments', () => {
  it('takes the fallback page size when none is asked, and refuses one out of range', () => {
    expect(pageSize(undefined, 25, 100)).toBe(25)
    expect(pageSize(null, 25, 100)).toBe(25)
    expect(pageSize(100, 25, 100)).toBe(100)
    for (const bad of [0, -1, 101, 2.5]) expect(() => pageSize(bad, 25, 100)).toThrow('take must be between 1 and 100.')
  })

  it('trims a search text and bounds its length', () => {
    expect(searchText(undefined)).toBeNull()
    expect(searchText('   ')).toBeNull()
    expect(searchText('  ORD-42 ')).toBe('ORD-42')
    expect(() => searchText('ab')).toThrow('Search needs at least 3 characters.')
    expect(() => searchText('x'.repeat(101))).toThrow('Search text is at most 100 characters.')
    expect(searchText('x'.repeat(100))).toHaveLength(100)
  })

  it("matches the text anywhere, LIKE's wildcards and escape taken literally", () => {
    expect(containsPattern('ORD-42')).toBe('%ORD-42%')
    expect(containsPattern('100%_off\\')).toBe('%100\\%\\_off\\\\%')
  })
})
