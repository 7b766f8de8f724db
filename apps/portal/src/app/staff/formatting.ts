// The browser's Intl, formatted in the component, rather than Angular's DatePipe and
// formatNumber: code of @angular/common and @angular/core that only these pages use would land
// in the chunk every page loads (it is one module), and grow the sign-in page's JavaScript.

/** An instant with date and time in the reader's time zone: "Nov 3, 2026, 10:00:00 AM". */
export function formatInstant(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    new Date(iso),
  );
}

/** The UTC day of a report bucket: "Nov 3". */
export function formatDay(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(iso));
}

export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A share as a percentage with at most one decimal; "—" when there is none. */
export function formatRate(rate: number | null, locale: string): string {
  return rate === null
    ? '—'
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}
