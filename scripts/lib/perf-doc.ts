/** Writes one benchmark's section of docs/performance.md between its markers, keeping the rest. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writePerfSection(docsFile: string, name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown}\n${end}`;
  const current = existsSync(docsFile) ? readFileSync(docsFile, 'utf8') : '# Performance\n';
  const next = current.includes(start)
    ? current.slice(0, current.indexOf(start)) + block + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(docsFile, next);
}
