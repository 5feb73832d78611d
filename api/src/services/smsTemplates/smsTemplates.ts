/** Saved SMS bodies with ((placeholders)) (README "Templates"). */
import type { MutationdeleteSmsTemplateArgs, MutationsaveSmsTemplateArgs } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { db } from 'src/lib/db'
import { ROLES_THAT } from 'src/lib/roles'
import { placeholdersOf, templateProblem } from 'src/lib/smsTemplate'
import { recordAudit } from 'src/services/audit/audit'
import { MAX_BODY_LENGTH } from 'src/services/sending/sending'

const MAX_NAME_LENGTH = 100

export const smsTemplates = () => {
  requireAuth({ roles: [...ROLES_THAT.read] })
  return db.smsTemplate.findMany({ orderBy: { name: 'asc' }, take: 500 })
}

export const saveSmsTemplate = async ({ id, input }: MutationsaveSmsTemplateArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const name = input.name.trim()
  const body = input.body.trim()
  if (!name) throw new UserInputError('Give the template a name.')
  if (name.length > MAX_NAME_LENGTH) throw new UserInputError(`The name is longer than ${MAX_NAME_LENGTH} characters.`)
  if (!body) throw new UserInputError('Write the template body.')
  if (body.length > MAX_BODY_LENGTH)
    throw new UserInputError(`The body has ${body.length} characters; the limit is ${MAX_BODY_LENGTH}.`)
  const problem = templateProblem(body)
  if (problem) throw new UserInputError(problem)
  const clash = await db.smsTemplate.findUnique({ where: { name }, select: { id: true } })
  if (clash && clash.id !== id) throw new UserInputError(`A template named "${name}" exists already.`)
  return db.$transaction(async (tx) => {
    const saved = id
      ? await tx.smsTemplate.update({ where: { id }, data: { name, body } })
      : await tx.smsTemplate.create({ data: { name, body, createdById: context.currentUser?.id ?? null } })
    await recordAudit(tx, {
      action: 'sms_template_saved',
      targetType: 'smsTemplate',
      targetId: String(saved.id),
      details: { name, placeholders: placeholdersOf(body) },
    })
    return saved
  })
}

export const deleteSmsTemplate = async ({ id }: MutationdeleteSmsTemplateArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  return db.$transaction(async (tx) => {
    const gone = await tx.smsTemplate.delete({ where: { id } }).catch(() => {
      throw new UserInputError(`No template ${id}.`)
    })
    await recordAudit(tx, {
      action: 'sms_template_removed',
      targetType: 'smsTemplate',
      targetId: String(id),
      details: { name: gone.name },
    })
    return gone
  })
}

export const SmsTemplate = {
  placeholders: (_args: unknown, { root }: { root: { body: string } }) => placeholdersOf(root.body),
}
