/**
 * List, then watch from the list's resourceVersion, for one resource path — instead of
 * client-node's informer, for three reasons:
 *  - the informer keeps every object whole in its cache; here each object goes straight to a sink
 *    that keeps what it needs (a slim record), so 30,000 pods do not cost 30,000 V1Pods;
 *  - after an error the informer is restarted from its old resourceVersion without a relist, so an
 *    API server that comes back with other objects (a new one on the same port) leaves ghosts and
 *    duplicates; here every error or closed watch ends in a full relist whose leftovers are swept
 *    (only a client-side idle timeout resumes from the resourceVersion: the server was there, silent);
 *  - its health (is the API answering?) is reported, for the connection state.
 * The first list is a watch-list where the server has it (sendInitialEvents, Kubernetes 1.27+, on by
 * default from 1.32): one stream of the current objects, ended by a bookmark, that goes on as the
 * watch. The objects arrive while the server is still writing them, instead of a page at a time
 * with the server idle while we read each one (30,000 pods: 60 round trips), and as plain JSON,
 * without client-node's typed deserialisation. A server that refuses it (400/422) gets a paged
 * list (500 a page, so no single response holds every pod) from then on.
 */
import type * as K8s from '@kubernetes/client-node';
import { clientNode, describeKubeError } from './kubeconfig';

export interface ListPage<T> {
  items: T[];
  metadata?: { resourceVersion?: string; _continue?: string };
}

export interface ListWatchSink<T> {
  upsert(o: T, seen: number): void;
  remove(o: T): void;
  /** A full list stamped `seen` is in: whatever was not in it is gone. */
  sweep(seen: number): void;
}

export interface ListWatchHealth {
  ok: boolean;
  /** What went wrong last (kept after recovery, for the record). */
  error?: string;
}

const PAGE = 500;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 2000;
/** A watch that broke is reported only if the relist has not succeeded by then (dropped watches are routine). */
const REPORT_AFTER_MS = 1500;
/** A server that ignored sendInitialEvents would stream forever without the closing bookmark: then a paged list instead. */
const WATCH_LIST_END_MS = 60_000;
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

type WatchEvent<T> = T & { code?: number; metadata?: { resourceVersion?: string; annotations?: Record<string, string> } };

export class ListWatch<T extends K8s.KubernetesObject> {
  private rv = '';
  private epoch = 0;
  private gen = 0;
  private stopped = false;
  private abort: AbortController | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private backoff = BACKOFF_MIN_MS;
  private firstList: Promise<void>;
  private firstListDone!: () => void;
  /** Whether the server streams the first list (undefined until tried). */
  private watchList: boolean | undefined;
  health: ListWatchHealth = { ok: false };

  constructor(
    private readonly kc: K8s.KubeConfig,
    readonly path: string,
    private readonly listPage: (limit: number, cont: string | undefined) => Promise<ListPage<T>>,
    private readonly sink: ListWatchSink<T>,
    private readonly onHealth: (h: ListWatchHealth) => void,
    private readonly onChange: () => void,
  ) {
    this.firstList = new Promise((r) => (this.firstListDone = r));
  }

  /** Resolves once the first list has been tried (in, or failed: it is retried meanwhile). */
  start(): Promise<void> {
    void this.run(true);
    return this.firstList;
  }

  stop(): void {
    this.stopped = true;
    this.gen++;
    clearTimeout(this.sleepTimer);
    clearTimeout(this.reportTimer);
    this.wake?.();
    this.abort?.abort();
    this.firstListDone();
  }

  private async run(relist: boolean): Promise<void> {
    const gen = ++this.gen;
    while (!this.stopped && gen === this.gen) {
      if (relist || !this.rv) {
        if (this.watchList !== false) {
          const r = await this.streamList(gen);
          this.firstListDone();
          if (gen !== this.gen || this.stopped || r === 'watching') return;
          if (r === 'failed') {
            await this.sleep(this.backoff);
            this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
            relist = true;
          }
          continue; // 'unsupported': a paged list, now
        }
        const ok = await this.relist(gen);
        this.firstListDone();
        if (gen !== this.gen || this.stopped) return;
        if (!ok) {
          await this.sleep(this.backoff);
          this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
          relist = true;
          continue;
        }
        this.backoff = BACKOFF_MIN_MS;
      }
      await this.watch(gen);
      return;
    }
  }

  /**
   * The first list as a watch-list. Resolves 'watching' once the closing bookmark is in (the same
   * stream then goes on as the watch), 'unsupported' if the server refuses it, 'failed' otherwise.
   */
  private async streamList(gen: number): Promise<'watching' | 'unsupported' | 'failed'> {
    const k8s = await clientNode();
    const seen = ++this.epoch;
    const began = Date.now();
    return new Promise((resolve) => {
      let listed = false;
      let gone = false;
      let ac: AbortController | undefined;
      const settle = (r: 'watching' | 'unsupported' | 'failed') => {
        clearTimeout(endTimer);
        resolve(r);
      };
      const endTimer = setTimeout(() => {
        if (listed) return;
        this.watchList = false;
        listed = true; // what the aborted stream says from here on is no one's business
        ac?.abort();
        settle('unsupported');
      }, WATCH_LIST_END_MS);
      endTimer.unref();
      const onEvent = (type: string, obj: WatchEvent<T>) => {
        if (gen !== this.gen || this.stopped) return;
        if (listed) return this.onWatchEvent(type, obj, () => (gone = true));
        if (type === 'ADDED' || type === 'MODIFIED') {
          this.sink.upsert(obj, seen);
          this.onChange();
        } else if (type === 'DELETED') {
          this.sink.remove(obj);
          this.onChange();
        } else if (type === 'BOOKMARK' && obj?.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
          listed = true;
          this.watchList = true;
          this.rv = obj.metadata.resourceVersion ?? '';
          this.sink.sweep(seen);
          this.onChange();
          this.backoff = BACKOFF_MIN_MS;
          this.setHealth({ ok: true, ...(this.health.error ? { error: this.health.error } : {}) });
          settle('watching');
        } else if (type === 'ERROR') {
          if (obj?.code === 410) gone = true;
        }
      };
      const onDone = (err: unknown) => {
        if (gen !== this.gen || this.stopped) {
          if (!listed) settle('failed');
          return;
        }
        if (listed) return this.onWatchDone(gen, began, gone, err);
        const status = (err as { statusCode?: number } | null)?.statusCode;
        if (status === 400 || status === 422) {
          this.watchList = false;
          return settle('unsupported');
        }
        this.setHealth({ ok: false, error: err ? describeKubeError(err) : 'the watch closed before the list was in' });
        settle('failed');
      };
      new k8s.Watch(this.kc)
        .watch(this.path, { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true }, onEvent, onDone)
        .then((c) => {
          ac = c;
          if (gen !== this.gen || this.stopped) c.abort();
          else this.abort = c;
        })
        .catch(onDone);
    });
  }

  private async relist(gen: number): Promise<boolean> {
    const seen = ++this.epoch;
    let cont: string | undefined;
    let rv = '';
    try {
      do {
        const page = await this.listPage(PAGE, cont);
        if (gen !== this.gen || this.stopped) return false;
        rv ||= page.metadata?.resourceVersion ?? '';
        for (const o of page.items) this.sink.upsert(o, seen);
        cont = page.metadata?._continue || undefined;
        this.onChange();
      } while (cont);
    } catch (e) {
      if (gen !== this.gen || this.stopped) return false;
      // A continue token older than a compaction: start the list again, at once.
      if ((e as { code?: unknown }).code === 410) return this.relist(gen);
      this.setHealth({ ok: false, error: describeKubeError(e) });
      return false;
    }
    this.sink.sweep(seen);
    this.onChange();
    this.rv = rv;
    this.setHealth({ ok: true, ...(this.health.error ? { error: this.health.error } : {}) });
    return true;
  }

  private async watch(gen: number): Promise<void> {
    const k8s = await clientNode();
    const began = Date.now();
    let gone = false;
    const onEvent = (type: string, obj: WatchEvent<T>) => {
      if (gen !== this.gen || this.stopped) return;
      this.onWatchEvent(type, obj, () => (gone = true));
    };
    const onDone = (err: unknown) => {
      if (gen !== this.gen || this.stopped) return;
      this.onWatchDone(gen, began, gone, err);
    };
    try {
      const ac = await new k8s.Watch(this.kc).watch(this.path, { resourceVersion: this.rv, allowWatchBookmarks: true }, onEvent, onDone);
      if (gen !== this.gen || this.stopped) ac.abort();
      else this.abort = ac;
    } catch (e) {
      onDone(e);
    }
  }

  private onWatchEvent(type: string, obj: WatchEvent<T>, onGone: () => void): void {
    if (type === 'ERROR') {
      if (obj?.code === 410) onGone();
      return;
    }
    if (type === 'ADDED' || type === 'MODIFIED') this.sink.upsert(obj, this.epoch);
    else if (type === 'DELETED') this.sink.remove(obj);
    this.rv = obj?.metadata?.resourceVersion ?? this.rv;
    if (type !== 'BOOKMARK') this.onChange();
  }

  private onWatchDone(gen: number, began: number, gone: boolean, err: unknown): void {
    this.abort = undefined;
    if (gone) {
      this.rv = '';
      void this.run(true);
    } else if (err && (err as { name?: string }).name === 'TimeoutError') {
      void this.run(false); // 30 s without a byte: routine in a quiet namespace
    } else if (!err) {
      // A clean close: a server-side watch timeout, or the server going away. Resuming from our
      // resourceVersion could land on another server that came up on the same address meanwhile
      // and replays its own objects as new (6/3 where 3/3 is right): relist, calmly if it was instant.
      if (Date.now() - began < 1000) void this.sleep(1000).then(() => gen === this.gen && void this.run(true));
      else void this.run(true);
    } else {
      // The API went away or refused the watch: relist, since what it has now may not be what we hold.
      this.reportLater(describeKubeError(err));
      void this.run(true);
    }
  }

  private reportLater(error: string): void {
    clearTimeout(this.reportTimer);
    // Cleared by the next successful relist; firing means the API has not answered since.
    this.reportTimer = setTimeout(() => !this.stopped && this.setHealth({ ok: false, error }), REPORT_AFTER_MS);
    this.reportTimer.unref();
  }

  private setHealth(h: ListWatchHealth): void {
    if (h.ok) clearTimeout(this.reportTimer);
    const changed = h.ok !== this.health.ok || h.error !== this.health.error;
    this.health = h;
    if (changed) this.onHealth(h);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.sleepTimer = setTimeout(resolve, ms);
    });
  }
}
