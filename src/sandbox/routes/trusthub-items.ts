import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams, pathAccount } from '../context';
import { iso8601, newSid, rfc2822 } from '../ids';
import type { SandboxAddress, TrustHubItem } from '../registration-state';
import { page } from '../representations';
import { POLICIES, policyBySid, policyJson } from '../trusthub-policies';
import { twilioErrors } from '../twilio-error';
import { v1Page } from '../v1-page';
import { formFlag } from '../form-values';

const HOST = 'trusthub.twilio.com';

/** Attributes arrive as JSON text (the twilio library serialises the object it is given). */
function parseAttributes(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw twilioErrors.invalidParameter('Attributes', raw);
}

/**
 * What Trust Hub bundles are assembled from: EndUsers and SupportingDocuments (typed
 * attribute bags), the Policies that say what a bundle needs, and the 2010 API's Addresses
 * that an address document points at.
 */
export function trustHubItemRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const state = ctx.store.registrations;

  const itemKinds = [
    { path: 'EndUsers', prefix: 'IT' as const, items: state.endUsers },
    { path: 'SupportingDocuments', prefix: 'RD' as const, items: state.documents },
  ];
  for (const { path, prefix, items } of itemKinds) {
    const isDocument = prefix === 'RD';
    // A document is approved along with a bundle that holds it.
    const approved = (sid: string) =>
      [...state.assignments.values()].some((a) => a.objectSid === sid && state.bundles.get(a.bundleSid)?.status === 'twilio-approved');
    const json = (i: TrustHubItem) => ({
      sid: i.sid,
      account_sid: i.accountSid,
      friendly_name: i.friendlyName,
      type: i.type,
      attributes: i.attributes,
      ...(isDocument ? { mime_type: null, status: approved(i.sid) ? 'APPROVED' : 'DRAFT' } : {}),
      date_created: iso8601(i.dateCreated),
      date_updated: iso8601(i.dateUpdated),
      url: `https://${HOST}/v1/${path}/${i.sid}`,
    });
    const own = (req: Request, res: Response) => {
      const item = items.get(req.params.sid as string);
      if (!item || item.accountSid !== authenticatedAccount(res).sid) throw twilioErrors.notFound(`/${path}/${String(req.params.sid)}`);
      return item;
    };

    router.post(`/v1/${path}`, (req, res) => {
      const { FriendlyName, Type, Attributes } = formParams(req);
      if (!FriendlyName) throw twilioErrors.missingParameter('FriendlyName');
      if (!Type) throw twilioErrors.missingParameter('Type');
      const now = iso8601(new Date());
      const item: TrustHubItem = {
        sid: newSid(prefix),
        accountSid: authenticatedAccount(res).sid,
        friendlyName: FriendlyName,
        type: Type,
        attributes: parseAttributes(Attributes),
        dateCreated: now,
        dateUpdated: now,
      };
      items.set(item.sid, item);
      ctx.store.changed();
      res.status(201).json(json(item));
    });
    router.get(`/v1/${path}`, (req, res) => {
      const mine = [...items.values()].filter((i) => i.accountSid === authenticatedAccount(res).sid);
      res.json(v1Page(req, HOST, 'results', mine.map(json)));
    });
    router.get(`/v1/${path}/:sid`, (req, res) => void res.json(json(own(req, res))));
    router.post(`/v1/${path}/:sid`, (req, res) => {
      const item = own(req, res);
      const { FriendlyName, Attributes } = formParams(req);
      if (FriendlyName !== undefined) item.friendlyName = FriendlyName;
      if (Attributes !== undefined) item.attributes = parseAttributes(Attributes);
      item.dateUpdated = iso8601(new Date());
      ctx.store.changed();
      res.json(json(item));
    });
    router.delete(`/v1/${path}/:sid`, (req, res) => {
      items.delete(own(req, res).sid);
      ctx.store.changed();
      res.status(204).end();
    });
  }

  router.get('/v1/Policies', (req, res) => void res.json(v1Page(req, HOST, 'results', POLICIES.map(policyJson))));
  router.get('/v1/Policies/:sid', (req, res) => {
    const policy = policyBySid(req.params.sid);
    if (!policy) throw twilioErrors.notFound(`/Policies/${req.params.sid}`);
    res.json(policyJson(policy));
  });

  const addressJson = (a: SandboxAddress) => ({
    account_sid: a.accountSid,
    city: a.city,
    customer_name: a.customerName,
    date_created: rfc2822(new Date(a.dateCreated)),
    date_updated: rfc2822(new Date(a.dateUpdated)),
    friendly_name: a.friendlyName,
    iso_country: a.isoCountry,
    postal_code: a.postalCode,
    region: a.region,
    sid: a.sid,
    street: a.street,
    street_secondary: a.streetSecondary,
    uri: `/2010-04-01/Accounts/${a.accountSid}/Addresses/${a.sid}.json`,
    emergency_enabled: a.emergencyEnabled,
    validated: true,
    verified: true,
  });
  const ADDRESS_FIELDS = [
    ['CustomerName', 'customerName'],
    ['Street', 'street'],
    ['City', 'city'],
    ['Region', 'region'],
    ['PostalCode', 'postalCode'],
    ['FriendlyName', 'friendlyName'],
    ['StreetSecondary', 'streetSecondary'],
  ] as const;
  const addressOf = (req: Request<{ accountSid: string; sid: string }>, res: Response) => {
    const a = state.addresses.get(req.params.sid);
    if (!a || a.accountSid !== pathAccount(ctx, res, req.params.accountSid).sid) throw twilioErrors.notFound(`/Addresses/${req.params.sid}`);
    return a;
  };

  router.post('/2010-04-01/Accounts/:accountSid/Addresses.json', (req, res) => {
    const account = pathAccount(ctx, res, req.params.accountSid);
    const body = formParams(req);
    for (const name of ['CustomerName', 'Street', 'City', 'Region', 'PostalCode', 'IsoCountry']) if (!body[name]) throw twilioErrors.missingParameter(name);
    if (!/^[A-Z]{2}$/.test(body.IsoCountry!)) throw twilioErrors.invalidParameter('IsoCountry', body.IsoCountry!);
    const now = new Date().toISOString();
    const address: SandboxAddress = {
      sid: newSid('AD'),
      accountSid: account.sid,
      customerName: body.CustomerName!,
      friendlyName: body.FriendlyName ?? body.CustomerName!,
      street: body.Street!,
      streetSecondary: body.StreetSecondary ?? null,
      city: body.City!,
      region: body.Region!,
      postalCode: body.PostalCode!,
      isoCountry: body.IsoCountry!,
      emergencyEnabled: formFlag(body.EmergencyEnabled),
      dateCreated: now,
      dateUpdated: now,
    };
    state.addresses.set(address.sid, address);
    ctx.store.changed();
    res.status(201).json(addressJson(address));
  });
  router.get('/2010-04-01/Accounts/:accountSid/Addresses.json', (req, res) => {
    const account = pathAccount(ctx, res, req.params.accountSid);
    const q = req.query as Record<string, string | undefined>;
    const mine = [...state.addresses.values()].filter(
      (a) =>
        a.accountSid === account.sid &&
        (!q.CustomerName || a.customerName === q.CustomerName) &&
        (!q.FriendlyName || a.friendlyName === q.FriendlyName) &&
        (!q.IsoCountry || a.isoCountry === q.IsoCountry),
    );
    res.json(page(req, 'addresses', mine.map(addressJson)));
  });
  router.get('/2010-04-01/Accounts/:accountSid/Addresses/:sid.json', (req, res) => void res.json(addressJson(addressOf(req, res))));
  router.post('/2010-04-01/Accounts/:accountSid/Addresses/:sid.json', (req, res) => {
    const address = addressOf(req, res);
    const body = formParams(req);
    for (const [param, field] of ADDRESS_FIELDS) if (body[param] !== undefined) address[field] = body[param];
    if (body.EmergencyEnabled !== undefined) address.emergencyEnabled = formFlag(body.EmergencyEnabled);
    address.dateUpdated = new Date().toISOString();
    ctx.store.changed();
    res.json(addressJson(address));
  });
  router.delete('/2010-04-01/Accounts/:accountSid/Addresses/:sid.json', (req, res) => {
    state.addresses.delete(addressOf(req, res).sid);
    ctx.store.changed();
    res.status(204).end();
  });

  return router;
}
