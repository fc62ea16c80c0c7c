import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { ALLOWLIST_SIGNATURE_HEADER, hmacHex } from '../src/access/door-protocol';
import { DoorController } from '../tools/door-controller/door-controller';

/**
 * The reference controller against a stand-in server whose answers a test chooses: what the
 * controller does with an answer that a real server would never give, or gives late.
 */
describe('the reference door controller', () => {
  const secret = 'c'.repeat(64);
  const doorId = randomUUID();
  let server: Server;
  let url: string;
  let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const signedList = (list: object) => (res: ServerResponse) => {
    const body = JSON.stringify(list);
    res.setHeader(ALLOWLIST_SIGNATURE_HEADER, hmacHex(secret, body));
    res.end(body);
  };
  const freshList = (overrides: object = {}) => ({
    doorId,
    generatedAt: new Date().toISOString(),
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    entries: [],
    ...overrides,
  });

  it('keeps every decision queued while an upload is in flight, however many uploads are asked for', async () => {
    let serverDown = false;
    const uploaded: string[] = [];
    handle = (req, body, res) => {
      if (req.url === '/access/v1/allowlist') return signedList(freshList())(res);
      if (req.url === '/access/v1/decisions') {
        if (serverDown) return res.writeHead(503).end();
        return res.end(JSON.stringify({ decision: 'ALLOW', reason: 'STAFF', eventId: randomUUID() }));
      }
      const ids = (JSON.parse(body).events as Array<{ id: string }>).map((e) => e.id);
      uploaded.push(...ids);
      setTimeout(() => res.end(JSON.stringify({ accepted: ids.length, duplicates: 0 })), 100);
    };
    const door = new DoorController({ doorId, secret, url });
    await door.refreshAllowlist();
    serverDown = true;
    await door.present('04AA0001');
    serverDown = false;
    // A decision answered by the server and the push channel's reconnection both upload.
    const uploads = [door.flushQueue(), door.flushQueue()];
    serverDown = true;
    await door.present('04AA0002');
    const late = door.queuedEvents[door.queuedEvents.length - 1].id;
    await Promise.all(uploads);
    expect(door.queuedEvents.map((e) => e.id)).toEqual([late]);
    await door.flushQueue();
    expect(uploaded).toContain(late);
    expect(door.queuedEvents).toEqual([]);
  });

  it('waits for a slow upload (a server just restarted), while a decision still falls back after 300 ms', async () => {
    const late = (res: ServerResponse, body: string) => setTimeout(() => res.end(body), 800);
    handle = (req, body, res) => {
      if (req.url === '/access/v1/allowlist') return signedList(freshList({ entries: [] }))(res);
      if (req.url === '/access/v1/decisions') return late(res, JSON.stringify({ decision: 'ALLOW', reason: 'STAFF', eventId: randomUUID() }));
      const events = JSON.parse(body).events as unknown[];
      late(res, JSON.stringify({ accepted: events.length, duplicates: 0 }));
    };
    const door = new DoorController({ doorId, secret, url });
    await door.refreshAllowlist();
    const decided = await door.present('04AA0003');
    expect([decided.source, decided.decision]).toEqual(['allowlist', 'DENY']);
    expect(door.queuedEvents).toHaveLength(1);
    expect(await door.flushQueue()).toEqual({ accepted: 1, duplicates: 0 });
    expect(door.queuedEvents).toEqual([]);
  });

  it('keeps its allowlist when handed an old one, or one for another door, even when correctly signed', async () => {
    const door = new DoorController({ doorId, secret, url });
    handle = (_req, _body, res) => signedList(freshList({ entries: [{ badgeKey: 'current', anytime: true }] }))(res);
    await door.refreshAllowlist();
    const kept = door.currentAllowlist;
    // Recorded before a badge was revoked, and replayed by someone on the door's network.
    handle = (_req, _body, res) => signedList(freshList({ generatedAt: new Date(Date.now() - 3_600_000).toISOString(), entries: [{ badgeKey: 'revoked', anytime: true }] }))(res);
    await expect(door.refreshAllowlist()).rejects.toThrow(/not fresh/);
    handle = (_req, _body, res) => signedList(freshList({ doorId: randomUUID(), entries: [{ badgeKey: 'revoked', anytime: true }] }))(res);
    await expect(door.refreshAllowlist()).rejects.toThrow(/another door/);
    expect(door.currentAllowlist).toBe(kept);
  });
});
