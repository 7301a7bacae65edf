// The console's entry point (bundled by scripts/build-console.ts into dist/console/app.js).
import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './app';
import { loadSession } from './sign-in-out';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(html`<${App} />`, root);
loadSession().catch((err: unknown) => {
  // The API is down or answered oddly: say so rather than show a blank page.
  root.textContent = `The console could not start: ${err instanceof Error ? err.message : String(err)}`;
});
