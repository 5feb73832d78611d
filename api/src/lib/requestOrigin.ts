import { headerValue, type HeaderBag } from './sinchSignature'

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/i

/**
 * True for a request over plain HTTP to this machine (yarn rw dev, or
 * yarn rw serve tried on localhost), where browsers drop Secure cookies.
 * Anything that came through a TLS proxy, or to any other host, is not.
 */
export function isLoopbackPlainHttp(headers: HeaderBag): boolean {
  if ((headerValue(headers, 'x-forwarded-proto') ?? '').toLowerCase().startsWith('https')) return false
  return LOOPBACK_HOST.test(headerValue(headers, 'x-forwarded-host') ?? headerValue(headers, 'host') ?? '')
}
