/**
 * Prints how long each test file took, wall clock from its start to its end (set-up hooks, installs and
 * tests included), slowest first, and writes the figures to .cache/test-durations.json. BENCHMARKS.md keeps a
 * copy, so the slowest files stay visible.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class DurationsReporter implements Reporter {
  private readonly started = new Map<string, number>();
  private readonly took = new Map<string, number>();

  onTestModuleStart(testModule: TestModule): void {
    this.started.set(testModule.relativeModuleId, performance.now());
  }

  onTestModuleEnd(testModule: TestModule): void {
    const started = this.started.get(testModule.relativeModuleId);
    if (started !== undefined) this.took.set(testModule.relativeModuleId, performance.now() - started);
  }

  onTestRunEnd(): void {
    const rows = [...this.took].sort((a, b) => b[1] - a[1]);
    if (rows.length === 0) return;
    const file = path.resolve('.cache/test-durations.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(Object.fromEntries(rows.map(([name, ms]) => [name, Math.round(ms)])), null, 2)}\n`);
    console.log(`\nTest files by wall-clock time (also in ${path.relative(process.cwd(), file)}):`);
    for (const [name, ms] of rows) console.log(`${(ms / 1000).toFixed(1).padStart(8)} s  ${name}`);
  }
}
