/** How long a search text may be, in every list that searches (the web reads these through `searchLimits`). */

/** The longest search text any list accepts (a sentence of a body, a number, a reference). */
export const MAX_SEARCH_LENGTH = 100

/**
 * Search needs this many characters: a trigram index finds nothing shorter
 * than three without reading every entry.
 */
export const MIN_SEARCH_LENGTH = 3
