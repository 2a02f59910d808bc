/** Shared by the sample container tests: engine check, images, unique project names, loopback HTTP. */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { resolveDockerEndpoint } from '../../../main/core/docker/endpoint';
import { SAMPLE_SERVICES, buildSampleImages, sampleImage } from '../../../main/core/samples';

/** A Docker client, or the reason there is none (the tests then skip, saying why). */
export async function dockerOrSkip(): Promise<{ docker: Docker; skip: false } | { docker: undefined; skip: string }> {
  const endpoint = resolveDockerEndpoint();
  const docker = new Docker(endpoint.options);
  try {
    await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 3 s')), 3000).unref())]);
    return { docker, skip: false };
  } catch (err) {
    const reason = `no Docker engine answers at ${endpoint.display} (${err instanceof Error ? err.message : String(err)})`;
    console.log(`# skipping sample container tests: ${reason}`);
    return { docker: undefined, skip: reason };
  }
}

/**
 * Builds the sample images if they are missing or older than the sample sources (CI builds them before the
 * integration tests; on a workstation an image left from before a change to services-sample/ would test old code).
 */
export async function ensureSampleImages(docker: Docker): Promise<void> {
  const sources = newestMtime(join(process.cwd(), 'services-sample'), ['dist', 'k8s', 'flask']);
  for (const { name } of SAMPLE_SERVICES) {
    let created = 0;
    try {
      created = Date.parse((await docker.getImage(sampleImage(name)).inspect()).Created);
    } catch {
      // missing
    }
    if (created < sources) {
      console.log(`# building the sample images: ${sampleImage(name)} is ${created ? 'older than services-sample/' : 'missing'}`);
      await buildSampleImages(docker, { root: process.cwd() });
      return;
    }
  }
}

/** The newest modification time (ms) of the files under dir, leaving out the named subdirectories. */
function newestMtime(dir: string, skip: string[]): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(entry.name)) newest = Math.max(newest, newestMtime(path, skip));
    } else {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** A project name no other run uses, so cleanup touches only what this run started. */
export function uniqueProject(tag: string): string {
  return `it-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers of many shapes
export async function getJson(url: string, timeoutMs = 5000): Promise<{ status: number; body: any; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, ms: performance.now() - t0 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
