import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A unix-socket relay in front of the Docker engine: stopping it looks to a client exactly
 * like the engine going away (connections reset, connects refused), without touching the
 * engine other tests use.
 */
export class EngineRelay {
  readonly path = join(mkdtempSync(join(tmpdir(), 'fd-relay-')), 'docker.sock');
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  /** The request lines clients sent through the relay (`GET /v1.41/containers/…/logs?…`). */
  readonly requests: string[] = [];

  constructor(private readonly target = '/var/run/docker.sock') {}

  start(): Promise<void> {
    const server = createServer((client) => {
      this.clients.add(client);
      client.on('close', () => this.clients.delete(client));
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.on('data', (chunk: Buffer) => {
        for (const m of chunk.toString('latin1').matchAll(/^(?:GET|POST|PUT|DELETE|HEAD) \S+/gm)) this.requests.push(m[0]);
      });
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((r) => server.listen(this.path, r));
  }

  /** Connections to the engine open through the relay now. */
  get connections(): number {
    return this.clients.size;
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    return new Promise((r) => (server ? server.close(() => r()) : r()));
  }
}
