import type { VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import { html } from 'htm/preact';
import { Layout } from './layout';
import { currentPath, matchRoute, navigate, type ConsoleRoute } from './routing';
import { session, sessionChecked } from './session';
import { SignInPage } from './sign-in';
import { SignUpPage } from './sign-up';
import { staffRoutes } from './staff/routes';
import { tenantRoutes } from './tenant/routes';
import { Loading } from './ui/loading';
import { MessagePage } from './ui/message-page';

const REGISTRIES: Record<'staff' | 'tenant', { routes: readonly ConsoleRoute[]; home: string }> = {
  staff: { routes: staffRoutes, home: '/staff' },
  tenant: { routes: tenantRoutes, home: '/tenant' },
};

const TITLE_SUFFIX = ' · clearsend console';

/** The one page besides sign-in that opens signed out. */
const SIGN_UP_PATH = '/sign-up';

/** Signed out: the sign-in page (or sign-up). Signed in: the page of the session's kind that the path names. */
export function App(): VNode | null {
  const who = session.value;
  const path = currentPath.value;
  const registry = who ? REGISTRIES[who.kind] : undefined;
  const page = who && registry ? pageFor(who.kind, registry.routes, path) : undefined;

  useEffect(() => {
    // The console's root goes to the session's home; any other path stays (a deep link survives signing in).
    if (registry && path === '/') navigate(registry.home, { replace: true });
  }, [registry, path]);
  useEffect(() => {
    document.title = (who ? (page?.title ?? 'clearsend console') : path === SIGN_UP_PATH ? 'Sign up' : 'Sign in') + TITLE_SUFFIX;
    // After a client-side navigation, start reading at the new page's heading (as a page load would).
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [who, path, page?.title]);

  if (!sessionChecked.value) return html`<main id="main" class="container"><${Loading} label="Loading the console…" /></main>`;
  if (!who && path === SIGN_UP_PATH) return html`<${SignUpPage} />`;
  if (!who || !registry || !page) return html`<${SignInPage} />`;
  return html`<${Layout} routes=${registry.routes}>${page.body}<//>`;
}

function pageFor(kind: 'staff' | 'tenant', routes: readonly ConsoleRoute[], path: string): { title: string; body: VNode } {
  const other = kind === 'staff' ? '/tenant' : '/staff';
  if (path === other || path.startsWith(`${other}/`)) {
    return {
      title: 'Not allowed',
      body: html`<${MessagePage} title="403: not allowed with this session">
        <p>
          This page is for ${kind === 'staff' ? 'tenants' : 'staff'}; you are signed in with a ${kind} key. Sign out and sign in with the other kind of key to
          open it.
        </p>
      <//>`,
    };
  }
  const match = matchRoute(routes, path);
  if (!match) {
    return { title: 'Page not found', body: html`<${MessagePage} title="Page not found"><p>The console has no page at ${path}.</p><//>` };
  }
  const { route, params } = match;
  return {
    title: route.title,
    body: html`<h1 tabindex="-1">${route.title}</h1>
      <${route.component} key=${path} params=${params} />`,
  };
}
