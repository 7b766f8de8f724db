import type { BrowserContext, Request } from '@playwright/test';

export interface SentRequest {
  url: string;
  method: string;
  resourceType: string;
  isNavigation: boolean;
  /** Every header Chromium sent, `referer` included (`allHeaders()`, not `headers()`). */
  headers: Record<string, string>;
}

/**
 * Every request the pages of a browser context make, with their full headers, and every load
 * the Content-Security-Policy refused (Chromium reports those on the console, never as a
 * request): together, everything the portal tried to fetch.
 */
export class RequestLog {
  private readonly pending: Promise<SentRequest>[] = [];
  readonly blockedByCsp: string[] = [];

  constructor(context: BrowserContext) {
    context.on('request', (request) => this.pending.push(describe(request)));
    context.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
        this.blockedByCsp.push(message.text());
      }
    });
  }

  async requests(): Promise<SentRequest[]> {
    return Promise.all(this.pending);
  }
}

async function describe(request: Request): Promise<SentRequest> {
  return {
    url: request.url(),
    method: request.method(),
    resourceType: request.resourceType(),
    isNavigation: request.isNavigationRequest(),
    // allHeaders() waits for the network stack's view of the request; a request that never
    // got that far (aborted by a navigation) still has the headers the page gave it.
    headers: await request.allHeaders().catch(() => request.headers()),
  };
}
