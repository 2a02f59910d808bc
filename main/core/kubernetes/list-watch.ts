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
 * Lists are paged (500 a page) so no single response holds every pod.
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
    const onEvent = (type: string, obj: T & { code?: number }) => {
      if (gen !== this.gen || this.stopped) return;
      if (type === 'ERROR') {
        if (obj?.code === 410) gone = true;
        return;
      }
      if (type === 'ADDED' || type === 'MODIFIED') this.sink.upsert(obj, this.epoch);
      else if (type === 'DELETED') this.sink.remove(obj);
      this.rv = obj?.metadata?.resourceVersion ?? this.rv;
      if (type !== 'BOOKMARK') this.onChange();
    };
    const onDone = (err: unknown) => {
      if (gen !== this.gen || this.stopped) return;
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
    };
    try {
      const ac = await new k8s.Watch(this.kc).watch(this.path, { resourceVersion: this.rv, allowWatchBookmarks: true }, onEvent, onDone);
      if (gen !== this.gen || this.stopped) ac.abort();
      else this.abort = ac;
    } catch (e) {
      onDone(e);
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
