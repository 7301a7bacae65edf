import { signal } from '@preact/signals';
import type { ComponentChildren, VNode } from 'preact';
import { html } from 'htm/preact';

/** Where the console is served; route paths are written without it. */
export const CONSOLE_BASE = '/console';

/** One page of the console, listed in a registry (staff/routes.ts, tenant/routes.ts). */
export interface ConsoleRoute {
  /** Without the /console prefix: '/staff/reviews', '/staff/tenants/:id'. */
  path: string;
  /** The page's heading and document title. */
  title: string;
  /** The label in the navigation; omit for detail pages. */
  nav?: string;
  component: (props: { params: Record<string, string> }) => VNode | null;
}

/** The path shown, without /console ('/' for the console's root). */
export const currentPath = signal(pathOfLocation());

function pathOfLocation(): string {
  const { pathname } = window.location;
  const inside = pathname.startsWith(CONSOLE_BASE) ? pathname.slice(CONSOLE_BASE.length) : pathname;
  return inside === '' ? '/' : inside;
}

window.addEventListener('popstate', () => {
  currentPath.value = pathOfLocation();
});

/** Client-side navigation to a console path (no /console prefix); `replace` keeps history as it is. */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  const url = CONSOLE_BASE + path;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  currentPath.value = pathOfLocation();
}

/** The route whose pattern matches `path`, with the `:name` segments it captured. */
export function matchRoute(routes: readonly ConsoleRoute[], path: string): { route: ConsoleRoute; params: Record<string, string> } | undefined {
  const wanted = split(path);
  for (const route of routes) {
    const pattern = split(route.path);
    if (pattern.length !== wanted.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(wanted[i]);
        return true;
      }
      return segment === wanted[i];
    });
    if (matches) return { route, params };
  }
  return undefined;
}

const split = (path: string) => path.split('/').filter(Boolean);

export interface LinkProps {
  /** A console path without the /console prefix: '/staff/tenants/42'. */
  to: string;
  children?: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
}

/** A real link (works with a new tab, a middle click, no script) that navigates in place on a plain click. */
export function Link({ to, children, ...rest }: LinkProps): VNode {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.defaultPrevented) return;
    event.preventDefault();
    navigate(to);
  };
  return html`<a href=${CONSOLE_BASE + to} onClick=${onClick} ...${rest}>${children}</a>`;
}
