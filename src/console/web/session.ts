import { signal } from '@preact/signals';
import type { ConsoleSessionView } from '../session-view';

/** Who is signed in, as `GET /console/session` answers it (one type with the API's). */
export type ConsoleSession = ConsoleSessionView;

/** The current session; null when signed out. */
export const session = signal<ConsoleSession | null>(null);

/** False until the first `GET /console/session` has answered (the page shows Loading until then). */
export const sessionChecked = signal(false);
