/**
 * Consent for contacts in tests about something else: marketing campaigns skip contacts without
 * it (src/domain/consent.ts). A web form's sign-up, for every message type.
 */
export const WEB_FORM_CONSENT = {
  optedInAt: '2026-11-01T15:04:05Z',
  method: 'web_form',
  source: 'https://brightsmiles.example/texts',
  wording: 'Yes, text me Bright Smiles Dental offers and reminders. Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
  purposes: ['marketing', 'transactional', 'conversational'],
} as const;
