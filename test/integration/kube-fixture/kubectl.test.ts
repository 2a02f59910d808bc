// Starts the Kubernetes API fixture (test/fixtures/kube-apiserver) on 127.0.0.1 and runs the real `kubectl` (from PATH, or $KUBECTL) against it.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadManifests } from '../../fixtures/kube-apiserver/loader';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, TESTDATA, tempDir, waitFor } from './helpers';

const SAMPLES = join(import.meta.dirname, '../../../services-sample/k8s');
const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';

function kubectlVersion(): { minor: number; text: string } | undefined {
  const r = spawnSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return undefined;
  const v = (JSON.parse(r.stdout) as { clientVersion: { minor: string; gitVersion: string } }).clientVersion;
  return { minor: parseInt(v.minor, 10), text: v.gitVersion };
}

const version = kubectlVersion();
const skip = version ? false : `kubectl not found (looked for "${KUBECTL}"; set $KUBECTL or install Debian's kubernetes-client)`;
if (skip) console.error(`# SKIP kubectl tests: ${skip}`);
else console.error(`# kubectl tests use ${KUBECTL} ${version!.text}`);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl asynchronously (the fixture runs in this process: a synchronous spawn would block it). */
function runKubectl(kubeconfig: string, args: string[], opts: { timeoutMs?: number; stdin?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(kubeconfig, '..', 'cache'), ...args],
      { timeout: opts.timeoutMs ?? 20_000, encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(opts.stdin ?? '');
  });
}

describe(`kubectl ${version?.text ?? ''} against the Kubernetes API fixture`, { skip }, () => {
  let fixture: KubeFixture;
  const dir = tempDir('kube-fixture-kubectl-');
  const kubeconfig = join(dir.path, 'kubeconfig');

  const kubectl = (args: string[], timeoutMs = 20_000): Promise<Result> => runKubectl(kubeconfig, args, { timeoutMs });
  const ok = async (args: string[], timeoutMs?: number): Promise<string> => {
    const r = await kubectl(args, timeoutMs);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  /** Runs a streaming kubectl command until `until` matches its output (bounded by timeoutMs), then stops it. */
  const stream = (args: string[], until: (out: string) => boolean, timeoutMs = 10_000, onStart?: () => void): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir.path, 'cache'), ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KUBECONFIG: kubeconfig },
      });
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')}: timed out; output so far:\n${out}\n${err}`));
      }, timeoutMs);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (until(out)) {
          clearTimeout(timer);
          child.kill('SIGTERM');
          resolve(out);
        }
      });
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', () => {
        clearTimeout(timer);
        if (!until(out)) reject(new Error(`kubectl ${args.join(' ')} exited early:\n${out}\n${err}`));
      });
      onStart?.();
    });
  const webPods = async (): Promise<string[]> =>
    (
      await ok([
        'get',
        'pods',
        '-n',
        'shop',
        '-l',
        'app=web',
        '-o',
        'jsonpath={range .items[?(@.metadata.deletionTimestamp)]}{end}{range .items[*]}{.metadata.name}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}',
      ])
    )
      .split('\n')
      .filter((l) => l.trim() && l.trim().split(' ').length === 1)
      .map((l) => l.trim());
  const tableRows = (out: string): string[][] =>
    out
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s{2,}/));

  before(async () => {
    fixture = await KubeFixture.start({ controller: FAST, kubeconfigPath: kubeconfig });
  });
  after(async () => {
    await fixture?.stop();
    dir.remove();
  });

  test('create -f DIR creates every object in the manifests', async () => {
    const out = await ok(['create', '-f', TESTDATA]);
    for (const line of [
      'namespace/shop created',
      'deployment.apps/web created',
      'service/web created',
      'statefulset.apps/cache created',
      'service/cache created',
      'horizontalpodautoscaler.autoscaling/web created',
    ])
      assert.ok(out.includes(line), `missing "${line}" in:\n${out}`);
    const again = await kubectl(['create', '-f', join(TESTDATA, 'web.yaml')]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /Error from server \(AlreadyExists\).*deployments\.apps "web" already exists/);
  });

  test('rollout status waits for the deployment', async () => {
    const out = await ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=20s'], 25_000);
    assert.match(out, /deployment "web" successfully rolled out/);
  });

  test('get shows every kind with the columns kubectl prints', async () => {
    await waitFor('cache statefulset ready', async () => (await ok(['get', 'sts', 'cache', '-n', 'shop', '-o', 'jsonpath={.status.readyReplicas}'])) === '2');
    const pods = await ok(['get', 'pods', '-n', 'shop']);
    assert.match(pods.split('\n')[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const rows = tableRows(pods);
    assert.equal(rows.length, 4);
    assert.ok(
      rows.every((r) => r[1] === '1/1' && r[2] === 'Running' && r[3] === '0'),
      pods,
    );
    assert.deepEqual(rows.map((r) => r[0]!.replace(/-[a-z0-9]{10}-[a-z0-9]{5}$/, '-<rs>-<pod>')).sort(), [
      'cache-0',
      'cache-1',
      'web-<rs>-<pod>',
      'web-<rs>-<pod>',
    ]);

    const deploy = await ok(['get', 'deployments', '-n', 'shop']);
    assert.match(deploy, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+2\/2\s+2\s+2\s+\d+s\n$/);
    const rs = await ok(['get', 'rs', '-n', 'shop']);
    assert.match(rs, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb-[a-z0-9]{10}\s+2\s+2\s+2\s+\d+s\n$/);
    assert.match(await ok(['get', 'statefulsets', '-n', 'shop']), /^NAME\s+READY\s+AGE\ncache\s+2\/2\s+\d+s\n$/);
    const svc = await ok(['get', 'svc', '-n', 'shop']);
    assert.match(svc, /cache\s+ClusterIP\s+None\s+<none>\s+6379\/TCP/);
    assert.match(svc, /web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP/);
    const ep = await ok(['get', 'endpoints', 'web', '-n', 'shop']);
    assert.match(ep, /web\s+10\.244\.0\.\d+:8080,10\.244\.0\.\d+:8080/);
    const ev = await ok(['get', 'events', '-n', 'shop']);
    assert.match(ev.split('\n')[0]!, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    assert.match(ev, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-[a-z0-9]{10} from 0 to 2/);
    assert.match(ev, /Normal\s+Started\s+pod\/cache-0\s+Started container cache/);
    const hpa = await ok(['get', 'hpa', '-n', 'shop']);
    assert.match(hpa, /web\s+Deployment\/web\s+cpu: (\d+%|<unknown>)\/80%\s+1\s+5\s+2\s+\d+s/);
    const ns = await ok(['get', 'namespaces']);
    for (const n of ['default', 'kube-system', 'kube-public', 'shop']) assert.match(ns, new RegExp(`^${n}\\s+Active\\s+\\d+s$`, 'm'));
    assert.match(await ok(['get', 'nodes']), /fixture-node\s+Ready\s+<none>\s+\d+s\s+v1\.32\.0/);
    // kubectl asked for server-side Table output.
    assert.ok(fixture.requests.some((r) => r.url.startsWith('/api/v1/namespaces/shop/pods') && r.accept.includes('as=Table')));
  });

  test('get -o json returns the objects', async () => {
    const d = JSON.parse(await ok(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json'])) as {
      kind: string;
      spec: { replicas: number };
      status: { readyReplicas: number };
    };
    assert.equal(d.kind, 'Deployment');
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.status.readyReplicas, 2);
    const list = JSON.parse(await ok(['get', 'pods', '-n', 'shop', '-l', 'app=cache', '-o', 'json'])) as {
      kind: string;
      items: { metadata: { name: string } }[];
    };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((p) => p.metadata.name),
      ['cache-0', 'cache-1'],
    );
  });

  test('get -w shows pods appearing while scale deployment --replicas runs', async () => {
    const before = await webPods();
    const out = await stream(
      ['get', 'pods', '-n', 'shop', '-l', 'app=web', '-w'],
      (o) => o.split('\n').filter((l) => /\s1\/1\s+Running\s/.test(l) && !before.some((b) => l.startsWith(b))).length >= 1,
      15_000,
      () => {
        setTimeout(
          () => void kubectl(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=3']).then((r) => assert.match(r.stdout, /deployment.apps\/web scaled/)),
          500,
        );
      },
    );
    for (const b of before) assert.ok(out.includes(b), `initial pod ${b} listed`);
    assert.match(out, /\s0\/1\s+(Pending|ContainerCreating)\s/, 'the new pod is first shown not ready');
    await ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=20s'], 25_000);
    assert.equal(await ok(['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.status.readyReplicas}']), '3');
  });

  test('rollout restart replaces every pod', async () => {
    const before = await webPods();
    assert.match(await ok(['rollout', 'restart', 'deployment/web', '-n', 'shop']), /deployment.apps\/web restarted/);
    const status = await ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s'], 35_000);
    assert.match(status, /successfully rolled out/);
    const afterPods = await waitFor('old pods to be gone', async () => {
      const p = await webPods();
      return p.length === 3 ? p : undefined;
    });
    assert.equal(afterPods.filter((p) => before.includes(p)).length, 0, 'no pod survived the restart');
    const tmpl = JSON.parse(await ok(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json'])) as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
      metadata: { annotations: Record<string, string> };
    };
    assert.ok(tmpl.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    assert.equal(tmpl.metadata.annotations['deployment.kubernetes.io/revision'], '2');
  });

  test('logs --tail, --since, --timestamps and -f', async () => {
    const pod = (await webPods())[0]!;
    await new Promise((r) => setTimeout(r, 600)); // let it write a few lines
    const tail = (await ok(['logs', pod, '-n', 'shop', '--tail=3'])).trim().split('\n');
    assert.equal(tail.length, 3);
    for (const l of tail) assert.equal((JSON.parse(l) as { hostname: string }).hostname, pod);
    const since = (await ok(['logs', pod, '-n', 'shop', '--since=1s', '--timestamps'])).trim().split('\n');
    assert.ok(since.length >= 3 && since.length <= 15, `~10 lines a second, got ${since.length}`);
    for (const l of since) assert.ok(Date.now() - Date.parse(l.split(' ')[0]!) < 5000, `recent timestamp on ${l}`);
    const all = (await ok(['logs', pod, '-n', 'shop'])).trim().split('\n');
    assert.ok(all.length > since.length);
    const startLines = all.length;
    const followed = await stream(['logs', '-f', pod, '-n', 'shop'], (o) => o.trim().split('\n').length >= startLines + 5, 10_000);
    const lines = followed.trim().split('\n');
    assert.ok(lines.length >= startLines + 5, 'new lines keep arriving');
    assert.equal((JSON.parse(lines.at(-1)!) as { msg: string }).msg, 'request completed');
    const bad = await kubectl(['logs', pod, '-n', 'shop', '-c', 'nope']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /container nope is not valid for pod/);
  });

  test('exec -- echo hi, exit codes and stdin (WebSocket for kubectl >= 1.30, SPDY/3.1 before)', async () => {
    const pod = (await webPods())[0]!;
    const hi = await kubectl(['exec', pod, '-n', 'shop', '--', 'echo', 'hi']);
    assert.equal(hi.code, 0, hi.stderr);
    assert.equal(hi.stdout, 'hi\n');
    const three = await kubectl(['exec', pod, '-n', 'shop', '--', 'sh', '-c', 'echo $HOSTNAME; exit 3']);
    assert.equal(three.stdout, `${pod}\n`);
    assert.equal(three.code, 3);
    assert.match(three.stderr, /command terminated with exit code 3/);
    const piped = await runKubectl(kubeconfig, ['exec', '-i', pod, '-n', 'shop', '--', 'cat'], { stdin: 'line one\nline two\n' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, 'line one\nline two\n');
    const missing = await kubectl(['exec', pod, '-n', 'shop', '--', 'nosuch']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /executable file not found in \$PATH/);
  });

  test('exec runs the login-shell script terminals run; a shell dies with its pod, exit code 137', async () => {
    const pods = await webPods();
    const pod = pods[0];
    const probe = await kubectl([
      'exec',
      pod!,
      '-n',
      'shop',
      '--',
      'sh',
      '-c',
      'if command -v bash >/dev/null 2>&1; then echo has-bash; else echo no-bash; fi; echo $((40+2))',
    ]);
    assert.equal(probe.code, 0, probe.stderr);
    assert.equal(probe.stdout, 'has-bash\n42\n');
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir.path, 'cache'), 'exec', '-i', pod!, '-n', 'shop', '--', 'sh'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      child.stdin.write('echo shell-up\n');
      await waitFor('the shell answers', () => out.includes('shell-up'), 10_000);
      await ok(['delete', 'pod', pod!, '-n', 'shop', '--wait=false']);
      assert.equal(await exited, 137, `kubectl exec ends with the killed shell's code: ${err}`);
      assert.match(err, /command terminated with exit code 137/);
    } finally {
      child.kill('SIGKILL');
    }
    await waitFor(
      'the pod replaced',
      async () => {
        const now = await webPods();
        return !now.includes(pod!) && now.length === pods.length;
      },
      15_000,
    );
  });

  test('top pods shows CPU and memory of running pods', async () => {
    const out = await ok(['top', 'pods', '-n', 'shop']);
    assert.match(out.split('\n')[0]!, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    const rows = tableRows(out);
    const running = (await ok(['get', 'pods', '-n', 'shop', '--field-selector=status.phase=Running', '-o', 'name']))
      .trim()
      .split('\n')
      .map((n) => n.replace('pod/', ''));
    assert.deepEqual(rows.map((r) => r[0]).sort(), running.sort());
    for (const r of rows) {
      assert.match(r[1]!, /^\d+m$/);
      assert.match(r[2]!, /^\d+Mi$/);
    }
  });

  test('get events --field-selector and describe pod tell a pod’s events as the kubelet and scheduler record them', async () => {
    const [pod] = await webPods();
    assert.ok(pod, 'a web pod runs');
    const selector = `involvedObject.kind=Pod,involvedObject.name=${pod}`;
    const rows = tableRows(await ok(['get', 'events', '-n', 'shop', '--field-selector', selector, '--sort-by=.metadata.resourceVersion']));
    // LAST SEEN, TYPE, REASON, OBJECT, MESSAGE
    const reasons = rows.map((r) => r[2]);
    for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `${r} among ${reasons.join(', ')}`);
    assert.ok(
      rows.every((r) => r[3] === `pod/${pod}`),
      `only that pod's events:\n${rows.map((r) => r.join(' | ')).join('\n')}`,
    );
    assert.ok(rows.some((r) => r[2] === 'Created' && r[4] === 'Created container: web'));
    const fieldPaths = await ok([
      'get',
      'events',
      '-n',
      'shop',
      '--field-selector',
      `${selector},reason=Started`,
      '-o',
      'jsonpath={.items[*].involvedObject.fieldPath}',
    ]);
    assert.equal(fieldPaths, 'spec.containers{web}');

    const described = await ok(['describe', 'pod', pod!, '-n', 'shop']);
    assert.match(described, /^Node:\s+fixture-node\/10\.0\.0\.10$/m);
    assert.match(described, /^Status:\s+Running$/m);
    assert.match(described, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/m);
    assert.match(described, /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned shop\/\S+ to fixture-node/);
    assert.match(described, /Normal\s+Started\s+.*kubelet\s+Started container web/);

    // The API server accepts only its own field labels for events.
    const bad = await kubectl(['get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.color=red']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /field label not supported: involvedObject\.color/);
  });

  test('errors come back as kubectl prints them', async () => {
    const nf = await kubectl(['get', 'deployment', 'nope', '-n', 'shop']);
    assert.equal(nf.code, 1);
    assert.match(nf.stderr, /Error from server \(NotFound\): deployments.apps "nope" not found/);
    const bad = await kubectl(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=-1']);
    assert.notEqual(bad.code, 0);
  });

  test('delete removes the deployment and its pods', async () => {
    assert.match(await ok(['delete', 'deployment', 'web', '-n', 'shop'], 30_000), /deployment.apps "web" deleted/);
    await waitFor('web pods to be gone', async () => (await ok(['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'name'])).trim() === '', 10_000);
    const gone = await kubectl(['get', 'deployment', 'web', '-n', 'shop']);
    assert.match(gone.stderr, /NotFound/);
    assert.match(await ok(['delete', 'pod', 'cache-1', '-n', 'shop'], 30_000), /pod "cache-1" deleted/);
  });

  test('create -f services-sample/k8s/ brings up the sample services', { skip: existsSync(SAMPLES) ? false : `${SAMPLES} does not exist` }, async () => {
    const objects = await loadManifests(SAMPLES);
    const out = await ok(['create', '-f', SAMPLES]);
    for (const o of objects) {
      const resource = `${o.kind!.toLowerCase()}${o.apiVersion!.includes('/') ? `.${o.apiVersion!.split('/')[0]}` : ''}`;
      assert.ok(out.includes(`${resource}/${o.metadata.name} created`), `missing ${resource}/${o.metadata.name} in:\n${out}`);
    }
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const st = await ok(['rollout', 'status', `deployment/${d.metadata.name}`, '-n', d.metadata.namespace ?? 'default', '--timeout=20s'], 25_000);
      assert.match(st, /successfully rolled out/);
    }
  });
});

describe('kubectl against a fixture with TLS and a bearer token', { skip }, () => {
  let fixture: KubeFixture;
  const dir = tempDir('kube-fixture-kubectl-tls-');
  before(async () => {
    fixture = await KubeFixture.start({ tls: true, token: 's3cret', controller: FAST, kubeconfigPath: join(dir.path, 'kubeconfig') });
  });
  after(async () => {
    await fixture?.stop();
    dir.remove();
  });

  test('the generated kubeconfig verifies the certificate and sends the token; a wrong token is refused', async () => {
    const run = (args: string[]): Promise<Result> => runKubectl(join(dir.path, 'kubeconfig'), args);
    const good = await run(['get', 'namespaces', '-o', 'name']);
    assert.equal(good.code, 0, good.stderr);
    assert.deepEqual(good.stdout.trim().split('\n').sort(), ['namespace/default', 'namespace/kube-public', 'namespace/kube-system']);
    const bad = await run(['--token', 'wrong', 'get', 'namespaces']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Unauthorized/);
  });
});
