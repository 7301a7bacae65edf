/**
 * Who answers a reply: the contact's assigned user, or the tenant's default user when the
 * sender is not a contact. An assigned user may be written as an email address, which is
 * then where the email goes.
 */
export interface ReplyRouting {
  user: string;
  email?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function recipientOf(assignedUser: string | undefined, defaultUser: string): ReplyRouting {
  const user = assignedUser?.trim() || defaultUser;
  return EMAIL.test(user) ? { user, email: user } : { user };
}
