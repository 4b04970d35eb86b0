/** What `update` and `add tool` say: every file's fate, then the conflicts again with how to resolve each. */
import type { Ui } from '../report/ui.js';
import { shellWord } from '../render/literals.js';
import type { Fate, FileFate } from './merge.js';

export interface ChangeReport {
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly from: { readonly generator: string; readonly template: string | null };
  readonly to: { readonly generator: string; readonly template: string | null };
  /** Every file the old or new version has, with its fate. */
  readonly files: readonly { readonly path: string; readonly fate: Fate; readonly note?: string }[];
  readonly conflicts: readonly string[];
  /** Where replaced and removed files were backed up (relative to the project), when kept. */
  readonly backup?: string;
}

const SAID: Record<Exclude<Fate, 'unchanged'>, string> = {
  updated: 'updated',
  merged: 'merged with your changes',
  conflict: 'CONFLICT: both changed the same lines',
  added: 'added',
  removed: 'removed (the new version no longer has it)',
  restored: 'restored',
  kept: 'kept',
  'deleted-kept': 'stays deleted (you deleted it; --restore-deleted brings it back)',
};

/** The unified diff of every change, as `git diff` would show it after the update. */
export async function printDiffs(fates: readonly FileFate[], read: (file: string) => string | undefined): Promise<void> {
  const { createTwoFilesPatch } = await import('diff');
  for (const fate of fates) {
    if (fate.content === undefined && fate.fate !== 'removed') continue;
    const before = read(fate.path);
    const after = fate.fate === 'removed' ? undefined : fate.content;
    const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${fate.path}`, after === undefined ? '/dev/null' : `b/${fate.path}`, before ?? '', after ?? '');
    // The header's "Index:"/"====" lines are jsdiff's; git's form starts at ---.
    process.stdout.write(patch.slice(patch.indexOf('---')));
  }
}

export function describeFates(report: ChangeReport, ui: Ui, directory: string): void {
  const changed = report.files.filter((file) => file.fate !== 'unchanged');
  const versions = report.from.generator === report.to.generator ? report.to.generator : `${report.from.generator} to ${report.to.generator}`;
  if (changed.length === 0) {
    ui.line(`Nothing to change: the project is what create-mcp-sampling-server ${report.to.generator} makes from its answers, with your changes.`);
    return;
  }
  ui.line(`${report.dryRun ? 'Would change' : 'Changed'} ${directory} (create-mcp-sampling-server ${versions}):`);
  const width = Math.max(...changed.map((file) => file.path.length));
  for (const file of changed) {
    const note = file.note && file.fate !== 'conflict' ? `: ${file.note}` : '';
    ui.line(`  ${file.path.padEnd(width)}  ${SAID[file.fate as Exclude<Fate, 'unchanged'>]}${note}`);
  }
  ui.line(`${report.files.length - changed.length} other files unchanged.`);
  if (report.backup) ui.line(`The files it replaced or removed are backed up in ${report.backup}; delete it once you have checked the result.`);
  if (report.dryRun) {
    ui.line('Nothing was written (--dry-run).');
    return;
  }
  if (report.conflicts.length > 0) {
    ui.line('');
    ui.line('Resolve the conflicts:');
    for (const file of report.files.filter((entry) => entry.fate === 'conflict')) {
      ui.line(`  ${file.path}: ${file.note ?? 'between the <<<<<<< and >>>>>>> markers'}`);
    }
  }
}

/** The next commands in the project's folder, from where the user is. */
export function nextSteps(directory: string, ...commands: string[]): string {
  return `${directory === '.' ? '' : `cd ${shellWord(directory)} && `}${commands.join(' && ')}`;
}
