/**
 * The CLI's way in: a core in this process and one API session on it, reached through the same
 * client and the same JSON messages as the window. So every command works for every
 * environment the window can show, with the window's validation and error messages.
 */
import { ApiClient, type Pipe, type PipeState } from '../common/api-client';
import { Core } from '../core/core';

export interface CliSession {
  client: ApiClient;
  close(): void;
}

export async function openSession(): Promise<CliSession> {
  const core = await new Core({ mode: 'cli' }).start();
  let deliver: (text: string) => void = () => {};
  let setState: (s: PipeState) => void = () => {};
  // Messages cross as text, as on a real pipe; delivered a turn later so a reply never runs
  // inside the call that caused it.
  const session = core.session((text) => queueMicrotask(() => deliver(text)));
  const pipe: Pipe = {
    send: (text) => session.receive(text),
    onMessage: (cb) => (deliver = cb),
    onState: (cb) => (setState = cb),
  };
  const client = new ApiClient(pipe);
  setState('open');
  return {
    client,
    close: () => {
      session.close();
      core.stop();
    },
  };
}
