/**
 * A Vite plugin that starts dbAuth's two start-up requests from index.html
 * itself, before the app's code has loaded and run: `/auth?method=getToken`
 * and the currentUser query, exactly as src/lib/startUpAuth.ts would send
 * them a few hundred milliseconds later (the entry chunk parsed, React's first
 * render done). src/lib/startUpAuth.ts takes the answers (once).
 *
 * The HTML carries no token or user, only the code that asks: the answers
 * come over the same requests with the same cookie, so nothing a cache could
 * store changes. The script is inline: a Content-Security-Policy in front
 * must allow it by its hash (`yarn rw build web` prints it).
 */
import crypto from 'node:crypto'

import type { Plugin } from 'vite'

import { getConfig } from '@redwoodjs/project-config'

/** Where startUpAuth.ts looks for the early requests. */
export const EARLY_AUTH_GLOBAL = '__deskEarlyAuth'

/** The inline script for these urls (plain ES5 in every browser the app supports). */
export function earlyAuthScript(authUrl: string, graphqlUrl: string): string {
  return `(function(){try{var q='query __REDWOOD__AUTH_GET_CURRENT_USER { redwood { currentUser } }';var w=window;w.${EARLY_AUTH_GLOBAL}={at:Date.now(),token:fetch(${JSON.stringify(
    `${authUrl}?method=getToken`
  )},{credentials:'same-origin'}).then(function(r){return r.text()}),user:fetch(${JSON.stringify(
    graphqlUrl
  )},{method:'POST',credentials:'include',headers:{'content-type':'application/json','auth-provider':'dbAuth',authorization:'Bearer cookie'},body:JSON.stringify({query:q})}).then(function(r){if(!r.ok)throw new Error('Could not fetch current user: '+r.statusText+' ('+r.status+')');return r.json()}).then(function(b){return b&&b.data&&b.data.redwood&&b.data.redwood.currentUser||null})};w.${EARLY_AUTH_GLOBAL}.token.catch(function(){});w.${EARLY_AUTH_GLOBAL}.user.catch(function(){})}catch(e){}})()`
}

/** The app's auth function and GraphQL urls, as Redwood's web build defines RWJS_API_URL and RWJS_API_GRAPHQL_URL. */
function apiUrls() {
  const { web } = getConfig()
  return { authUrl: `${web.apiUrl}/auth`, graphqlUrl: web.apiGraphQLUrl ?? `${web.apiUrl}/graphql` }
}

export function earlyAuth(): Plugin {
  const { authUrl, graphqlUrl } = apiUrls()
  const script = earlyAuthScript(authUrl, graphqlUrl)
  return {
    name: 'desk-early-auth',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => {
        const hash = crypto.createHash('sha256').update(script).digest('base64')
        console.log(`early auth script (index.html): CSP script-src 'sha256-${hash}'`)
        return [{ tag: 'script', children: script, injectTo: 'head-prepend' }]
      },
    },
  }
}
