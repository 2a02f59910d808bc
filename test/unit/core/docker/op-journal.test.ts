// The operation journal on a temporary folder: what a crash leaves on disk, and who may finish it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OpJournal, processAlive, type OpRecord } from '../../../../main/core/docker/op-journal';

const root = mkdtempSync(join(tmpdir(), 'fd-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `state-${n++}`, 'docker-operations');

/** A pid that was alive a moment ago and is not now (reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

const scale = { envId: 'docker:local', serviceId: 'docker:local/shop/web', kind: 'scale' as const, target: 5 };

test('an operation is on disk, readable by its owner only, from begin to end', () => {
  const dir = freshDir();
  const j = new OpJournal(dir);
  const rec = j.begin(scale);
  assert.match(rec.id, /^[0-9a-f]{12}$/);
  assert.equal(rec.pid, process.pid);
  assert.deepEqual(readdirSync(dir), [`${rec.id}.json`], 'no temporary file left beside it');
  assert.equal(statSync(join(dir, `${rec.id}.json`)).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.deepEqual(new OpJournal(dir).list(), [rec], 'another process reads what was written');
  j.end(rec.id);
  assert.deepEqual(j.list(), []);
  j.end(rec.id); // twice is harmless
});

test('operations of two processes sharing the folder do not overwrite each other', () => {
  const dir = freshDir();
  const a = new OpJournal(dir).begin(scale);
  const b = new OpJournal(dir).begin({ ...scale, serviceId: 'docker:local/shop/api', target: 2 });
  assert.deepEqual(
    new OpJournal(dir)
      .list()
      .map((r) => r.id)
      .sort(),
    [a.id, b.id].sort(),
  );
});

test('live while its process runs it; abandoned once that process is gone', () => {
  const j = new OpJournal(freshDir());
  const rec = j.begin(scale);
  assert.equal(j.isLive(rec), true, 'our own, running');
  j.release(rec.id);
  assert.equal(j.isLive(rec), false, 'our pid but not our operation: a previous life of this pid');
  assert.equal(j.isLive({ ...rec, id: 'abc', pid: deadPid() }), false, 'its process exited');
  assert.equal(j.isLive({ ...rec, id: 'abd', pid: process.ppid, pidStart: undefined }), true, 'another live process');
  if (rec.pidStart) {
    assert.equal(j.isLive({ ...rec, id: 'abe', pid: process.ppid, pidStart: '1' }), false, 'the pid was reused by an unrelated process');
  }
});

test('processAlive: a live pid, a gone one', () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(deadPid()), false);
});

test('only one of two processes coming back at once takes an abandoned operation', () => {
  const dir = freshDir();
  const rec: OpRecord = { ...scale, id: 'a1b2c3d4e5f6', startedAt: 1, pid: deadPid() };
  new OpJournal(dir).begin(scale); // makes the folder
  writeFileSync(join(dir, `${rec.id}.json`), JSON.stringify(rec), { mode: 0o600 });
  const first = new OpJournal(dir).claim(rec);
  const second = new OpJournal(dir).claim(rec);
  assert.equal(first?.pid, process.pid);
  assert.equal(first?.target, 5, 'what the user asked for is kept');
  assert.equal(second, undefined);
  const onDisk = new OpJournal(dir).list().find((r) => r.id === rec.id);
  assert.equal(onDisk?.pid, process.pid, 'the record now names its new owner');
  assert.equal(new OpJournal(dir).isLive(onDisk!), true);
});

test('a record taken by a process killed before it wrote it back is put back', () => {
  const dir = freshDir();
  new OpJournal(dir).begin(scale);
  const rec: OpRecord = { ...scale, id: '0f0f0f0f0f0f', startedAt: 1, pid: deadPid() };
  const file = join(dir, `${rec.id}.json`);
  writeFileSync(file, JSON.stringify(rec), { mode: 0o600 });
  renameSync(file, `${file}.claim-${deadPid()}`);
  const found = new OpJournal(dir).list().find((r) => r.id === rec.id);
  assert.deepEqual(found, rec);
  assert.ok(readdirSync(dir).includes(`${rec.id}.json`));
});

test('unreadable or foreign files are skipped; a missing folder is an empty journal', () => {
  const dir = freshDir();
  const j = new OpJournal(dir);
  assert.deepEqual(j.list(), []);
  const rec = j.begin(scale);
  writeFileSync(join(dir, 'abcdef.json'), '{"half": ');
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  writeFileSync(join(dir, 'bbbbbb.json'), '{"id": 3}');
  assert.deepEqual(
    j.list().map((r) => r.id),
    [rec.id],
  );
});

test('without a folder the journal lives in memory: nothing on disk, own operations still live', () => {
  const j = new OpJournal(undefined);
  const rec = j.begin(scale);
  assert.equal(j.isLive(rec), true);
  assert.deepEqual(j.list(), []);
  j.end(rec.id);
  assert.equal(j.isLive(rec), false);
});
