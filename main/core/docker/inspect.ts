/** A container as people inspect it: what it runs, with what, and why its health check fails. */
import type Docker from 'dockerode';
import { ApiError } from '../../common/errors';
import type { InstanceInspect } from '../../common/model';

export async function inspectContainer(_api: Docker, envId: string, ref: string): Promise<InstanceInspect> {
  throw new ApiError('INVALID_PARAMS', `Inspect is not available yet for ${envId} (${ref}).`);
}

export async function revealContainerEnv(_api: Docker, _ref: string, name: string): Promise<string> {
  throw new ApiError('NOT_FOUND', `No variable ${name}.`);
}
