/**
 * The bounds of every list query's arguments: a page size outside its range
 * or a search text too long is refused with a clear error rather than quietly
 * clamped, so a caller learns the limit instead of getting fewer rows than it
 * asked for (README, "Finding messages").
 */
import { UserInputError } from '@redwoodjs/graphql-server'

import { MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH } from './searchLimits'

export { MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH }

/** The page size a list query uses: `fallback` when none is asked, an error outside 1..max. */
export function pageSize(take: number | null | undefined, fallback: number, max: number): number {
  if (take === null || take === undefined) return fallback
  if (!Number.isInteger(take) || take < 1 || take > max) {
    throw new UserInputError(`take must be between 1 and ${max}.`)
  }
  return take
}

/** The trimmed search text, null when there is none; an error when it is too short or too long. */
export function searchText(search: string | null | undefined): string | null {
  const term = search?.trim() ?? ''
  if (term === '') return null
  if (term.length > MAX_SEARCH_LENGTH) {
    throw new UserInputError(`Search text is at most ${MAX_SEARCH_LENGTH} characters.`)
  }
  if (term.length < MIN_SEARCH_LENGTH) {
    throw new UserInputError(`Search needs at least ${MIN_SEARCH_LENGTH} characters.`)
  }
  return term
}

/** A LIKE pattern that matches `text` anywhere, its own % _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
