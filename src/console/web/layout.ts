import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { Link, currentPath, type ConsoleRoute } from './routing';
import { session } from './session';
import { signOut } from './sign-in-out';
import { ProblemMessage } from './ui/problem-message';

/** Every signed-in page: skip link, header (who, navigation, sign-out), then the page in the main landmark. */
export function Layout({ routes, children }: { routes: readonly ConsoleRoute[]; children?: ComponentChildren }): VNode {
  const who = session.value;
  const [signOutError, setSignOutError] = useState<unknown>(undefined);
  const onSignOut = () => {
    signOut().catch(setSignOutError);
  };
  const path = currentPath.value;
  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="container">
      <nav aria-label="Main">
        <ul>
          <li><strong>clearsend console</strong></li>
        </ul>
        <ul>
          ${routes
            .filter((r) => r.nav)
            .map(
              (r) =>
                html`<li key=${r.path}>
                  <${Link} to=${r.path} aria-current=${isCurrent(r.path, path) ? 'page' : undefined}>${r.nav}<//>
                </li>`,
            )}
        </ul>
        <ul>
          <li class="who">Signed in as <strong>${who?.name}</strong> <small>(${who?.kind} ${who?.role})</small></li>
          <li><button type="button" class="secondary outline" onClick=${onSignOut}>Sign out</button></li>
        </ul>
      </nav>
      <${ProblemMessage} error=${signOutError} />
    </header>
    <main id="main" class="container" tabindex="-1">${children}</main>
  `;
}

/** A nav entry is current on its own page and on the detail pages below it ('/staff/tenants' for '/staff/tenants/42'); a kind's home only on itself. */
function isCurrent(navPath: string, path: string): boolean {
  if (path === navPath) return true;
  return navPath.split('/').filter(Boolean).length > 1 && path.startsWith(`${navPath}/`);
}
