import { join } from 'node:path';

import { defineConfig } from '@playwright/test';

/**
 * The portal in a real Chromium (Debian's, never a downloaded one), against the production
 * build, the built API, PostgreSQL and a real SMTP listener (see src/support/stack.ts).
 */
export default defineConfig({
  testDir: join(__dirname, 'src'),
  testMatch: '**/*.spec.ts',
  outputDir: join(__dirname, 'test-results'),
  globalSetup: join(__dirname, 'src/support/global-setup.ts'),
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: join(__dirname, 'playwright-report') }],
  ],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
});
