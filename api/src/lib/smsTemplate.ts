/**
 * SMS templates: staff write placeholders as ((name)); Sinch substitutes
 * ${name} from the batch's `parameters` (docs/sinch-protocol.md#parameters).
 * A placeholder name is letters, digits, `_` or `-` (matched to a CSV column
 * or contact field case-insensitively, spaces read as `_`).
 */
export const PLACEHOLDER = /\(\(\s*([A-Za-z0-9_-]{1,64})\s*\)\)/g
export const MAX_PLACEHOLDERS = 20

/** The placeholder names of a body, in order of first appearance. */
export function placeholdersOf(body: string): string[] {
  const names: string[] = []
  for (const m of body.matchAll(PLACEHOLDER)) if (!names.includes(m[1])) names.push(m[1])
  return names
}

/** The body as Sinch gets it: ((name)) becomes ${name}. */
export function toSinchBody(body: string): string {
  return body.replace(PLACEHOLDER, (_m, name: string) => `\${${name}}`)
}

/** The text one recipient gets. Every placeholder must have a value (the caller checked). */
export function fillTemplate(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '')
}

/** How a CSV header or contact field is compared with a placeholder name. */
export function fieldKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '_')
}

/**
 * What is wrong with a body as a template, or null. `${` in the body would be
 * read by Sinch as a parameter of its own, so a templated body may not hold it.
 */
export function templateProblem(body: string): string | null {
  const names = placeholdersOf(body)
  if (names.length > MAX_PLACEHOLDERS)
    return `The body has ${names.length} placeholders; the limit is ${MAX_PLACEHOLDERS}.`
  if (names.length > 0 && body.includes('${'))
    return 'The body has both ((placeholders)) and "${": write the placeholders as ((name)) only.'
  const stray = body.replace(PLACEHOLDER, '').match(/\(\([^)]*\)\)/)
  if (stray) return `${stray[0]} is not a placeholder: use letters, digits, _ or - between (( and )).`
  return null
}
