/**
 * Scales and rolling restarts in progress, on disk, so that a Fleetdeck that was killed in the
 * middle of one can finish it when it comes back: one JSON file per operation in the state
 * folder (mode 0600, written whole via rename), there from before the operation touches the
 * engine until it ends. One file each, because other Fleetdeck processes (the CLI's `scale`
 * runs its own core) share the folder and must never overwrite each other's operations.
 */
import { readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeJsonAtomic } from '../env/json-store';
import { errorFields, log } from '../log';

export interface OpRecord {
  /** Also the value of the `dev.fleetdeck.op` label of every replica the operation creates. */
  id: string;
  envId: string;
  serviceId: string;
  kind: 'scale' | 'rolling-restart';
  /** Scale: the replica count the user asked for. */
  target?: number;
  /**
   * Rolling restart: each replica to restart and its StartedAt (engine time) when the restart
   * began; one whose StartedAt has changed since was restarted. Engine times, so a remote
   * engine's clock does not have to agree with ours.
   */
  replicas?: Record<string, number>;
  startedAt: number;
  pid: number;
  /** The process's start time (Linux), so a pid reused by an unrelated process is not taken for us. */
  pidStart?: string;
}

/** Operations of this process that have not ended, whichever journal began them. */
const ours = new Set<string>();

export class OpJournal {
  /** `dir` undefined keeps the journal in memory only (nothing survives a crash). */
  constructor(private readonly dir: string | undefined) {}

  begin(op: Pick<OpRecord, 'envId' | 'serviceId' | 'kind' | 'target' | 'replicas'>): OpRecord {
    const rec: OpRecord = { ...op, id: randomBytes(6).toString('hex'), startedAt: Date.now(), ...self() };
    ours.add(rec.id);
    this.write(rec);
    return rec;
  }

  end(id: string): void {
    ours.delete(id);
    if (!this.dir) return;
    try {
      unlinkSync(this.file(id));
    } catch {
      /* gone already (another process finished it) */
    }
  }

  /** This process lets go of an operation it has not finished: the next recovery, ours or another's, takes it up. */
  release(id: string): void {
    ours.delete(id);
  }

  /** Every operation on record, this process's and other processes' (the folder is read afresh). */
  list(): OpRecord[] {
    if (!this.dir) return [];
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: OpRecord[] = [];
    for (const name of names) {
      const claim = /^([0-9a-f]+\.json)\.claim-(\d+)$/.exec(name);
      // A claimer killed between taking a record and writing it back: put the record back. (Our
      // own pid on one is a previous life of it: claim() is synchronous, so never one in progress.)
      const claimer = Number(claim?.[2]);
      if (claim && (claimer === process.pid || !processAlive(claimer)) && !names.includes(claim[1]!)) {
        try {
          renameSync(join(this.dir, name), join(this.dir, claim[1]!));
          names.push(claim[1]!);
        } catch {
          /* another process put it back first */
        }
        continue;
      }
      if (!/^[0-9a-f]+\.json$/.test(name)) continue;
      const r = readRecord(join(this.dir, name));
      if (r) out.push(r);
    }
    return out;
  }

  /** Whether the process that owns `rec` still runs it; a record no live process owns is to be finished. */
  isLive(rec: OpRecord): boolean {
    if (ours.has(rec.id)) return true;
    if (rec.pid === process.pid) return false; // our pid, not our operation: a previous life of ours
    return processAlive(rec.pid, rec.pidStart);
  }

  /**
   * Takes over an abandoned operation: the record as this process now owns it, or undefined
   * if another process got there first. The file is renamed away while it is rewritten, which
   * only one process can do; one that renames a record another already took back sees a live
   * owner in it and puts it back.
   */
  claim(rec: OpRecord): OpRecord | undefined {
    if (!this.dir) {
      ours.add(rec.id);
      return { ...rec, ...self() };
    }
    const from = this.file(rec.id);
    const held = `${from}.claim-${process.pid}`;
    const seen = readRecord(from);
    if (!seen || this.isLive(seen)) return undefined;
    try {
      renameSync(from, held);
    } catch {
      return undefined; // another process took it, or finished it
    }
    const got = readRecord(held);
    if (!got || this.isLive(got)) {
      try {
        renameSync(held, from);
      } catch {
        /* nothing better to do */
      }
      return undefined;
    }
    const next: OpRecord = { ...got, ...self() };
    ours.add(next.id);
    this.write(next);
    try {
      unlinkSync(held);
    } catch {
      /* nothing to do */
    }
    return next;
  }

  private write(rec: OpRecord): void {
    if (!this.dir) return;
    try {
      writeJsonAtomic(this.file(rec.id), rec);
    } catch (e) {
      // An unwritable state folder only means a crash mid-operation is not finished later.
      log('docker').warn({ op: rec.id, ...errorFields(e) }, 'could not journal an operation');
    }
  }

  private file(id: string): string {
    return join(this.dir!, `${id}.json`);
  }
}

/** A record, or undefined for a file that is gone, unreadable or not one (a crash never half-writes one: rename). */
function readRecord(file: string): OpRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as OpRecord;
    return r && typeof r.id === 'string' && typeof r.serviceId === 'string' && typeof r.pid === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

function self(): { pid: number; pidStart?: string } {
  const start = processStart(process.pid);
  return { pid: process.pid, ...(start ? { pidStart: start } : {}) };
}

export function processAlive(pid: number, pidStart?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // 0 and below signal process groups, not a process
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: alive, someone else's
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc (macOS, Windows): the signal's answer is all there is
  if (stat.state === 'Z' || stat.state === 'X') return false; // killed, not yet reaped
  return !pidStart || stat.start === pidStart;
}

function processStart(pid: number): string | undefined {
  return procStat(pid)?.start;
}

/** State and start time from /proc/PID/stat (fields 3 and 22; the name in field 2 may hold spaces). */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return fields[19] ? { state: fields[0]!, start: fields[19] } : undefined;
  } catch {
    return undefined;
  }
}
