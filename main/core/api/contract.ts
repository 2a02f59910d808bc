/** What main/core must provide to serve the API contract: one function per method and stream. */
import type { z } from 'zod';
import type { MethodName, MethodResults, StreamEvents, StreamName, methods, streams } from '../../common/api';
import type { ApiError } from '../../common/errors';
import type { AppInfo, Environment } from '../../common/model';
import type { EnvironmentDriver } from '../env/driver';
import type { LogScope } from '../logstore/collector';
import type { LogStore } from '../logstore/types';

/** What the API is implemented on: the core, as far as the API sees it (no import of it, so no cycle). */
export interface CoreLike {
  readonly environments: {
    list(): Environment[];
    describe(id: string): Environment;
    get(id: string): EnvironmentDriver;
    owner(childId: string): EnvironmentDriver;
    reconnect(id: string): Environment;
    all(): readonly EnvironmentDriver[];
    on(event: 'change', fn: (list: Environment[]) => void): unknown;
    off(event: 'change', fn: (list: Environment[]) => void): unknown;
  };
  /** Open terminals by id, whichever environment opened them. */
  readonly terminals: {
    input(terminalId: string, data: string): void;
    flow(terminalId: string, paused: boolean): void;
    resize(terminalId: string, cols: number, rows: number): Promise<void>;
  };
  /** The sample services start on the local engine. */
  readonly local: { readonly engine: { readonly api: import('dockerode') } };
  info(): AppInfo;
  addEngine(name: string, host: string): Environment;
  removeEngine(id: string): void;
  /** Every line of the services in scope, kept and searchable. */
  readonly logStore: LogStore;
  /** Every service's figures, kept (metricstore/recorder.ts). */
  readonly metrics: Pick<import('../metricstore/recorder').MetricsRecorder, 'range' | 'glance' | 'latest' | 'on' | 'off'>;
  /** Each environment's Prometheus, if it names one (prometheus/sources.ts). */
  readonly prometheus: Pick<import('../prometheus/sources').PrometheusSources, 'has' | 'decorate' | 'set' | 'range' | 'on' | 'off'>;
  /** Alert rules, what fired, acknowledging it (alerts/engine.ts). */
  readonly alerts: Pick<import('../alerts/engine').AlertEngine, 'rules' | 'setRule' | 'removeRule' | 'list' | 'acknowledge' | 'event' | 'on' | 'off'>;
  readonly logCollector: {
    scopeOf(env: EnvironmentDriver): LogScope;
    setScope(env: EnvironmentDriver, scope: LogScope): void;
    opened(env: EnvironmentDriver, serviceId: string): void;
  };
}

export type MethodImpls = {
  [M in MethodName]: (params: z.output<(typeof methods)[M]>) => Promise<MethodResults[M]> | MethodResults[M];
};

export interface StreamSink<T> {
  next(data: T): void;
  /** The stream is over (the engine went away, the object was deleted…); with the reason on failure. */
  end(error?: ApiError): void;
  /** Bytes queued in the pipe for this client: fast producers pause while it is high. */
  backlog?(): number;
}

/** Starts a stream; returns how to stop it. */
export type StreamImpls = {
  [S in StreamName]: (params: z.output<(typeof streams)[S]>, sink: StreamSink<StreamEvents[S]>) => () => void;
};

export interface ApiImpl {
  methods: MethodImpls;
  streams: StreamImpls;
}
