/**
 * How deeply a JSON text nests, read from the raw text before anything
 * parses it. JSON.parse, zod and JSON.stringify all recurse once per level:
 * a body of a few kilobytes nested 5,000 deep overflows the stack in one of
 * them, which used to answer 500 (and Sinch retried it for a day). Counting
 * brackets outside strings is linear, allocates nothing and cannot overflow.
 *
 * Returns the depth at which `limit` was first exceeded, or null when the text
 * stays within it. Malformed JSON is not this function's concern: JSON.parse
 * reports it afterwards.
 */
export function exceedsJsonDepth(text: string, limit: number): number | null {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c /* \ */) i++
      else if (c === 0x22 /* " */) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return depth
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--
    }
  }
  return null
}
