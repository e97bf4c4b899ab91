/**
 * The one CSV writer behind every export (RFC 4180: comma-separated, CRLF rows). Merchants open
 * these files in Excel, Numbers, LibreOffice or Google Sheets, and several cells carry what
 * shoppers typed (emails, names, reasons), so a cell must never run as a formula there
 * (OWASP, "CSV Injection").
 */
export type CsvValue = string | number | boolean | Date | null | undefined;

/** What a spreadsheet may take as the start of a formula: =, +, -, @, tab, carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * A whole cell that is a plain decimal number ("-72.00", "3", "0.5"). Such a cell stays as it is,
 * minus sign and all: it can call nothing, and a quote in front would turn a negative change or a
 * refund into text that no longer sums. A number followed by anything ("-1+cmd|...") is escaped.
 */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/**
 * Cells holding these are quoted. Besides RFC 4180's comma, quote and line breaks: the semicolon
 * and tab, which Excel in many locales takes as the separator, where an unquoted one would start
 * a new cell with whatever follows it.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

function text(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** One cell, quoted if it needs to be, with a leading ' if a spreadsheet could run it. */
export function csvCell(value: CsvValue): string {
  let cell = text(value);
  // A finite JavaScript number is written as a number, whatever its sign: the app computed it.
  const isNumber = (typeof value === "number" && Number.isFinite(value)) || PLAIN_NUMBER.test(cell);
  if (!isNumber && FORMULA_START.test(cell)) cell = `'${cell}`;
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Rows (the header first) as a CSV document, every row ended by CRLF. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  return rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}
