// Starts: docker builds on the real engine (the local Node base image if missing, then both sample images); no containers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSampleImages, sampleImage } from '../../../main/core/samples';
import { dockerOrSkip } from './helpers';

const engine = await dockerOrSkip();

describe('sample images build offline', { skip: engine.skip }, () => {
  test('samples build: base image from the host Node, both service images with labels, non-root user and healthcheck', async () => {
    const docker = engine.docker!;
    const t0 = Date.now();
    const result = await buildSampleImages(docker, { root: process.cwd() });
    console.log(`# built ${result.images.join(', ')} on ${result.baseImage} in ${Date.now() - t0} ms`);
    assert.match(result.baseImage, /^fleetdeck\/node-base:\d+\.\d+\.\d+$/, 'no registry image needed');
    const base = await docker.getImage(result.baseImage).inspect();
    assert.ok(base.Config.Env.some((e) => e.startsWith('PATH=/usr/local/bin')));

    for (const name of ['user-service', 'order-service'] as const) {
      const info = await docker.getImage(sampleImage(name)).inspect();
      const labels = info.Config.Labels ?? {};
      assert.equal(labels['dev.fleetdeck.service'], name);
      assert.equal(labels['dev.fleetdeck.project'], 'samples');
      assert.equal(labels['org.opencontainers.image.title'], name);
      assert.ok(labels['org.opencontainers.image.version']);
      assert.equal(info.Config.User, '1000:1000');
      assert.deepEqual(info.Config.Cmd, ['node', '/app/server.js']);
      const health = (info.Config as { Healthcheck?: { Test?: string[] } }).Healthcheck;
      assert.equal(health?.Test?.[0], 'CMD');
      assert.equal(health?.Test?.[1], 'node');
      assert.ok(Object.keys(info.Config.ExposedPorts ?? {}).length === 1);
    }
  });
});
