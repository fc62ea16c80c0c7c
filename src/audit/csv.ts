import { toSiteTime, formatInstant } from '../common/time/site-time';

export type CsvValue = string | number | Date;

interface Dialect {
  separator: string;
  /** Before the first record. */
  start: string;
  instant(value: Date): string;
  number(value: number): string;
}

/**
 * - rfc4180: for programs. Comma, CRLF, instants in ISO 8601 with their offset, decimal point.
 * - excel: for a spreadsheet on a Belgian (fr-BE, nl-BE) computer, where the City's staff open
 *   the files. Excel reads a semicolon there and needs the byte-order mark to read UTF-8 (else
 *   "Liège" shows as "LiÃ¨ge"); a decimal point would make 0.25 text, and an offset makes an
 *   instant text, so numbers get a decimal comma and instants the building's wall-clock time.
 */
const DIALECTS = {
  rfc4180: { separator: ',', start: '', instant: formatInstant, number: String },
  excel: { separator: ';', start: '\uFEFF', instant: (value) => toSiteTime(value).toFormat('yyyy-MM-dd HH:mm'), number: (value) => String(value).replace('.', ',') },
} satisfies Record<string, Dialect>;

export type CsvDialect = keyof typeof DIALECTS;
export const CSV_DIALECTS = Object.keys(DIALECTS) as CsvDialect[];

/** RFC 4180 quoting in both dialects: a field with the separator, a quote or a line break is quoted, quotes doubled. */
export function toCsv(rows: CsvValue[][], dialectName: CsvDialect = 'rfc4180'): string {
  const dialect: Dialect = DIALECTS[dialectName];
  return dialect.start + rows.map((row) => row.map((value) => csvField(value, dialect)).join(dialect.separator)).join('\r\n') + '\r\n';
}

function csvField(value: CsvValue, dialect: Dialect): string {
  // A text starting like a formula would run as one in a spreadsheet (a resource named
  // =HYPERLINK(...)): a leading apostrophe keeps it text. Numbers are written as numbers.
  const text =
    typeof value === 'string' ? (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) : value instanceof Date ? dialect.instant(value) : dialect.number(value);
  return text.includes(dialect.separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
