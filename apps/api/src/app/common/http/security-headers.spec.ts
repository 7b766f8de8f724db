import helmet from 'helmet';

import { recordedHelmetHeaders, SECURITY_HEADER_OPTIONS } from './security-headers';

/** helmet's middleware against a real response object, as it ran per request before. */
async function helmetOnAResponse(): Promise<Record<string, string>> {
  const { ServerResponse, IncomingMessage } = await import('node:http');
  const { Socket } = await import('node:net');
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  response.setHeader('X-Powered-By', 'something');
  await new Promise<void>((resolve, reject) =>
    helmet(SECURITY_HEADER_OPTIONS)(request, response, (error?: unknown) =>
      error ? reject(error as Error) : resolve(),
    ),
  );
  return Object.fromEntries(
    Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
  );
}

describe('recordedHelmetHeaders', () => {
  it('should be exactly the headers helmet sets on a response', async () => {
    const recorded = recordedHelmetHeaders(SECURITY_HEADER_OPTIONS);
    expect(recorded).toEqual(await helmetOnAResponse());
    expect(recorded['x-powered-by']).toBeUndefined();
    expect(recorded['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(recorded['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(recorded['referrer-policy']).toBe('no-referrer');
  });

  it('should refuse options helmet refuses', () => {
    expect(() =>
      recordedHelmetHeaders({
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self';"] } },
      }),
    ).toThrow();
  });
});
