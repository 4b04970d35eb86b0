/**
 * Path rules for everything a template names: its own files, the files it writes, sub-folders of sources.
 * A template is data from someone else, so no name it uses may reach outside the folder it belongs to.
 */

/**
 * Why `relative` is not a plain path inside a folder, or undefined when it is. Forward slashes only; no
 * empty, `.` or `..` segments; not absolute; no NUL or backslash (which would mean something else on Windows).
 */
export function relativePathProblem(relative: string): string | undefined {
  if (relative === '') return 'is empty';
  if (relative.includes('\0')) return 'contains a NUL character';
  if (relative.includes('\\')) return 'contains a backslash; use forward slashes';
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) return 'is absolute; paths must be relative to the template';
  const segments = relative.split('/');
  if (segments.includes('..')) return 'contains "..", which would leave the folder';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'has an empty or "." segment';
  return undefined;
}

/**
 * Why a generated file may not be written at `relative` in the project. Besides the rules above, nothing
 * may go into `.git/`: a file there (a hook) would run when the generator makes the first commit.
 */
export function outputPathProblem(relative: string): string | undefined {
  const problem = relativePathProblem(relative);
  if (problem) return problem;
  if (relative.split('/').some((segment) => segment.toLowerCase() === '.git')) return 'is inside .git/, where a file could run as a git hook';
  return undefined;
}
