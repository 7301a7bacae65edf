/**
 * `npm run temporal:cli`: find (or build, once) the Temporal CLI and print where it is.
 * CI runs it before the tests so the first build is not charged to a test's time-out.
 */
import { resolveTemporalCli } from '../src/dev/temporal-cli';

resolveTemporalCli({ log: (line) => console.log(line) })
  .then((cli) => {
    if (cli) console.log(`Temporal CLI: ${cli.path} (from ${cli.source})`);
    else console.log('No Temporal CLI found and Go is not available: the Temporal SDK will download the dev server when one is started.');
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
