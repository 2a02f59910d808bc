/** A pod as people inspect it: its YAML, conditions and Events. */
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { InstanceInspect } from '../../common/model';

export async function inspectPod(_kc: K8s.KubeConfig, envId: string, _namespace: string, pod: string): Promise<InstanceInspect> {
  throw new ApiError('INVALID_PARAMS', `Inspect is not available yet for ${envId} (${pod}).`);
}

export async function revealPodEnv(_kc: K8s.KubeConfig, _namespace: string, _pod: string, name: string): Promise<string> {
  throw new ApiError('NOT_FOUND', `No variable ${name}.`);
}
