import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { apiSend } from '../api';
import { ProblemMessage, useAction } from '../ui';
import { fieldErrorsOf, FormField, nestedFields, type FieldErrors } from '../ui/form-field';

/** [value the API takes, words a tenant reads]. */
const NUMBER_TYPES = [
  ['local', 'Local number (A2P 10DLC registration)'],
  ['tollfree', 'Toll-free number (toll-free verification)'],
] as const;
const BRAND_TYPES = [
  ['STANDARD', 'Standard brand (an EIN; higher throughput)'],
  ['LOW_VOLUME_STANDARD', 'Low-volume standard brand (an EIN; under 6,000 messages a day)'],
  ['SOLE_PROPRIETOR', 'Sole proprietor (no EIN; the owner’s mobile gets a code)'],
] as const;
const COMPANY_TYPES = [
  ['private', 'Private company'],
  ['public', 'Public company'],
  ['non-profit', 'Non-profit'],
  ['government', 'Government'],
] as const;
/** Trust Hub's business_type values. */
const BUSINESS_TYPES = ['Limited Liability Corporation', 'Corporation', 'Partnership', 'Sole Proprietorship', 'Co-operative', 'Non-profit Corporation'].map(
  (t) => [t, t] as const,
);
/** Trust Hub's business_industry values, in words. */
const INDUSTRIES = [
  'AGRICULTURE', 'AUTOMOTIVE', 'BANKING', 'CONSUMER', 'EDUCATION', 'ENERGY', 'ENGINEERING', 'FINANCIAL', 'FOOD_AND_BEVERAGE', 'GOVERNMENT',
  'HEALTHCARE', 'HOSPITALITY', 'INSURANCE', 'LEGAL', 'MANUFACTURING', 'MEDIA', 'ONLINE', 'PROFESSIONAL_SERVICES', 'REAL_ESTATE', 'RETAIL',
  'TECHNOLOGY', 'TELECOMMUNICATIONS', 'TRANSPORTATION', 'TRAVEL',
].map((i) => [i, i.charAt(0) + i.slice(1).toLowerCase().replace(/_/g, ' ')] as const); // prettier-ignore

/**
 * What carrier registration needs (registration-details-schema.ts), as fields named by their
 * path under `prefix` (`registration.` in the sign-up form): the API's field errors land next to them.
 */
export function RegistrationFields({ prefix = '', errors }: { prefix?: string; errors: FieldErrors }): VNode {
  const f = (name: string, label: string, more: Partial<Parameters<typeof FormField>[0]> = {}) =>
    html`<${FormField} name=${prefix + name} label=${label} errors=${errors} required ...${more} />`;
  return html`
    ${f('numberType', 'Number type', { type: 'select', options: NUMBER_TYPES })}
    ${f('brandType', 'Brand type', { type: 'select', options: BRAND_TYPES, help: 'For a local number. Toll-free numbers have no brand.' })}
    <fieldset>
      <legend>Business</legend>
      ${f('business.ein', 'EIN', { placeholder: '12-3456789', help: 'The IRS employer identification number: nine digits. Not needed for a sole proprietor.' })}
      ${f('business.legalName', 'Legal name', { required: false, help: 'As registered, when it differs from the business name.' })}
      ${f('business.businessType', 'Business type', { type: 'select', options: BUSINESS_TYPES })}
      ${f('business.industry', 'Industry', { type: 'select', options: INDUSTRIES })}
      ${f('business.companyType', 'Company type', { type: 'select', options: COMPANY_TYPES })}
      ${f('business.mobile', 'Owner’s mobile', { type: 'tel', required: false, placeholder: '+1…', help: 'Sole proprietors only: it receives the brand’s one-time code.' })}
    </fieldset>
    <fieldset>
      <legend>Business address</legend>
      ${f('business.address.street', 'Street', { autocomplete: 'street-address' })}
      <div class="grid">
        ${f('business.address.city', 'City', { autocomplete: 'address-level2' })}
        ${f('business.address.region', 'State or region', { autocomplete: 'address-level1', placeholder: 'CA' })}
      </div>
      <div class="grid">
        ${f('business.address.postalCode', 'Postal code', { autocomplete: 'postal-code' })}
        ${f('business.address.isoCountry', 'Country', { value: 'US', help: 'Two-letter code, such as US.' })}
      </div>
    </fieldset>
    <fieldset>
      <legend>Authorized representative</legend>
      <div class="grid">${f('business.representative.firstName', 'First name')} ${f('business.representative.lastName', 'Last name')}</div>
      <div class="grid">
        ${f('business.representative.email', 'Representative email', { type: 'email' })}
        ${f('business.representative.phone', 'Representative phone', { type: 'tel', placeholder: '+14155550100' })}
      </div>
      ${f('business.representative.title', 'Job title', { placeholder: 'Owner' })}
    </fieldset>
  `;
}

/** Carrier registration waits on these details (`details_missing`): the form that gives them. */
export function RegistrationDetailsForm({ tenantId, onChanged }: { tenantId: string; onChanged: () => Promise<void> }): VNode {
  const save = useAction(async (body: Record<string, unknown>) => {
    await apiSend('PUT', `/v1/tenants/${tenantId}/registration-details`, body);
    await onChanged();
    return true;
  });
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    void save.run(nestedFields(e.currentTarget as HTMLFormElement));
  };
  return html`<section aria-labelledby="registration-heading">
    <h2 id="registration-heading">Carrier registration details</h2>
    <p>Carriers register your business before your number may send. Registration starts as soon as you submit these.</p>
    <form onSubmit=${onSubmit} novalidate>
      <${RegistrationFields} errors=${fieldErrorsOf(save.error)} />
      <button type="submit" aria-busy=${save.busy ? 'true' : undefined} disabled=${save.busy}>Submit registration details</button>
    </form>
    <p role="status">${save.result ? 'Submitted: carrier registration has started.' : ''}</p>
    <${ProblemMessage} error=${save.error} />
  </section>`;
}
