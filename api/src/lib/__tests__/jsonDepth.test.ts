import { exceedsJsonDepth } from '../jsonDepth'

describe('exceedsJsonDepth', () => {
  it('finds the first level beyond the limit', () => {
    expect(exceedsJsonDepth('{"a":[{"b":[]}]}', 4)).toBeNull()
    expect(exceedsJsonDepth('{"a":[{"b":[]}]}', 3)).toBe(4)
    expect(exceedsJsonDepth('['.repeat(100_000), 64)).toBe(65)
  })

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth('{"a":"[[[[{{{{\\"[[[["}', 1)).toBeNull()
    expect(exceedsJsonDepth('["\\\\",[[]]]', 2)).toBe(3)
  })

  it('counts sequential objects by depth, not by number', () => {
    expect(exceedsJsonDepth('[' + '{},'.repeat(10_000) + '{}]', 2)).toBeNull()
  })
})
