import type { Request } from 'express';

/**
 * The list envelope of Twilio's v1/v2 products (Messaging, Trust Hub, Verify):
 * `{ <key>: [...], meta: { page, page_size, …, key } }`, its URLs absolute on the
 * product's host. The twilio library follows `next_page_url` itself (the client factory
 * rewrites twilio.com hosts to the sandbox), so paging goes through this same function.
 */
export function v1Page<T>(req: Request, host: string, key: string, items: T[]) {
  const q = req.query as Record<string, string | string[] | undefined>;
  const pageSize = Math.min(Math.max(Number(q.PageSize ?? 50) || 50, 1), 1000);
  const page = Math.max(Number(q.Page ?? 0) || 0, 0);
  const start = page * pageSize;
  const urlOf = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) {
      if (v === undefined || ['Page', 'PageSize', 'PageToken'].includes(k)) continue;
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    }
    params.set('PageSize', String(pageSize));
    params.set('Page', String(p));
    if (p > 0) params.set('PageToken', `PT${p * pageSize}`);
    return `https://${host}${req.path}?${params.toString()}`;
  };
  return {
    [key]: items.slice(start, start + pageSize),
    meta: {
      page,
      page_size: pageSize,
      first_page_url: urlOf(0),
      previous_page_url: page > 0 ? urlOf(page - 1) : null,
      url: urlOf(page),
      next_page_url: start + pageSize < items.length ? urlOf(page + 1) : null,
      key,
    },
  };
}
