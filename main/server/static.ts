/** Serves the renderer build: only files under its folder, with types and a strict CSP. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../common/security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return void plain(res, 400, 'Bad path.');
  }
  if (rel.includes('\0')) return void plain(res, 400, 'Bad path.');
  const file = normalize(join(root, rel === '/' ? 'index.html' : rel));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return void plain(res, 404, 'Not found.');
  const st = await stat(file).catch(() => undefined);
  // Unknown paths get the app itself, so a reload on any in-app URL works.
  const target = st?.isFile() ? file : join(root, 'index.html');
  const tst = target === file ? st : await stat(target).catch(() => undefined);
  if (!tst?.isFile()) {
    return void plain(res, 503, 'The renderer is not built. Run "npm run build" and restart "fleetdeck serve".');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
    'Content-Length': tst.size,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // No other site may frame the panel, open it as its opener, or load its files.
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': target.endsWith('index.html') ? 'no-store' : 'private, max-age=3600',
  });
  // pipeline, not pipe: a file vanishing mid-read (a rebuild) ends this response, not the process.
  pipeline(createReadStream(target), res, () => {});
}

export function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text + '\n');
}
