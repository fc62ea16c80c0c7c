import { Socket, connect } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RawResponse {
  status: number;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_IDLE_MS = 2_000;

/**
 * A minimal HTTP/1.1 keep-alive client for load generators: one request at a time per
 * connection, each request written as a single buffer, answers with a Content-Length body.
 * node:http's client costs the generator about as much CPU per request as the server under
 * test spends; this one a fraction of it, so the generator takes less of the machine it
 * shares with the app and PostgreSQL (wrk does the same in C).
 */
export class RawHttpPool {
  private readonly idle: RawConnection[] = [];
  private readonly all = new Set<RawConnection>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends `head` (request line and headers, without the blank line) and `body`. */
  request(head: string, body: string): Promise<RawResponse> {
    let connection = this.idle.pop();
    // The server closes a keep-alive connection idle for 5 s (node:http's default): one idle
    // for a while is dropped here first, so that no request races the server's close.
    while (connection && (!connection.usable || performance.now() - connection.idleSince > MAX_IDLE_MS)) {
      connection.socket.destroy();
      this.all.delete(connection);
      connection = this.idle.pop();
    }
    connection ??= this.open();
    return connection.send(`${head}\r\nhost: ${this.host}:${this.port}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`).finally(() => {
      connection.idleSince = performance.now();
      if (connection.usable) this.idle.push(connection);
      else this.all.delete(connection);
    });
  }

  destroy(): void {
    for (const connection of this.all) connection.socket.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private open(): RawConnection {
    const connection = new RawConnection(connect({ host: this.host, port: this.port, noDelay: true }));
    this.all.add(connection);
    return connection;
  }
}

class RawConnection {
  usable = true;
  idleSince = 0;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(request: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request, (error) => {
        if (error) this.fail(error);
      });
    });
  }

  private fail(error: Error): void {
    this.usable = false;
    this.socket.destroy();
    this.waiting?.reject(error);
    this.waiting = null;
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return this.fail(new Error(`answer without content-length: ${head.slice(0, 200)}`));
    const bodyStart = headerEnd + HEADER_END.length;
    const bodyEnd = bodyStart + Number(length[1]);
    if (this.buffered.length < bodyEnd) return;
    const response = { status: Number(head.slice(9, 12)), body: this.buffered.toString('utf8', bodyStart, bodyEnd) };
    if (/\r\nconnection: *close/i.test(head)) this.usable = false;
    this.buffered = this.buffered.subarray(bodyEnd);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve(response);
  }
}
