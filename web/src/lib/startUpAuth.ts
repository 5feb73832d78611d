/**
 * dbAuth's start-up in one round trip instead of two, started by the HTML.
 *
 * Redwood's AuthProvider restores a session by asking dbAuth's function for a
 * token (`/auth?method=getToken`) and only when one comes back asking GraphQL
 * for `currentUser`: two round trips in a row before a private page renders
 * (300 ms on a 150 ms connection). Both answers come from the same session
 * cookie: the api's dbAuth decoder reads the cookie and ignores the bearer
 * value (api/src/functions/graphql.ts), so the currentUser query does not need
 * the token's answer. Here the client's `restoreAuthState` (which the
 * AuthProvider awaits before it re-authenticates) starts that query at once,
 * beside getToken, and the first getCurrentUser of the start-up takes its
 * answer. Nothing else changes: the same two requests with the same cookie,
 * headers and checks; a signed-out start-up (no token) throws the early answer
 * away, and logging in, signing up or out never uses it.
 *
 * The production build's index.html starts both requests even earlier, before
 * this code has loaded (web/config/earlyAuth.ts): restoreAuthState then takes
 * those, and getToken answers from that token for as long as dbAuth would
 * have cached it (5 s), so the first GraphQL queries do not ask again.
 */
import type { CurrentUser } from '@redwoodjs/auth'

type DbAuthLike = {
  type: string
  getToken: () => Promise<string | null>
  login: (...args: never[]) => Promise<unknown>
  logout: (...args: never[]) => Promise<unknown>
  signup: (...args: never[]) => Promise<unknown>
}

/** What index.html's script leaves on window (web/config/earlyAuth.ts; the name is EARLY_AUTH_GLOBAL there). */
type EarlyAuth = { at: number; token: Promise<string>; user: Promise<CurrentUser | null> }
const EARLY_AUTH_GLOBAL = '__deskEarlyAuth'

/** dbAuth's own token cache time: an early token is good for as long. */
const TOKEN_CACHE_MS = 5000

/** The requests index.html started, once: whoever takes them removes them. */
function takeEarlyAuth(): EarlyAuth | null {
  const w = globalThis as unknown as Record<string, EarlyAuth | undefined>
  const early = w[EARLY_AUTH_GLOBAL]
  delete w[EARLY_AUTH_GLOBAL]
  return early ?? null
}

const CURRENT_USER_QUERY = 'query __REDWOOD__AUTH_GET_CURRENT_USER { redwood { currentUser } }'

/** Redwood's GraphQL endpoint, a global its web build defines (as its own useCurrentUser reads it). */
const graphqlUrl = () => (globalThis as unknown as { RWJS_API_GRAPHQL_URL: string }).RWJS_API_GRAPHQL_URL

/** The request Redwood's own useCurrentUser makes (@redwoodjs/auth), with the token it has or none yet. */
export async function fetchCurrentUser(type: string, token: string | null): Promise<CurrentUser | null> {
  const response = await globalThis.fetch(graphqlUrl(), {
    method: 'POST',
    credentials: 'include',
    headers: {
      'content-type': 'application/json',
      'auth-provider': type,
      // dbAuth's decoder reads the session cookie and never this value; the header must be present and well formed.
      authorization: `Bearer ${token ?? 'cookie'}`,
    },
    body: JSON.stringify({ query: CURRENT_USER_QUERY }),
  })
  if (!response.ok) throw new Error(`Could not fetch current user: ${response.statusText} (${response.status})`)
  const { data } = await response.json()
  return data?.redwood?.currentUser ?? null
}

export function withOneRoundTripStartUp<C extends DbAuthLike>(client: C) {
  let early: Promise<CurrentUser | null> | null = null
  /** The token index.html asked for, and when its answer came (it stands in for dbAuth's cache until then + 5 s). */
  let earlyToken: { token: Promise<string | null>; answeredAt?: number } | null = null
  const forget = () => {
    early = null
    earlyToken = null
  }
  const getToken = async (): Promise<string | null> => {
    const mine = earlyToken
    if (mine && (mine.answeredAt === undefined || Date.now() - mine.answeredAt <= TOKEN_CACHE_MS)) return mine.token
    if (mine && earlyToken === mine) earlyToken = null
    return client.getToken()
  }
  const forgetting =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) => {
      forget()
      return fn(...args)
    }

  const startUpClient: C & { restoreAuthState: () => Promise<void> } = {
    ...client,
    getToken,
    login: forgetting(client.login),
    logout: forgetting(client.logout),
    signup: forgetting(client.signup),
    restoreAuthState: async () => {
      const fromHtml = takeEarlyAuth()
      const mine = fromHtml ? fromHtml.user : fetchCurrentUser(client.type, null)
      // An answer nobody takes must not show up as an unhandled rejection.
      mine.catch(() => undefined)
      early = mine
      if (fromHtml) {
        const token = fromHtml.token.then(
          (text) => (text.length === 0 ? null : text),
          () => null
        )
        const entry: NonNullable<typeof earlyToken> = { token }
        earlyToken = entry
        token.then(() => {
          entry.answeredAt = Date.now()
        })
      }
      // Signed out: the start-up asks for no current user, and nothing later may take this one.
      getToken().then((token) => {
        if (!token && early === mine) early = null
      })
    },
  }

  /** For createAuth's `useCurrentUser`: the start-up's early answer once, afterwards Redwood's request. */
  const getCurrentUser = async (): Promise<CurrentUser> => {
    const taken = early
    early = null
    const user = taken ?? fetchCurrentUser(client.type, await getToken())
    return (await user) as CurrentUser
  }

  return { client: startUpClient, getCurrentUser }
}
