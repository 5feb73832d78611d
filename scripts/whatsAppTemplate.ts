/**
 * Configures the WhatsApp templates staff may choose on Compose (they must be
 * approved by Meta under the same name and language in your WhatsApp account).
 *
 *   yarn rw exec whatsAppTemplate --name order_shipped --language en_US \
 *     --body "Your order {{1}} ships {{2}}." --parameters "order number,delivery day"
 *   yarn rw exec whatsAppTemplate --list
 *   yarn rw exec whatsAppTemplate --examples   the two templates the sandbox README uses
 */
import { db } from 'api/src/lib/db'

const EXAMPLES = [
  {
    name: 'order_shipped',
    languageCode: 'en_US',
    body: 'Your order {{1}} ships {{2}}.',
    parameterNames: ['order number', 'delivery day'],
  },
  { name: 'hello', languageCode: 'en', body: 'Hello! Reply to this message to chat with us.', parameterNames: [] },
]

export default async ({ args }: { args: Record<string, string | boolean | undefined> }) => {
  try {
    const wanted = args.examples
      ? EXAMPLES
      : args.name
        ? [
            {
              name: String(args.name),
              languageCode: String(args.language ?? 'en_US'),
              body: String(args.body ?? ''),
              parameterNames: String(args.parameters ?? '')
                .split(',')
                .map((p) => p.trim())
                .filter(Boolean),
            },
          ]
        : []
    for (const t of wanted) {
      if (!/^[a-z0-9_]+$/.test(t.name) || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(t.languageCode) || !t.body) {
        throw new Error(
          `${t.name} (${t.languageCode}): name is lower_case_with_underscores, language like en_US, and --body is required`
        )
      }
      await db.whatsAppTemplate.upsert({
        where: { name_languageCode: { name: t.name, languageCode: t.languageCode } },
        create: t,
        update: { body: t.body, parameterNames: t.parameterNames },
      })
      console.log(`Configured ${t.name} (${t.languageCode}) with ${t.parameterNames.length} parameter(s).`)
    }
    for (const t of await db.whatsAppTemplate.findMany({ orderBy: [{ name: 'asc' }, { languageCode: 'asc' }] })) {
      console.log(
        `  ${t.name} ${t.languageCode}: ${t.body}${t.parameterNames.length ? `  [${t.parameterNames.join(', ')}]` : ''}`
      )
    }
  } finally {
    await db.$disconnect()
  }
}
