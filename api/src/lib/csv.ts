/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, @, -, +
 * followed by something other than a phone number, tab, CR) get a leading
 * apostrophe — the OWASP advice against CSV injection — while E.164 numbers
 * stay as they are.
 */
const FORMULA_START = /^[=@\t\r]|^-(?!\d)|^\+(?!\d+$)/

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = value instanceof Date ? value.toISOString() : String(value)
  if (FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}
