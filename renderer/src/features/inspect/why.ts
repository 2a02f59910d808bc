/**
 * The answer people open Inspect for: why this instance is unhealthy or not running, from the
 * sections the engine gave. Pure, so the panel can put it first without scrolling.
 */
import type { InstanceInspect } from '../../../../main/common/model';

export interface Why {
  title: string;
  /** One line each: a condition, a Warning event. */
  lines: string[];
  /** What the failing health check printed, line breaks kept. */
  output?: string;
}

// Waiting reasons that are progress, not trouble.
const ON_ITS_WAY = new Set(['ContainerCreating', 'PodInitializing']);

export function whyUnhealthy(x: InstanceInspect): Why | undefined {
  const h = x.health;
  if (h && h.status === 'unhealthy') {
    const failed = [...h.runs].reverse().find((r) => r.exitCode !== 0);
    return {
      title: `The health check fails (${h.failingStreak} time${h.failingStreak === 1 ? '' : 's'} in a row)`,
      lines: failed ? [`Last failing run: exit code ${failed.exitCode} at ${new Date(failed.start).toLocaleTimeString()}`] : [],
      ...(failed ? { output: failed.output || '(the check printed nothing)' } : {}),
    };
  }
  const lines: string[] = [];
  // A crash long ago on a pod that is ready now is history (it is in Conditions), not the answer.
  const ready = x.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  for (const c of (x.conditions ?? []).filter((c) => !(ready && c.type.endsWith('(last termination)')))) {
    const trouble =
      (c.status === 'Waiting' && c.reason && !ON_ITS_WAY.has(c.reason)) ||
      (c.status === 'Terminated' && !/^Completed/.test(c.reason ?? '')) ||
      (c.status === 'False' && c.message);
    if (trouble) lines.push(`${c.type}: ${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? ` — ${c.message}` : ''}`);
  }
  for (const e of ready ? [] : (x.events ?? []).filter((e) => e.type === 'Warning').slice(-3)) {
    lines.push(`${e.reason}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}`);
  }
  const oom = x.facts.find((f) => f.label === 'OOM killed' && f.value.startsWith('yes'));
  if (oom) lines.unshift(`OOM killed: ${oom.value}`);
  const exit = x.facts.find((f) => f.label === 'Exit code' && f.value !== '0');
  if (exit) lines.unshift(`Exited with code ${exit.value}`);
  return lines.length ? { title: x.kind === 'pod' ? 'Why the pod is not ready' : 'Why the container is not running', lines } : undefined;
}
