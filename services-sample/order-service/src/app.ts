/** order-service: orders that embed their user, fetched from user-service with a circuit breaker. */
import { parseId, toJson } from '../../lib/ids';
import { createService, sendError, setting, type Service, type ServiceOptions } from '../../lib/service';
import { UserClient, type UserClientOptions } from './user-client';

export const ORDER_SERVICE_PORT = 5001;

export function userClientOptions(env: Record<string, string | undefined>): UserClientOptions {
  return {
    baseUrl: env.USER_SERVICE_URL && env.USER_SERVICE_URL !== '' ? env.USER_SERVICE_URL : 'http://user-service:5000',
    timeoutMs: setting(env, 'USER_SERVICE_TIMEOUT_MS', 300, 1, 60_000),
    retries: setting(env, 'USER_SERVICE_RETRIES', 2, 0, 10),
    backoffMs: setting(env, 'USER_SERVICE_BACKOFF_MS', 50, 0, 10_000),
    budgetMs: setting(env, 'USER_SERVICE_BUDGET_MS', 800, 1, 60_000),
    resetTimeoutMs: setting(env, 'BREAKER_RESET_MS', 5000, 100, 600_000),
    errorThresholdPercentage: setting(env, 'BREAKER_ERROR_PERCENT', 50, 1, 100),
    volumeThreshold: setting(env, 'BREAKER_VOLUME_THRESHOLD', 3, 0, 1000),
  };
}

/** Order n belongs to user (n mod 10) + 1. */
export function userIdOf(orderId: bigint): bigint {
  return (orderId % 10n) + 1n;
}

export function buildOrderService(options: Omit<ServiceOptions, 'name'> = {}): Service & { users: UserClient } {
  const env = options.env ?? process.env;
  const clientOptions = userClientOptions(env);
  const service = createService({ ...options, name: 'order-service' });
  const { app } = service;
  const users = new UserClient(clientOptions, service.registry, app.log);
  app.addHook('onClose', async () => users.close());
  service.readyDetails = () => ({ userService: { url: clientOptions.baseUrl, breaker: users.state() } });

  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const parsed = parseId(request.params.id);
    if (parsed.kind === 'not-an-int') return sendError(reply, 404, 'Order id must be a non-negative integer');
    if (parsed.kind === 'too-long') return sendError(reply, 400, 'Order id is too long (at most 100 digits)');
    const userId = userIdOf(parsed.id);
    const order = { id: parsed.id, description: `Order ${parsed.text}`, userId };
    const lookup = await users.getUser(userId.toString(), request.id);
    reply.type('application/json; charset=utf-8');
    if (lookup.ok) return toJson({ ...order, user: lookup.user, degraded: false });
    request.log.warn({ userId: userId.toString(), reason: lookup.reason }, 'answering a degraded order');
    return toJson({ ...order, user: null, degraded: true, reason: lookup.reason });
  });

  service.finalize();
  return Object.assign(service, { users });
}
