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

export function normalisePhoneNumber(
  input: string,
  defaultRegion: string
): { ok: true; e164: string } | { ok: false; reason: string } {
  const cleaned = input.replace(/^00/, '+').trim()
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

/** Sinch sends MSISDNs without + (or with 00); we store E.164 with +. */
export function e164FromSinch(msisdn: string): string {
  return `+${msisdn.replace(/^00/, '').replace(/\D/g, '')}`
}

/** For logs at info level: country code and last four digits only. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '')
  if (digits.length <= 6) return '+…'
  return `+${digits.slice(0, 2)}…${digits.slice(-4)}`
}
