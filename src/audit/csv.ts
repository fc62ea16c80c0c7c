import { toSiteTime, formatInstant } from '../common/time/site-time';

/**
 * - rfc4180: for programs. Comma, CRLF, instants in ISO 8601 with their offset, decimal point.
 * - excel: for a spreadsheet on a Belgian (fr-BE, nl-BE) computer, where the City's staff open
 *   the files. Excel reads a semicolon there and needs the byte-order mark to read UTF-8 (else
 *   "Liège" shows as "LiÃ¨ge"); a decimal point would make 0.25 text, and an offset makes an
 *   instant text, so numbers get a decimal comma and instants the building's wall-clock time.
 */
export type CsvDialect = 'rfc4180' | 'excel';
export const CSV_DIALECTS: readonly CsvDialect[] = ['rfc4180', 'excel'];

export type CsvValue = string | number | Date;

const BYTE_ORDER_MARK = '\uFEFF';

/** RFC 4180 quoting in both dialects: a field with the separator, a quote or a line break is quoted, quotes doubled. */
export function toCsv(rows: CsvValue[][], dialect: CsvDialect = 'rfc4180'): string {
  const separator = dialect === 'excel' ? ';' : ',';
  const body = rows.map((row) => row.map((value) => csvField(value, dialect, separator)).join(separator)).join('\r\n') + '\r\n';
  return dialect === 'excel' ? BYTE_ORDER_MARK + body : body;
}

function csvField(value: CsvValue, dialect: CsvDialect, separator: string): string {
  // A text starting like a formula would run as one in a spreadsheet (a resource named
  // =HYPERLINK(...)): a leading apostrophe keeps it text. Numbers are written as numbers.
  const text = typeof value === 'string' ? (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) : formatValue(value, dialect);
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatValue(value: number | Date, dialect: CsvDialect): string {
  if (value instanceof Date) return dialect === 'excel' ? toSiteTime(value).toFormat('yyyy-MM-dd HH:mm') : formatInstant(value);
  return dialect === 'excel' ? String(value).replace('.', ',') : String(value);
}
