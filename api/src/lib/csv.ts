/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (a leading =,
 * +, -, @, tab or CR) get a leading apostrophe — the OWASP advice against CSV
 * injection — unless the cell is a plain number (E.164 numbers, -5, 2.5):
 * "-2+3" is a formula to a spreadsheet, so it is escaped too.
 */
const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/

/** The text with a leading apostrophe when a spreadsheet would run it as a formula. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = spreadsheetSafe(value instanceof Date ? value.toISOString() : String(value))
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}
