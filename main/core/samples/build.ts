/**
 * Builds the sample services' images without a registry: bundle each service
 * to one JavaScript file (esbuild), make a base image from the host's Node
 * runtime with `docker import` (unless a base image is given), then build
 * each service's Dockerfile on it with BASE_IMAGE as a build argument.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { ApiError } from '../../common/errors';
import { SAMPLE_SERVICES, sampleImage, type Progress } from './constants';

const run = promisify(execFile);

export interface BuildOptions {
  /** The repository root (holds services-sample/). Default: the current directory. */
  root?: string;
  /** Node binary put in the local base image. Default: the one running this code. */
  nodeBinary?: string;
  /** Use this base image instead of importing one (e.g. node:20-slim where a registry answers). */
  baseImage?: string;
  /** Import the local base image again even if it exists. */
  rebuildBase?: boolean;
  onProgress?: Progress;
}

export interface BuildResult {
  baseImage: string;
  images: string[];
}

/** Bundles one service to services-sample/<name>/dist/server.js. */
export async function bundleService(root: string, name: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(root, 'services-sample', name, 'dist', 'server.js');
  await esbuild.build({
    entryPoints: [join(root, 'services-sample', name, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  // The repository is "type": "module"; the bundle is CommonJS, also when run from here.
  await writeFile(join(dirname(outfile), 'package.json'), '{ "type": "commonjs" }\n');
  return outfile;
}

/** Shared libraries a dynamically linked binary loads, as `ldd` lists them (plus its loader). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  const libs = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m?.[1]) libs.add(m[1]);
  }
  return [...libs];
}

async function copyReal(from: string, rootfs: string, at = from): Promise<void> {
  const target = join(rootfs, at);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(await realpath(from), target); // Debian's merged /usr: copy what the links point at
}

/** The local base image's tag: fleetdeck/node-base:<version of the Node binary>. */
export async function nodeBaseTag(nodeBinary: string): Promise<string> {
  const { stdout } = await run(nodeBinary, ['--version']);
  return `fleetdeck/node-base:${stdout.trim().replace(/^v/, '')}`;
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

async function follow(docker: Docker, stream: NodeJS.ReadableStream, what: string, onProgress?: Progress): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = err?.message ?? output.find((o) => o.error || o.errorDetail)?.error;
        if (failed) reject(new ApiError('INTERNAL', `${what} failed: ${failed}`));
        else resolve();
      },
      (event: { stream?: string }) => {
        const line = event.stream?.trim();
        if (line && onProgress && /^Step \d+\/\d+ : FROM/.test(line)) onProgress(`${what}: ${line}`);
      },
    );
  });
}

/**
 * A minimal image with the host's Node binary, the shared libraries it needs,
 * /bin/sh (dash, when the host has it), and passwd/group files with a `node`
 * user (1000:1000) like the official images.
 */
export async function createNodeBaseImage(docker: Docker, options: { nodeBinary?: string; rebuild?: boolean; onProgress?: Progress } = {}): Promise<string> {
  const nodeBinary = await realpath(options.nodeBinary ?? process.execPath);
  const tag = await nodeBaseTag(nodeBinary);
  if (!options.rebuild && (await imageExists(docker, tag))) {
    options.onProgress?.(`base image ${tag} exists`);
    return tag;
  }
  options.onProgress?.(`importing base image ${tag} from ${nodeBinary}`);
  const rootfs = await mkdtemp(join(tmpdir(), 'fleetdeck-node-base-'));
  try {
    await mkdir(join(rootfs, 'usr/local/bin'), { recursive: true });
    const node = join(rootfs, 'usr/local/bin/node');
    try {
      await run('strip', ['--strip-all', '-o', node, nodeBinary]); // drops ~20 MB of debug info
    } catch {
      await copyFile(nodeBinary, node);
    }
    await chmod(node, 0o755);
    const binaries = [nodeBinary];
    const shell = ['/usr/bin/dash', '/bin/dash'].find((p) => existsSync(p));
    if (shell) {
      await copyReal(shell, rootfs, '/bin/sh');
      await chmod(join(rootfs, 'bin/sh'), 0o755);
      binaries.push(shell);
    }
    for (const binary of binaries) for (const lib of await sharedLibraries(binary)) await copyReal(lib, rootfs);
    await mkdir(join(rootfs, 'etc'), { recursive: true });
    await writeFile(
      join(rootfs, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    );
    await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
    await writeFile(join(rootfs, 'etc/nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
    for (const dir of ['tmp', 'root', 'home/node', 'app']) await mkdir(join(rootfs, dir), { recursive: true });
    await chmod(join(rootfs, 'tmp'), 0o1777);
    await chown(join(rootfs, 'home/node'), 1000, 1000);
    await symlink('/usr/local/bin/node', join(rootfs, 'usr/local/bin/nodejs'));

    const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tarErr = '';
    tar.stderr.on('data', (c: Buffer) => (tarErr += c.toString()));
    const tarDone = new Promise<void>((resolve, reject) =>
      tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar failed (${code}): ${tarErr}`)))),
    );
    const [repo, version] = tag.split(':') as [string, string];
    const stream = await docker.importImage(
      tar.stdout as unknown as string,
      {
        repo,
        tag: version,
        changes: [
          'ENV PATH=/usr/local/bin:/usr/bin:/bin',
          `ENV NODE_VERSION=${version}`,
          'CMD ["node"]',
          `LABEL org.opencontainers.image.title="fleetdeck node-base" org.opencontainers.image.version="${version}" org.opencontainers.image.description="The host's Node runtime, imported for offline sample builds"`,
        ],
      } as object,
    );
    await Promise.all([follow(docker, stream, `import ${tag}`), tarDone]);
    return tag;
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

/** Bundles both services and builds fleetdeck/user-service:dev and fleetdeck/order-service:dev. */
export async function buildSampleImages(docker: Docker, options: BuildOptions = {}): Promise<BuildResult> {
  const root = options.root ?? process.cwd();
  const progress = options.onProgress;
  const baseImage =
    options.baseImage ??
    (await createNodeBaseImage(docker, {
      ...(options.nodeBinary ? { nodeBinary: options.nodeBinary } : {}),
      ...(options.rebuildBase ? { rebuild: true } : {}),
      ...(progress ? { onProgress: progress } : {}),
    }));
  const images: string[] = [];
  for (const { name } of SAMPLE_SERVICES) {
    progress?.(`bundling ${name}`);
    await bundleService(root, name);
    const image = sampleImage(name);
    progress?.(`building ${image} on ${baseImage}`);
    const stream = await docker.buildImage(
      { context: join(root, 'services-sample', name), src: ['Dockerfile', 'dist/server.js'] },
      { t: image, buildargs: { BASE_IMAGE: baseImage }, rm: true, forcerm: true },
    );
    await follow(docker, stream, `build ${image}`, progress);
    images.push(image);
  }
  return { baseImage, images };
}
