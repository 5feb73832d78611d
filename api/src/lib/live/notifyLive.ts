import type { Prisma } from '@prisma/client'

/** What a writer changed, by ids (README "Live updates"): never a phone number or a text. */
export type LiveNotice = {
  /** Messages whose message row, recipients or timelines changed. */
  messageIds?: readonly (string | null | undefined)[]
  /** Recipients that changed: their messages are announced. */
  recipientIds?: readonly number[]
  /** Inbound messages (replies) stored. */
  inboundIds?: readonly number[]
  /** The callback log changed. */
  callbacks?: boolean
  /** Staff users whose read state changed: only their own streams hear of it (topic `read`). */
  readByUserIds?: readonly number[]
  /** An opt-out was added or removed (topic `optouts`). */
  optOuts?: boolean
  /** The delivery alarm started or cleared (topic `alarm`): time passing changes it, so no write announces it. */
  alarm?: boolean
}

/**
 * Announces on `desk_live` what the caller's transaction changed (SQL
 * desk_live_notify, README "Where each SQL function is defined"): call it
 * with `tx` inside the transaction that writes, once with everything it
 * changed, so the one notification is delivered at COMMIT and never for a
 * rolled-back write; with `db` right after a single-statement write. Every
 * writer of Message, MessageRecipient, SmsStatusUpdate, CallbackEvent and
 * InboundMessage calls it: those tables have no live trigger (they are the
 * callback hot path), so a writer that does not call it is not seen live;
 * read state, opt-outs and the delivery alarm have no trigger either.
 */
export async function notifyLive(
  tx: Pick<Prisma.TransactionClient, '$executeRaw'>,
  {
    messageIds = [],
    recipientIds = [],
    inboundIds = [],
    callbacks = false,
    readByUserIds = [],
    optOuts = false,
    alarm = false,
  }: LiveNotice
): Promise<void> {
  const messages = messageIds.filter((id): id is string => typeof id === 'string')
  if (
    !messages.length &&
    !recipientIds.length &&
    !inboundIds.length &&
    !callbacks &&
    !readByUserIds.length &&
    !optOuts &&
    !alarm
  )
    return
  await tx.$executeRaw`SELECT desk_live_notify(p_messages => ${messages}::text[], p_inbound => ${[...inboundIds]}::int[],
    p_callbacks => ${callbacks}, p_recipients => ${[...recipientIds]}::int[], p_read_by => ${[...readByUserIds]}::int[],
    p_opt_outs => ${optOuts}, p_alarm => ${alarm})`
}
