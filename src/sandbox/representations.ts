import type { Request } from 'express';
import { rfc2822 } from './ids';
import type { SandboxAccount, SandboxMessage, SandboxNumber, Verification, VerifyService } from './store';

/** Resources as Twilio's JSON renders them (field names, string-typed counts, RFC 2822 dates). */
const API = '/2010-04-01';

export function accountJson(a: SandboxAccount) {
  const uri = `${API}/Accounts/${a.sid}.json`;
  return {
    auth_token: a.authToken,
    date_created: rfc2822(new Date(a.dateCreated)),
    date_updated: rfc2822(new Date(a.dateUpdated)),
    friendly_name: a.friendlyName,
    owner_account_sid: a.ownerAccountSid,
    sid: a.sid,
    status: a.status,
    subresource_uris: {
      messages: `${API}/Accounts/${a.sid}/Messages.json`,
      incoming_phone_numbers: `${API}/Accounts/${a.sid}/IncomingPhoneNumbers.json`,
      available_phone_numbers: `${API}/Accounts/${a.sid}/AvailablePhoneNumbers.json`,
    },
    type: 'Full',
    uri,
  };
}

export function messageJson(m: SandboxMessage) {
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent ? rfc2822(m.dateSent) : null,
    date_updated: rfc2822(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(m.numSegments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${API}/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `${API}/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  };
}

export function numberJson(n: SandboxNumber) {
  return {
    account_sid: n.accountSid,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(new Date(n.dateCreated)),
    date_updated: rfc2822(new Date(n.dateUpdated)),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: null,
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status_callback: n.statusCallback,
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: `${API}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: 'local',
  };
}

export function availableNumberJson(phoneNumber: string, isoCountry: string) {
  const digits = phoneNumber.replace(/^\+1/, '');
  return {
    friendly_name: `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`,
    phone_number: phoneNumber,
    lata: '722',
    locality: 'Sandbox',
    rate_center: 'SANDBOX',
    latitude: 37.77,
    longitude: -122.42,
    region: 'CA',
    postal_code: '94103',
    iso_country: isoCountry,
    address_requirements: 'none',
    beta: false,
    capabilities: { voice: true, SMS: true, MMS: true, fax: false },
  };
}

export function verifyServiceJson(s: VerifyService) {
  return {
    sid: s.sid,
    account_sid: s.accountSid,
    friendly_name: s.friendlyName,
    code_length: s.codeLength,
    lookup_enabled: false,
    psd2_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: true,
    tts_name: null,
    do_not_share_warning_enabled: false,
    custom_code_enabled: false,
    push: {},
    totp: {},
    default_template_sid: null,
    whatsapp: {},
    passkeys: {},
    verify_event_subscription_enabled: false,
    date_created: new Date(s.dateCreated).toISOString(),
    date_updated: new Date(s.dateUpdated).toISOString(),
    url: `https://verify.twilio.com/v2/Services/${s.sid}`,
    links: { verifications: `https://verify.twilio.com/v2/Services/${s.sid}/Verifications` },
  };
}

export function verificationJson(v: Verification, kind: 'verification' | 'check') {
  const common = {
    sid: v.sid,
    service_sid: v.serviceSid,
    account_sid: v.accountSid,
    to: v.to,
    channel: v.channel,
    status: v.status,
    valid: v.status === 'approved',
    amount: null,
    payee: null,
    date_created: v.dateCreated.toISOString(),
    date_updated: v.dateUpdated.toISOString(),
  };
  if (kind === 'check') return { ...common, sna_attempts_error_codes: [] };
  return {
    ...common,
    lookup: {},
    send_code_attempts: v.sendTimes.map((t) => ({ time: new Date(t).toISOString(), channel: v.channel, attempt_sid: v.sid })),
    sna: null,
    url: `https://verify.twilio.com/v2/Services/${v.serviceSid}/Verifications/${v.sid}`,
  };
}

/**
 * Twilio's 2010 API list envelope. Paging is by PageSize and Page (+ PageToken, which the
 * library echoes back from next_page_uri); the library follows next_page_uri itself.
 */
export function page<T>(req: Request, key: string, items: T[]) {
  const q = req.query as Record<string, string | undefined>;
  const pageSize = Math.min(Math.max(Number(q.PageSize ?? 50) || 50, 1), 1000);
  const pageNo = Math.max(Number(q.Page ?? 0) || 0, 0);
  const start = pageNo * pageSize;
  const slice = items.slice(start, start + pageSize);
  const base = req.path;
  const withPage = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && !['Page', 'PageToken', 'PageSize'].includes(k)) params.set(k, v);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(p));
    if (p > 0) params.set('PageToken', `PT${p * pageSize}`);
    return `${base}?${params.toString()}`;
  };
  return {
    [key]: slice,
    end: start + Math.max(slice.length - 1, 0),
    first_page_uri: withPage(0),
    next_page_uri: start + pageSize < items.length ? withPage(pageNo + 1) : null,
    page: pageNo,
    page_size: pageSize,
    previous_page_uri: pageNo > 0 ? withPage(pageNo - 1) : null,
    start,
    uri: withPage(pageNo),
  };
}
