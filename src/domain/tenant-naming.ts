/**
 * Fixed naming conventions that make Twilio resources findable again: a retried or replayed
 * provisioning step looks a subaccount up by its FriendlyName instead of creating another.
 */
export function tenantSlug(businessName: string): string {
  const slug = businessName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'tenant';
}

export function subaccountFriendlyName(tenantId: string, slug: string): string {
  return `cs:${tenantId}:${slug}`;
}
