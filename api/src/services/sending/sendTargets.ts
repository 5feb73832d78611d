import { UserInputError } from '@redwoodjs/graphql-server'

import { config } from 'src/lib/config'
import {
  MAX_RECIPIENTS_PER_SEND,
  normalisePhoneNumber,
  parseRecipients,
  splitRecipientEntries,
  type RecipientProblem,
} from 'src/lib/phone'
import { optedOut } from 'src/services/optOuts/optOuts'

/**
 * Pasted recipients are parsed number by number: the text is bounded before
 * that work starts. 1,000 numbers, however they are written, take far less.
 */
export const MAX_RECIPIENTS_TEXT_LENGTH = 100_000
export const MAX_CLIENT_REFERENCE_LENGTH = 128

/**
 * parseRecipients, plus opt-outs: an opted-out number is reported as invalid
 * (as typed, with why), so that nothing is sent while any entry is refused.
 */
export async function screenRecipients(entries: string) {
  if (entries.length > MAX_RECIPIENTS_TEXT_LENGTH)
    throw new UserInputError(
      `The recipients are ${entries.length.toLocaleString('en')} characters long; paste at most ` +
        `${MAX_RECIPIENTS_TEXT_LENGTH.toLocaleString('en')} (${MAX_RECIPIENTS_PER_SEND.toLocaleString('en')} numbers fit easily).`
    )
  const region = config().phoneDefaultRegion
  const parsed = parseRecipients(entries, region)
  const refused = await optedOut(parsed.valid)
  if (refused.size === 0) return parsed
  const invalid: RecipientProblem[] = []
  const reported = new Set<string>()
  // In the order typed: format problems (as parseRecipients reports them) and opt-outs.
  for (const input of splitRecipientEntries(entries)) {
    const n = normalisePhoneNumber(input, region)
    if (!n.ok) invalid.push({ input, reason: n.reason })
    else if (refused.has(n.e164) && !reported.has(n.e164)) {
      reported.add(n.e164)
      invalid.push({ input, reason: refused.get(n.e164)! })
    }
  }
  return { ...parsed, valid: parsed.valid.filter((v) => !refused.has(v)), invalid }
}

export type SendTargets =
  | { invalid: RecipientProblem[]; valid?: undefined; clientReference?: undefined }
  | { invalid?: undefined; valid: string[]; clientReference: string | null }

/**
 * What every send (SMS or WhatsApp) checks once its content is valid: the
 * recipients (format, opt-outs, how many) and the client reference. Entries
 * that are refused come back as `invalid`, and then nothing is sent; a request
 * that can never be sent is a UserInputError.
 */
export async function screenSendTargets(input: {
  recipients: string
  clientReference?: string | null
}): Promise<SendTargets> {
  const { valid, invalid, tooMany } = await screenRecipients(input.recipients)
  if (invalid.length > 0) return { invalid }
  if (valid.length === 0) throw new UserInputError('Add at least one recipient.')
  if (tooMany)
    throw new UserInputError(`${valid.length} recipients: send to at most ${MAX_RECIPIENTS_PER_SEND} at a time.`)
  const clientReference = input.clientReference?.trim() || null
  if (clientReference && clientReference.length > MAX_CLIENT_REFERENCE_LENGTH)
    throw new UserInputError(`The client reference is longer than ${MAX_CLIENT_REFERENCE_LENGTH} characters.`)
  return { valid, clientReference }
}
