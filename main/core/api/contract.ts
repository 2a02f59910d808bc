/** What main/core must provide to serve the API contract: one function per method and stream. */
import type { z } from 'zod';
import type { MethodName, MethodResults, StreamEvents, StreamName, methods, streams } from '../../common/api';
import type { ApiError } from '../../common/errors';

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
