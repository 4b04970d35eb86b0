/**
 * Every timeout of the suite, named, in one place. Each is sized from durations measured on this 2-core
 * machine, idle and under a steady load of 4 (two busy loops per core), given in its comment, with a wide
 * margin on top: a busy machine makes the suite slower, never red. Change a figure only after measuring.
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export const TIMEOUTS = {
  /** The default for a test: CLI runs without an install take 0.1-1 s idle, up to 4 s loaded. */
  test: 1 * MINUTE,
  /** 101 runs of the write driver (1,500 files each), killed at random: about 30 s idle. */
  killTest: 5 * MINUTE,
  /** The default for a hook. */
  hook: 4 * MINUTE,
  /** npm install of one dependency set into .cache/installs, warm cache: 5-8 s idle, about 25 s loaded. */
  sharedInstall: 5 * MINUTE,
  /** Generate a project, link its install, type-check it and run its own tests: 15-25 s idle, 60 s loaded (two at a time). */
  projectSetup: 4 * MINUTE,
  /** One era's three scripted-host scenarios against a built server: 2-3.5 s idle, 10 s loaded. */
  hostScenarios: 1 * MINUTE,
  /** Generate, link and build the project the host tests drive: 6-14 s idle, 40 s loaded. */
  hostedProject: 3 * MINUTE,
  /** The README's "Add a tool" steps, then the project's build and tests: 11-12 s idle, 40 s loaded. */
  addTool: 3 * MINUTE,
  /** Build version N of the generator, publish it, install N and N+1 from the registry, generate with N: 20-30 s idle. */
  updateSetup: 4 * MINUTE,
  /** One or two update runs (two generator runs each, N fetched once): 1-3 s each idle. */
  updateRun: 2 * MINUTE,
  /** An update, then twelve killed at random moments, each recovered and reset: about 30 s idle. */
  updateKills: 4 * MINUTE,
  /** One verify run (install, type-check, build, tests, live scenarios): 33-50 s idle, 100-136 s loaded. */
  verify: 6 * MINUTE,
  /** npm create from the local registry with install, then build and test: 39-62 s idle, 190 s loaded. */
  npmCreate: 6 * MINUTE,
  /** A team-template project installed for real, type-checked and tested: 25-40 s idle. */
  teamTemplateSetup: 8 * MINUTE,
  /** A project generated with a real install, then built (Inspector, user text): 15-30 s idle. */
  installedSetup: 5 * MINUTE,
  /** README's main command on a fresh copy of the checkout (npm ci, build, generate, install) and the project's tests: about 60 s idle. */
  readmeMainJob: 8 * MINUTE,
  /** A --ship project: generate, lock, version, push, clone, then its workflows' steps (two installs, two test runs, a bundle): 35-40 s idle. */
  shipRelease: 6 * MINUTE,
  /** Node 22/24 or pnpm/yarn/bun: generate (or a real `<pm> create`), install with that tool, verify: 49-115 s idle, 190 s loaded. */
  toolchain: 8 * MINUTE,

  // Waits inside a test, for something a process says.
  /** A built server's "listening" log line: 0.3 s idle, 1.5 s loaded. */
  serverListening: 15 * SECOND,
  /** Text appearing on a tmux terminal or a host's output after a keystroke: under 1 s idle, 3 s loaded. */
  terminalOutput: 15 * SECOND,
  /** A program on a tmux terminal exiting after its last input: under 2 s idle, 5 s loaded. */
  terminalExit: 30 * SECOND,
  /** `npm run inspect` until the Inspector's web UI listens: npx fetching it (warm cache) and starting, 4-9 s idle. */
  inspectorWebStart: 90 * SECOND,
  /** verdaccio listening after start: 2.4-5 s. */
  registryStart: 30 * SECOND,
  /** verdaccio exiting after SIGTERM, before it is killed: under 1 s. */
  registryStop: 5 * SECOND,
} as const;
