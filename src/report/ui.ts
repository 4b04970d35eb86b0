/**
 * Everything the generator says to a person. With --json, stdout carries only the JSON summary, so all
 * of this goes to stderr. Colour and the spinner appear only on a terminal (and never with NO_COLOR).
 */
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

export interface Ui {
  line(text?: string): void;
  warn(text: string): void;
  error(text: string): void;
  style(style: Style, text: string): string;
  /** Shows progress for a slow step: a spinner on a terminal, one plain line otherwise. */
  progress(label: string): { succeed(text: string): void; fail(text: string): void };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createUi(json: boolean): Ui {
  const out = json ? process.stderr : process.stdout;
  const colour = Boolean(out.isTTY) && !process.env.NO_COLOR;
  const style = (name: Style, text: string) => (colour ? styleText(name, text) : text);
  const write = (text: string) => out.write(`${text}\n`);

  return {
    line: (text = '') => write(text),
    warn: (text) => process.stderr.write(`${style('yellow', 'warning')} ${text}\n`),
    error: (text) => process.stderr.write(`${style('red', 'error')} ${text}\n`),
    style,
    progress(label) {
      if (!out.isTTY) {
        write(`${label}...`);
        return { succeed: (text) => write(`${style('green', '✔')} ${text}`), fail: (text) => write(`${style('red', '✖')} ${text}`) };
      }
      let frame = 0;
      const timer = setInterval(() => out.write(`\r${style('cyan', FRAMES[frame++ % FRAMES.length]!)} ${label}`), 80);
      const finish = (mark: string, text: string) => {
        clearInterval(timer);
        out.write(`\r\x1b[2K${mark} ${text}\n`);
      };
      return { succeed: (text) => finish(style('green', '✔'), text), fail: (text) => finish(style('red', '✖'), text) };
    },
  };
}
