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

  constructor(private readonly target = '/var/run/docker.sock') {}

  start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((r) => server.listen(this.path, r));
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    return new Promise((r) => (server ? server.close(() => r()) : r()));
  }
}
