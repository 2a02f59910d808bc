/** CPU, memory and network of one container from the engine's stats stream (about one sample a second). */
import type Docker from 'dockerode';
import { onNdjson } from '../ndjson';

export interface ContainerSample {
  t: number;
  cpuPercent: number;
  memBytes: number;
  rxBytes: number;
  txBytes: number;
}

interface Stats {
  read: string;
  cpu_stats: { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
}

export function toSample(s: Stats): ContainerSample {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  // Page cache is not the process's memory: `docker stats` subtracts it the same way.
  const cache = s.memory_stats.stats?.inactive_file ?? s.memory_stats.stats?.total_inactive_file ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  return {
    t: Date.parse(s.read) || Date.now(),
    cpuPercent: sysDelta > 0 && cpuDelta >= 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0,
    memBytes: Math.max(0, (s.memory_stats.usage ?? 0) - cache),
    rxBytes: rx,
    txBytes: tx,
  };
}

/** Streams samples until stopped or the container stops. */
export function streamStats(docker: Docker, id: string, onSample: (s: ContainerSample) => void, onEnd: () => void): () => void {
  let stream: NodeJS.ReadableStream | undefined;
  let stopped = false;
  void docker
    .getContainer(id)
    .stats({ stream: true })
    .then((s) => {
      stream = s as unknown as NodeJS.ReadableStream;
      if (stopped) return void (stream as unknown as { destroy(): void }).destroy();
      onNdjson<Stats>(stream, (stats) => {
        try {
          onSample(toSample(stats));
        } catch {
          /* an odd sample: the next one comes in a second */
        }
      });
      stream.on('error', () => {});
      stream.on('end', () => !stopped && onEnd());
    })
    .catch(() => !stopped && onEnd());
  return () => {
    stopped = true;
    if (stream) {
      stream.removeAllListeners('data');
      stream.on('error', () => {});
      (stream as unknown as { destroy(): void }).destroy();
    }
  };
}
