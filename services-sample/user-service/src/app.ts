/** user-service: the Flask example's user service, the Node way. */
import { parseId, toJson } from '../../lib/ids';
import { createService, sendError, type Service, type ServiceOptions } from '../../lib/service';

export const USER_SERVICE_PORT = 5000;

export function buildUserService(options: Omit<ServiceOptions, 'name'> = {}): Service {
  const service = createService({ ...options, name: 'user-service' });
  const { app } = service;

  app.get<{ Params: { id: string } }>('/user/:id', async (request, reply) => {
    const parsed = parseId(request.params.id);
    // Flask's <int:id> does not match a non-integer: that is a 404, not a 400.
    if (parsed.kind === 'not-an-int') return sendError(reply, 404, 'User id must be a non-negative integer');
    if (parsed.kind === 'too-long') return sendError(reply, 400, 'User id is too long (at most 100 digits)');
    reply.type('application/json; charset=utf-8');
    return toJson({ id: parsed.id, name: `User ${parsed.text}` });
  });

  service.finalize();
  return service;
}
