import { Socket, io } from 'socket.io-client';

export interface LiveClient {
  socket: Socket;
  events: Array<{ name: string; body: any }>;
  subscribe(request?: { resourceIds?: string[]; since?: number }): Promise<{ ok: boolean; seq: number }>;
  waitFor(count: number, timeoutMs?: number): Promise<Array<{ name: string; body: any }>>;
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
    close: () => socket.disconnect(),
  };
}
