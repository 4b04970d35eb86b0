import { createInterface, type Interface } from 'node:readline';

/** Raised when the user presses Ctrl-C, or input has ended with a question still to answer. */
export class Interrupted extends Error {
  constructor() {
    super('Interrupted');
    this.name = 'Interrupted';
  }
}

/**
 * The host's conversation with the person at the keyboard: questions, status lines and a ticking
 * progress line. Ctrl-C anywhere aborts `signal`, which cancels the pending tool call.
 */
export class Terminal {
  private readonly rl: Interface;
  private readonly controller = new AbortController();
  private progress: NodeJS.Timeout | undefined;
  /**
   * Lines typed (or piped) before they were asked for. readline's own `question` drops them, which
   * loses answers typed ahead and breaks `printf 'a\n...' | npm run host`.
   */
  private readonly typedAhead: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  /** Input has ended (Ctrl-D, a closed pipe): lines typed ahead can still be used, but no more will come. */
  private inputEnded = false;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
  ) {
    this.rl = createInterface({ input: this.input, output: this.output, terminal: Boolean(this.output.isTTY) });
    // In raw mode readline turns Ctrl-C into this event rather than a signal; without a TTY the signal arrives.
    this.rl.on('SIGINT', () => this.interrupt());
    this.rl.on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(line);
      else this.typedAhead.push(line);
    });
    process.on('SIGINT', () => this.interrupt());
    // A question waiting when input ends will never be answered: treat that as Ctrl-C. Lines piped in
    // ahead of their questions are still used first (`printf 'a\n...' | npm run host` closes at once).
    this.rl.on('close', () => {
      this.inputEnded = true;
      if (this.waiting) this.interrupt();
    });
  }

  /** Aborted once the user interrupts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.stopProgress();
    this.controller.abort(new Interrupted());
  }

  print(text = ''): void {
    this.clearProgressLine();
    this.output.write(`${text}\n`);
  }

  /** One line of input; rejects with `Interrupted` on Ctrl-C. */
  async ask(question: string, signal: AbortSignal = this.signal): Promise<string> {
    this.stopProgress();
    if (signal.aborted) throw new Interrupted();
    if (this.inputEnded) {
      // readline is closed by now (Node 24 refuses to prompt then), so the question is written directly.
      this.output.write(question);
      const ahead = this.typedAhead.shift();
      if (ahead === undefined) {
        this.interrupt();
        throw new Interrupted();
      }
      this.output.write('\n');
      return ahead.trim();
    }
    this.rl.setPrompt(question);
    this.rl.prompt();
    const ahead = this.typedAhead.shift();
    if (ahead !== undefined) {
      if (!this.output.isTTY) this.output.write('\n');
      return ahead.trim();
    }
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.waiting = undefined;
        reject(new Interrupted());
      };
      signal.addEventListener('abort', abort, { once: true });
      this.waiting = (line) => {
        signal.removeEventListener('abort', abort);
        resolve(line.trim());
      };
    });
  }

  /** Lines until an empty one, for answers longer than a line. */
  async askLines(question: string, signal: AbortSignal = this.signal): Promise<string> {
    this.print(question);
    const lines: string[] = [];
    for (;;) {
      const line = await this.ask('> ', signal);
      if (line === '') return lines.join('\n');
      lines.push(line);
    }
  }

  /** Asks until the answer starts with one of the choices' first letters. */
  async choose<const T extends string>(question: string, choices: readonly T[], signal?: AbortSignal): Promise<T> {
    const menu = choices.map((choice) => `[${choice[0]}]${choice.slice(1)}`).join(', ');
    for (;;) {
      const reply = (await this.ask(`${question} ${menu}? `, signal)).toLowerCase();
      const picked = choices.find((choice) => reply !== '' && choice.startsWith(reply));
      if (picked) return picked;
      this.print(`Please answer ${choices.map((choice) => choice[0]).join(', ')}.`);
    }
  }

  /** A status line that counts the seconds while something slow runs, until `stopProgress` or the next output. */
  startProgress(label: string): void {
    this.stopProgress();
    const startedAt = Date.now();
    const render = () => {
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      if (this.output.isTTY) this.output.write(`\r\x1b[2K${label}… ${seconds} s (Ctrl-C cancels)`);
    };
    if (!this.output.isTTY) this.output.write(`${label}… (Ctrl-C cancels)\n`);
    render();
    this.progress = setInterval(render, 1000);
  }

  stopProgress(): void {
    if (!this.progress) return;
    this.clearProgressLine();
    clearInterval(this.progress);
    this.progress = undefined;
  }

  close(): void {
    this.stopProgress();
    this.rl.removeAllListeners('close');
    this.rl.close();
  }

  private clearProgressLine(): void {
    if (this.progress && this.output.isTTY) this.output.write('\r\x1b[2K');
  }
}
