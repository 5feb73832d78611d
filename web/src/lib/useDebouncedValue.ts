import { useDebounce } from 'use-debounce'

/** How long typing must pause before the value is used (a query sent, the URL updated). */
export const TYPING_PAUSE_MS = 300

/**
 * The value once it has stopped changing for `ms`: what a query should see
 * of a text field, so that typing sends one request per pause rather than one
 * per keystroke. The one debounce of the web app.
 */
export function useDebouncedValue<T>(value: T, ms: number = TYPING_PAUSE_MS): T {
  const [debounced] = useDebounce(value, ms)
  return debounced
}
