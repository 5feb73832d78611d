/**
 * The column names of a CSV file: its first record, read as the api reads it
 * (RFC 4180 quotes, a BOM, blanks trimmed). Only the header is read here, from
 * the file's first 64 KiB, to offer the columns before anything is uploaded;
 * the api parses the whole file with csv-parse (README "Audience sends" says
 * why the web does not bundle a CSV library for this).
 */
export function csvHeader(text: string): string[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const fields: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  // Leading empty lines are skipped, as csv-parse's skip_empty_lines does.
  while (s[i] === '\n' || s[i] === '\r') i++
  for (; i < s.length; i++) {
    const c = s[i]
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field.trim() === '') {
      field = ''
      quoted = true
    } else if (c === ',') {
      fields.push(field.trim())
      field = ''
    } else if (c === '\n' || c === '\r') break
    else field += c
  }
  fields.push(field.trim())
  return fields.length === 1 && fields[0] === '' ? [] : fields
}

/** How a column or contact field is matched to a ((placeholder)): as the api's fieldKey does. */
export const fieldKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, '_')

/** A column usable as ((name)): the api's placeholder syntax (letters, digits, _ or -, at most 64). */
export const isPlaceholderName = (name: string) => /^[A-Za-z0-9_-]{1,64}$/.test(name)

/** The first 64 KiB of a file, as text: enough for any real header row. */
export const fileHead = (file: Blob) => file.slice(0, 64 * 1024).text()
