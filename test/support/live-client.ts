import { Socket, io } from 'socket.io-client';

export interface LiveClient {
  socket: Socket;
  events: Array<{ name: string; body: any }>;
  subscribe(request?: { resourceIds?: string[]; since?: number }): Promise<{ ok: boolean; seq: number }>;
  waitFor(count: number, timeoutMs?: number): Promise<Array<{ name: string; body: any }>>;
  /**
   * The events of this name, once `count` came or after the timeout. An event committed just
   * before the client connected may still come (the stream broadcasts it a moment later):
   * tests of one kind of event wait for that kind.
   */
  waitForNamed(name: string, count: number, timeoutMs?: number): Promise<any[]>;
  close(): void;
}

/** A real socket.io client on /live that records what it receives. */
export async function connectLive(baseUrl: string, token: string): Promise<LiveClient> {
  const socket = io(`${baseUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: Array<{ name: string; body: any }> = [];
  socket.onAny((name: string, body) => events.push({ name, body }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    events,
    subscribe: (request = {}) => socket.timeout(5000).emitWithAck('subscribe', request),
    async waitFor(count, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      return events;
    },
    async waitForNamed(name, count, timeoutMs = 3000) {
      const named = () => events.filter((e) => e.name === name).map((e) => e.body);
      const deadline = Date.now() + timeoutMs;
      while (named().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      return named();
    },
    close: () => socket.disconnect(),
  };
}
