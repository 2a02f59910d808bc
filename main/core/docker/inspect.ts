/** A container as people inspect it: what it runs, with what, and why its health check fails. */
import type Docker from 'dockerode';
import { ApiError } from '../../common/errors';
import type { HealthCheckRun, InspectEnvVar, InspectFact, InstanceInspect } from '../../common/model';
import { jsonText } from '../../common/output-policy';
import { MASK, looksSecret, plain, plainLines } from '../inspect/secret-env';
import { dockerError } from './errors';
import { toInstance } from './instance';

type Info = Docker.ContainerInspectInfo;

async function read(api: Docker, ref: string): Promise<Info> {
  try {
    return await api.getContainer(ref).inspect();
  } catch (e) {
    throw dockerError(e, `inspect container ${ref.slice(0, 12)}`);
  }
}

export async function inspectContainer(api: Docker, envId: string, ref: string): Promise<InstanceInspect> {
  return toInspect(envId, await read(api, ref));
}

/** The value of one variable, read afresh: it never sat in an answer before the user asked. */
export async function revealContainerEnv(api: Docker, ref: string, name: string): Promise<string> {
  const info = await read(api, ref);
  const found = splitEnv(info.Config.Env ?? []).find((e) => e.name === name);
  if (!found) {
    throw new ApiError(
      'NOT_FOUND',
      `${plain(info.Name.replace(/^\//, ''))} has no variable ${plain(name)}.`,
      'Refresh the Inspect view: the container may have been recreated.',
    );
  }
  return plainLines(found.value);
}

/** Pure, so it is tested on recorded payloads as well as on the engine. */
export function toInspect(envId: string, info: Info): InstanceInspect {
  const env: InspectEnvVar[] = splitEnv(info.Config.Env ?? []).map(({ name, value }) =>
    looksSecret(name) ? { name: plain(name), secret: true } : { name: plain(name), value: plain(value), secret: false },
  );
  const h = info.State.Health;
  return {
    envId,
    instance: plain(info.Name.replace(/^\//, '')),
    kind: 'container',
    facts: factsOf(info),
    env,
    mounts: (info.Mounts ?? []).map((m) => ({
      source: plain(m.Type === 'volume' && m.Name ? m.Name : m.Source),
      destination: plain(m.Destination),
      mode: m.RW ? 'rw' : 'ro',
      type: m.Type,
    })),
    networks: Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({
      name: plain(name),
      ...(Array.isArray(n.Aliases) && n.Aliases.length ? { aliases: (n.Aliases as string[]).map(plain) } : {}),
    })),
    labels: Object.fromEntries(Object.entries(info.Config.Labels ?? {}).map(([k, v]) => [plain(k), plain(v)])),
    ports: toInstance(info).ports,
    ...(h
      ? {
          health: {
            status: plain(h.Status),
            failingStreak: h.FailingStreak ?? 0,
            // The engine keeps the last five; newest last, as it lists them.
            runs: (h.Log ?? []).map((r): HealthCheckRun => ({
              start: Date.parse(r.Start),
              ...(Date.parse(r.End) > 0 ? { end: Date.parse(r.End) } : {}),
              exitCode: r.ExitCode,
              output: plainLines(r.Output ?? '').replace(/\n+$/, ''),
            })),
          },
        }
      : {}),
    raw: { format: 'json', text: rawJson(info) },
  };
}

function splitEnv(list: string[]): { name: string; value: string }[] {
  return list.map((e) => {
    const i = e.indexOf('=');
    return i < 0 ? { name: e, value: '' } : { name: e.slice(0, i), value: e.slice(i + 1) };
  });
}

/** `docker inspect`'s JSON with the kept-back values replaced; JSON escapes every control character. */
function rawJson(info: Info): string {
  const copy = structuredClone(info);
  copy.Config.Env = (copy.Config.Env ?? []).map((e) => {
    const { name } = splitEnv([e])[0]!;
    return looksSecret(name) && e.includes('=') ? `${name}=${MASK}` : e;
  });
  return jsonText(copy);
}

function factsOf(info: Info): InspectFact[] {
  const facts: InspectFact[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) facts.push({ label, value: plain(value) });
  };
  const s = info.State;
  add('State', s.Health ? `${s.Status} (${s.Health.Status})` : s.Status);
  add('Image', info.Config.Image);
  add('Image ID', info.Image.replace(/^sha256:/, '').slice(0, 12));
  const entrypoint = typeof info.Config.Entrypoint === 'string' ? [info.Config.Entrypoint] : (info.Config.Entrypoint ?? []);
  add('Entrypoint', shellWords(entrypoint));
  add('Command', shellWords(info.Config.Cmd ?? []));
  add('Working dir', info.Config.WorkingDir || '/');
  add('User', info.Config.User || 'root (the image’s default)');
  const rp = info.HostConfig?.RestartPolicy;
  const policy = rp?.Name || 'no';
  add('Restart policy', policy === 'on-failure' && rp?.MaximumRetryCount ? `${policy} (at most ${rp.MaximumRetryCount} retries)` : policy);
  add('Restarts', String(info.RestartCount ?? 0));
  if (!s.Running) add('Exit code', String(s.ExitCode));
  if (s.Error) add('Error', s.Error);
  add('OOM killed', s.OOMKilled ? 'yes: the container ran out of memory' : 'no');
  add('Created', time(info.Created));
  add('Started', time(s.StartedAt));
  if (!s.Running) add('Finished', time(s.FinishedAt));
  const hc = info.Config.Healthcheck;
  if (hc?.Test?.length) {
    add('Health check', healthTest(hc.Test));
    if (hc.Test[0] !== 'NONE') {
      // The engine's defaults when the image leaves them out.
      add('Health interval', duration(hc.Interval ?? 0, '30s'));
      add('Health timeout', duration(hc.Timeout ?? 0, '30s'));
      add('Health retries', String(hc.Retries || 3));
      if (hc.StartPeriod) add('Health start period', duration(hc.StartPeriod, '0s'));
    }
  }
  return facts;
}

function healthTest(test: string[]): string {
  const [kind, ...rest] = test;
  if (kind === 'NONE') return 'disabled (NONE)';
  if (kind === 'CMD-SHELL') return `${rest.join(' ')} (in a shell)`;
  if (kind === 'CMD') return shellWords(rest);
  return shellWords(test);
}

/** Arguments as a shell would need them typed: quoted where a word has spaces or quotes. */
export function shellWords(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function time(iso: string | undefined): string | undefined {
  const t = Date.parse(iso ?? '');
  // The engine writes 0001-01-01T00:00:00Z for "never".
  return t > 0 ? new Date(t).toISOString().replace(/\.\d+Z$/, 'Z') : undefined;
}

function duration(ns: number, fallback: string): string {
  if (!ns) return `${fallback} (default)`;
  const ms = ns / 1e6;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
