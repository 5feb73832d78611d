/**
 * Phone numbers as staff paste them, and as Sinch sends them.
 * Validation uses libphonenumber-js's full metadata ("max"), so a number
 * that has the right length but no valid prefix for its country is refused.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

export const MAX_RECIPIENTS_PER_SEND = 1000

export type RecipientProblem = { input: string; reason: string }
export type ParsedRecipients = {
  valid: string[]
  invalid: RecipientProblem[]
  duplicatesRemoved: number
  tooMany: boolean
}

/** One per line, or separated by commas or semicolons. */
export function splitRecipientEntries(text: string): string[] {
  return text
    .split(/[\n\r,;]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/**
 * THE normalisation of a number written in international form, on both
 * sides: what staff paste and send (normalisePhoneNumber starts with it) and
 * what Sinch's callbacks name (SMS `recipient`/`from`, Conversation
 * `identity`). Formats seen from Sinch and operators (docs/phone-numbers.md):
 * `46701234567` (MSISDN, no +), `+46701234567`, `0046701234567` (the 00
 * international prefix), `tel:+46701234567`, `+46 (0)70 123 45 67` (the
 * national trunk 0 in parentheses), and any of them with spaces, dashes,
 * dots, slashes or parentheses. All become `+46701234567`.
 *
 * Returns null for anything that is not digits once those are removed. A
 * national number (one leading 0, e.g. `0701234567`) cannot be resolved
 * without a region and is returned as `+0701234567`, which matches nothing.
 */
export function internationalE164(input: string): string | null {
  const compact = input
    .trim()
    .replace(/^tel:/i, '')
    .replace(/\(0\)/g, '')
    .replace(/[\s().\-/]/g, '')
  const digits = compact.startsWith('+') ? compact.slice(1) : compact.replace(/^00/, '')
  if (!/^\d+$/.test(digits)) return null
  return `+${digits}`
}

/** Written in international form (+, 00 or tel:), as opposed to a national number. */
const INTERNATIONAL_FORM = /^\s*(\+|00|tel:)/i

export function normalisePhoneNumber(
  input: string,
  defaultRegion: string
): { ok: true; e164: string } | { ok: false; reason: string } {
  const trimmed = input.trim()
  const cleaned = (INTERNATIONAL_FORM.test(trimmed) && internationalE164(trimmed)) || trimmed
  if (!/^[+\d(][\d\s().\-/]*$/.test(cleaned))
    return { ok: false, reason: 'contains characters that are not part of a phone number' }
  const digits = cleaned.replace(/\D/g, '')
  if (digits.length < 6) return { ok: false, reason: 'too short to be a phone number' }
  if (digits.length > 15) return { ok: false, reason: 'longer than 15 digits (the E.164 maximum)' }
  const parsed = parsePhoneNumberFromString(cleaned, defaultRegion as CountryCode)
  if (!parsed) return { ok: false, reason: `not a phone number (numbers without + are read as ${defaultRegion})` }
  if (!parsed.isValid()) {
    return {
      ok: false,
      reason: parsed.country
        ? `not a valid ${parsed.country} number`
        : `not a valid number (numbers without + are read as ${defaultRegion})`,
    }
  }
  return { ok: true, e164: parsed.number }
}

export function parseRecipients(text: string, defaultRegion: string): ParsedRecipients {
  const entries = splitRecipientEntries(text)
  const seen = new Set<string>()
  const valid: string[] = []
  const invalid: RecipientProblem[] = []
  let duplicatesRemoved = 0
  for (const input of entries) {
    const result = normalisePhoneNumber(input, defaultRegion)
    if (!result.ok) invalid.push({ input, reason: result.reason })
    else if (seen.has(result.e164)) duplicatesRemoved++
    else {
      seen.add(result.e164)
      valid.push(result.e164)
    }
  }
  return { valid, invalid, duplicatesRemoved, tooMany: valid.length > MAX_RECIPIENTS_PER_SEND }
}

/**
 * A number from a Sinch callback (MSISDN without +, or any format
 * internationalE164 reads) as we store it: E.164 with +. The callback schema
 * refuses what internationalE164 cannot read, so this is only the fallback
 * for a caller that did not validate.
 */
export function e164FromSinch(msisdn: string): string {
  return internationalE164(msisdn) ?? `+${msisdn.replace(/\D/g, '')}`
}

/** For logs at info level: country code and last four digits only. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '')
  if (digits.length <= 6) return '+…'
  return `+${digits.slice(0, 2)}…${digits.slice(-4)}`
}
