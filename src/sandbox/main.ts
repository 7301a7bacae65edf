/** `npm run sandbox`: the local Twilio-compatible server on its own, with its credentials printed. */
import { orExit } from '../config-cli';
import { loadSandboxConfig } from './config';
import { startSandbox } from './index';

async function main() {
  const config = orExit(() => loadSandboxConfig());
  const sandbox = await startSandbox({
    port: config.SANDBOX_PORT,
    host: config.SANDBOX_HOST,
    platform: { accountSid: config.SANDBOX_ACCOUNT_SID, authToken: config.SANDBOX_AUTH_TOKEN },
    test: { accountSid: config.SANDBOX_TEST_ACCOUNT_SID, authToken: config.SANDBOX_TEST_AUTH_TOKEN },
    stateFile: config.SANDBOX_STATE_FILE,
    contract: config.SANDBOX_CONTRACT,
    defaultMps: config.SANDBOX_DEFAULT_MPS,
    sentDelayMs: config.SANDBOX_SENT_DELAY_MS,
    finalDelayMs: config.SANDBOX_FINAL_DELAY_MS,
    smtpPort: config.SANDBOX_SMTP_PORT,
    vettingMs: config.SANDBOX_VETTING_SECONDS * 1000,
  });
  console.log(
    [
      `Twilio sandbox listening on http://${config.SANDBOX_HOST}:${sandbox.port}`,
      `  platform account  ${sandbox.platform.accountSid} / ${sandbox.platform.authToken}`,
      `  test credentials  ${sandbox.test.accountSid} / ${sandbox.test.authToken}  (magic numbers apply)`,
      `  control           http://127.0.0.1:${sandbox.port}/__sandbox/…  (see README "Driving the sandbox")`,
      `  email catcher     smtp://127.0.0.1:${sandbox.mail?.port ?? '-'}  (what arrived: GET /__sandbox/mail)`,
      `  primary profile   ${sandbox.primaryCustomerProfileSid}  (twilio-approved; reviews take ${config.SANDBOX_VETTING_SECONDS} s)`,
      config.SANDBOX_STATE_FILE ? `  state             ${config.SANDBOX_STATE_FILE}` : '  state             in memory',
    ].join('\n'),
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
