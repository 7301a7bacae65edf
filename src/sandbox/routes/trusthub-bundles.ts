import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams } from '../context';
import { iso8601, newSid } from '../ids';
import type { BundleEvaluation, BundleKind, EntityAssignment, TrustHubBundle } from '../registration-state';
import { evaluateBundle, policyBySid } from '../trusthub-policies';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import { v1Page } from '../v1-page';
import type { Vetting } from '../vetting';

const HOST = 'trusthub.twilio.com';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Where each kind lives and how its JSON names its parent and links. */
const KINDS: Array<{ kind: BundleKind; path: string; parentField: string; linkPrefix: string }> = [
  { kind: 'customer-profile', path: 'CustomerProfiles', parentField: 'customer_profile_sid', linkPrefix: 'customer_profiles' },
  { kind: 'trust-product', path: 'TrustProducts', parentField: 'trust_product_sid', linkPrefix: 'trust_products' },
];

/** The accounts whose Trust Hub objects a caller may use: its own and its parent's (an ISV's primary profile). */
export function usableAccounts(ctx: SandboxContext, res: Response): string[] {
  const caller = authenticatedAccount(res);
  return [caller.sid, caller.ownerAccountSid];
}

/**
 * Trust Hub CustomerProfiles and TrustProducts (the same resource under two paths), with
 * their EntityAssignments and Evaluations. Setting Status=pending-review submits a compliant
 * bundle for review; the verdict comes later (vetting.ts).
 */
export function trustHubBundleRoutes(ctx: SandboxContext, vetting: Vetting): Router {
  const router = Router();
  const state = ctx.store.registrations;

  for (const { kind, path, parentField, linkPrefix } of KINDS) {
    const base = `https://${HOST}/v1/${path}`;
    const json = (b: TrustHubBundle) => ({
      sid: b.sid,
      account_sid: b.accountSid,
      policy_sid: b.policySid,
      friendly_name: b.friendlyName,
      status: b.status,
      valid_until: b.validUntil,
      email: b.email,
      status_callback: b.statusCallback,
      date_created: iso8601(b.dateCreated),
      date_updated: iso8601(b.dateUpdated),
      url: `${base}/${b.sid}`,
      links: {
        [`${linkPrefix}_entity_assignments`]: `${base}/${b.sid}/EntityAssignments`,
        [`${linkPrefix}_evaluations`]: `${base}/${b.sid}/Evaluations`,
        [`${linkPrefix}_channel_endpoint_assignment`]: `${base}/${b.sid}/ChannelEndpointAssignments`,
      },
      errors: b.errors.length ? b.errors : null,
    });
    const assignmentJson = (a: EntityAssignment) => ({
      sid: a.sid,
      [parentField]: a.bundleSid,
      account_sid: a.accountSid,
      object_sid: a.objectSid,
      date_created: iso8601(a.dateCreated),
      url: `${base}/${a.bundleSid}/EntityAssignments/${a.sid}`,
    });
    const evaluationJson = (e: BundleEvaluation) => ({
      sid: e.sid,
      account_sid: e.accountSid,
      policy_sid: e.policySid,
      [parentField]: e.bundleSid,
      status: e.status,
      results: e.results,
      date_created: iso8601(e.dateCreated),
      url: `${base}/${e.bundleSid}/Evaluations/${e.sid}`,
    });
    const own = (req: Request, res: Response, param = 'sid'): TrustHubBundle => {
      const sid = req.params[param] as string;
      const b = state.bundles.get(sid);
      if (!b || b.kind !== kind || b.accountSid !== authenticatedAccount(res).sid) throw twilioErrors.notFound(`/${path}/${sid}`);
      return b;
    };

    router.post(`/v1/${path}`, (req, res) => {
      const { FriendlyName, Email, PolicySid, StatusCallback } = formParams(req);
      if (!FriendlyName) throw twilioErrors.missingParameter('FriendlyName');
      if (!Email) throw twilioErrors.missingParameter('Email');
      if (!PolicySid) throw twilioErrors.missingParameter('PolicySid');
      if (!EMAIL.test(Email)) throw twilioErrors.invalidParameter('Email', Email);
      if (policyBySid(PolicySid)?.kind !== kind) throw twilioErrors.invalidParameter('PolicySid', PolicySid);
      const now = iso8601(new Date());
      const bundle: TrustHubBundle = {
        sid: newSid('BU'),
        accountSid: authenticatedAccount(res).sid,
        kind,
        friendlyName: FriendlyName,
        email: Email,
        policySid: PolicySid,
        statusCallback: StatusCallback ?? null,
        status: 'draft',
        validUntil: null,
        errors: [],
        dateCreated: now,
        dateUpdated: now,
      };
      state.bundles.set(bundle.sid, bundle);
      ctx.store.changed();
      res.status(201).json(json(bundle));
    });

    router.get(`/v1/${path}`, (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      const mine = [...state.bundles.values()].filter(
        (b) =>
          b.kind === kind &&
          b.accountSid === authenticatedAccount(res).sid &&
          (!q.Status || b.status === q.Status) &&
          (!q.FriendlyName || b.friendlyName === q.FriendlyName) &&
          (!q.PolicySid || b.policySid === q.PolicySid),
      );
      res.json(v1Page(req, HOST, 'results', mine.map(json)));
    });

    router.get(`/v1/${path}/:sid`, (req, res) => void res.json(json(own(req, res))));

    router.post(`/v1/${path}/:sid`, (req, res) => {
      const bundle = own(req, res);
      const { Status, StatusCallback, FriendlyName, Email } = formParams(req);
      if (Email !== undefined && !EMAIL.test(Email)) throw twilioErrors.invalidParameter('Email', Email);
      if (Status !== undefined && Status !== 'pending-review')
        throw new TwilioApiError(400, 22203, `Status ${Status} cannot be set; submit a bundle with pending-review.`);
      if (Status === 'pending-review' && bundle.status !== 'draft' && bundle.status !== 'twilio-rejected')
        throw new TwilioApiError(400, 20001, `The bundle is ${bundle.status} and cannot be submitted again.`);
      if (Status === 'pending-review') {
        const failing = evaluateBundle(state, bundle).results.find((r) => !r.passed);
        if (failing) throw new TwilioApiError(400, failing.error_code ?? 22214, 'The bundle does not comply with its policy; see its Evaluations.');
      }
      if (StatusCallback !== undefined) bundle.statusCallback = StatusCallback;
      if (FriendlyName !== undefined) bundle.friendlyName = FriendlyName;
      if (Email !== undefined) bundle.email = Email;
      bundle.dateUpdated = iso8601(new Date());
      if (Status === 'pending-review') vetting.submitBundle(bundle);
      ctx.store.changed();
      res.json(json(bundle));
    });

    router.delete(`/v1/${path}/:sid`, (req, res) => {
      const bundle = own(req, res);
      state.bundles.delete(bundle.sid);
      for (const a of state.assignmentsOf(bundle.sid)) state.assignments.delete(a.sid);
      ctx.store.changed();
      res.status(204).end();
    });

    router.post(`/v1/${path}/:bundleSid/EntityAssignments`, (req, res) => {
      const bundle = own(req, res, 'bundleSid');
      const { ObjectSid } = formParams(req);
      if (!ObjectSid) throw twilioErrors.missingParameter('ObjectSid');
      if (bundle.status === 'pending-review' || bundle.status === 'in-review') throw new TwilioApiError(400, 20001, 'A bundle under review cannot be changed.');
      const object = state.endUsers.get(ObjectSid) ?? state.documents.get(ObjectSid) ?? state.bundles.get(ObjectSid);
      if (!object || !usableAccounts(ctx, res).includes(object.accountSid) || ObjectSid === bundle.sid)
        throw twilioErrors.invalidParameter('ObjectSid', ObjectSid);
      const assignment: EntityAssignment = {
        sid: newSid('BV'),
        bundleSid: bundle.sid,
        accountSid: bundle.accountSid,
        objectSid: ObjectSid,
        dateCreated: iso8601(new Date()),
      };
      state.assignments.set(assignment.sid, assignment);
      ctx.store.changed();
      res.status(201).json(assignmentJson(assignment));
    });

    router.get(`/v1/${path}/:bundleSid/EntityAssignments`, (req, res) => {
      const prefixes: Record<string, string> = { end_user: 'IT', supporting_document: 'RD', customer_profile: 'BU' };
      const type = (req.query as Record<string, string | undefined>).ObjectType;
      const held = state.assignmentsOf(own(req, res, 'bundleSid').sid).filter((a) => !type || a.objectSid.startsWith(prefixes[type] ?? '?'));
      res.json(v1Page(req, HOST, 'results', held.map(assignmentJson)));
    });

    const assignmentOf = (req: Request, res: Response) => {
      const a = state.assignments.get(req.params.sid as string);
      if (!a || a.bundleSid !== own(req, res, 'bundleSid').sid) throw twilioErrors.notFound(`/EntityAssignments/${String(req.params.sid)}`);
      return a;
    };
    router.get(`/v1/${path}/:bundleSid/EntityAssignments/:sid`, (req, res) => void res.json(assignmentJson(assignmentOf(req, res))));
    router.delete(`/v1/${path}/:bundleSid/EntityAssignments/:sid`, (req, res) => {
      state.assignments.delete(assignmentOf(req, res).sid);
      ctx.store.changed();
      res.status(204).end();
    });

    router.post(`/v1/${path}/:bundleSid/Evaluations`, (req, res) => {
      const bundle = own(req, res, 'bundleSid');
      const { PolicySid } = formParams(req);
      if (!PolicySid) throw twilioErrors.missingParameter('PolicySid');
      if (!policyBySid(PolicySid)) throw twilioErrors.invalidParameter('PolicySid', PolicySid);
      const verdict = evaluateBundle(state, { ...bundle, policySid: PolicySid });
      const evaluation: BundleEvaluation = {
        sid: newSid('EL'),
        bundleSid: bundle.sid,
        accountSid: bundle.accountSid,
        policySid: PolicySid,
        ...verdict,
        dateCreated: iso8601(new Date()),
      };
      state.evaluations.set(evaluation.sid, evaluation);
      ctx.store.changed();
      res.status(201).json(evaluationJson(evaluation));
    });

    router.get(`/v1/${path}/:bundleSid/Evaluations`, (req, res) => {
      const sid = own(req, res, 'bundleSid').sid;
      res.json(v1Page(req, HOST, 'results', [...state.evaluations.values()].filter((e) => e.bundleSid === sid).map(evaluationJson)));
    });

    router.get(`/v1/${path}/:bundleSid/Evaluations/:sid`, (req, res) => {
      const e = state.evaluations.get(req.params.sid);
      if (!e || e.bundleSid !== own(req, res, 'bundleSid').sid) throw twilioErrors.notFound(`/Evaluations/${req.params.sid}`);
      res.json(evaluationJson(e));
    });
  }

  return router;
}
