// Browser tests (components, connection library, vault) in the system's headless Chromium.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { ensureChromium, chromiumArgs } from '../scripts/lib/chromium.mjs';
import { simulatorPlugin } from './wtr/simulator-plugin.mjs';
import { permissionsPlugin } from './wtr/permissions-plugin.mjs';
import { summaryReporter } from './wtr/summary-reporter.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export default {
  rootDir: root,
  files: ['components/**/*.test.ts', 'extension/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production', 'default'] },
  concurrency: 2,
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 10000 } },
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 300000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: ensureChromium({ quiet: true }),
        headless: true,
        args: chromiumArgs,
      },
      // With concurrency > 1 only one tab of a window is visible and focused: the others get no
      // animation frames (fixtures hang) and no focus (keyboard, clipboard fail). One context per
      // page gives each its own visible window; focus emulation makes every page focused.
      async createPage({ browser }) {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        const session = await page.createCDPSession();
        await session.send('Emulation.setFocusEmulationEnabled', { enabled: true });
        return page;
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)), target: 'es2022' }), simulatorPlugin(), permissionsPlugin()],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter(process.env.WTR_SUMMARY_FILE)],
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').includes('Lit is in dev mode'),
};
