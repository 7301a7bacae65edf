export default async function globalTeardown(): Promise<void> {
  const teardown = (globalThis as { __clearsendTeardown?: () => Promise<void> }).__clearsendTeardown;
  await teardown?.();
}
