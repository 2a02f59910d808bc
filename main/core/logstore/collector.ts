/**
 * Feeds the log store: follows every running instance of the services in scope of every
 * connected environment, through the same shared engine stream the Logs tab uses (one connection
 * per instance however many read it). On (re)connect, a restarted container or a panel started
 * again, each instance is followed from the last line stored of it: the lines at that same
 * millisecond already stored are skipped once each, so a restart leaves no gap and no duplicate.
 *
 * Scope per environment: every service (`all`, the default for Docker engines), the services
 * someone opened (`opened`, the default for Kubernetes contexts: a cluster's every pod is not
 * ours to copy), or none.
 */
import type { Instance, LogEntry, Service } from '../../common/model';
import type { EnvironmentDriver } from '../env/driver';
import { readJson, writeJsonAtomic } from '../env/json-store';
import { sharedFollow } from '../logs/shared-follow';
import { log } from '../log';
import type { LogStore } from './types';

export type LogScope = 'all' | 'opened' | 'none';

/** A first follow of an instance never stored takes at most this much of its history. */
const FIRST_TAIL = 100_000;

interface Saved {
  scopes?: Record<string, LogScope>;
  opened?: Record<string, string[]>;
}

interface Followed {
  stop(): void;
  /** The instance's start it follows: a restart (a new start) is followed again. */
  startedAt: number | undefined;
  ended: boolean;
  /** The store had no room: stopped, to be followed again from its last stored line once it has. */
  behind?: boolean;
}

export interface CollectorSource {
  all(): readonly EnvironmentDriver[];
  on(event: 'change', fn: () => void): unknown;
  off(event: 'change', fn: () => void): unknown;
}

export class LogCollector {
  private readonly follows = new Map<string, Followed>();
  private readonly watched = new Map<EnvironmentDriver, () => void>();
  private saved: Saved;
  /** Only a process that keeps logs collects (the window, serve); the CLI's core never starts it. */
  private started = false;
  private stopped = false;
  private readonly onEnvs = () => this.attachAll();
  /** Times a follower let go because the store had no room (and came back for the rest), for the record. */
  heldBack = 0;
  private unLost: () => void = () => {};

  constructor(
    private readonly store: LogStore,
    private readonly envs: CollectorSource,
    private readonly stateFile: string,
  ) {
    const raw = readJson(stateFile) as Saved | undefined;
    this.saved = raw && typeof raw === 'object' ? raw : {};
  }

  start(): void {
    this.started = true;
    this.envs.on('change', this.onEnvs);
    this.unLost = this.store.onLost(() => this.refollowAll());
    this.attachAll();
  }

  stop(): void {
    this.stopped = true;
    this.unLost();
    this.envs.off('change', this.onEnvs);
    for (const detach of this.watched.values()) detach();
    this.watched.clear();
    for (const f of this.follows.values()) f.stop();
    this.follows.clear();
  }

  scopeOf(env: EnvironmentDriver): LogScope {
    return this.saved.scopes?.[env.id] ?? (env.kind === 'docker' ? 'all' : 'opened');
  }

  setScope(env: EnvironmentDriver, scope: LogScope): void {
    this.saved = { ...this.saved, scopes: { ...this.saved.scopes, [env.id]: scope } };
    this.save();
    this.reconcile(env);
  }

  /** Someone opened a service (its logs, its detail): under `opened`, its lines are kept from now on. */
  opened(env: EnvironmentDriver, serviceId: string): void {
    if (!this.started) return; // the state file is the collecting process's
    const list = this.saved.opened?.[env.id] ?? [];
    if (list.includes(serviceId)) return;
    this.saved = { ...this.saved, opened: { ...this.saved.opened, [env.id]: [...list, serviceId] } };
    this.save();
    this.reconcile(env);
  }

  /** Lines taken were lost (the store's worker died): every follower comes back from its last stored line. */
  private refollowAll(): void {
    if (this.stopped) return;
    for (const f of this.follows.values()) {
      f.behind = true;
      f.stop();
    }
    void this.store.room().then(() => {
      for (const env of this.watched.keys()) this.reconcile(env);
    });
  }

  private save(): void {
    try {
      writeJsonAtomic(this.stateFile, this.saved);
    } catch (e) {
      log('logstore').warn({ err: e }, 'could not save which services keep their logs');
    }
  }

  private attachAll(): void {
    if (this.stopped) return;
    const now = new Set(this.envs.all());
    for (const [env, detach] of this.watched) {
      if (now.has(env)) continue;
      detach();
      this.watched.delete(env);
    }
    for (const env of now) {
      if (this.watched.has(env)) continue;
      const on = () => this.reconcile(env);
      env.on('change', on);
      // Listening lists nothing: a Kubernetes context is watched once something lists it (reconcile does, only for what is in scope).
      env.services.on('change', on);
      this.watched.set(env, () => {
        env.off('change', on);
        env.services.off('change', on);
      });
      this.reconcile(env);
    }
  }

  private inScope(env: EnvironmentDriver, s: Service): boolean {
    const scope = this.scopeOf(env);
    if (scope === 'all') return true;
    if (scope === 'none') return false;
    return this.saved.opened?.[env.id]?.includes(s.id) ?? false;
  }

  private reconcile(env: EnvironmentDriver): void {
    if (!this.started || this.stopped || env.state !== 'connected') return;
    const scope = this.scopeOf(env);
    if (scope === 'none' || (scope === 'opened' && !this.saved.opened?.[env.id]?.length)) return this.stopEnv(env, new Set());
    const keep = new Set<string>();
    for (const s of env.services.list()) {
      if (!this.inScope(env, s)) continue;
      for (const i of s.instances) {
        // An instance that exited is read once more to its end: a container that wrote and exited
        // before it was first followed (or while its follow was restarting) has its lines all the same.
        if (i.state !== 'running' && i.state !== 'stopping' && i.state !== 'exited') continue;
        const key = `${env.id}\u0000${i.id}`;
        keep.add(key);
        const f = this.follows.get(key);
        if (f && !f.behind && (!f.ended || f.startedAt === i.startedAt)) continue;
        f?.stop();
        this.follow(env, s, i, key);
      }
    }
    this.stopEnv(env, keep);
  }

  /** Stops following what is no longer listed or in scope. */
  private stopEnv(env: EnvironmentDriver, keep: Set<string>): void {
    const prefix = `${env.id}\u0000`;
    for (const [key, f] of this.follows) {
      if (!key.startsWith(prefix) || keep.has(key)) continue;
      f.stop();
      this.follows.delete(key);
    }
  }

  private follow(env: EnvironmentDriver, s: Service, i: Instance, key: string): void {
    const state: Followed = { stop: () => {}, startedAt: i.startedAt, ended: false };
    this.follows.set(key, state);
    let live = true;
    state.stop = () => {
      live = false;
      stopFollow();
    };
    let stopFollow: () => void = () => {};
    void this.store.mark(env.id, i.id).then(
      (mark) => {
        if (!live || this.stopped) return;
        // Lines at the mark's millisecond that are already stored, each skipped once.
        const seenAtMark = new Map<string, number>();
        for (const text of mark?.atT ?? []) seenAtMark.set(text, (seenAtMark.get(text) ?? 0) + 1);
        const fresh = (e: LogEntry): boolean => {
          if (!mark) return true;
          if (e.t < mark.t) return false;
          if (e.t > mark.t) return true;
          const n = seenAtMark.get(e.text) ?? 0;
          if (n === 0) return true;
          seenAtMark.set(e.text, n - 1);
          return false;
        };
        const source = { env: env.id, service: s.id, instance: i.name, instanceId: i.id };
        stopFollow = sharedFollow(env.followInstance)(
          i,
          mark ? { tail: FIRST_TAIL, sinceMs: mark.t, sinceInclusive: true, forStore: true } : { tail: FIRST_TAIL, forStore: true },
          (entries) => {
            if (!live) return;
            const lines = mark ? entries.filter(fresh) : entries;
            if (!lines.length || this.store.appendFrom(source, lines) === lines.length) return;
            // The store is full up: rather than drop the rest, let go and come back for it. The
            // engine keeps every line; the back-fill from the last stored one brings it, once.
            state.behind = true;
            this.heldBack++;
            state.stop();
            void this.store.room().then(() => {
              if (this.follows.get(key) === state) this.reconcile(env);
            });
          },
          (error) => {
            state.ended = true;
            if (error && live) log('logstore').debug({ err: error, instance: i.name }, 'log follow ended');
          },
        );
        if (!live) stopFollow();
      },
      (e: unknown) => {
        state.ended = true;
        log('logstore').warn({ err: e, instance: i.name }, 'could not read where the stored logs of an instance end');
      },
    );
  }
}
