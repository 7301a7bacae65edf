import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

export interface MailCatcher {
  port: number;
  /** Mail received so far, oldest first; `to` narrows to one recipient. */
  messages(to?: string): CaughtMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) that keeps what it receives, so development, demos and
 * tests see clearsend's email arrive without a mail provider. It accepts any sender and
 * recipient without authentication: it only ever listens on a developer's or CI's machine.
 */
export async function startMailCatcher(opts: { port?: number; host?: string } = {}): Promise<MailCatcher> {
  const caught: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          caught.push({
            from: typeof session.envelope.mailFrom === 'object' && session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            receivedAt: new Date().toISOString(),
          });
          if (caught.length > 10_000) caught.shift();
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    messages: (to) => (to ? caught.filter((m) => m.to.some((r) => r.toLowerCase() === to.toLowerCase())) : [...caught]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
