import fp from 'fastify-plugin';

/**
 * Headers every answer carries: no MIME sniffing, no framing, no referrer leaking ids in URLs, and strict transport
 * once the hub is reached over https. The console page adds its own content security policy.
 */
export const securityHeaders = fp(async (app) => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
});
