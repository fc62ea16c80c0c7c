/**
 * Runs the reference door controller from a terminal: each line typed (or piped) is a
 * badge uid presented at the door; the decision is printed.
 *
 *   npm run door -- --door <door id> --secret <door secret> --url http://localhost:3000
 */
import { createInterface } from 'node:readline';
import { DoorController } from './door-controller';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const doorId = arg('door');
  const secret = arg('secret');
  const url = arg('url') ?? 'http://localhost:3000';
  if (!doorId || !secret) {
    console.error('usage: npm run door -- --door <door id> --secret <door secret> [--url http://localhost:3000]');
    process.exit(2);
  }
  const door = new DoorController({ doorId, secret, url, log: (message) => console.error(`[door] ${message}`) });
  await door.start();
  console.error(`[door] ready; allowlist with ${door.currentAllowlist?.entries.length ?? 0} badges. Type a badge uid and press Enter.`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const result = await door.present(line.trim());
    console.log(`${result.decision} ${result.reason} (${result.source}${result.bookingId ? `, booking ${result.bookingId}` : ''})`);
  }
  door.stop();
}

void main();
