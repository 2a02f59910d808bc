/**
 * The API contract: every query, command and stream the UI (or the CLI) can use.
 * main/core implements it once; both pipes (Electron IPC, WebSocket) carry it unchanged.
 * Params are validated here, in pure code, so the engine never sees a malformed request.
 */
import { z } from 'zod';
import type { LogHistogram, LogHit, LogSearchResult, LogStoreStats } from './log-store-model';
import type { GlanceEvent, MetricsRangeResult } from './metrics-model';
import { alertRuleSchema, type Alert, type AlertRule, type AlertsEvent } from './alerts-model';
import { setPrometheusParams } from './prometheus-model';
import type { AppInfo, Environment, Instance, InstanceInspect, LogEvent, MetricsEvent, Service } from './model';

/** 2: services.watch sends a snapshot, then changes (ServicesEvent), no longer the whole list each time. */
export const PROTOCOL_VERSION = 2;

const none = z.object({}).strict();
const environmentId = z
  .string()
  .min(1)
  .max(300)
  .regex(/^(docker|kube):\S.*$/, 'an environment id looks like "docker:local" or "kube:<context>"');

const serviceId = z.string().min(1).max(600);
const instanceRef = z.string().min(1).max(300);
/** A replica count as people type it: whole, not negative. The engine applies its own maximum. */
export const replicaCount = z
  .number({ error: 'Replicas must be a number.' })
  .int('Replicas must be a whole number.')
  .min(0, 'Replicas cannot be negative.')
  .max(100_000, 'That is far more replicas than any engine can run.');
const terminalSize = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };
const terminalId = z.string().uuid();
const epochMs = z.number().int().min(0).max(8.64e15);
/** A search of the stored logs: the query (docs/log-search.md), a time range, a scope. */
const logScope = {
  query: z.string().max(2000).default(''),
  from: epochMs.optional(),
  to: epochMs.optional(),
  envIds: z.array(environmentId).max(100).optional(),
  serviceIds: z.array(serviceId).max(500).optional(),
};

/** Request/response calls. */
export const methods = {
  'app.info': none,
  'environments.list': none,
  /** Try to reach an environment now instead of waiting for the next retry. */
  'environments.reconnect': z.object({ id: environmentId }).strict(),
  /** Add a Docker engine by name and address (unix://, tcp://, ssh:// as DOCKER_HOST takes them). */
  'environments.addDocker': z
    .object({
      name: z
        .string()
        .trim()
        .min(1, 'Give the engine a name.')
        .max(60)
        .regex(/^[\w .()-]+$/, 'Use letters, digits, spaces and . _ ( ) - in the name.'),
      host: z
        .string()
        .trim()
        .min(1, 'Give the engine an address.')
        .max(500)
        .regex(/^(unix|tcp|ssh|npipe|https?):\/\//, 'The address starts with unix://, tcp:// or ssh://.'),
    })
    .strict(),
  'environments.remove': z.object({ id: environmentId }).strict(),
  /** Which namespaces a Kubernetes context watches (capabilities.namespaces); `all` for every one. */
  'environments.setNamespaces': z
    .object({
      id: environmentId,
      namespaces: z.union([
        z.literal('all'),
        z
          .array(
            z
              .string()
              .min(1)
              .max(253)
              .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace is a DNS label'),
          )
          .min(1)
          .max(100),
      ]),
    })
    .strict(),
  /** Name (or, with neither url nor service, forget) the environment's Prometheus; see docs/prometheus.md. */
  'environments.setPrometheus': setPrometheusParams,
  'services.list': z.object({ envId: environmentId }).strict(),
  /** Scale a service to `replicas`; resolves once the engine shows the new count. */
  'services.scale': z.object({ serviceId, replicas: replicaCount }).strict(),
  /** Restart every instance one at a time, each waiting for the previous to be healthy. */
  'services.restart': z.object({ serviceId }).strict(),
  'instances.action': z.object({ envId: environmentId, instance: instanceRef, action: z.enum(['start', 'stop', 'restart', 'remove']) }).strict(),
  /** What an instance is: image, command, environment (secret-looking values masked), mounts, health-check output, conditions, events. */
  'instances.inspect': z.object({ envId: environmentId, instance: instanceRef }).strict(),
  /** The value of one masked environment variable, asked for by the user. */
  'instances.revealEnv': z.object({ envId: environmentId, instance: instanceRef, name: z.string().min(1).max(300) }).strict(),
  'terminal.input': z.object({ terminalId, data: z.string().max(64 * 1024) }).strict(),
  'terminal.resize': z.object({ terminalId, ...terminalSize }).strict(),
  /** The viewer is behind (paused) or caught up: the shell's output waits meanwhile. */
  'terminal.flow': z.object({ terminalId, paused: z.boolean() }).strict(),
  /** Stored log lines matching a query, newest first (or oldest), a page at a time (`after`: the last hit's id). */
  'logs.search': z
    .object({
      ...logScope,
      order: z.enum(['newest', 'oldest']).default('newest'),
      limit: z.number().int().min(1).max(10_000).default(500),
      after: z.number().int().min(0).optional(),
    })
    .strict(),
  /** How many stored lines match, per time bucket over [from, to). */
  'logs.histogram': z
    .object({ ...logScope, from: epochMs, to: epochMs, buckets: z.number().int().min(1).max(1000).default(60) })
    .strict()
    .refine((p) => p.to > p.from, 'The range must end after it starts.'),
  /** The lines of the same instance around a stored line (for context around a hit). */
  'logs.around': z
    .object({ id: z.number().int().min(0), before: z.number().int().min(0).max(500).default(5), after: z.number().int().min(0).max(500).default(5) })
    .strict(),
  /** What the log store holds, and why it is not storing if it is not. */
  'logs.stats': none,
  /** Which services of an environment keep their logs: all, the ones opened, or none. */
  'logs.setScope': z.object({ envId: environmentId, scope: z.enum(['all', 'opened', 'none']) }).strict(),
  /**
   * A service's stored figures over [from, to): the finest tier that covers the range, at most
   * `maxPoints` points; and its markers. `instances: 'top'` keeps per-instance figures only for the
   * instances a chart draws (the busiest few by CPU and by memory) and sums the rest into `others`.
   */
  'metrics.range': z
    .object({
      envId: environmentId,
      serviceId,
      from: epochMs,
      to: epochMs,
      maxPoints: z.number().int().min(10).max(5000).default(900),
      instances: z.enum(['all', 'top']).optional(),
    })
    .strict()
    .refine((p) => p.to > p.from, 'The range must end after it starts.'),
  /** The alert rules (alerts.json in the state folder; the defaults on first start). */
  'alerts.rules': none,
  /** Adds a rule, or replaces the one with its id; a bad rule is refused naming the field, and nothing changes. */
  'alerts.setRule': z.object({ rule: alertRuleSchema }).strict(),
  'alerts.removeRule': z.object({ id: z.string().min(1).max(64) }).strict(),
  /** Alerts fired, firing or past, newest first. */
  'alerts.list': z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
  /** Marks a firing or past alert as seen (it stays firing until its condition ends). */
  'alerts.ack': z.object({ id: z.string().min(1).max(100) }).strict(),
} satisfies Record<string, z.ZodType>;

export interface MethodResults {
  'app.info': AppInfo;
  'environments.list': Environment[];
  'environments.reconnect': Environment;
  'environments.addDocker': Environment;
  'environments.remove': null;
  'environments.setNamespaces': Environment;
  'environments.setPrometheus': Environment;
  'services.list': Service[];
  'services.scale': Service;
  'services.restart': Service;
  'instances.action': null;
  'instances.inspect': InstanceInspect;
  'instances.revealEnv': { name: string; value: string };
  'terminal.input': null;
  'terminal.resize': null;
  'terminal.flow': null;
  'logs.search': LogSearchResult;
  'logs.histogram': LogHistogram;
  'logs.around': LogHit[];
  'logs.stats': LogStoreStats & { scopes: { envId: string; scope: 'all' | 'opened' | 'none' }[] };
  'logs.setScope': null;
  'metrics.range': MetricsRangeResult;
  'alerts.rules': AlertRule[];
  'alerts.setRule': AlertRule;
  'alerts.removeRule': null;
  'alerts.list': Alert[];
  'alerts.ack': Alert;
}

export type TerminalEvent =
  { kind: 'ready'; terminalId: string; shell: string } | { kind: 'data'; data: string } | { kind: 'exit'; code: number | null; message?: string };

/** Subscriptions: the engine pushes events until the caller unsubscribes. */
export const streams = {
  /** The whole environment list, first at once and then on every change (it is small). */
  'environments.watch': none,
  /** Every service of an environment: a snapshot first, then what changed (coalesced); see ServicesEvent. */
  'services.watch': z.object({ envId: environmentId }).strict(),
  /** How busy an environment is: engine events per second, pushed when it changes (at most 1 Hz). */
  'environments.activity': z.object({ id: environmentId }).strict(),
  /** Start the sample services on the local engine (building their images first if needed); progress, then the end. */
  'samples.start': none,
  /** Live logs of one instance, or of every instance of a service merged; history first (`tail` lines each). */
  'logs.follow': z
    .object({
      envId: environmentId,
      serviceId: serviceId.optional(),
      instance: instanceRef.optional(),
      tail: z.number().int().min(0).max(10_000).default(200),
    })
    .strict()
    .refine((p) => Boolean(p.serviceId) !== Boolean(p.instance), 'Name either a service or an instance.'),
  /** A service's figures once a second (CPU, memory, network, requests, errors, p95): the last 5 minutes first. */
  'metrics.watch': z.object({ envId: environmentId, serviceId }).strict(),
  /** Every service's figures at a glance (15-minute sparklines, error rate, p95), every 5 s; all environments when none is named. */
  'metrics.glance': z.object({ envIds: z.array(environmentId).max(100).optional() }).strict(),
  /** Firing alerts and the most recent past ones, first at once and then on every change. */
  'alerts.watch': none,
  /** A shell in an instance; send keys with terminal.input once 'ready' names the terminal. */
  'terminal.open': z.object({ envId: environmentId, instance: instanceRef, ...terminalSize }).strict(),
} satisfies Record<string, z.ZodType>;

/** Streams whose every event is the whole state: a client that is behind needs only the newest. */
export const snapshotStreams: ReadonlySet<string> = new Set(['environments.watch', 'environments.activity', 'metrics.glance', 'alerts.watch']);

/**
 * What services.watch sends. The first event is a `snapshot` (every service, in display order);
 * after it, `changes`: the services whose content changed, each whole (`upserts`, by id), the ids
 * of those gone (`removed`), and `order` (every id, in display order) only when the order or the
 * membership changed. A large service of which few instances changed comes as a patch instead
 * (`patches`: its own fields whole, the instances new or changed, the ids of those gone, and the
 * instance order when it moved). A service is named at most once per event, in one of upserts,
 * removed or patches. Applied in order to the snapshot they give the exact current list
 * (main/common/services-feed.ts). A client that is behind gets its held events merged into one
 * (session.ts), never skipped: a dropped `changes` event would leave a row stale for good.
 * A later `snapshot` (the engine re-listed) replaces everything.
 */
export type ServicesEvent = { kind: 'snapshot'; services: Service[] } | ServicesChanges;
export interface ServicesChanges {
  kind: 'changes';
  upserts: Service[];
  removed: string[];
  order?: string[];
  patches?: ServicePatch[];
}
export interface ServicePatch {
  service: Omit<Service, 'instances'>;
  upserts: Instance[];
  removed: string[];
  /** Every instance id in order, when the order or the membership changed. */
  order?: string[];
}

export interface StreamEvents {
  'environments.watch': Environment[];
  'services.watch': ServicesEvent;
  'terminal.open': TerminalEvent;
  'samples.start': { message: string; done?: boolean; instances?: number };
  'environments.activity': { eventsPerSecond: number };
  'logs.follow': LogEvent;
  'metrics.watch': MetricsEvent;
  'metrics.glance': GlanceEvent;
  'alerts.watch': AlertsEvent;
}

export type MethodName = keyof typeof methods & keyof MethodResults;
export type StreamName = keyof typeof streams & keyof StreamEvents;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]>;
export type StreamParams<S extends StreamName> = z.input<(typeof streams)[S]>;

export function isMethodName(v: string): v is MethodName {
  return Object.hasOwn(methods, v);
}
export function isStreamName(v: string): v is StreamName {
  return Object.hasOwn(streams, v);
}
