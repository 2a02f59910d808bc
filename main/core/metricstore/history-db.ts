/**
 * The metrics history on disk: one SQLite file (node:sqlite, as the log store) in the state
 * folder, a row per service per tier per step, and the markers. Writes come in one transaction
 * every couple of seconds (about 50 rows for 50 services), small enough for the main thread;
 * in WAL mode a CLI reads while the window writes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { MetricMarker, MetricMarkerKind } from '../../common/metrics-model';
import { METRIC_TIERS } from '../../common/metrics-model';

/** PRAGMA user_version of this layout; another is moved aside by the caller, not misread. */
export const METRICS_LAYOUT = 1;

export interface PointRow {
  service: string;
  tier: number;
  t: number;
  data: string;
}

export interface MarkerRow extends MetricMarker {
  service: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, service TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS points (
  series INTEGER NOT NULL, tier INTEGER NOT NULL, t INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (series, tier, t)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS markers (series INTEGER NOT NULL, t INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, instance TEXT);
CREATE INDEX IF NOT EXISTS markers_by_series ON markers (series, t);
`;

export class HistoryDb {
  private readonly db: DatabaseSync;
  private readonly ids = new Map<string, number>();
  private readonly stmt: Record<'series' | 'newSeries' | 'point' | 'marker' | 'range' | 'markers' | 'prune' | 'pruneMarkers' | 'latest', StatementSync>;

  /** `readOnly`: the CLI reads what the window or serve keeps; a missing file reads as empty. */
  constructor(
    readonly file: string,
    readonly readOnly = false,
  ) {
    if (!readOnly) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = readOnly && existsSync(file) ? new DatabaseSync(file, { readOnly: true }) : new DatabaseSync(readOnly ? ':memory:' : file);
    if (!readOnly || !existsSync(file)) {
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
      const version = Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
      if (version !== 0 && version !== METRICS_LAYOUT) throw new Error(`metrics history layout ${version}, expected ${METRICS_LAYOUT}`);
      this.db.exec(SCHEMA);
      this.db.exec(`PRAGMA user_version = ${METRICS_LAYOUT}`);
    }
    this.db.exec('PRAGMA busy_timeout = 2000');
    this.stmt = {
      series: this.db.prepare('SELECT id FROM series WHERE service = ?'),
      newSeries: this.db.prepare('INSERT INTO series (service) VALUES (?) RETURNING id'),
      point: this.db.prepare('INSERT OR REPLACE INTO points (series, tier, t, data) VALUES (?, ?, ?, ?)'),
      marker: this.db.prepare('INSERT INTO markers (series, t, kind, text, instance) VALUES (?, ?, ?, ?, ?)'),
      range: this.db.prepare('SELECT t, data FROM points WHERE series = ? AND tier = ? AND t >= ? AND t < ? ORDER BY t'),
      markers: this.db.prepare('SELECT t, kind, text, instance FROM markers WHERE series = ? AND t >= ? AND t < ? ORDER BY t LIMIT 1000'),
      prune: this.db.prepare('DELETE FROM points WHERE tier = ? AND t < ?'),
      pruneMarkers: this.db.prepare('DELETE FROM markers WHERE t < ?'),
      latest: this.db.prepare('SELECT max(t) AS t FROM points WHERE series = ? AND tier = ?'),
    };
  }

  write(points: readonly PointRow[], markers: readonly MarkerRow[]): void {
    if (this.readOnly || (points.length === 0 && markers.length === 0)) return;
    this.db.exec('BEGIN');
    try {
      for (const p of points) this.stmt.point.run(this.seriesId(p.service, true)!, p.tier, p.t, p.data);
      for (const m of markers) this.stmt.marker.run(this.seriesId(m.service, true)!, m.t, m.kind, m.text, m.instance ?? null);
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** The rows of one tier in [from, to), oldest first. */
  range(service: string, tier: number, from: number, to: number): { t: number; data: string }[] {
    const id = this.seriesId(service, false);
    if (id === undefined) return [];
    return (this.stmt.range.all(id, tier, from, to) as { t: number; data: string }[]).map((r) => ({ t: Number(r.t), data: r.data }));
  }

  markers(service: string, from: number, to: number): MetricMarker[] {
    const id = this.seriesId(service, false);
    if (id === undefined) return [];
    return (this.stmt.markers.all(id, from, to) as { t: number; kind: MetricMarkerKind; text: string; instance: string | null }[]).map((r) => ({
      t: Number(r.t),
      kind: r.kind,
      text: r.text,
      ...(r.instance ? { instance: r.instance } : {}),
    }));
  }

  /** Time of the newest row of a tier, if any. */
  latest(service: string, tier: number): number | undefined {
    const id = this.seriesId(service, false);
    if (id === undefined) return undefined;
    const t = (this.stmt.latest.get(id, tier) as { t: number | null } | undefined)?.t;
    return t === null || t === undefined ? undefined : Number(t);
  }

  /** Drops what each tier keeps no longer. */
  prune(now: number): void {
    if (this.readOnly) return;
    METRIC_TIERS.forEach((tier, i) => this.stmt.prune.run(i, now - tier.keepMs));
    this.stmt.pruneMarkers.run(now - METRIC_TIERS[METRIC_TIERS.length - 1]!.keepMs);
  }

  /** Bytes on disk (the file; the WAL is bounded by checkpoints). */
  size(): number {
    const pages = Number((this.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
    const size = Number((this.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
    return pages * size;
  }

  close(): void {
    this.db.close();
  }

  private seriesId(service: string, create: boolean): number | undefined {
    let id = this.ids.get(service);
    if (id !== undefined) return id;
    const row = this.stmt.series.get(service) as { id: number } | undefined;
    if (row) id = Number(row.id);
    else if (create) id = Number((this.stmt.newSeries.get(service) as { id: number }).id);
    if (id !== undefined) this.ids.set(service, id);
    return id;
  }
}
