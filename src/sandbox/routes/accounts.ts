import { Router } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams, pathAccount } from '../context';
import { newAuthToken, newSid } from '../ids';
import { accountJson, page } from '../representations';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import type { SandboxAccount } from '../store';

const STATUSES = ['active', 'suspended', 'closed'] as const;

export function accountRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  router.post('/2010-04-01/Accounts.json', (req, res) => {
    const caller = authenticatedAccount(res);
    if (caller.ownerAccountSid !== caller.sid) throw twilioErrors.forbidden('Subaccounts cannot create subaccounts');
    const now = new Date().toISOString();
    const body = formParams(req);
    const account: SandboxAccount = {
      sid: newSid('AC'),
      authToken: newAuthToken(),
      friendlyName: body.FriendlyName ?? `SubAccount Created at ${new Date().toUTCString()}`,
      status: 'active',
      ownerAccountSid: caller.sid,
      isTest: false,
      dateCreated: now,
      dateUpdated: now,
    };
    store.accounts.set(account.sid, account);
    store.changed();
    res.status(201).json(accountJson(account));
  });

  router.get('/2010-04-01/Accounts.json', (req, res) => {
    const caller = authenticatedAccount(res);
    const { FriendlyName, Status } = req.query as Record<string, string | undefined>;
    const visible = [...store.accounts.values()].filter(
      (a) =>
        (a.sid === caller.sid || a.ownerAccountSid === caller.sid) &&
        !a.isTest &&
        (!FriendlyName || a.friendlyName === FriendlyName) &&
        (!Status || a.status === Status),
    );
    res.json(page(req, 'accounts', visible.map(accountJson)));
  });

  router.get('/2010-04-01/Accounts/:sid.json', (req, res) => {
    res.json(accountJson(pathAccount(ctx, res, req.params.sid)));
  });

  router.post('/2010-04-01/Accounts/:sid.json', (req, res) => {
    const caller = authenticatedAccount(res);
    const account = pathAccount(ctx, res, req.params.sid);
    const body = formParams(req);
    if (body.Status !== undefined) {
      if (!STATUSES.includes(body.Status as SandboxAccount['status'])) throw twilioErrors.invalidParameter('Status', body.Status);
      // Only the parent changes a subaccount's status: a suspended tenant cannot reinstate itself.
      if (account.sid === caller.sid) throw new TwilioApiError(403, 20403, 'An account cannot change its own status; its parent account can.');
      if (account.status === 'closed' && body.Status !== 'closed') throw new TwilioApiError(400, 20001, 'A closed account cannot be reopened.');
      account.status = body.Status as SandboxAccount['status'];
    }
    if (body.FriendlyName !== undefined) account.friendlyName = body.FriendlyName;
    account.dateUpdated = new Date().toISOString();
    store.changed();
    res.json(accountJson(account));
  });

  return router;
}
