/** Stops the embedded PostgreSQL that globalSetup started (nothing to do with DATABASE_URL). */
export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres;
  await embedded?.stop();
}
