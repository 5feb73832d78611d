import { useEffect, useState } from 'react'

import { useDebouncedValue } from './useDebouncedValue'

/**
 * A search box whose text lives in the URL, so that a reload, Back and a shared
 * link keep it. The box shows what is typed; the URL — and so the query, which
 * reads the URL — what was typed before the last pause in typing: one request
 * per pause, not per keystroke. `inUrl` is the URL's text; `putInUrl` replaces
 * it (a pause replaces the history entry rather than adding one per word).
 * Back and Forward change the URL under the box, and the box follows.
 *
 *   const [text, setText] = useSearchInUrl(filters.q, (q) => setFilters({ q }, { replace: true }))
 *   <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
 */
export function useSearchInUrl(inUrl: string, putInUrl: (text: string) => void): [string, (text: string) => void] {
  const [text, setText] = useState(inUrl)
  const typed = useDebouncedValue(text)
  // Back and Forward: show what the URL says (unless the box already says it, give or take spaces).
  useEffect(() => setText((current) => (current.trim() === inUrl ? current : inUrl)), [inUrl])
  useEffect(() => {
    if (typed.trim() !== inUrl) putInUrl(typed)
    // Only a pause in typing moves the URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed])
  return [text, setText]
}
