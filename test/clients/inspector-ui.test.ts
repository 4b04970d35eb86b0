/**
 * The MCP Inspector's web UI, as a person uses it, in headless Chromium (Debian's `chromium`, driven by
 * playwright-core): connect to a generated stdio server, run its tool, and answer the sampling request,
 * once approving and once rejecting. A screenshot of each approval screen goes to the folder the run prints.
 *
 * - Inspector 0.15 (the line for Node 20) speaks the 2025 era. Its Approve sends its own stub answer, whose
 *   empty text the server reports as `empty_answer`; its Reject sends -32603 "Sampling request rejected",
 *   reported as `rejected`.
 * - Inspector 2.12 (Node 22) speaks both eras (`--protocol-era legacy` or `modern`): the answer typed into its
 *   Sampling Request dialog comes back as the result in both. A rejection in the 2025 era is the server's
 *   `rejected` result; in the 2026-07-28 era the server is never told (the client only stops retrying), so
 *   the Inspector itself ends the call.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { repoRoot, scratch } from '../helpers/cli.js';
import { freePort, runCommand, startUntil, type Started } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const CHROMIUM = '/usr/bin/chromium';
const screenshots = path.join(repoRoot, '.ci/screenshots');

let project: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  mkdirSync(screenshots, { recursive: true });
  console.log(`Screenshots of the Inspector's approval screens: ${screenshots}`);
  project = await generatedProject('cmss-inspector-ui-', 'inspected', ['--tool', 'ask']);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  if (build.code !== 0) throw new Error(`building the project failed:\n${build.output}`);
}, TIMEOUTS.projectSetup);

let inspector: Started | undefined;
afterAll(async () => {
  await inspector?.stop();
});

describe('MCP Inspector 0.15.0 web UI', () => {
  it.each(['approve', 'reject'] as const)('%s in the Sampling tab: the tool result says what happened', async (decision) => {
    const [client, proxy] = [await freePort(), await freePort()];
    inspector = await startUntil(
      toolBin('inspector-0.15.0', 'mcp-inspector'),
      [],
      { cwd: project, env: { CLIENT_PORT: String(client), SERVER_PORT: String(proxy), MCP_AUTO_OPEN_ENABLED: 'false' } },
      /MCP Inspector is up and running/,
      TIMEOUTS.inspectorWebStart,
    );
    const token = /MCP_PROXY_AUTH_TOKEN=(\w+)/.exec(inspector.output())![1]!;
    const query = new URLSearchParams({
      MCP_PROXY_AUTH_TOKEN: token,
      MCP_PROXY_FULL_ADDRESS: `http://localhost:${proxy}`,
      transport: 'stdio',
      serverCommand: process.execPath,
      serverArgs: path.join(project, 'dist/index.js'),
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`http://localhost:${client}/?${query}`);
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByText('Connected').waitFor();
      await page.getByRole('tab', { name: 'Tools' }).click();
      await page.getByRole('button', { name: 'List Tools' }).click();
      await page.getByText('ask', { exact: true }).first().click();
      await page.locator('textarea#prompt').fill('Say hello.');
      await page.getByRole('button', { name: 'Run Tool' }).click();

      await page.getByRole('tab', { name: 'Sampling' }).click();
      await page.getByText('sampling/createMessage').waitFor();
      await page.screenshot({ path: path.join(screenshots, `inspector-0.15-${decision}.png`) });
      await page.getByRole('button', { name: decision === 'approve' ? 'Approve' : 'Reject' }).first().click();

      await page.getByRole('tab', { name: 'Tools' }).click();
      const result = page.getByText(/^Tool Result:/).locator('..');
      await result.waitFor();
      const text = await result.innerText();
      if (decision === 'approve') expect(text).toContain("The host's model (stub-model) returned an empty answer.");
      else expect(text).toContain('The sampling request was declined in the host (the user rejected it).');
    } finally {
      await browser.close();
      await inspector.stop();
      inspector = undefined;
    }
  }, 90_000);
});

describe('MCP Inspector 2.12.0 web UI on Node 22', () => {
  const node22 = toolBin('node-22', 'node');
  const cases = [
    ['legacy', 'approve', 'Hello from the Inspector.'],
    ['legacy', 'reject', 'The sampling request was declined in the host (the user rejected it).'],
    ['modern', 'approve', 'Hello from the Inspector.'],
    ['modern', 'reject', 'Sampling request rejected by user.'],
  ] as const;

  it.each(cases)('%s era, %s in the Sampling Request dialog: %s', async (era, decision, shown) => {
    const [client, sandbox] = [await freePort(), await freePort()];
    inspector = await startUntil(
      node22,
      [toolBin('inspector-2.12.0', 'inspector'), '--web', '--protocol-era', era, node22, path.join(project, 'dist/index.js')],
      {
        cwd: project,
        env: {
          PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}`,
          CLIENT_PORT: String(client),
          MCP_SANDBOX_PORT: String(sandbox),
          MCP_AUTO_OPEN_ENABLED: 'false',
          // Its catalog and secrets go under HOME: a scratch one, not the user's.
          HOME: scratch('cmss-inspector-home-'),
        },
      },
      /MCP Inspector Web is up and running/,
      TIMEOUTS.inspectorWebStart,
    );
    const url = new RegExp(`(http://127\\.0\\.0\\.1:${client}\\S*)`).exec(inspector.output())![1]!;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      // Mantine's switch is drawn over its input; the input is what takes the state.
      await page.getByRole('switch').first().check({ force: true });
      await page.getByText('Connected', { exact: true }).waitFor();
      await page.getByText('Tools', { exact: true }).first().click();
      await page.getByText('ask', { exact: true }).first().click();
      await page.getByRole('textbox', { name: 'prompt' }).first().fill('Say hello.');
      await page.getByRole('button', { name: 'Execute Tool' }).click();

      const dialog = page.getByRole('dialog');
      await dialog.getByText('Sampling Request').waitFor();
      await page.screenshot({ path: path.join(screenshots, `inspector-2.12-${era}-${decision}.png`) });
      if (decision === 'approve') {
        await dialog.getByRole('textbox', { name: 'Response' }).fill('Hello from the Inspector.');
        await dialog.getByRole('button', { name: 'Send Response' }).click();
      } else {
        await dialog.getByRole('button', { name: 'Reject' }).click();
      }
      await page.getByText(shown).first().waitFor();
    } finally {
      await browser.close();
      await inspector.stop();
      inspector = undefined;
    }
  }, 90_000);
});
