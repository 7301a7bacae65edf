/** How the tenant pages show times, money and counts (the browser's locale and time zone). */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const count = new Intl.NumberFormat();

export const formatTime = (at: string | null | undefined): string => (at ? dateTime.format(new Date(at)) : '—');
export const formatUsd = (amount: number): string => usd.format(amount);
export const formatCount = (n: number | undefined): string => count.format(n ?? 0);

/** A workflow's words for the tenant, without the API call it names (the console offers the form instead). */
export const withoutApiHint = (text: string): string => text.replace(/\s*\((?:POST|PUT|GET) \/v1\/[^)]*\)/g, '');

/** `snake_case` identifiers (steps, use cases) as words. */
export const words = (id: string): string => id.replace(/_/g, ' ');

/** Today in the browser's time zone, as an ISO day (date inputs and report queries). */
export const isoToday = (): string => new Date().toLocaleDateString('en-CA');
