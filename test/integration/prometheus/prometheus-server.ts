/**
 * The real Prometheus server from Debian (/usr/bin/prometheus), started on 127.0.0.1 with a config
 * the test writes and a storage folder of its own, stopped (and its folder removed) at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BIN = process.env.FLEETDECK_PROMETHEUS_BIN ?? '/usr/bin/prometheus';

/** Why the Prometheus tests cannot run here (printed), or false. */
export function prometheusSkipReason(): string | false {
  if (existsSync(PROMETHEUS_BIN)) return false;
  const why = `no Prometheus server at ${PROMETHEUS_BIN} (npm test installs Debian's prometheus package where it can: apt-get install prometheus)`;
  console.log(`# skipped: ${why}`);
  return why;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A scrape job that finds the containers of one test project through the Docker socket and
 * reaches each on its 127.0.0.1 host port (never a container's own address), labelling every
 * series with the service name from Compose's or Fleetdeck's label. docs/prometheus.md shows the same.
 */
/** The `namespace` label every scraped container gets, standing in for a pod's. */
export const POD_NAMESPACE = 'fdtest';

export function dockerScrapeConfig(project: string, scrapeSeconds = 1, pod?: { namespace: string; name: string }): string {
  return `global:
  scrape_interval: ${scrapeSeconds}s
  evaluation_interval: ${scrapeSeconds}s
scrape_configs:
  - job_name: fleetdeck-docker
    docker_sd_configs:
      - host: unix:///var/run/docker.sock
        refresh_interval: 1s
        filters:
          - name: label
            values: ["dev.fleetdeck.project=${project}"]
    relabel_configs:
      - source_labels: [__meta_docker_port_public]
        regex: ''
        action: drop
      - source_labels: [__meta_docker_port_public]
        target_label: __address__
        replacement: 127.0.0.1:$1
      - source_labels: [__meta_docker_container_label_com_docker_compose_service, __meta_docker_container_label_dev_fleetdeck_service]
        separator: ';'
        regex: ';?([^;]+).*'
        target_label: service
      - source_labels: [__meta_docker_container_name]
        regex: '/?(.*)'
        target_label: container
      # As a cluster's Prometheus labels pods (kubernetes_sd), so the pods' queries run on the real server too.
      - target_label: namespace
        replacement: ${pod?.namespace ?? POD_NAMESPACE}
${
  pod
    ? `      - target_label: pod
        replacement: ${pod.name}`
    : `      - source_labels: [__meta_docker_container_name]
        regex: '/?(.*)'
        target_label: pod`
}
`;
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

export async function startPrometheus(config: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 20_000) stderr += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Prometheus did not become ready in 30 s:\n${stderr.slice(-2000)}`);
}
