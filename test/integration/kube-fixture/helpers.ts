/** Shared helpers for the Kubernetes API fixture tests (no servers are started here). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControllerOptions } from '../../fixtures/kube-apiserver/controller';

/** Short controller delays so a whole rollout takes well under a second. */
export const FAST: Partial<ControllerOptions> = { startDelayMs: 100, readyDelayMs: 100, maxGraceMs: 300, logIntervalMs: 100 };

/** Polls `check` until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; Date.now() < deadline && i < timeoutMs / intervalMs + 10; i++) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const TESTDATA = join(import.meta.dirname, '../../fixtures/kube-apiserver/testdata');
