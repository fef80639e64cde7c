/** Display helpers shared by the pages. */

/** A key or hash shortened for a table cell; the full value goes in a title. */
export function shorten(value: string, head = 8, tail = 4): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}

/** Formats an RFC 3339 time or seconds since the epoch in the reader's locale. */
export function formatTime(value: string | number | null | undefined, locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** Pretty-prints canonical JSON for reading; the canonical bytes are shown beside it. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
