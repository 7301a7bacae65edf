import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { OPT_IN_METHODS, USE_CASES } from '../../../domain/kyc-risk';
import { apiSend } from '../api';
import { ProblemMessage, formFields, useAction } from '../ui';
import { words } from './format';

/** The KYC answers as POST /v1/tenants/:id/kyc takes them, from the form's fields. */
function kycOf(f: Record<string, string>, ageGate: boolean) {
  return {
    businessName: f.businessName,
    website: f.website || null,
    contact: { name: f.contactName, email: f.contactEmail },
    useCase: f.useCase,
    useCaseDescription: f.useCaseDescription,
    sampleMessages: f.sampleMessages
      .split(/\n\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean),
    optInMethod: f.optInMethod,
    expectedMonthlyVolume: Number(f.expectedMonthlyVolume),
    destinationCountries: f.destinationCountries
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
    ageGate,
  };
}

/**
 * A rejected application, answered again: the reasons are shown above it; the API checks every
 * field (its 400 names them) and the lifecycle vets the new answers.
 */
export function KycResubmitForm({ tenantId, onChanged }: { tenantId: string; onChanged: () => Promise<void> }): VNode {
  const resubmit = useAction(async (body: ReturnType<typeof kycOf>) => {
    await apiSend('POST', `/v1/tenants/${tenantId}/kyc`, body);
    await onChanged();
    return true;
  });
  const onSubmit = (e: SubmitEvent) => {
    const ageGate = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('#kyc-age-gate')?.checked ?? false;
    void resubmit.run(kycOf(formFields(e), ageGate));
  };
  return html`<section aria-labelledby="kyc-heading">
    <h2 id="kyc-heading">Fix and resubmit your application</h2>
    <form onSubmit=${onSubmit}>
      <label for="kyc-business">Business name</label>
      <input id="kyc-business" name="businessName" required minlength="2" maxlength="120" />
      <label for="kyc-website">Website</label>
      <input id="kyc-website" name="website" type="url" placeholder="https://" />
      <fieldset class="grid">
        <legend>Contact person</legend>
        <div>
          <label for="kyc-contact-name">Name</label>
          <input id="kyc-contact-name" name="contactName" required maxlength="120" />
        </div>
        <div>
          <label for="kyc-contact-email">Email</label>
          <input id="kyc-contact-email" name="contactEmail" type="email" required />
        </div>
      </fieldset>
      <label for="kyc-use-case">What you send</label>
      <select id="kyc-use-case" name="useCase" required>
        ${USE_CASES.map((u) => html`<option value=${u}>${words(u)}</option>`)}
      </select>
      <label for="kyc-description">Describe your messages</label>
      <textarea id="kyc-description" name="useCaseDescription" required minlength="10" maxlength="1000" rows="3"></textarea>
      <label for="kyc-samples">Sample messages</label>
      <textarea id="kyc-samples" name="sampleMessages" required rows="4" aria-describedby="kyc-samples-help"></textarea>
      <small id="kyc-samples-help">One to five messages, separated by an empty line.</small>
      <label for="kyc-opt-in">How recipients opt in</label>
      <select id="kyc-opt-in" name="optInMethod" required>
        ${OPT_IN_METHODS.map((m) => html`<option value=${m}>${words(m)}</option>`)}
      </select>
      <label for="kyc-volume">Expected messages per month</label>
      <input id="kyc-volume" name="expectedMonthlyVolume" type="number" min="1" max="100000000" required />
      <label for="kyc-countries">Destination countries</label>
      <input id="kyc-countries" name="destinationCountries" required value="US" aria-describedby="kyc-countries-help" />
      <small id="kyc-countries-help">Two-letter codes separated by commas, such as US, CA.</small>
      <label><input id="kyc-age-gate" type="checkbox" role="switch" /> We verify recipients’ age at opt-in</label>
      <button type="submit" aria-busy=${resubmit.busy ? 'true' : undefined} disabled=${resubmit.busy}>Resubmit application</button>
    </form>
    <p role="status">${resubmit.result ? 'Resubmitted: your application is being vetted again.' : ''}</p>
    <${ProblemMessage} error=${resubmit.error} />
  </section>`;
}
