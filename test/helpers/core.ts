import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../main/core/core';
import type { Service } from '../../main/common/model';

/** A Core on the real engine, with its own state folder and no kubeconfig. */
export async function testCore(env: NodeJS.ProcessEnv = {}, stateDir = mkdtempSync(join(tmpdir(), 'fd-state-'))): Promise<Core> {
  const core = new Core({
    mode: 'cli',
    env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', ...env },
    stateDir,
  });
  await core.start();
  await core.discovery.whenSynced();
  return core;
}

/** Resolves when the services list satisfies `pred` (driven by engine events), or rejects after `ms`. */
export function untilServices(core: Core, pred: (list: Service[]) => boolean, ms = 15_000): Promise<Service[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const list = core.services.list();
      if (!pred(list)) return;
      clearTimeout(t);
      core.services.off('change', check);
      resolve(list);
    };
    const t = setTimeout(() => {
      core.services.off('change', check);
      reject(new Error(`services did not reach the expected state in ${ms} ms`));
    }, ms);
    core.services.on('change', check);
    check();
  });
}
