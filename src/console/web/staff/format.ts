/** How the staff pages show times, rates, money and identifiers (the browser's locale and time zone). */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const count = new Intl.NumberFormat();

export const formatTime = (at: string | null | undefined): string => (at ? dateTime.format(new Date(at)) : '—');
export const formatUsd = (amount: number): string => usd.format(amount);
export const formatCount = (n: number | null | undefined): string => count.format(n ?? 0);
/** A fraction as a percentage with two decimals ('n/a' without traffic). */
export const formatRate = (rate: number | null | undefined): string => (rate === null || rate === undefined ? 'n/a' : `${(rate * 100).toFixed(2)} %`);
/** `snake_case` identifiers (steps, kinds, rungs) as words. */
export const words = (id: string): string => id.replace(/_/g, ' ');
