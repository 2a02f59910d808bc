/** Shared by the sample container tests: engine check, images, unique project names, loopback HTTP. */
import { randomBytes } from 'node:crypto';
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

/** Builds the sample images if they are missing (CI builds them before the integration tests). */
export async function ensureSampleImages(docker: Docker): Promise<void> {
  for (const { name } of SAMPLE_SERVICES) {
    try {
      await docker.getImage(sampleImage(name)).inspect();
    } catch {
      await buildSampleImages(docker, { root: process.cwd() });
      return;
    }
  }
}

/** A project name no other run uses, so cleanup touches only what this run started. */
export function uniqueProject(tag: string): string {
  return `it-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export async function getJson(url: string, timeoutMs = 5000): Promise<{ status: number; body: any; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, ms: performance.now() - t0 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
