import { test as base } from '@playwright/test';

import { RequestLog } from './request-log';
import { Stack } from './stack';

export { expect } from '@playwright/test';

interface TestFixtures {
  /** Requests (and CSP-refused loads) of this test's browser context, from its first page on. */
  requestLog: RequestLog;
  /** Attaches the end of the API's log and the static server's requests to a failed test. */
  diagnoseFailure: void;
}

interface WorkerFixtures {
  stack: Stack;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stack: [
    // Playwright reads fixture dependencies from the destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const stack = await Stack.start();
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  baseURL: async ({ stack }, use) => {
    await use(stack.origin);
  },
  requestLog: async ({ context }, use) => {
    await use(new RequestLog(context));
  },
  diagnoseFailure: [
    async ({ stack }, use, testInfo) => {
      const logFrom = stack.api.logs.length;
      const seenFrom = stack.portal.seen.length;
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('api.log', {
          body: stack.api.logs.slice(logFrom).slice(-200).join('\n'),
          contentType: 'text/plain',
        });
        await testInfo.attach('portal-server.log', {
          body: stack.portal.seen
            .slice(seenFrom)
            .map((r) => `${r.status ?? '-'} ${r.method} ${r.url}`)
            .join('\n'),
          contentType: 'text/plain',
        });
      }
    },
    { auto: true },
  ],
});
