/**
 * One Docker engine connection. The events stream is both the discovery feed and the
 * liveness signal: while it is open the engine is "connected"; when it breaks we say so
 * and retry with backoff, resuming events from the last one seen.
 */
import { EventEmitter } from 'node:events';
import Docker from 'dockerode';
import type { ConnectionState } from '../../common/model';
import type { DockerEndpoint } from './endpoint';
import { onNdjson } from '../ndjson';
import { withTimeout } from '../env/operations';
import { log } from '../log';

export interface DockerEngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

export interface DockerEngineStatus {
  state: ConnectionState;
  version?: string;
  apiVersion?: string;
  problem?: string;
  since: number;
}

interface Events {
  status: [DockerEngineStatus];
  event: [DockerEngineEvent];
  /** Emitted after every (re)connect, so consumers resync what they may have missed. */
  connected: [];
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000];
const PING_TIMEOUT_MS = 3000;

export class DockerEngine extends EventEmitter<Events> {
  readonly endpoint: DockerEndpoint;
  /** For requests; streams use their own client (dockerode's timeout would cut them). */
  readonly api: Docker;
  private readonly streams: Docker;
  private current: DockerEngineStatus = { state: 'connecting', since: Date.now() };
  private events: NodeJS.ReadableStream | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempt = 0;
  private lastEventNano = 0;
  /** Events of the last seconds by identity: a resumed stream repeats them (since is in whole seconds). */
  private recent = new Map<string, number>();
  private stopped = true;
  /** One connect at a time: a "Retry now" during a pending retry must not open a second events stream. */
  private connecting = false;
  private eventTimes: number[] = [];

  constructor(endpoint: DockerEndpoint) {
    super();
    // One 'status' listener per watched service (the recorder watches them all): 25 services is not a leak.
    this.setMaxListeners(0);
    this.endpoint = endpoint;
    this.api = new Docker(endpoint.options);
    this.streams = new Docker(endpoint.options);
  }

  get status(): DockerEngineStatus {
    return this.current;
  }

  /** Engine events over the last `windowMs`, per second: the status bar's measure of activity. */
  eventsPerSecond(windowMs = 5000): number {
    const since = Date.now() - windowMs;
    const i = this.eventTimes.findIndex((t) => t >= since);
    this.eventTimes = i < 0 ? [] : this.eventTimes.slice(i);
    return Math.round((this.eventTimes.length / (windowMs / 1000)) * 10) / 10;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.closeEvents();
  }

  /** Try now, skipping any pending backoff. */
  reconnect(): void {
    if (this.stopped || this.current.state === 'connected') return;
    clearTimeout(this.retry);
    this.attempt = 0;
    this.closeEvents();
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.connecting || (this.current.state !== 'connecting' && this.current.state !== 'unreachable')) return;
    if (this.endpoint.problem) {
      this.setStatus({ state: 'unreachable', problem: this.endpoint.problem });
      return; // a bad address does not get better by retrying
    }
    this.connecting = true;
    if (this.current.state === 'unreachable' && this.attempt === 0) this.setStatus({ state: 'connecting' });
    try {
      await withTimeout(this.api.ping(), PING_TIMEOUT_MS, 'ping timed out');
      const v = await withTimeout(this.api.version(), PING_TIMEOUT_MS, 'version timed out');
      if (this.stopped) return;
      const since = this.lastEventNano ? Math.floor(this.lastEventNano / 1e9) : Math.floor(Date.now() / 1000);
      const stream = (await this.streams.getEvents({ since })) as NodeJS.ReadableStream;
      if (this.stopped) return void (stream as unknown as { destroy(): void }).destroy();
      this.watch(stream);
      this.attempt = 0;
      this.setStatus({ state: 'connected', version: v.Version, apiVersion: v.ApiVersion });
      this.emit('connected');
    } catch (e) {
      this.fail(e);
    } finally {
      this.connecting = false;
    }
  }

  private watch(stream: NodeJS.ReadableStream): void {
    this.events = stream;
    onNdjson<DockerEngineEvent>(stream, (ev) => {
      // `since` is in whole seconds, so a resumed stream repeats the last second's events: drop
      // exact repeats. Not "older than the newest seen": the engine stamps events before it
      // publishes them, so under load a newer one can come first, and the older one still counts.
      const key = `${ev.timeNano}|${ev.Type}|${ev.Action}|${ev.Actor?.ID}`;
      if (this.recent.has(key)) return;
      this.recent.set(key, ev.timeNano);
      if (this.recent.size > 2000) {
        const cutoff = this.lastEventNano - 5e9;
        for (const [k, t] of this.recent) if (t < cutoff) this.recent.delete(k);
      }
      this.lastEventNano = Math.max(this.lastEventNano, ev.timeNano || 0);
      const now = Date.now();
      this.eventTimes.push(now);
      if (this.eventTimes.length > 4096) this.eventTimes = this.eventTimes.filter((t) => t >= now - 5000); // bounded without a viewer
      this.emit('event', ev);
    });
    const broken = (err?: unknown) => {
      if (this.events !== stream) return;
      this.events = undefined;
      this.fail(err ?? new Error('the engine closed the events stream'));
    };
    stream.on('error', broken);
    stream.on('end', () => broken());
    stream.on('close', () => broken());
  }

  private closeEvents(): void {
    const s = this.events;
    this.events = undefined;
    if (s) {
      s.removeAllListeners('data');
      s.on('error', () => {}); // destroying an HTTP stream emits 'aborted'
      (s as unknown as { destroy(): void }).destroy();
    }
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.closeEvents();
    const reason = describe(err);
    log('docker').warn({ endpoint: this.endpoint.display, reason, attempt: this.attempt }, 'engine unreachable');
    this.setStatus({
      state: 'unreachable',
      problem:
        `Cannot reach the Docker engine at ${this.endpoint.display} (${reason}). ` +
        'Start Docker (Docker Desktop, "sudo systemctl start docker" or "dockerd"), or point DOCKER_HOST at a running engine. Fleetdeck retries by itself.',
    });
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 5000;
    this.attempt++;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref?.();
  }

  private setStatus(s: Omit<DockerEngineStatus, 'since'>): void {
    const same = s.state === this.current.state && s.version === this.current.version && s.problem === this.current.problem;
    if (same) return;
    this.current = { ...s, since: Date.now() };
    this.emit('status', this.current);
  }
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: string; message?: string; statusCode?: number; json?: { message?: string } };
    if (e.code === 'ENOENT') return 'no socket there';
    if (e.code === 'EACCES') return 'permission denied on the socket; add yourself to the docker group';
    if (e.code) return `${e.code.toLowerCase() === 'econnrefused' ? 'connection refused' : e.code}`;
    if (e.statusCode) return `HTTP ${e.statusCode}${e.json?.message ? `: ${e.json.message}` : ''}`;
    if (e.message) return e.message;
  }
  return String(err);
}
